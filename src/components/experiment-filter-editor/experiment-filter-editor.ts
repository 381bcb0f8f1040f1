import { ExperimentFilterEditor } from './experiment-filter-editor.component.js';

export { ExperimentFilterEditor };
export { describeFilter, formatFilterValue } from './describe-filter.js';
export type { DescribeFilterOptions } from './describe-filter.js';
export type { FilterApplyDetail, FilterCancelDetail, FilterClearDetail, FilterValueCount } from './experiment-filter-editor.component.js';

if (!customElements.get('experiment-filter-editor')) customElements.define('experiment-filter-editor', ExperimentFilterEditor);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-filter-editor': ExperimentFilterEditor;
  }
}
