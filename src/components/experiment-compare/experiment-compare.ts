import '../metric-chart/metric-chart.js';
import { ExperimentCompare } from './experiment-compare.component.js';

export { ExperimentCompare };
export type { ComparisonRow } from './experiment-compare.component.js';

if (!customElements.get('experiment-compare')) customElements.define('experiment-compare', ExperimentCompare);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-compare': ExperimentCompare;
  }
}
