import { ExperimentGroupPicker } from './experiment-group-picker.component.js';

export { ExperimentGroupPicker };
export type { GroupByChangeDetail } from './experiment-group-picker.component.js';

if (!customElements.get('experiment-group-picker')) customElements.define('experiment-group-picker', ExperimentGroupPicker);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-group-picker': ExperimentGroupPicker;
  }
}
