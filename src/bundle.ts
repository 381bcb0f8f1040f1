// Entry of the self-contained bundle (dist/experiment-dashboard.bundle.js): registers the
// elements and exposes the API on `window.ExperimentDashboard` for pages without a build step.
import * as api from './define.js';

declare global {
  interface Window {
    ExperimentDashboard: typeof api;
  }
}

window.ExperimentDashboard = api;
// Where this bundle was loaded from: the dashboard's "HTML report" inlines it. The bundle is a
// classic script (so it also runs from file://), which knows its URL through currentScript; as
// a module script it finds its own tag. An inline copy (a report) has no URL: it is read in place.
const self =
  (typeof document !== 'undefined' && (document.currentScript as HTMLScriptElement | null)?.src) ||
  (typeof document !== 'undefined' ? [...document.scripts].find((s) => /experiment-dashboard[^/]*\.js(\?|#|$)/.test(s.src))?.src : undefined);
if (self) (globalThis as { __experimentDashboardBundleUrl?: string }).__experimentDashboardBundleUrl = self;
