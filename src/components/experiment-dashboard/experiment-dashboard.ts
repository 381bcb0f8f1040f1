import { ExperimentDashboard } from './experiment-dashboard.component.js';

export { ExperimentDashboard };

if (!customElements.get('experiment-dashboard')) customElements.define('experiment-dashboard', ExperimentDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'experiment-dashboard': ExperimentDashboard;
  }
}
