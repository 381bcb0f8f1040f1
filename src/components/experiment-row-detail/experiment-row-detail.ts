import '../metric-chart/metric-chart.js';
import { ExperimentRowDetail } from './experiment-row-detail.component.js';

export { ExperimentRowDetail };
export type { DetailSection } from './experiment-row-detail.component.js';

if (!customElements.get('experiment-row-detail')) customElements.define('experiment-row-detail', ExperimentRowDetail);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-row-detail': ExperimentRowDetail;
  }
}
