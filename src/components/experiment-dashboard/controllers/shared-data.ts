import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExperimentContextProvider } from '../../../context/provider.js';
import { ProvidedData } from '../../../context/request.js';
import { ExperimentStore } from '../../../store/experiment-store.js';
import { Selection } from '../../../store/selection.js';
import type { ViewStateModel } from '../../../store/view-state.js';
import { hasOwnData, type DataInputs } from './data-loading.js';
import type { ViewStateController } from './view-state.js';

/**
 * Which rows, view and selection the element shows: its own, or those of an `<experiment-data>`
 * around it when it names no data of its own. It also shares them with the views it renders
 * (details, comparison) through a context provider made with the first of them: those load on
 * demand too, so showing rows does not need @lit/context.
 */
export class SharedDataController implements ReactiveController {
  /** The element's own rows, loaded from its attributes. */
  readonly ownStore = new ExperimentStore();
  readonly #ownSelection = new Selection();
  readonly #ownViewState: ViewStateModel;
  store: ExperimentStore = this.ownStore;
  selection: Selection = this.#ownSelection;
  #provided: ProvidedData;
  #provider?: Promise<ExperimentContextProvider>;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & DataInputs,
    private readonly viewState: ViewStateController,
    /** Shows another store (and the view state now in `viewState`). */
    private readonly onSwitch: (store: ExperimentStore) => void,
  ) {
    this.#ownViewState = viewState.model;
    this.#provided = new ProvidedData(host, () => this.join());
    host.addController(this);
  }

  hostConnected(): void {
    // Made before the first detail or comparison needs it; a failure is said when one does.
    this.provide().catch(() => undefined);
  }

  /** Uses a provider's store, view state and selection, or the element's own. */
  join(): void {
    const shared = this.#provided;
    const useShared = shared.store !== undefined && !hasOwnData(this.host);
    const store = useShared ? shared.store! : this.ownStore;
    const viewState = (useShared && shared.viewState) || this.#ownViewState;
    const selection = (useShared && shared.selection) || this.#ownSelection;
    if (store === this.store && viewState === this.viewState.model && selection === this.selection) return;
    this.store = store;
    this.viewState.model = viewState;
    this.selection = selection;
    void this.#provider?.then((p) => p.set({ store, viewState, selection }));
    this.onSwitch(store);
    this.host.requestUpdate();
  }

  /** The provider for the views the element renders; load a view after it, so the view finds it. */
  provide(): Promise<ExperimentContextProvider> {
    return (this.#provider ??= import('../../../context/provider.js').then(
      ({ ExperimentContextProvider }) => new ExperimentContextProvider(this.host, { store: this.store, viewState: this.viewState.model, selection: this.selection }),
      (err: unknown) => {
        this.#provider = undefined; // asked again next time
        throw err;
      },
    ));
  }
}
