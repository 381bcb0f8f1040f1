// Registers every element of the library. Import once: `import 'experiment-dashboard/define.js'`.
// The provider first: views inside it find it when they start.
import './components/experiment-data/experiment-data.js';
import './components/experiment-dashboard/experiment-dashboard.js';
import './components/experiment-row-detail/experiment-row-detail.js';
import './components/experiment-compare/experiment-compare.js';
import './components/metric-chart/metric-chart.js';
import './components/experiment-column-chooser/experiment-column-chooser.js';
import './components/experiment-group-picker/experiment-group-picker.js';
import './components/experiment-filter-editor/experiment-filter-editor.js';
export * from './index.js';
