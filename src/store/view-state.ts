import { DEFAULT_COLUMNS } from '../data/attributes.js';
import type { ViewState } from '../data/view-state.js';

/** Who changed the view: a program (`setViewState`, attributes, a link), the user's controls, or the table itself. */
export type ViewOrigin = 'api' | 'user' | 'table';

/** Fired on the model (`change`) for every patch applied. */
export class ViewChangeEvent extends Event {
  constructor(
    readonly patch: Readonly<Partial<ViewState>>,
    readonly origin: ViewOrigin,
  ) {
    super('change');
  }
}

export const defaultView = (): ViewState => ({ search: '', filters: [], sort: [], groupBy: [], columns: [...DEFAULT_COLUMNS], widths: {} });

/**
 * The one view state (search, filters, sort, grouping, columns, widths) the views of a page
 * share. Every change is a patch with an origin; listeners decide what follows from it (the
 * table is not told about a change it reported itself).
 */
export class ViewStateModel extends EventTarget {
  #view: ViewState = defaultView();

  get view(): ViewState {
    return this.#view;
  }

  /** The starting view (attributes, storage, link), before anyone listens: no event. */
  init(view: Partial<ViewState>): void {
    this.#view = { ...this.#view, ...view };
  }

  /**
   * Merges a patch. The table reports layouts it was given as well as the user's own changes:
   * parts that equal the current view are dropped, and a report with nothing new is no change.
   */
  apply(patch: Partial<ViewState>, origin: ViewOrigin): void {
    let changed: Partial<ViewState> = patch;
    if (origin === 'table') {
      changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(this.#view[k as keyof ViewState])));
      if (Object.keys(changed).length === 0) return;
    }
    this.#view = { ...this.#view, ...changed };
    this.dispatchEvent(new ViewChangeEvent(changed, origin));
  }
}
