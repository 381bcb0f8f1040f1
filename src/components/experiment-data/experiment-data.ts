import { ContextRoot } from '@lit/context';
import { ExperimentData } from './experiment-data.component.js';

export { ExperimentData };

if (!customElements.get('experiment-data')) {
  // A view that started before its provider was defined asks again once the provider is there.
  new ContextRoot().attach(document.documentElement);
  customElements.define('experiment-data', ExperimentData);
}

declare global {
  interface HTMLElementTagNameMap {
    'experiment-data': ExperimentData;
  }
}
