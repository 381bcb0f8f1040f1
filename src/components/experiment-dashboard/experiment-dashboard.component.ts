import { LitElement, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import tabulatorCss from 'tabulator-tables/dist/css/tabulator.min.css';
import { TableBindingController } from './controllers/table-binding.js';
import { groupKey } from './table/ranks.js';
import type { Attribute } from '../../data/attributes.js';
import type { Experiment } from '../../data/types.js';
import { DataProperties } from '../data-properties.js';
import { parseViewState, type ViewState } from '../../data/view-state.js';
import { AttributeCatalogueController } from './controllers/attribute-catalogue.js';
import { DataLoadController, type ExperimentsLoadedDetail, type SourceErrorDetail } from './controllers/data-loading.js';
import type { ExperimentDeleteDetail, ExperimentsDeletedDetail } from './controllers/delete-flow.js';
import { LazyParts, type Loaded, type PartName } from './controllers/lazy-parts.js';
import { MenusController } from './controllers/menus.js';
import { SearchController } from './controllers/search.js';
import { SharedDataController } from './controllers/shared-data.js';
import { SourceFeaturesController } from './controllers/source-features.js';
import { ViewStateController, type ViewChangeDetail } from './controllers/view-state.js';
import { dashboardStyles } from './experiment-dashboard.styles.js';
import { formatMainMetric } from '../../shared/main-metric.js';
import { emptyState } from './templates/empty-state.js';
import { summaryBar } from './templates/summary.js';
import { toolbar } from './templates/toolbar.js';
import type { ExperimentToggleDetail } from './controllers/table-binding.js';

// What showing rows from a static file does not need loads when its moment comes (LazyParts).
const chipsCode = () => import('./templates/chips.js');
const pagerCode = () => import('./templates/pager.js');
const compareCode = () => import('./templates/compare-dialog.js');
const problemsCode = () => import('../problem-list.js');

export type { ExperimentsLoadedDetail, SourceErrorDetail } from './controllers/data-loading.js';
export { parseMainMetricAttribute } from '../../shared/main-metric.js';
export type { ExperimentDeleteDetail, ExperimentsDeletedDetail } from './controllers/delete-flow.js';
export type { ExperimentToggleDetail } from './controllers/table-binding.js';
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
export class ExperimentDashboard extends DataProperties(LitElement) {
  static override styles = [unsafeCSS(tabulatorCss), dashboardStyles];

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

  @state() private _actionError?: string;
  @state() private _searchDraft = '';
  @state() private _compare?: Experiment[];

  #onError = (message: string | undefined) => (this._actionError = message);
  #parts = new LazyParts(this, this.#onError);
  #viewState: ViewStateController = new ViewStateController(this, (patch) => {
    if (patch.search !== undefined) this._searchDraft = patch.search;
    return this.#table.sync(patch);
  });
  /** The element's own rows, view and selection, or those of an `<experiment-data>` around it. */
  #shared: SharedDataController = new SharedDataController(this, this.#viewState, (store) => {
    this._searchDraft = this.#view.search;
    this.#table.switchTo(store);
  });
  #data = new DataLoadController(this, this.#shared.ownStore, () => this.#table.resetPage());
  /** Durations of running records count up to the store's clock (a snapshot's time), wherever they are read. */
  #catalogue: AttributeCatalogueController = new AttributeCatalogueController(this, { now: () => this.#store.now, paused: () => this.#search.preparing });
  #search: SearchController = new SearchController(this, {
    table: () => this.#table.table,
    view: () => this.#view,
    attribute: (id) => this.#catalogue.get(id),
    serverQuery: () => Boolean(this.#store.source?.capabilities.serverQuery),
  });
  #features: SourceFeaturesController = new SourceFeaturesController(this, {
    parts: this.#parts,
    store: () => this.#store,
    view: () => this.#view,
    labelOf: (id) => this.#catalogue.get(id)?.label ?? id,
    settled: () => this.#table.rowsSettled,
    onError: this.#onError,
  });
  #menus: MenusController = new MenusController(this, {
    parts: this.#parts,
    store: () => this.#store,
    viewState: this.#viewState,
    catalogue: this.#catalogue,
    table: () => this.#table,
    setFilters: (filters) => this.#viewState.apply({ filters }, 'user'),
    onError: this.#onError,
  });
  #table: TableBindingController = new TableBindingController(this, {
    parts: this.#parts,
    store: () => this.#store,
    selection: () => this.#shared.selection,
    viewState: this.#viewState,
    catalogue: this.#catalogue,
    search: this.#search,
    deletable: () => this.#features.deletable,
    // The list of problems in the data shows with the rows: they wait for its code as for Delete.
    ready: () => Promise.all([this.#features.ready(), this.#store.problems.length > 0 ? this.#parts.load('the problem list', problemsCode) : undefined]),
    onDeleteRequest: (e) => this.#features.askDelete([e]),
    openPopover: (p) => this.#menus.open(p),
    loadDetail: () => void this.#loadView('the experiment details', () => import('../experiment-row-detail/experiment-row-detail.js')),
  });
  #searchTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    super();
    this.#table.follow(this.#shared.ownStore);
  }

  /** The attributes found in the loaded experiments, for column choosers and filters. */
  get availableAttributes(): readonly Attribute[] {
    return this.#catalogue.attributes;
  }

  /** The experiments currently loaded (after validation, before filters). */
  get loadedExperiments(): readonly Experiment[] {
    return this.#store.experiments;
  }

  /** The rows the view shows (filters and search applied), in display order. */
  get shownExperiments(): readonly Experiment[] {
    return this.#table.shownExperiments;
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

  /** Exposed for the group-key logic in tests and adapters. */
  static groupKey = groupKey;

  override connectedCallback(): void {
    super.connectedCallback();
    // The toolbar's grouping control is not needed to show rows: it loads beside the data and
    // upgrades in place (properties set before that are kept by Lit).
    void this.#parts.load('the grouping control', () => import('../experiment-group-picker/experiment-group-picker.js'));
    // So is the code of the menus (a cell's, a column's filter): there by the time a user opens one.
    void this.#menus.preload();
  }

  protected override firstUpdated(): void {
    this.#table.create();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (['source', 'experiments', 'src', 'endpoint', 'database', 'mlflow'].some((k) => (changed as PropertyValues).has(k))) this.#shared.join();
    this.#viewState.update(changed, !this.hasUpdated);
    if (!this.hasUpdated) this._searchDraft = this.#view.search;
    this.#data.update(changed);
  }

  protected override updated(changed: PropertyValues): void {
    // Row heights are measured by the virtual renderer: measure again after a density change.
    if (changed.has('density') && changed.get('density') !== undefined) this.#table.table?.redraw();
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog.compare');
    if (changed.has('_compare') && dialog) {
      if (this._compare && !dialog.open) dialog.showModal();
      else if (!this._compare && dialog.open) dialog.close();
    }
  }

  get #store() {
    return this.#shared.store;
  }

  get #view(): ViewState {
    return this.#viewState.view;
  }

  /** Loads a view the element renders, after the provider it will ask for the store. */
  #loadView<T>(part: PartName, load: () => Promise<T>): Promise<T | undefined> {
    return this.#parts.load(part, () => this.#shared.provide().then(load));
  }

  #openCompare(): void {
    const chosen = this.#table.selectedExperiments();
    if (chosen.length < 2) return;
    void this.#loadView('the comparison', compareCode).then((loaded) => loaded && (this._compare = chosen));
  }

  protected override render() {
    const t = this.#table;
    const { status, error, problems, total, experiments, source } = this.#store;
    const loading = status === 'pending';
    const empty = !loading && !error && experiments.length === 0;
    const { filtering, shown } = t;
    const filters = this.#view.filters;
    const emptyReason = empty ? (source ? 'no-experiments' : 'no-source') : !loading && filtering && shown === 0 && experiments.length > 0 ? 'filtered' : undefined;
    const clearFilters = () => this.#viewState.apply({ filters: [], search: '' }, 'user');
    const { live, deleteFlow, importer } = this.#features;
    const menu = this.#menus.current?.kind;
    // One frame lays the parts out, so a page that sets the element's own display (e.g. block) keeps the table filling it.
    return html`<div class="frame">
      ${toolbar({
        search: this._searchDraft,
        onSearch: (text) => {
          this._searchDraft = text;
          clearTimeout(this.#searchTimer);
          this.#searchTimer = setTimeout(() => this.#viewState.apply({ search: this._searchDraft }, 'user'), SEARCH_DEBOUNCE_MS);
        },
        matchCount: this.#search.preparing ? 'Preparing search…' : filtering ? `${shown.toLocaleString('en-US')} of ${t.summary.total.toLocaleString('en-US')} shown` : '',
        attributes: this.#catalogue.known,
        groupBy: this.#view.groupBy,
        onGroupBy: (groupBy) => this.#viewState.apply({ groupBy }, 'user'),
        onAllGroupsOpen: (open) => t.table?.setAllGroupsOpen(open),
        importButton: this.#features.importButton(),
        open: menu === 'export' || menu === 'columns' ? menu : undefined,
        onMenu: (kind, anchor) => this.#menus.open({ kind, anchor }),
        selected: t.selected,
        selectedShown: t.table?.selectedShownIds().length ?? 0,
        onCompare: () => this.#openCompare(),
        onClearSelection: () => t.table?.clearSelection(),
        onDeleteSelected: this.#features.deletable ? () => this.#features.askDelete(t.selectedExperiments()) : undefined,
        onKeydown: this.#menus.onKeydown,
      })}
      ${filters.length > 0
        ? (this.#parts.get('the filter descriptions', chipsCode)?.filterChips({
            filters,
            // The words of the column's header, so a chip names what the header shows.
            labelOf: (id) => {
              const a = this.#catalogue.get(id);
              return a ? t.titled(a).label : id;
            },
            onRemove: (id) => this.#viewState.apply({ filters: filters.filter((f) => f.attribute !== id) }, 'user'),
            onClear: clearFilters,
          }) ?? nothing)
        : nothing}
      ${summaryBar(t.summary, {
        serverTotal: total,
        shown: filtering && total === undefined ? t.shownSummary : undefined,
        mainMetric: this.#store.mainMetric,
        mainMetricLocked: Boolean(this.mainMetric?.trim()),
        onMainMetric: (spec) => this.#viewState.apply({ mainMetric: spec ? formatMainMetric(spec) : '' }, 'user'),
      })}
      ${live?.renderLive() ?? nothing} ${live?.renderConnection() ?? nothing}
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
      ${deleteFlow?.renderUndo() ?? nothing} ${importer?.render() ?? nothing}
      ${problems.length > 0 ? (this.#parts.get('the problem list', problemsCode)?.problemList(problems) ?? nothing) : nothing}
      ${emptyState(emptyReason, clearFilters)}
      <div part="table" class="table-wrap" ?hidden=${empty}>
        <div class="popups"></div>
        <div class="table"></div>
      </div>
      ${total !== undefined
        ? (this.#parts.get('the page controls', pagerCode)?.pager({ page: t.page, pageSize: this.pageSize, total, atLeast: this.#store.coverage.totalIsLowerBound === true, onPage: (page) => t.goToPage(page) }) ?? nothing)
        : nothing}
      ${live?.renderCoverage() ?? nothing} ${this.#menus.render()} ${deleteFlow?.render() ?? nothing}
      ${this.#parts.loaded<Loaded<typeof compareCode>>('the comparison')?.compareDialog({ experiments: this._compare, source, now: this.#store.now, onClose: () => (this._compare = undefined) }) ?? nothing}
    </div>`;
  }
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
