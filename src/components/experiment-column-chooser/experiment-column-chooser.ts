import { ExperimentColumnChooser } from './experiment-column-chooser.component.js';

export { ExperimentColumnChooser };
export type { ColumnsChangeDetail } from './experiment-column-chooser.component.js';

if (!customElements.get('experiment-column-chooser')) customElements.define('experiment-column-chooser', ExperimentColumnChooser);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-column-chooser': ExperimentColumnChooser;
  }
}
