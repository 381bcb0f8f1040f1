import type { Context, ContextCallback } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { Selection } from '../store/selection.js';
import type { ViewStateModel } from '../store/view-state.js';
import { selectionContext, storeContext, viewStateContext } from './contexts.js';

/**
 * Subscribes to a context with the protocol's `context-request` event, as @lit/context's
 * ContextConsumer does (providers and ContextRoot answer it alike), without loading
 * @lit/context: the dashboard asks for a provider's data this way, so showing rows does not
 * need the library.
 */
function subscribe<T>(host: HTMLElement, context: Context<symbol, T>, onValue: (value: T) => void): () => void {
  let unsubscribe: (() => void) | undefined;
  const callback: ContextCallback<T> = (value, dispose) => {
    // A nearer provider took over: the old one is let go.
    if (unsubscribe !== dispose) unsubscribe?.();
    unsubscribe = dispose;
    onValue(value);
  };
  host.dispatchEvent(Object.assign(new Event('context-request', { bubbles: true, composed: true }), { context, contextTarget: host, callback, subscribe: true }));
  return () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
}

/** What an `<experiment-data>` around the host shares, kept up to date while the host is connected. */
export class ProvidedData implements ReactiveController {
  store?: ExperimentStore;
  viewState?: ViewStateModel;
  selection?: Selection;
  #stops: (() => void)[] = [];

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Called when a provider's objects arrive or change. */
    private readonly onChange: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const set = <K extends 'store' | 'viewState' | 'selection'>(k: K) => (v: this[K]) => {
      this[k] = v;
      this.onChange();
    };
    this.#stops = [subscribe(this.host, storeContext, set('store')), subscribe(this.host, viewStateContext, set('viewState')), subscribe(this.host, selectionContext, set('selection'))];
  }

  hostDisconnected(): void {
    for (const stop of this.#stops) stop();
    this.#stops = [];
  }
}
