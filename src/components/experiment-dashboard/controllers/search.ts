import type { ReactiveControllerHost } from 'lit';
import type { Attribute } from '../../../data/attributes.js';
import { PARENT_ATTRIBUTE } from '../../../data/parent.js';
import type { ColumnFilter, Experiment } from '../../../data/types.js';
import type { ViewState } from '../../../data/view-state.js';
import type { TableController } from '../table/table-controller.js';

/**
 * The search and filter code, loaded when first needed (a search, a filter, or the background
 * preparation of the search text after the first rows): showing the rows does not need it.
 */
let queryCode: Promise<typeof import('../../../data/query.js')> | undefined;
const loadQueryCode = () =>
  (queryCode ??= import('../../../data/query.js').catch((err: unknown) => {
    queryCode = undefined; // asked again next time (Chromium keeps the failure until a reload)
    throw new Error(`Could not load the dashboard's search and filter code (${err instanceof Error ? err.message : String(err)}). Reload the page once the server it came from can be reached again.`);
  }));

type QueryCode = Awaited<ReturnType<typeof loadQueryCode>>;

export interface SearchOptions {
  table: () => TableController | undefined;
  view: () => ViewState;
  attribute: (id: string) => Attribute | undefined;
  /** In server-query mode the rows are already the server's answer to the search and filters. */
  serverQuery: () => boolean;
}

/**
 * Search and column filters on the table. The search text of every record is built in the
 * background after the rows are shown, so the first search is fast; a search typed meanwhile
 * waits for it ("Preparing search…") instead of building it all in one long task.
 */
export class SearchController {
  /** True while a search waits for the search text. */
  preparing = false;
  #prepare?: AbortController;
  /** Resolves when the search text of every record is built (see prepareSearch). */
  #ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: SearchOptions,
  ) {}

  /**
   * New rows: their search text is built once `start` is called (after the first rows are
   * drawn). `signal` belongs to this data: newer rows abort it.
   */
  prepare(experiments: readonly Experiment[]): { start: () => void; signal: AbortSignal; ready: () => Promise<void> } {
    this.#prepare?.abort();
    const prepare = new AbortController();
    this.#prepare = prepare;
    // Replaced now, not when the preparation starts: a search typed between the first rows and
    // the start waits for this data's search text instead of building it itself in one long task
    // inside the filter.
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    prepare.signal.addEventListener('abort', () => start(), { once: true });
    // A search waiting for it makes the preparation hurry (longer slices, no timer clamping).
    this.#ready = started.then(loadQueryCode).then(({ prepareSearch }) => prepareSearch(experiments, prepare.signal, { hurry: () => this.preparing }));
    return { start, signal: prepare.signal, ready: () => this.#ready };
  }

  /**
   * Applies the view's search and filters to the table. Without `waitForSearchText` (the first
   * rows of a load), the filters apply at once and the search follows once its text is built.
   */
  async apply(waitForSearchText = true): Promise<void> {
    const { table, view } = this.opts;
    if (this.opts.serverQuery()) {
      await table()?.setFilter(undefined, view().filters.map((f) => f.attribute));
      return;
    }
    const { search, filters } = view();
    const usable = filters.filter((f) => this.opts.attribute(f.attribute));
    let code: QueryCode | undefined;
    if (search.trim() !== '' || usable.length > 0) {
      code = await loadQueryCode();
      // `matches` patterns need the linear-time engine, loaded on their first use.
      await code.prepareQuery({ filters: usable });
      // A later change applied meanwhile (without waiting, when it cleared everything) wins.
      if (view().search !== search || view().filters !== filters) return;
    }
    if (search.trim() !== '' && !waitForSearchText) {
      // Building 100,000 search texts inside the filter would be one long task of seconds.
      this.#setPreparing(true);
      await table()?.setFilter(usable.length > 0 && code ? this.#compile(code, '', usable) : undefined, usable.map((f) => f.attribute));
      const ready = this.#ready;
      void ready.then(() => {
        if (ready !== this.#ready) return; // newer data: its own steps take over
        if (search === view().search) void this.apply();
        else if (view().search.trim() === '') this.#setPreparing(false);
      });
      return;
    }
    if (search.trim() !== '') {
      this.#setPreparing(true);
      await this.#ready;
      this.#setPreparing(false);
      if (search !== view().search) return;
    }
    const active = search.trim() !== '' || usable.length > 0;
    await table()?.setFilter(active && code ? this.#compile(code, search, usable) : undefined, usable.map((f) => f.attribute));
  }

  /**
   * The predicate of the search and filters. The Parent run compares by the parent's name, as its
   * column shows it (the catalogue's value; a server does the same over all its runs:
   * readingParentNames in data/query.ts).
   */
  #compile(code: QueryCode, search: string, filters: ColumnFilter[]): (e: Experiment) => boolean {
    const parent = filters.some((f) => f.attribute === PARENT_ATTRIBUTE) ? this.opts.attribute(PARENT_ATTRIBUTE) : undefined;
    if (!parent) return code.compilePredicate({ search, filters });
    return code.compilePredicate({ search, filters }, (e, id) => (id === PARENT_ATTRIBUTE ? parent.get(e) : code.getAttributeValue(e, id)));
  }

  #setPreparing(preparing: boolean): void {
    if (this.preparing === preparing) return;
    this.preparing = preparing;
    this.host.requestUpdate();
  }
}
