import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { Selection } from '../store/selection.js';
import type { ViewStateModel } from '../store/view-state.js';
import { clockContext, selectionContext, storeContext, viewStateContext } from './contexts.js';

type Host = ReactiveControllerHost & HTMLElement;

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
