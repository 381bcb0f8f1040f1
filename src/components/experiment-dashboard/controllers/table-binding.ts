import type { ReactiveController, ReactiveControllerHost } from 'lit';
// The controller first: it loads Tabulator, and the table's other modules then sit beside it in a bundle.
import { TableController } from '../table/table-controller.js';
import type { Attribute } from '../../../data/attributes.js';
import { MAX_LABEL_LENGTH, clipText } from '../../../data/format.js';
import { nextTask } from '../../../data/parse.js';
import type { Experiment } from '../../../data/types.js';
import type { ViewState } from '../../../data/view-state.js';
import { parseMainMetricAttribute } from '../../../shared/main-metric.js';
import type { ExperimentStore, StoreChangeEvent } from '../../../store/experiment-store.js';
import type { Selection } from '../../../store/selection.js';
import { nameOf, summarize, type Summary } from '../templates/summary.js';
import type { AttributeCatalogueController } from './attribute-catalogue.js';
import type { LazyParts } from './lazy-parts.js';
import type { Popover } from './popover.js';
import type { SearchController } from './search.js';
import type { ViewStateController } from './view-state.js';

const familiesCode = () => import('../table/run-families.js');
const keyboardCode = () => import('../table/keyboard.js');

export interface ExperimentToggleDetail {
  id: string;
  experiment: Experiment;
  expanded: boolean;
}

export interface TableBindingHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly hasUpdated: boolean;
  /** Rows per page in server-query mode. */
  pageSize: number;
}

export interface TableBindingOptions {
  /** Loads the parts rows need only sometimes (child runs under their parents). */
  parts: LazyParts;
  /** The store shown (read at each step: the host may switch to a provider's). */
  store: () => ExperimentStore;
  /** Where the checked rows are shared. */
  selection: () => Selection;
  viewState: ViewStateController;
  catalogue: AttributeCatalogueController;
  search: SearchController;
  /** True when the source can delete (the table then has a delete column). */
  deletable: () => boolean;
  /** Resolves when what shows with the rows is there (the delete code of a source that can delete, the problem list). */
  ready: () => Promise<unknown>;
  onDeleteRequest: (e: Experiment) => void;
  openPopover: (p: Popover) => void;
  /** Loads the row detail element, the first time a row is expanded. */
  loadDetail: () => void;
}

/**
 * Binds the store and the view state to the table, one way: it owns the TableController, follows
 * the store's changes (first rows staged across tasks, then upserts and removals), pushes view
 * patches into the table, turns the table's reports into `table` patches, keeps the inline
 * details, and counts what the summary and toolbar say (rows, shown, selected, page).
 */
export class TableBindingController implements ReactiveController {
  table?: TableController;
  summary: Summary = summarize([]);
  /** Rows the filters and search leave. */
  shown = 0;
  /** What the filters and search leave, counted per status (while any is active). */
  shownSummary?: Summary;
  selected = 0;
  /** Server-query mode: the current page (0-based). */
  page = 0;
  /** Table work started by a store change; the delete flow waits for it before it reports. */
  rowsSettled: Promise<void> = Promise.resolve();
  #store?: ExperimentStore;
  #details = new Map<string, HTMLElement>();
  #onStore = (ev: Event) => this.#onStoreChange(ev as StoreChangeEvent);

  constructor(
    private readonly host: TableBindingHost,
    private readonly opts: TableBindingOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#store?.addEventListener('change', this.#onStore);
    // Rebuild after a move in the DOM: the table was destroyed on disconnect.
    if (this.host.hasUpdated && !this.table) void this.host.updateComplete.then(() => this.create());
  }

  hostDisconnected(): void {
    // A provider's store outlives the element: it does not keep a removed element alive.
    this.#store?.removeEventListener('change', this.#onStore);
    this.table?.destroy();
    this.table = undefined;
  }

  get #view(): ViewState {
    return this.opts.viewState.view;
  }

  get filtering(): boolean {
    return this.#view.search.trim() !== '' || this.#view.filters.length > 0;
  }

  /** The rows the view shows (filters and search applied), in display order. */
  get shownExperiments(): readonly Experiment[] {
    return this.table?.shownData() ?? this.opts.store().experiments;
  }

  /** The checked rows the filters leave, as records. */
  selectedExperiments(): Experiment[] {
    const ids = new Set(this.table?.selectedShownIds() ?? []);
    return this.opts.store().experiments.filter((e) => ids.has(e.id));
  }

  /** Shows this store's rows; in server-query mode it asks with the host's view and page. */
  follow(store: ExperimentStore): void {
    this.#store?.removeEventListener('change', this.#onStore);
    this.#store = store;
    store.query = () => this.#query();
    store.addEventListener('change', this.#onStore);
  }

  /** Shows another store's rows and view (a provider's, or the element's own again). */
  switchTo(store: ExperimentStore): void {
    this.follow(store);
    if (this.host.hasUpdated) void this.sync(this.#view);
    if (this.host.hasUpdated || store.experiments.length > 0) this.#setExperiments(store.experiments as Experiment[]);
  }

  /** The next page (or another one) in server-query mode. */
  goToPage(page: number): void {
    this.page = page;
    void this.opts.store().load();
  }

  /** The source changed: back to the first page. */
  resetPage(): void {
    this.page = 0;
  }

  create(): void {
    const root = this.host.renderRoot;
    const el = root.querySelector<HTMLElement>('.table');
    const popups = root.querySelector<HTMLElement>('.popups');
    if (!el || !popups) return;
    const { viewState, search, openPopover } = this.opts;
    this.table = new TableController(el, popups, {
      // A search waiting for its text gets the background time to itself.
      backgroundPaused: () => search.preparing,
      onColumnResized: (id, width) => viewState.apply({ widths: { ...this.#view.widths, [id]: width } }, 'table'),
      onLayoutChange: () => {
        const table = this.table;
        if (!table) return;
        const before = JSON.stringify(this.#view.sort);
        const { columns } = table.getColumnLayout();
        viewState.apply({ sort: table.getSort(), ...(columns.length > 0 ? { columns } : {}) }, 'table');
        if (this.#serverQuery && JSON.stringify(this.#view.sort) !== before) this.goToPage(0);
      },
      // The one place the shown count is written: the table reports it after every change of rows or filter.
      onRowsShown: (n) => {
        this.shown = n;
        this.shownSummary = this.filtering ? summarize(this.shownExperiments, { countsOnly: true }) : undefined;
        this.host.requestUpdate();
      },
      onSelectionChange: (n) => {
        this.selected = n;
        this.opts.selection().set(this.table?.selectedShownIds() ?? []);
        this.host.requestUpdate();
      },
      onToggleDetails: (e) => this.toggleDetails(e),
      onDeleteRequest: (e) => this.opts.onDeleteRequest(e),
      onFilterButton: (attribute, anchor) => openPopover({ kind: 'filter', attribute, anchor }),
      onCellClick: (experiment, attribute, anchor) => openPopover({ kind: 'cell', experiment, attribute, anchor }),
      renderDetail: (e) => this.#detailFor(e),
      loadFamilies: () => this.opts.parts.load('the nesting of child runs', familiesCode),
      loadKeyboard: () => this.opts.parts.load('the keyboard controls', keyboardCode),
    }, () => this.opts.store().experiments);
    // Rows that come later arrive with a store change, which shows them (after `ready`) itself.
    const rows = this.opts.store().experiments.length > 0;
    void this.sync(this.#view)
      .then(() => this.opts.ready())
      .then(() => (rows ? this.table?.setData() : undefined));
  }

  get #serverQuery(): boolean {
    return Boolean(this.opts.store().source?.capabilities.serverQuery);
  }

  /** Pushes the parts of the view that changed into the table. */
  async sync(patch: Partial<ViewState>): Promise<void> {
    const store = this.opts.store();
    if ('mainMetric' in patch) store.setChosenMainMetric(parseMainMetricAttribute(patch.mainMetric));
    const table = this.table;
    if (!table) return;
    if (this.#serverQuery && (patch.search !== undefined || patch.filters || patch.sort)) this.goToPage(0);
    if (patch.columns || patch.widths) await this.#applyColumns();
    if (patch.search !== undefined || patch.filters) await this.opts.search.apply();
    if (patch.groupBy) await this.#applyGrouping();
    if (patch.sort) await table.setSort(this.#view.sort);
  }

  /** Server-query mode sends the view to the source; otherwise everything loads once. */
  #query() {
    const v = this.#view;
    return this.#serverQuery ? { search: v.search, filters: v.filters, sort: v.sort, page: { size: this.host.pageSize, index: this.page } } : {};
  }

  /** The store changed: the table, the details and the catalogue follow. */
  #onStoreChange({ change }: StoreChangeEvent): void {
    this.host.requestUpdate();
    if (change.kind === 'status') return;
    const store = this.opts.store();
    if (change.kind === 'reset') {
      if (change.cause === 'load' || change.cause === 'error') this.#details.clear();
      this.#setExperiments(store.experiments as Experiment[]);
      return;
    }
    if (change.kind === 'remove') {
      for (const id of change.ids) this.#details.delete(id);
      this.#settle(() => this.table?.removeRows(change.ids));
      return;
    }
    for (const e of change.experiments) {
      const detail = this.#details.get(e.id) as (HTMLElement & { experiment?: Experiment }) | undefined;
      if (detail) detail.experiment = e;
    }
    if (change.added.length > 0 || this.opts.catalogue.pending) this.opts.catalogue.collect(store.experiments);
    this.#settle(() => this.table?.upsertRows(change.experiments, new Set(change.added)));
  }

  /** Table work for a change of rows, once the rows can show (see `ready`). */
  #settle(work: () => Promise<void> | undefined): void {
    this.rowsSettled = this.opts
      .ready()
      .then(work)
      .then(() => {
        this.summary = summarize(this.opts.store().experiments);
        this.host.requestUpdate();
      });
  }

  #setExperiments(experiments: Experiment[]): void {
    const { search, catalogue } = this.opts;
    const prepare = search.prepare(experiments);
    this.summary = summarize(experiments);
    const collectCatalogue = catalogue.start(experiments);
    const table = this.table;
    if (!table) {
      prepare.start();
      collectCatalogue();
      return;
    }
    // Each step is its own task, so the page paints and answers input between them (a message,
    // not a timer: no 4 ms clamping, and no idle gap in which background work would slip in
    // before the first rows).
    const step = <T>(work: () => T | Promise<T>) => nextTask().then(() => (prepare.signal.aborted ? undefined : work()));
    // Columns, filter and grouping may name attributes that only now exist.
    void this.opts
      .ready()
      .then(() => step(() => this.#applyColumns()))
      .then(() => step(() => this.#applyGrouping()))
      // A search in the view (stored, linked, or typed while a first screen was shown) cannot
      // wait for a preparation that starts after the rows: the rows come first, filtered by the
      // columns, and the search follows once its text is built ("Preparing search…").
      .then(() => step(() => search.apply(false)))
      .then(() => step(() => table.setData()))
      .then(() => step(() => table.setSort(this.#view.sort)))
      .then(() => {
        if (prepare.signal.aborted) return undefined;
        prepare.start();
        collectCatalogue();
        return prepare.ready();
      });
  }

  /** The visible columns' attributes, in order, titled as their headers are. */
  visibleAttributes(): Attribute[] {
    const attrs: Attribute[] = [];
    for (const id of this.#view.columns) {
      const a = this.opts.catalogue.get(id);
      if (a) attrs.push(this.titled(a));
      else console.warn(`<experiment-dashboard>: unknown column ${JSON.stringify(id)}; it was skipped. Use attribute ids like status, name, params.lr, metrics.loss.last.`);
    }
    return attrs;
  }

  /** The attribute as its column is titled: the main-metric column by the metric it shows and its goal. */
  titled(a: Attribute): Attribute {
    const main = a.id === 'mainMetric' ? this.opts.store().mainMetric : undefined;
    return main ? { ...a, label: `${clipText(main.key, MAX_LABEL_LENGTH)} ${(main.goal ?? 'maximize') === 'maximize' ? '(max)' : '(min)'}` } : a;
  }

  async #applyColumns(): Promise<void> {
    await this.table?.setColumns({ attributes: this.visibleAttributes(), widths: this.#view.widths, deletable: this.opts.deletable(), nameOf });
  }

  async #applyGrouping(): Promise<void> {
    const attrs = this.#view.groupBy.map((id) => this.opts.catalogue.get(id)).filter((a): a is Attribute => a !== undefined);
    await this.table?.setGroupBy(attrs, this.opts.store().mainMetric?.goal ?? 'maximize');
  }

  toggleDetails(e: Experiment): void {
    const table = this.table;
    if (!table) return;
    const expanded = !table.isExpanded(e.id);
    table.setExpanded(e.id, expanded);
    if (!expanded) this.#details.delete(e.id);
    this.host.dispatchEvent(new CustomEvent<ExperimentToggleDetail>('experiment-toggle', { bubbles: true, composed: true, detail: { id: e.id, experiment: e, expanded } }));
  }

  #detailFor(e: Experiment): HTMLElement {
    let el = this.#details.get(e.id);
    if (!el) {
      // The detail (and its charts) are loaded on the first expand; the element upgrades then.
      this.opts.loadDetail();
      const detail = document.createElement('experiment-row-detail');
      detail.experiment = e;
      const { now, source } = this.opts.store();
      if (now !== undefined) detail.now = now;
      if (source) {
        detail.source = source;
        // A source with get() may hold more than the table's record (e.g. an HTTP summary).
        if (source.get) detail.experimentId = e.id;
      }
      detail.setAttribute('part', 'detail');
      el = detail;
      this.#details.set(e.id, el);
    }
    return el;
  }
}
