import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { decodeViewHash, encodeViewHash, parseViewState, type ViewState } from '../../../data/view-state.js';
import { ViewChangeEvent, ViewStateModel, type ViewOrigin } from '../../../store/view-state.js';
import { splitList } from './data-loading.js';

export interface ViewChangeDetail {
  view: ViewState;
}

/** The element's attributes that take part in its view. */
export interface ViewStateHost extends ReactiveControllerHost, HTMLElement {
  columns?: string | undefined;
  groupBy?: string | undefined;
  search?: string | undefined;
  storageKey?: string | undefined;
  syncUrl: boolean;
}

const STORAGE_PREFIX = 'experiment-dashboard:';

/**
 * The view state of one element: attributes, then storage, then the URL hash at start; after
 * that every change is a patch with an origin, applied here in one place, which pushes it to the
 * table (unless the table reported it), persists it and fires `view-change`.
 */
export class ViewStateController implements ReactiveController {
  #model = new ViewStateModel();
  #onHash = () => this.#readHash();
  #onModel = (ev: Event) => void this.#changed(ev as ViewChangeEvent);

  constructor(
    private readonly host: ViewStateHost,
    /** Brings the table (or whatever shows the view) in line with a patch. */
    private readonly push: (patch: Partial<ViewState>, origin: ViewOrigin) => Promise<void>,
  ) {
    host.addController(this);
  }

  get view(): ViewState {
    return this.#model.view;
  }

  /** The model patches go to; a provider's shared one replaces the element's own. */
  get model(): ViewStateModel {
    return this.#model;
  }

  set model(model: ViewStateModel) {
    if (model === this.#model) return;
    this.#model.removeEventListener('change', this.#onModel);
    this.#model = model;
    if (this.host.isConnected) model.addEventListener('change', this.#onModel);
  }

  hostConnected(): void {
    this.#model.addEventListener('change', this.#onModel);
    window.addEventListener('hashchange', this.#onHash);
  }

  hostDisconnected(): void {
    this.#model.removeEventListener('change', this.#onModel);
    window.removeEventListener('hashchange', this.#onHash);
  }

  apply(patch: Partial<ViewState>, origin: ViewOrigin): void {
    this.#model.apply(patch, origin);
  }

  /** Call from `willUpdate`: the first time, the starting view; later, changed attributes as patches. */
  update(changed: PropertyValues, first: boolean): void {
    const host = this.host;
    if (first) {
      this.#model.init(this.#startingView());
      return;
    }
    const patch: Partial<ViewState> = {};
    if (changed.has('columns') && host.columns !== undefined) patch.columns = splitList(host.columns);
    if (changed.has('groupBy') && host.groupBy !== undefined) patch.groupBy = splitList(host.groupBy);
    if (changed.has('search') && host.search !== undefined) patch.search = host.search;
    if (Object.keys(patch).length > 0) this.apply(patch, 'api');
  }

  /** Attributes first, then stored view, then the link: the most specific wins. */
  #startingView(): Partial<ViewState> {
    const host = this.host;
    const view: Partial<ViewState> = {};
    if (host.columns !== undefined) view.columns = splitList(host.columns);
    if (host.groupBy !== undefined) view.groupBy = splitList(host.groupBy);
    if (host.search !== undefined) view.search = host.search;
    Object.assign(view, this.#readStorage());
    const linked = host.syncUrl ? decodeViewHash(location.hash) : undefined;
    if (linked) {
      for (const p of linked.problems) console.warn(`<experiment-dashboard>: the view in the URL: ${p}.`);
      Object.assign(view, linked.state);
    }
    return view;
  }

  #readStorage(): Partial<ViewState> | undefined {
    const key = this.host.storageKey;
    if (!key) return undefined;
    try {
      const raw = localStorage.getItem(STORAGE_PREFIX + key);
      if (!raw) return undefined;
      const { state, problems } = parseViewState(JSON.parse(raw));
      for (const p of problems) console.warn(`<experiment-dashboard>: the stored view: ${p}.`);
      return state;
    } catch {
      console.warn(`<experiment-dashboard>: the stored view under "${STORAGE_PREFIX}${key}" is unreadable; starting from the default view.`);
      return undefined;
    }
  }

  #readHash(): void {
    if (!this.host.syncUrl) return;
    const linked = decodeViewHash(location.hash);
    if (!linked) return;
    const view = this.view;
    const keys = Object.keys(linked.state) as (keyof ViewState)[];
    // Our own replaceState does not fire hashchange; a link with the view we show changes nothing.
    if (keys.every((k) => JSON.stringify(linked.state[k]) === JSON.stringify(view[k]))) return;
    this.apply(linked.state, 'api');
  }

  async #changed({ patch, origin }: ViewChangeEvent): Promise<void> {
    this.host.requestUpdate();
    if (origin !== 'table') await this.push(patch, origin);
    const view = structuredClone(this.view);
    const { storageKey, syncUrl } = this.host;
    if (storageKey) {
      try {
        localStorage.setItem(STORAGE_PREFIX + storageKey, JSON.stringify(view));
      } catch {
        // Storage full or blocked (private mode): the view still works, it just won't persist.
      }
    }
    if (syncUrl) {
      const hash = encodeViewHash(view, location.hash);
      if (hash !== location.hash) history.replaceState(history.state, '', hash);
    }
    this.host.dispatchEvent(new CustomEvent<ViewChangeDetail>('view-change', { bubbles: true, composed: true, detail: { view } }));
  }
}
