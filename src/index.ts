// Public API: named re-exports only. Importing this module registers no element; import
// `experiment-dashboard/define.js` (or the bundle) for that.
export { ExperimentDashboard, parseMainMetricAttribute } from './components/experiment-dashboard/experiment-dashboard.component.js';
export type { ExperimentsLoadedDetail, SourceErrorDetail } from './components/experiment-dashboard/experiment-dashboard.component.js';
export { ExperimentRowDetail } from './components/experiment-row-detail/experiment-row-detail.component.js';
export { ExperimentCompare } from './components/experiment-compare/experiment-compare.component.js';
export { MetricChart } from './components/metric-chart/metric-chart.component.js';
export { ExperimentColumnChooser } from './components/experiment-column-chooser/experiment-column-chooser.component.js';
export { ExperimentGroupPicker } from './components/experiment-group-picker/experiment-group-picker.component.js';
export { ExperimentFilterEditor } from './components/experiment-filter-editor/experiment-filter-editor.component.js';
export { describeFilter } from './components/experiment-filter-editor/describe-filter.js';
export { formatDuration, formatBytes, formatNumber, formatTime, safeHref, flattenParams } from './data/format.js';
export { parseCollection, parseExperiment, parseJsonText, normalizeTime, deriveStatus, durationMs, formatProblem } from './data/parse.js';
export type { ParseOptions, ParseResult } from './data/parse.js';
export { StaticSource } from './data/static-source.js';
export { HttpSource } from './data/http-source.js';
export type { HttpSourceInit } from './data/http-source.js';
export { IndexedDbSource } from './data/idb-source.js';
export type { ImportReport, ImportProgress } from './data/idb-source.js';
export { applyQuery, matchesQuery, compilePredicate } from './data/query.js';
export type { ViewState } from './data/view-state.js';
export type { StaticSourceInit } from './data/static-source.js';
export { collectAttributes, resolveAttribute, DEFAULT_COLUMNS } from './data/attributes.js';
export type { Attribute, AttributeKind, AttributeCategory } from './data/attributes.js';
export { generateCollection, generateExperiments, collectionToJson } from './data/sample-data.js';
export type { SampleOptions } from './data/sample-data.js';
export { STATUSES, ARTIFACT_ROLES, SourceError, DEFAULT_DEAD_AFTER_MS } from './data/types.js';
export type * from './data/types.js';
