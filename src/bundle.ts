// Entry of the self-contained bundle (dist/experiment-dashboard.bundle.js): registers the
// elements and exposes the API on `window.ExperimentDashboard` for pages without a build step.
import * as api from './define.js';

declare global {
  interface Window {
    ExperimentDashboard: typeof api;
  }
}

window.ExperimentDashboard = api;
// Where this bundle was loaded from: the dashboard's "HTML report" inlines it.
(globalThis as { __experimentDashboardBundleUrl?: string }).__experimentDashboardBundleUrl = import.meta.url;
