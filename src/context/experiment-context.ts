import { ContextConsumer, ContextProvider } from '@lit/context';
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

/**
 * Consumes what a provider shares (`subscribe: true`). With `watchRows`, the host renders again
 * when the rows or the selection change (for views that read records from the context).
 */
export class ExperimentContextConsumer implements ReactiveController {
  #store: ContextConsumer<typeof storeContext, Host>;
  #viewState: ContextConsumer<typeof viewStateContext, Host>;
  #clock: ContextConsumer<typeof clockContext, Host>;
  #selection: ContextConsumer<typeof selectionContext, Host>;
  #watched = new Set<EventTarget>();
  readonly #watchRows: boolean;
  #onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: Host,
    { watchRows = false, onProvided = () => undefined }: { watchRows?: boolean; onProvided?: () => void } = {},
  ) {
    this.#watchRows = watchRows;
    const callback = () => {
      this.#watch();
      onProvided();
    };
    this.#store = new ContextConsumer(host, { context: storeContext, subscribe: true, callback });
    this.#viewState = new ContextConsumer(host, { context: viewStateContext, subscribe: true, callback });
    this.#clock = new ContextConsumer(host, { context: clockContext, subscribe: true });
    this.#selection = new ContextConsumer(host, { context: selectionContext, subscribe: true, callback });
    host.addController(this);
  }

  get store(): ExperimentStore | undefined {
    return this.#store.value;
  }

  get viewState(): ViewStateModel | undefined {
    return this.#viewState.value;
  }

  get now(): number | undefined {
    return this.#clock.value;
  }

  get selection(): Selection | undefined {
    return this.#selection.value;
  }

  hostConnected(): void {
    this.#watch();
  }

  hostDisconnected(): void {
    for (const t of this.#watched) t.removeEventListener('change', this.#onChange);
    this.#watched.clear();
  }

  #watch(): void {
    const targets = this.#watchRows ? [this.#store.value, this.#selection.value] : [];
    const now = new Set<EventTarget>(targets.filter((t): t is ExperimentStore | Selection => t !== undefined));
    for (const t of this.#watched) if (!now.has(t)) t.removeEventListener('change', this.#onChange);
    for (const t of now) if (!this.#watched.has(t)) t.addEventListener('change', this.#onChange);
    this.#watched = now;
  }
}
