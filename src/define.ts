// Registers every element of the library. Import once: `import 'experiment-dashboard/define.js'`.
import './components/experiment-dashboard/experiment-dashboard.js';
export * from './index.js';
