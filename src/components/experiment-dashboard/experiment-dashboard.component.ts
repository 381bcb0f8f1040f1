// Over 500 lines: besides properties, public API (with its JSDoc) and layout, the element still
// binds the store and the view state to the table in steps that share the table and the element's
// state (first rows staged across tasks, columns, grouping, details). Data loading, view state,
// search, delete, catalogue, popovers and import are in controllers/; markup pieces in templates/.
import { LitElement, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import tabulatorCss from 'tabulator-tables/dist/css/tabulator.min.css';
import { problemList } from '../problem-list.js';
// The controller first: it loads Tabulator, and the table's other modules then sit beside it in a bundle.
import { TableController } from './table/table-controller.js';
import { groupKey } from './table/ranks.js';
import { DEFAULT_COLUMNS, type Attribute } from '../../data/attributes.js';
import { MAX_LABEL_LENGTH, clipText } from '../../data/format.js';
import { nextTask } from '../../data/parse.js';
import type { ColumnFilter, Experiment, ExperimentSource, Goal } from '../../data/types.js';
import { parseViewState, type ViewState } from '../../data/view-state.js';
import type { ExperimentContextProvider } from '../../context/provider.js';
import { ProvidedData } from '../../context/request.js';
import { ExperimentStore, type StoreChangeEvent } from '../../store/experiment-store.js';
import { Selection } from '../../store/selection.js';
import { AttributeCatalogueController } from './controllers/attribute-catalogue.js';
import { DataLoadController, hasOwnData, type ExperimentsLoadedDetail, type SourceErrorDetail } from './controllers/data-loading.js';
import { LiveController } from './controllers/live.js';
import { DeleteFlowController, type ExperimentDeleteDetail, type ExperimentsDeletedDetail } from './controllers/delete-flow.js';
import type { ImportController } from './controllers/import.js';
import { PopoverController, type Popover } from './controllers/popover.js';
import { SearchController } from './controllers/search.js';
import { ViewStateController, type ViewChangeDetail } from './controllers/view-state.js';
import { dashboardStyles } from './experiment-dashboard.styles.js';
import { cellMenu } from './templates/cell-menu.js';
import { emptyState } from './templates/empty-state.js';
import { formatMainMetric, parseMainMetricAttribute } from '../../shared/main-metric.js';
import { nameOf, summarize, summaryBar, type Summary } from './templates/summary.js';

/** The filter chips and their wording, loaded with the first filter. */
let filterChips: typeof import('./templates/chips.js').filterChips | undefined;

/** What a lazily loaded part of the element is called in an error message. */
type PartName = 'the grouping control' | 'the filter descriptions' | 'the experiment details' | 'the column chooser' | 'the filter editor' | 'the comparison' | 'the export menu' | 'the import' | 'the page controls';

/** The comparison dialog, loaded with the comparison. */
let compareDialog: typeof import('./templates/compare-dialog.js').compareDialog | undefined;
/** A column's filter editor with its pick list, loaded on the first filter button pressed. */
let filterPopover: typeof import('./templates/filter-popover.js').filterPopover | undefined;
/** The Export menu and its actions, loaded when the menu first opens. */
let exportMenu: typeof import('./templates/export-menu.js').exportMenu | undefined;

export type { ExperimentsLoadedDetail, SourceErrorDetail } from './controllers/data-loading.js';
export { parseMainMetricAttribute } from '../../shared/main-metric.js';
export type { ExperimentDeleteDetail, ExperimentsDeletedDetail } from './controllers/delete-flow.js';
export interface ExperimentToggleDetail {
  id: string;
  experiment: Experiment;
  expanded: boolean;
}
export type { ViewChangeDetail } from './controllers/view-state.js';

const SEARCH_DEBOUNCE_MS = 150;


/**
 * Compares experiments (training runs, hyper-parameter sweeps) in one fast table: status,
 * main metric, any attribute as a column, nested grouping, global search, comparative column
 * filters, a column chooser, inline details and delete.
 *
 * Data comes from `src` (a format-v1 collection URL), a child
 * `<script type="application/json">` holding a collection, the `.experiments` property, or any
 * adapter object in `.source`.
 *
 * @summary A table of ML experiments with statuses, a main metric and any attribute as a column.
 *
 * @event experiments-loaded - Data arrived and is shown. `detail: { experiments, problems }`.
 * @event source-error - The source failed. `detail: { error: SourceError }`; the message is also shown.
 * @event experiment-toggle - A row's detail opened or closed. `detail: { id, experiment, expanded }`.
 * @event experiment-delete - Cancelable, fired after the user confirmed and before the source is asked. `detail: { ids, experiments }`.
 * @event experiments-deleted - The source confirmed the deletion and the rows are gone. `detail: { ids }`.
 * @event view-change - Grouping, filters, search, sort, columns or widths changed. `detail: { view }`.
 *
 * @csspart toolbar - The row of controls above the table.
 * @csspart search - The search box.
 * @csspart chips - The list of active filters.
 * @csspart summary - The summary bar: total, count per status, best main-metric value.
 * @csspart error - The message shown when the source or an action failed.
 * @csspart problems - The list of records or fields that were left out of the data.
 * @csspart loading - The loading indicator.
 * @csspart table - The wrapper around the table.
 * @csspart empty - The message shown when there are no experiments.
 * @csspart status - A status badge in a table cell (also `status-<status>`).
 * @csspart popover - A floating panel (column chooser, filter editor, cell menu).
 * @csspart dialog - The delete confirmation dialog.
 * @csspart detail - The inline detail under an expanded row.
 * @csspart undo - The "Deleted … Undo" bar shown during the `delete-undo-ms` window (or while the source can restore).
 * @csspart pager - The page controls in server-query mode.
 * @csspart connection - The line shown while the server cannot be reached (or a view could not be refreshed), with "Retry now".
 * @csspart live - "Updated 12 s ago" and the Pause/Resume button of a live source.
 * @csspart pending-import - The line about an import that stopped before its end, with Resume and Discard.
 * @csspart coverage - The note saying what of the query ran in the browser, or that a result may be incomplete.
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-background=#ffffff] - Background.
 * @cssproperty [--experiment-dashboard-color=#1d2430] - Text colour.
 * @cssproperty [--experiment-dashboard-muted-color=#5a6472] - Secondary text colour.
 * @cssproperty [--experiment-dashboard-border-color=#d5dae1] - Borders and grid lines.
 * @cssproperty [--experiment-dashboard-header-background=#f3f5f8] - Column header background.
 * @cssproperty [--experiment-dashboard-row-alt-background=#fafbfc] - Background of every other row.
 * @cssproperty [--experiment-dashboard-row-hover-background=#eaf1fb] - Row background under the pointer.
 * @cssproperty [--experiment-dashboard-accent-color=#1f5fbf] - Focus ring, links and active controls.
 * @cssproperty [--experiment-dashboard-error-background=#fdecec] - Error message background.
 * @cssproperty [--experiment-dashboard-error-color=#8a1c1c] - Error message text.
 * @cssproperty [--experiment-dashboard-warning-background=#fff6e0] - Problems list background.
 * @cssproperty [--experiment-dashboard-warning-color=#6b4a00] - Problems list text.
 * @cssproperty [--experiment-dashboard-status-completed=#1b7a3a] - Colour of "completed".
 * @cssproperty [--experiment-dashboard-status-failed=#b3261e] - Colour of "failed".
 * @cssproperty [--experiment-dashboard-status-running=#1f5fbf] - Colour of "running".
 * @cssproperty [--experiment-dashboard-status-dead=#4a4f57] - Colour of "dead".
 * @cssproperty [--experiment-dashboard-status-queued=#7a5900] - Colour of "queued".
 * @cssproperty [--experiment-dashboard-status-interrupted=#9a4a00] - Colour of "interrupted".
 * @cssproperty [--experiment-dashboard-min-height=420px] - Minimum height of the whole element.
 * @cssproperty [--experiment-dashboard-cell-padding=4px 6px] - Padding of table cells (the `density` attribute sets it).
 * @cssproperty [--experiment-dashboard-row-height=0] - Minimum height of a table row.
 * @cssproperty [--experiment-dashboard-detail-max-height=640px] - Height cap of an inline row detail (and at most about the table's visible height); it scrolls inside beyond.
 */
export class ExperimentDashboard extends LitElement {
  static override styles = [unsafeCSS(tabulatorCss), dashboardStyles];

  /** URL of a format-v1 experiment collection (JSON). */
  @property() src?: string;

  /** Base URL of an HTTP experiment service (the REST contract in `openapi/`). */
  @property() endpoint?: string;

  /**
   * With `endpoint`: the server's access token for changes (`serve --token`), sent as
   * `Authorization: Bearer …` with deletes and restores only. Set it from script: it is never an
   * attribute, so it does not end up in the page's markup. A new token makes a new source.
   */
  @property({ attribute: false }) token?: string;

  /** Name of an IndexedDB database in this browser holding experiments (import files into it). */
  @property() database?: string;

  /** Address of an MLflow tracking server (REST API 2.0), e.g. `http://localhost:5000`. */
  @property() mlflow?: string;

  /** With `mlflow`: comma-separated experiment names or ids to show (default: all active ones). */
  @property() experiment?: string;

  /**
   * The comparison metric, overriding the collection's default: `key`, `key:max` or `key:min`.
   * @attr main-metric
   */
  @property({ attribute: 'main-metric' }) mainMetric?: string;

  /**
   * How long a running run may stay silent (no heartbeat) before it shows as dead, overriding
   * the collection's `defaults.deadAfterMs`: milliseconds, or a duration such as `90s`, `10m`, `1h`.
   * @attr dead-after
   */
  @property({ attribute: 'dead-after' }) deadAfter?: string;

  /** Comma-separated attribute ids of the visible columns, in order, e.g. `status,name,params.lr`. */
  @property() columns?: string;

  /**
   * Comma-separated attribute ids to group by, outermost first, e.g. `operator,params.optimizer.name`.
   * @attr group-by
   */
  @property({ attribute: 'group-by' }) groupBy?: string;

  /** Global search text: matches any attribute of a record, visible or not, ignoring case. */
  @property() search?: string;

  /** Colour theme: `light`, `dark` or `auto` (follows the operating system). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';

  /** Row spacing: `compact`, `normal` (default) or `comfortable`. */
  @property({ reflect: true }) density: 'compact' | 'normal' | 'comfortable' = 'normal';

  /**
   * Persists the view (grouping, filters, search, sort, columns, widths, main metric) in localStorage under
   * this key, so it survives a reload. Each dashboard on a page needs its own key.
   * @attr storage-key
   */
  @property({ attribute: 'storage-key' }) storageKey?: string;

  /**
   * Mirrors the view in the URL hash (`#view=...`), so a view can be shared as a link.
   * @attr sync-url
   */
  @property({ attribute: 'sync-url', type: Boolean }) syncUrl = false;

  /**
   * Rows per page when the source filters, sorts and pages on its server (server-query mode).
   * @attr page-size
   */
  @property({ attribute: 'page-size', type: Number }) pageSize = 500;

  /**
   * Milliseconds during which a confirmed delete can be undone: the rows disappear at once and
   * the source is asked only when the window closes. 0 (default) deletes at once. A source that
   * keeps deleted records (`capabilities.restore`: the reference server, MLflow) is asked at
   * once, and Undo, offered this long (10 s when 0), asks it to restore them.
   * @attr delete-undo-ms
   */
  @property({ attribute: 'delete-undo-ms', type: Number }) deleteUndoMs = 0;

  /** Any adapter implementing `ExperimentSource`; takes precedence over `src` and `.experiments`. */
  @property({ attribute: false }) source?: ExperimentSource;

  /** Experiments given directly, as records or a whole collection object. */
  @property({ attribute: false }) experiments?: unknown;

  @state() private _actionError?: string;
  @state() private _summary: Summary = summarize([]);
  @state() private _shown = 0;
  /** What the filters and search leave, counted per status (while any is active). */
  @state() private _shownSummary?: Summary;
  @state() private _selected = 0;
  @state() private _searchDraft = '';
  @state() private _compare?: Experiment[];
  /** Server-query mode: the current page (0-based) and the total the server reports. */
  @state() private _page = 0;

  @query('dialog.compare') private _compareDialog?: HTMLDialogElement;

  #table?: TableController;
  /** The rows: every view of this element reads them here. */
  #ownStore = new ExperimentStore();
  /** The rows shown: the element's own, or those of an `<experiment-data>` around it. */
  #store = this.#ownStore;
  #data = new DataLoadController(this, this.#ownStore, () => (this._page = 0));
  #viewState = new ViewStateController(this, (patch) => this.#syncTable(patch));
  #delete = new DeleteFlowController(this, { store: () => this.#store, settled: () => this.#rowsSettled, onError: (message) => (this._actionError = message) });
  #ownViewState = this.#viewState.model;
  #ownSelection = new Selection();
  #selection = this.#ownSelection;
  #onStore = (ev: Event) => this.#onStoreChange(ev as StoreChangeEvent);
  /** What an `<experiment-data>` around the element shares; used when the element names no data of its own. */
  #shared = new ProvidedData(this, () => this.#join());
  /**
   * What the element shares with the views it renders (details, comparison): made with the first
   * of them, which load on demand too, so showing rows does not need it.
   */
  #provider?: Promise<ExperimentContextProvider>;
  /** Durations of running records count up to the store's clock (a snapshot's time), wherever they are read. */
  #catalogue: AttributeCatalogueController = new AttributeCatalogueController(this, { now: () => this.#store.now, paused: () => this.#search.preparing });
  #search: SearchController = new SearchController(this, {
    table: () => this.#table,
    view: () => this.#view,
    attribute: (id) => this.#catalogue.get(id),
    serverQuery: () => Boolean(this.#store.source?.capabilities.serverQuery),
  });
  /** Table work started by a store change; the delete flow waits for it before it reports. */
  #rowsSettled: Promise<void> = Promise.resolve();
  #popover = new PopoverController(this);
  #live = new LiveController(this, () => this.#store, { view: () => this.#view, labelOf: (id) => this.#catalogue.get(id)?.label ?? id });
  #importer?: ImportController;
  /** The page controls, loaded when the source first pages on its server. */
  #pagerLoad?: Promise<unknown>;
  #pagerTemplate?: typeof import('./templates/pager.js').pager;
  #searchTimer?: ReturnType<typeof setTimeout>;
  #details = new Map<string, HTMLElement>();
  constructor() {
    super();
    this.#follow(this.#ownStore);
    // Files dropped on a dashboard whose source takes imports (IndexedDB) are imported.
    this.addEventListener('dragover', (ev) => {
      if (this.#importable && ev.dataTransfer?.types.includes('Files')) {
        ev.preventDefault();
        ev.dataTransfer.dropEffect = 'copy';
      }
    });
    this.addEventListener('drop', (ev) => {
      if (!this.#importable || !ev.dataTransfer?.files.length) return;
      ev.preventDefault();
      void this.#importFiles([...ev.dataTransfer.files]);
    });
  }

  /** The attributes found in the loaded experiments, for column choosers and filters. */
  get availableAttributes(): readonly Attribute[] {
    return this.#catalogue.attributes;
  }

  /** The experiments currently loaded (after validation, before filters). */
  get loadedExperiments(): readonly Experiment[] {
    return this.#store.experiments;
  }

  /** The current view: grouping, filters, search, sort, visible columns in order, widths, the picked main metric. */
  getViewState(): ViewState {
    return structuredClone(this.#viewState.view);
  }

  /** Applies a view (or part of one); invalid parts are ignored with a console warning. */
  setViewState(view: Partial<ViewState>): void {
    const { state, problems } = parseViewState(view);
    for (const p of problems) console.warn(`<experiment-dashboard>: setViewState: ${p}.`);
    this.#viewState.apply(state, 'api');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#store.addEventListener('change', this.#onStore);
    // Rebuild after a move in the DOM: the table was destroyed on disconnect.
    if (this.hasUpdated && !this.#table) void this.updateComplete.then(() => this.#createTable());
    // The toolbar's grouping control is not needed to show rows: it loads beside the data and
    // upgrades in place (properties set before that are kept by Lit).
    void this.#loadPart(import('../experiment-group-picker/experiment-group-picker.js'), 'the grouping control');
    // So is what the element shares with the details and comparison it renders: ready before the first of them.
    this.#provide().catch(() => undefined); // said when a detail needs it
  }

  /**
   * Loads a part of the element that the table does not need to show rows. A failure (a lost
   * connection, a deployment that replaced the files) is said in the element, never silent.
   */
  async #loadPart<T>(load: Promise<T>, part: PartName): Promise<T | undefined> {
    try {
      return await load;
    } catch (err) {
      // The browser keeps a failed module load for the life of the page: only a reload retries it.
      this._actionError = `Could not load ${part} (${err instanceof Error ? err.message : String(err)}). Reload the page once the server it came from can be reached again.`;
      return undefined;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A provider's store outlives the element: it does not keep a removed element alive.
    this.#store.removeEventListener('change', this.#onStore);
    this.#table?.destroy();
    this.#table = undefined;
  }

  protected override firstUpdated(): void {
    this.#createTable();
  }

  /** Shows this store's rows; in server-query mode it asks with this element's view and page. */
  #follow(store: ExperimentStore): void {
    this.#store = store;
    store.query = () => this.#query();
    store.addEventListener('change', this.#onStore);
  }

  /** Uses a provider's store, view state and selection, or the element's own. */
  #join(): void {
    const shared = this.#shared;
    const useShared = shared.store !== undefined && !hasOwnData(this);
    const store = useShared ? shared.store! : this.#ownStore;
    const viewState = (useShared && shared.viewState) || this.#ownViewState;
    const selection = (useShared && shared.selection) || this.#ownSelection;
    if (store === this.#store && viewState === this.#viewState.model && selection === this.#selection) return;
    this.#store.removeEventListener('change', this.#onStore);
    this.#follow(store);
    this.#viewState.model = viewState;
    this.#selection = selection;
    void this.#provider?.then((p) => p.set({ store, viewState, selection }));
    this._searchDraft = viewState.view.search;
    if (this.hasUpdated) void this.#syncTable(viewState.view);
    if (this.hasUpdated || store.experiments.length > 0) this.#setExperiments(store.experiments as Experiment[]);
    this.requestUpdate();
  }

  /** Loads a view the element renders, after the provider it will ask for the store. */
  #loadView<T>(load: () => Promise<T>, part: PartName): Promise<T | undefined> {
    return this.#loadPart(this.#provide().then(load), part);
  }

  #provide(): Promise<ExperimentContextProvider> {
    return (this.#provider ??= import('../../context/provider.js').then(
      ({ ExperimentContextProvider }) => new ExperimentContextProvider(this, { store: this.#store, viewState: this.#viewState.model, selection: this.#selection }),
      (err: unknown) => {
        this.#provider = undefined; // asked again next time
        throw err;
      },
    ));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (['source', 'experiments', 'src', 'endpoint', 'database', 'mlflow'].some((k) => (changed as PropertyValues).has(k))) this.#join();
    this.#viewState.update(changed, !this.hasUpdated);
    if (!this.hasUpdated) this._searchDraft = this.#view.search;
    this.#data.update(changed);
  }

  protected override updated(changed: PropertyValues): void {
    // Row heights are measured by the virtual renderer: measure again after a density change.
    if (changed.has('density') && changed.get('density') !== undefined) this.#table?.redraw();
    if (changed.has('_compare')) {
      if (this._compare && this._compareDialog && !this._compareDialog.open) this._compareDialog.showModal();
      else if (!this._compare && this._compareDialog?.open) this._compareDialog.close();
    }
  }

  // ---- view state ----

  get #view(): ViewState {
    return this.#viewState.view;
  }

  /** Pushes the parts of the view that changed into the table. */
  async #syncTable(patch: Partial<ViewState>): Promise<void> {
    if (patch.search !== undefined) this._searchDraft = patch.search;
    if ('mainMetric' in patch) this.#store.setChosenMainMetric(parseMainMetricAttribute(patch.mainMetric));
    const table = this.#table;
    if (!table) return;
    if (this.#store.source?.capabilities.serverQuery && (patch.search !== undefined || patch.filters || patch.sort)) {
      this._page = 0;
      void this.#store.load();
    }
    if (patch.columns || patch.widths) await this.#applyColumns();
    if (patch.search !== undefined || patch.filters) await this.#search.apply();
    if (patch.groupBy) await this.#applyGrouping();
    if (patch.sort) await table.setSort(this.#view.sort);
  }

  // ---- data ----

  #goal(): Goal {
    return this.#store.mainMetric?.goal ?? 'maximize';
  }


  #createTable(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.table');
    const popups = this.renderRoot.querySelector<HTMLElement>('.popups');
    if (!el || !popups) return;
    this.#table = new TableController(el, popups, {
      // A search waiting for its text gets the background time to itself.
      backgroundPaused: () => this.#search.preparing,
      onColumnResized: (id, width) => this.#viewState.apply({ widths: { ...this.#view.widths, [id]: width } }, 'table'),
      onLayoutChange: () => {
        const table = this.#table;
        if (!table) return;
        const before = JSON.stringify(this.#view.sort);
        const { columns } = table.getColumnLayout();
        this.#viewState.apply({ sort: table.getSort(), ...(columns.length > 0 ? { columns } : {}) }, 'table');
        if (this.#store.source?.capabilities.serverQuery && JSON.stringify(this.#view.sort) !== before) {
          this._page = 0;
          void this.#store.load();
        }
      },
      // The one place the shown count is written: the table reports it after every change of rows or filter.
      onRowsShown: (n) => {
        this._shown = n;
        this._shownSummary = this.#filtering ? summarize(this.shownExperiments) : undefined;
      },
      onSelectionChange: (n) => {
        this._selected = n;
        this.#selection.set(this.#table?.selectedShownIds() ?? []);
      },
      onToggleDetails: (e) => this.#toggleDetails(e),
      onDeleteRequest: (e) => this.#delete.ask([e]),
      onFilterButton: (attribute, anchor) => this.#openPopover({ kind: 'filter', attribute, anchor }),
      onCellClick: (experiment, attribute, anchor) => this.#openPopover({ kind: 'cell', experiment, attribute, anchor }),
      renderDetail: (e) => this.#detailFor(e),
    }, () => this.#store.experiments);
    void this.#syncTable(this.#view).then(() => this.#table?.setData());
  }

  /** Server-query mode sends the view to the source; otherwise everything loads once. */
  #query() {
    const v = this.#view;
    return this.#store.source?.capabilities.serverQuery ? { search: v.search, filters: v.filters, sort: v.sort, page: { size: this.pageSize, index: this._page } } : {};
  }

  /** The store changed: the table, the details and the catalogue follow. */
  #onStoreChange({ change }: StoreChangeEvent): void {
    this.requestUpdate();
    if (change.kind === 'status') return;
    if (change.kind === 'reset') {
      if (change.cause === 'load' || change.cause === 'error') this.#details.clear();
      this.#setExperiments(this.#store.experiments as Experiment[]);
      return;
    }
    if (change.kind === 'remove') {
      for (const id of change.ids) this.#details.delete(id);
      this.#rowsSettled = this.#table ? this.#table.removeRows(change.ids).then(() => this.#afterRowsChanged()) : Promise.resolve(this.#afterRowsChanged());
      return;
    }
    for (const e of change.experiments) {
      const detail = this.#details.get(e.id) as (HTMLElement & { experiment?: Experiment }) | undefined;
      if (detail) detail.experiment = e;
    }
    if (change.added.length > 0 || this.#catalogue.pending) this.#catalogue.collect(this.#store.experiments);
    this.#rowsSettled = this.#table ? this.#table.upsertRows(change.experiments, new Set(change.added)).then(() => this.#afterRowsChanged()) : Promise.resolve(this.#afterRowsChanged());
  }

  #afterRowsChanged(): void {
    this._summary = summarize(this.#store.experiments);
  }

  get #pager() {
    // Asked once: a failure is said in the element, and the browser keeps it until a reload.
    this.#pagerLoad ??= this.#loadPart(import('./templates/pager.js'), 'the page controls').then((loaded) => {
      this.#pagerTemplate = loaded?.pager;
      this.requestUpdate();
    });
    return this.#pagerTemplate;
  }

  /** The import code (the button too), loaded once the source can take files. */
  #importLoad?: Promise<typeof import('./controllers/import.js') | undefined>;
  #importModule?: typeof import('./controllers/import.js');

  #loadImport() {
    return (this.#importLoad ??= this.#loadPart(import('./controllers/import.js'), 'the import').then((loaded) => {
      this.#importModule = loaded;
      // Made at once: it also shows an interrupted import the source found.
      if (loaded) this.#importer ??= new loaded.ImportController(this, { store: () => this.#store, onError: (m) => (this._actionError = m) });
      this.requestUpdate();
      return loaded;
    }));
  }

  get #importUi() {
    void this.#loadImport();
    return this.#importModule;
  }

  /** The source can take files (IndexedDB). */
  get #importable(): boolean {
    return typeof this.#store.source?.importCollection === 'function';
  }

  /** Imports files (the Import button, or files dropped on the element); the code loads with the first. */
  async #importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0 || !this.#importable) return;
    await this.#loadImport();
    await this.#importer?.importFiles(files);
  }

  #setExperiments(experiments: Experiment[]): void {
    const prepare = this.#search.prepare(experiments);
    this._summary = summarize(experiments);
    const collectCatalogue = this.#catalogue.start(experiments);
    const table = this.#table;
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
    void step(() => this.#applyColumns())
      .then(() => step(() => this.#applyGrouping()))
      // A search in the view (stored, linked, or typed while a first screen was shown) cannot
      // wait for a preparation that starts after the rows: the rows come first, filtered by the
      // columns, and the search follows once its text is built ("Preparing search…").
      .then(() => step(() => this.#search.apply(false)))
      .then(() => step(() => table.setData()))
      .then(() => step(() => table.setSort(this.#view.sort)))
      .then(() => {
        if (prepare.signal.aborted) return undefined;
        prepare.start();
        collectCatalogue();
        return prepare.ready();
      });
  }

  #visibleAttributes(): Attribute[] {
    const attrs: Attribute[] = [];
    for (const id of this.#view.columns) {
      const a = this.#catalogue.get(id);
      if (a) attrs.push(this.#titled(a));
      else console.warn(`<experiment-dashboard>: unknown column ${JSON.stringify(id)}; it was skipped. Use attribute ids like status, name, params.lr, metrics.loss.last.`);
    }
    return attrs;
  }

  /** The attribute as its column is titled: the main-metric column by the metric it shows and its goal. */
  #titled(a: Attribute): Attribute {
    const main = a.id === 'mainMetric' ? this.#store.mainMetric : undefined;
    return main ? { ...a, label: `${clipText(main.key, MAX_LABEL_LENGTH)} ${(main.goal ?? 'maximize') === 'maximize' ? '(max)' : '(min)'}` } : a;
  }

  async #applyColumns(): Promise<void> {
    const attributes = this.#visibleAttributes();
    await this.#table?.setColumns({ attributes, widths: this.#view.widths, deletable: this.#delete.enabled, nameOf });
  }

  async #applyGrouping(): Promise<void> {
    const attrs = this.#view.groupBy.map((id) => this.#catalogue.get(id)).filter((a): a is Attribute => a !== undefined);
    await this.#table?.setGroupBy(attrs, this.#goal());
  }

  // ---- interactions ----

  #onSearchInput(ev: Event): void {
    this._searchDraft = (ev.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#viewState.apply({ search: this._searchDraft }, 'user'), SEARCH_DEBOUNCE_MS);
  }

  #setFilter(filter: ColumnFilter): void {
    const filters = this.#view.filters.filter((f) => f.attribute !== filter.attribute);
    filters.push(filter);
    this.#viewState.apply({ filters }, 'user');
  }

  #removeFilter(attribute: string): void {
    this.#viewState.apply({ filters: this.#view.filters.filter((f) => f.attribute !== attribute) }, 'user');
  }

  #toggleDetails(e: Experiment): void {
    const table = this.#table;
    if (!table) return;
    const expanded = !table.isExpanded(e.id);
    table.setExpanded(e.id, expanded);
    if (!expanded) this.#details.delete(e.id);
    this.dispatchEvent(new CustomEvent<ExperimentToggleDetail>('experiment-toggle', { bubbles: true, composed: true, detail: { id: e.id, experiment: e, expanded } }));
  }

  #detailFor(e: Experiment): HTMLElement {
    let el = this.#details.get(e.id);
    if (!el) {
      // The detail (and its charts) are loaded on the first expand; the element upgrades then.
      void this.#loadView(() => import('../experiment-row-detail/experiment-row-detail.js'), 'the experiment details');
      const detail = document.createElement('experiment-row-detail');
      detail.experiment = e;
      const { now, source } = this.#store;
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

  /** The chooser, the filter editor and the export menu load on first use, keeping them out of the table bundle. */
  #openPopover(p: Popover): void {
    const load =
      p.kind === 'columns'
        ? this.#loadPart(import('../experiment-column-chooser/experiment-column-chooser.js'), 'the column chooser')
        : p.kind === 'filter'
          ? this.#loadPart(import('./templates/filter-popover.js'), 'the filter editor').then((loaded) => (filterPopover = loaded?.filterPopover))
          : p.kind === 'export'
            ? this.#loadPart(import('./templates/export-menu.js'), 'the export menu').then((loaded) => (exportMenu = loaded?.exportMenu))
            : undefined;
    this.#popover.open(p, load);
  }

  // ---- delete ----

  #askDeleteSelected(): void {
    const ids = new Set(this.#table?.selectedShownIds() ?? []);
    this.#delete.ask(this.#store.experiments.filter((e) => ids.has(e.id)));
  }

  // ---- rendering ----

  protected override render() {
    const s = this._summary;
    const { status, error, problems, total } = this.#store;
    const loading = status === 'pending';
    const empty = !loading && !error && this.#store.experiments.length === 0;
    const filtering = this.#filtering;
    const deletable = this.#delete.enabled;
    // One frame lays the parts out, so a page that sets the element's own display (e.g. block) keeps the table filling it.
    return html`<div class="frame">
      <div part="toolbar" role="toolbar" aria-label="Experiment table controls" @keydown=${this.#popover.onKeydown}>
        <div class="toolbar-search">
        <input
          part="search"
          type="search"
          aria-label="Search experiments"
          placeholder="Search experiments"
          .value=${this._searchDraft}
          @input=${this.#onSearchInput}
        />
        <span class="match-count" aria-live="polite"
          >${this.#search.preparing ? 'Preparing search…' : filtering ? `${this._shown.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} shown` : ''}</span
        >
        </div>
        <div class="toolbar-group">
        <experiment-group-picker
          .availableAttributes=${this.#catalogue.known}
          .value=${this.#view.groupBy}
          @group-by-change=${(ev: CustomEvent<{ groupBy: string[] }>) => this.#viewState.apply({ groupBy: ev.detail.groupBy }, 'user')}
        ></experiment-group-picker>
        ${this.#view.groupBy.length > 0
          ? html`<button type="button" @click=${() => this.#table?.setAllGroupsOpen(true)}>Expand all</button
              ><button type="button" @click=${() => this.#table?.setAllGroupsOpen(false)}>Collapse all</button>`
          : nothing}
        </div>
        <div class="toolbar-actions">
        ${this.#importable ? (this.#importUi?.importButton((files) => this.#importFiles(files)) ?? nothing) : nothing}
        <button type="button" class="export-button" aria-haspopup="menu" aria-expanded=${this.#popover.current?.kind === 'export'} @click=${(ev: Event) => this.#openPopover({ kind: 'export', anchor: ev.currentTarget as HTMLElement })}>
          Export
        </button>
        <button type="button" class="columns-button" aria-haspopup="dialog" aria-expanded=${this.#popover.current?.kind === 'columns'} @click=${(ev: Event) => this.#openPopover({ kind: 'columns', anchor: ev.currentTarget as HTMLElement })}>
          Columns
        </button>
        ${this._selected > 0
          ? html`<button type="button" class="compare-button" ?disabled=${this._selected < 2} @click=${() => this.#openCompare()}>Compare (${this.#table?.selectedShownIds().length ?? 0})</button
              ><button type="button" @click=${() => this.#table?.clearSelection()}>Clear selection</button>`
          : nothing}
        ${deletable && this._selected > 0
          ? html`<button type="button" class="delete-selected" @click=${() => this.#askDeleteSelected()}>Delete selected (${this.#table?.selectedShownIds().length ?? 0})</button>`
          : nothing}
        </div>
      </div>
      ${this.#view.filters.length > 0 ? this.#renderChips() : nothing}
      ${summaryBar(this._summary, {
        serverTotal: total,
        shown: filtering && total === undefined ? this._shownSummary : undefined,
        mainMetric: this.#store.mainMetric,
        mainMetricLocked: Boolean(this.mainMetric?.trim()),
        onMainMetric: (spec) => this.#viewState.apply({ mainMetric: spec ? formatMainMetric(spec) : '' }, 'user'),
      })} ${this.#live.renderLive()} ${this.#live.renderConnection()}
      ${loading ? html`<div part="loading" role="progressbar" aria-label="Loading experiments">Loading experiments…</div>` : nothing}
      ${error
        ? html`<div part="error" role="alert">
            <p><strong>Could not load the experiments.</strong> ${error.message}</p>
          </div>`
        : nothing}
      ${this._actionError
        ? html`<div part="error" role="alert" class="action-error">
            <p>${this._actionError}</p>
            <button type="button" @click=${() => (this._actionError = undefined)}>Dismiss</button>
          </div>`
        : nothing}
      ${this.#delete.renderUndo()}
      ${this.#importer?.render() ?? nothing}
      ${problemList(problems)}
      ${emptyState(
        empty ? (this.#store.source ? 'no-experiments' : 'no-source') : !loading && filtering && this._shown === 0 && this.#store.experiments.length > 0 ? 'filtered' : undefined,
        () => this.#viewState.apply({ filters: [], search: '' }, 'user'),
      )}
      <div part="table" class="table-wrap" ?hidden=${empty}>
        <div class="popups"></div>
        <div class="table"></div>
      </div>
      ${total !== undefined
        ? this.#pager?.({
            page: this._page,
            pageSize: this.pageSize,
            total,
            atLeast: this.#store.coverage.totalIsLowerBound === true,
            onPage: (page) => {
              this._page = page;
              void this.#store.load();
            },
          })
        : nothing}
      ${this.#live.renderCoverage()}
      ${this.#popover.render((p) => this.#popoverBody(p))} ${this.#delete.render()} ${compareDialog?.({ experiments: this._compare, source: this.#store.source, now: this.#store.now, onClose: () => (this._compare = undefined) }) ?? nothing}
    </div>`;
  }

  get #filtering(): boolean {
    return this.#view.search.trim() !== '' || this.#view.filters.length > 0;
  }

  #wordsLoading = false;

  /** The active filters as chips; their wording code loads with the first filter. */
  #renderChips() {
    const chips = filterChips;
    if (!chips) {
      // Asked once at a time; after a failure (said in the element) the next render asks again.
      if (!this.#wordsLoading) {
        this.#wordsLoading = true;
        void this.#loadPart(import('./templates/chips.js'), 'the filter descriptions').then((loaded) => {
          this.#wordsLoading = false;
          if (!loaded) return;
          filterChips = loaded.filterChips;
          this.requestUpdate();
        });
      }
      return nothing;
    }
    return chips({
      filters: this.#view.filters,
      // The words of the column's header, so a chip names what the header shows.
      labelOf: (id) => {
        const a = this.#catalogue.get(id);
        return a ? this.#titled(a).label : id;
      },
      onRemove: (id) => this.#removeFilter(id),
      onClear: () => this.#viewState.apply({ filters: [], search: '' }, 'user'),
    });
  }

  #popoverBody(p: Popover) {
    const close = () => this.#popover.close();
    if (p.kind === 'columns') {
      return html`<experiment-column-chooser
        .availableAttributes=${this.#catalogue.known}
        .selected=${this.#view.columns}
        .defaults=${[...DEFAULT_COLUMNS]}
        @columns-change=${(ev: CustomEvent<{ columns: string[] }>) => this.#viewState.apply({ columns: ev.detail.columns }, 'user')}
      ></experiment-column-chooser>`;
    }
    if (p.kind === 'export') {
      return exportMenu?.(this._shown, () => {
        close();
        this._actionError = undefined;
        return { root: this.renderRoot, store: this.#store, shown: this.shownExperiments, columns: this.#visibleAttributes(), onError: (m) => (this._actionError = m) };
      });
    }
    if (p.kind === 'filter') {
      return filterPopover?.({
        attribute: p.attribute,
        filter: this.#view.filters.find((f) => f.attribute === p.attribute.id),
        experiments: this.#store.experiments,
        onApply: (filter) => (close(), this.#setFilter(filter)),
        onClear: (attribute) => (close(), this.#removeFilter(attribute)),
        onCancel: close,
      });
    }
    return cellMenu({
      attribute: p.attribute,
      experiment: p.experiment,
      expanded: this.#table?.isExpanded(p.experiment.id) ?? false,
      onFilter: (filter) => (close(), this.#setFilter(filter)),
      onToggleDetails: () => (close(), this.#toggleDetails(p.experiment)),
    });
  }

  /** The rows the view shows (filters and search applied), in display order. */
  get shownExperiments(): readonly Experiment[] {
    return this.#table?.shownData() ?? this.#store.experiments;
  }

  #openCompare(): void {
    const ids = new Set(this.#table?.selectedShownIds() ?? []);
    const chosen = this.#store.experiments.filter((e) => ids.has(e.id));
    if (chosen.length < 2) return;
    void this.#loadView(() => import('./templates/compare-dialog.js'), 'the comparison').then((loaded) => {
      if (!loaded) return;
      compareDialog = loaded.compareDialog;
      this._compare = chosen;
    });
  }

  /** Exposed for the group-key logic in tests and adapters. */
  static groupKey = groupKey;
}

declare global {
  interface HTMLElementEventMap {
    'experiments-loaded': CustomEvent<ExperimentsLoadedDetail>;
    'source-error': CustomEvent<SourceErrorDetail>;
    'experiment-toggle': CustomEvent<ExperimentToggleDetail>;
    'experiment-delete': CustomEvent<ExperimentDeleteDetail>;
    'experiments-deleted': CustomEvent<ExperimentsDeletedDetail>;
    'view-change': CustomEvent<ViewChangeDetail>;
  }
}
