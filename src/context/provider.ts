import { ContextProvider } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { Selection } from '../store/selection.js';
import type { ViewStateModel } from '../store/view-state.js';
import { clockContext, selectionContext, storeContext, viewStateContext } from './contexts.js';

type Host = ReactiveControllerHost & HTMLElement;

/** What a provider shares: the rows, the view and the selection. */
export interface SharedData {
  store: ExperimentStore;
  viewState: ViewStateModel;
  selection: Selection;
}

/**
 * Provides the store, view state, clock and selection to the elements inside the host; the
 * clock follows the store (a new snapshot has a new time).
 */
export class ExperimentContextProvider implements ReactiveController {
  #store: ContextProvider<typeof storeContext>;
  #viewState: ContextProvider<typeof viewStateContext>;
  #clock: ContextProvider<typeof clockContext>;
  #selection: ContextProvider<typeof selectionContext>;
  #watched?: ExperimentStore;
  #onStore = () => this.#clock.setValue(this.#watched?.now);

  constructor(host: Host, shared: SharedData) {
    this.#store = new ContextProvider(host, { context: storeContext, initialValue: shared.store });
    this.#viewState = new ContextProvider(host, { context: viewStateContext, initialValue: shared.viewState });
    this.#clock = new ContextProvider(host, { context: clockContext, initialValue: shared.store.now });
    this.#selection = new ContextProvider(host, { context: selectionContext, initialValue: shared.selection });
    this.#watch(shared.store);
    host.addController(this);
  }

  hostConnected(): void {
    this.#watch(this.#store.value);
  }

  hostDisconnected(): void {
    this.#watched?.removeEventListener('change', this.#onStore);
    this.#watched = undefined;
  }

  /** Shares other objects (a dashboard that joined a provider passes the provider's on). */
  set(shared: SharedData): void {
    this.#store.setValue(shared.store);
    this.#viewState.setValue(shared.viewState);
    this.#selection.setValue(shared.selection);
    this.#watch(shared.store);
  }

  #watch(store: ExperimentStore | undefined): void {
    if (store === this.#watched) return;
    this.#watched?.removeEventListener('change', this.#onStore);
    this.#watched = store;
    store?.addEventListener('change', this.#onStore);
    this.#onStore();
  }
}
