// One piece (~650 lines): the one owner of the Tabulator instance, so no other code calls
// Tabulator (ARCHITECTURE.md). Columns, keyboard, ranks, child runs, groups and Tabulator's
// patches are files of their own beside it; what stays is the table's life cycle and its API to the element.
import type { CellComponent, ColumnComponent, ColumnDefinition, RowComponent } from 'tabulator-tables';
import type { Attribute } from '../../../data/attributes.js';
import type { Experiment, Goal, SortSpec } from '../../../data/types.js';
// Tabulator first: the table's modules then follow it in a bundle, close enough for gzip to share their words.
import { lightHeightChanges, tabulatorClass, useRankedSort, withCheapAdd, type DashboardTabulator } from './tabulator.js';
import { DELETE_COLUMN, NARROW_TABLE, attributeColumn, deleteColumn, detailsColumn, frozenPrefix, groupHeader, markFilterButtons, narrowWidth, refreshSelectCells, selectColumn, type TableColumns } from './columns.js';
import { computeRanks, groupKey, rankSteps, tagOrdinal } from './ranks.js';
import { parentIdOf } from '../../../data/parent.js';
import type { RunFamilies } from './run-families.js';

export interface TableCallbacks {
  /** The user sorted or moved a column. */
  onLayoutChange?: () => void;
  /** The user resized a column. */
  onColumnResized?: (id: string, width: number) => void;
  /** Enter or Space on the active row, or its Details button. */
  onToggleDetails?: (e: Experiment) => void;
  /** The row's Delete button. */
  onDeleteRequest?: (e: Experiment) => void;
  /** A column header's filter button. */
  onFilterButton?: (attribute: Attribute, anchor: HTMLElement) => void;
  /** A click on a cell's value. */
  onCellClick?: (e: Experiment, attribute: Attribute, anchor: HTMLElement) => void;
  /** The rows shown changed (filter, data): their count. */
  onRowsShown?: (count: number) => void;
  /** The selection of rows changed. */
  onSelectionChange?: (count: number) => void;
  /** Renders the detail of an expanded row (cached by the caller). */
  renderDetail?: (e: Experiment) => HTMLElement;
  /** True while someone waits for other background work (a search): the rank warm-up steps aside. */
  backgroundPaused?: () => boolean;
  /**
   * Loads the code of child runs under their parents (run-families.ts), asked for only once some
   * run's parent is loaded; resolves to undefined when it could not load (the caller says so).
   */
  loadFamilies?: () => Promise<typeof import('./run-families.js') | undefined>;
  /** Loads the grid's keys (keyboard.ts), on the grid's first focus; undefined when it could not load. */
  loadKeyboard?: () => Promise<typeof import('./keyboard.js') | undefined>;
}

/**
 * Whether some record names a loaded record as its parent: only then is the code of child runs
 * loaded. One pass over the labels; the ids are gathered only when some record names a parent.
 */
export function anyLoadedParent(records: readonly Experiment[]): boolean {
  let named: Set<string> | undefined;
  for (const e of records) {
    const p = parentIdOf(e);
    if (p !== undefined) (named ??= new Set()).add(p);
  }
  if (!named) return false;
  for (const e of records) if (named.has(e.id)) return true;
  return false;
}

/**
 * Drives Tabulator: turns the dashboard's view (columns, filter, sort, grouping, selection,
 * expanded rows) into Tabulator calls and Tabulator's callbacks into ours (the columns' look is in
 * columns.ts, the keys in keyboard.ts, the patches of Tabulator's internals in tabulator.ts).
 * Row data are the experiment records themselves, read from the store (`rows`): the table keeps
 * no list of its own. Every column reads its value through the attribute catalogue.
 */
export class TableController {
  #table?: DashboardTabulator;
  #built: Promise<void>;
  #columns: TableColumns = { attributes: [], nameOf: (e) => e.name ?? e.id };
  #selected = new Set<string>();
  /** Each record is tagged with its ordinal; ranks are cached per attribute. */
  #nextOrdinal = 0;
  #ranks = new Map<string, Int32Array | undefined>();
  #expanded = new Set<string>();
  /** Marks the active row again after new data (keyboard.ts). */
  #remarkActive?: (ids: ReadonlySet<string>) => void;
  #filterActive = new Set<string>();
  /** A search or column filter is on (the child runs' state, made later, starts with it). */
  #predicateOn = false;
  #groupAttrs: Attribute[] = [];
  #goal: Goal = 'maximize';
  /** Set by a press on a column header: the next sort is the user's. */
  #userSort = false;
  /** The table is phone-narrow (below NARROW_TABLE px): narrow columns, none frozen. */
  #narrow = false;
  /** Whether the columns in the table were laid out narrow. */
  #laidOutNarrow = false;
  #sizes?: ResizeObserver;
  /** The table element's width, as the size observer last reported it (px). */
  #width: number | undefined;
  /** And its height (px): 0 while hidden. */
  #height: number | undefined;
  /** The tallest height the rows were drawn for since the last redraw (px). */
  #drawnHeight = 0;
  /** Each inline detail's row, re-measured when the detail changes size. */
  #detailRows = new WeakMap<Element, RowComponent>();
  /** Child runs under their parents (run-families.ts), loaded once some run's parent is loaded. */
  #families?: RunFamilies;

  constructor(
    private readonly element: HTMLElement,
    private readonly popupContainer: HTMLElement,
    private readonly callbacks: TableCallbacks = {},
    /** The rows (the store's records): the table shows them and ranks them, and keeps no copy. */
    private readonly rows: () => readonly Experiment[] = () => [],
  ) {
    const Tabulator = tabulatorClass();
    let resolveBuilt!: () => void;
    this.#built = new Promise((r) => (resolveBuilt = r));
    const table = new Tabulator(element, {
      height: '100%',
      layout: 'fitData',
      index: 'id',
      data: [],
      columns: [],
      nestedFieldSeparator: false,
      movableColumns: true,
      popupContainer: this.popupContainer,
      placeholder: '',
      renderVerticalBuffer: 300,
      rowFormatter: (row: RowComponent) => this.#formatRow(row),
    });
    table.on('tableBuilt', () => {
      this.#keysOnFocus();
      useRankedSort(table, (field) => {
        const attr = this.#columns.attributes.find((a) => a.id === field);
        return attr ? this.#rankFor(attr) : undefined;
      });
      lightHeightChanges(table);
      this.#watchSizes();
      resolveBuilt();
    });
    // Only what the user did is reported: filtering, grouping and new data re-sort too.
    element.addEventListener('pointerdown', (ev) => {
      if ((ev.target as Element).closest('.tabulator-col')) this.#userSort = true;
    });
    // 'dataSorting' carries no row list ('dataSorted' builds 100,000 row components per sort).
    table.on('dataSorting', () => {
      if (!this.#userSort) return;
      this.#userSort = false;
      queueMicrotask(() => this.callbacks.onLayoutChange?.());
    });
    table.on('columnMoved', () => this.callbacks.onLayoutChange?.());
    table.on('columnResized', (column: ColumnComponent) => this.callbacks.onColumnResized?.(column.getField(), column.getWidth()));
    // No 'dataFiltered' listener: with one, Tabulator builds a RowComponent for every row that
    // passes each filter (100,000 objects, kept on the rows for good). setFilter and setData
    // report the count from getDataCount('active') instead.
    table.on('cellClick', (ev: UIEvent, cell: CellComponent) => {
      const id = cell.getColumn().getField();
      const attr = this.#columns.attributes.find((a) => a.id === id);
      if (attr) this.callbacks.onCellClick?.(cell.getData() as Experiment, attr, cell.getElement());
      ev.stopPropagation();
    });
    this.#table = table as DashboardTabulator;
  }

  get built(): Promise<void> {
    return this.#built;
  }

  /** Sets the visible columns, in order, with the per-row select, details and delete controls. */
  async setColumns(columns: TableColumns): Promise<void> {
    await this.#built;
    const previous = this.#columns;
    this.#columns = columns;
    const table = this.#table;
    if (!table) return;
    this.#narrow = this.#isNarrow();
    this.element.classList.toggle('narrow', this.#narrow);
    // Showing or hiding one column is the common change: Tabulator adds or removes it in place,
    // where setColumns would rebuild every column and re-render every row.
    const before = previous.attributes.map((a) => a.id);
    const after = columns.attributes.map((a) => a.id);
    const sameControls = previous.deletable === columns.deletable && table.getColumns().length > 0 && this.#laidOutNarrow === this.#narrow;
    // Frozen columns must stay one run at the left: a change there rebuilds the columns.
    const frozen = this.#narrow ? 0 : frozenPrefix(after);
    const sameFrozen = (this.#narrow ? 0 : frozenPrefix(before)) === frozen && after.slice(0, frozen).join('\u0001') === before.slice(0, frozen).join('\u0001');
    const removed = before.filter((id) => !after.includes(id));
    const kept = before.filter((id) => after.includes(id));
    const labelsSame = columns.attributes.every((a) => previous.attributes.find((p) => p.id === a.id)?.label === a.label || !before.includes(a.id));
    if (sameControls && sameFrozen && labelsSame && kept.join('\u0001') === after.filter((id) => before.includes(id)).join('\u0001')) {
      const added = after.filter((id) => !before.includes(id));
      // The toggle of child runs lives in the name's cell: showing or hiding it draws every row anew.
      const togglesMove = this.#families?.arranger.nesting() === true && [...removed, ...added].includes('name');
      if (removed.length + added.length <= 2 && added.every((id) => after.indexOf(id) >= frozen) && !togglesMove) {
        for (const id of removed) await table.deleteColumn(id);
        for (const id of added) {
          const index = after.indexOf(id);
          const attr = columns.attributes[index] as Attribute;
          // Added in order, so the next column already in the table is the one to insert before.
          const next = after.slice(index + 1).find((x) => before.includes(x));
          const def = this.#columnDefinition(attr, columns.widths?.[id]);
          // The other columns and their titles are as they were.
          await withCheapAdd(
            table,
            id,
            () => (next ? table.addColumn(def, true, next) : columns.deletable ? table.addColumn(def, true, DELETE_COLUMN) : table.addColumn(def, false)),
            () => this.#fitTitles(new Set([id])),
          );
        }
        return;
      }
    }
    const nameOf = (e: Experiment) => this.#columns.nameOf(e);
    const defs: ColumnDefinition[] = [
      selectColumn(nameOf, this.#selected, () => this.shownData(), (all) => {
        if (all) refreshSelectCells(this.element, this.#selected);
        this.callbacks.onSelectionChange?.(this.#selected.size);
      }),
      detailsColumn(nameOf, this.#expanded, this.callbacks),
      ...columns.attributes.map((a) => this.#columnDefinition(a, columns.widths?.[a.id])),
    ];
    if (columns.deletable) defs.push(deleteColumn(nameOf, this.callbacks));
    // Wide tables keep the row's controls, status and name at the left and Delete at the right
    // while scrolling sideways; on a phone frozen columns would take the whole width.
    if (!this.#narrow) {
      const frozen = frozenPrefix(after) + 2;
      for (const [i, def] of defs.entries()) if (i < frozen || def.field === DELETE_COLUMN) def.frozen = true;
    }
    this.#laidOutNarrow = this.#narrow;
    table.setColumns(defs);
    this.#fitTitles();
  }

  /**
   * Widens the columns whose title is cut (a long main-metric key, "Duration" beside its
   * buttons) to show it whole; widths the user chose stay. Not on a phone: there the columns
   * are narrow on purpose, and the title keeps its tooltip. `only`: just these columns' titles.
   */
  #fitTitles(only?: ReadonlySet<string>): void {
    const table = this.#table;
    if (!table || this.#narrow) return;
    const chosen = this.#columns.widths ?? {};
    const wider: [ColumnComponent, number][] = [];
    // All reads first, then all writes: one layout.
    for (const column of table.getColumns()) {
      const field = column.getField();
      if (!field || field.startsWith('__') || chosen[field] !== undefined || (only && !only.has(field))) continue;
      const title = column.getElement().querySelector<HTMLElement>('.col-title-text');
      const cut = title ? title.scrollWidth - title.clientWidth : 0;
      if (cut > 0) wider.push([column, column.getWidth() + cut + 2]);
    }
    for (const [column, width] of wider) {
      // Tabulator lays every column out again at its definition's width when one is added:
      // without this, each widened column would shrink back, forcing a layout per column, and be
      // widened again here.
      column.getDefinition().width = width;
      void column.setWidth(width);
    }
  }

  #isNarrow(): boolean {
    // The width the size observer last saw: reading it from the element would lay the page out
    // (a forced layout at every column change). Until it has reported, the element's own.
    const width = this.#width ?? this.element.clientWidth;
    return width > 0 && width < NARROW_TABLE;
  }

  /**
   * Follows the table's size (whether it is phone-narrow: the columns change; when to redraw)
   * and each inline detail's. The part of the scroll area in view is for CSS to read (cq units).
   */
  #watchSizes(): void {
    this.#sizes = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const target = entry.target as HTMLElement;
        if (target === this.element) {
          const { width, height } = entry.contentRect;
          const [wasWidth, wasHeight] = [this.#width, this.#height];
          [this.#width, this.#height] = [width, height];
          if (this.#isNarrow() !== this.#narrow) void this.setColumns(this.#columns);
          // In place of Tabulator's ResizeTableModule: the rows follow a new width, and a table
          // built or resized while hidden (0 × 0) is drawn anew when it shows, or it stays
          // blank (TABULATOR.md). The first report is the size the table was built at. A table
          // that got shorter (the summary took a second line while filtering) or grew back
          // within the height its rows were drawn for needs nothing: the virtual renderer drew
          // a window's height of rows more than it showed. Redrawing there cost every search
          // a dozen forced layouts.
          const shown = wasWidth === 0 || wasHeight === 0;
          if (wasWidth !== undefined && width > 0 && height > 0 && (shown || width !== wasWidth || height > this.#drawnHeight)) {
            this.#table?.redraw(shown);
            this.#drawnHeight = height;
          } else if (wasWidth === undefined) this.#drawnHeight = height;
        } else {
          // A detail grew or shrank (it loaded, a tab changed): Tabulator's virtual renderer
          // places the rows below by the row's measured height.
          const row = this.#detailRows.get(target);
          if (row && target.isConnected) row.normalizeHeight();
        }
      }
    });
    this.#sizes.observe(this.element);
  }

  #columnDefinition(attr: Attribute, width?: number): ColumnDefinition {
    return attributeColumn(
      attr,
      this.#narrow ? narrowWidth(attr, width) : width,
      (a) => this.#rankFor(a),
      this.#filterActive,
      (a) => {
        this.#userSort = true;
        const current = this.#table?.getSorters().find((s) => s.field === a.id)?.dir;
        this.#table?.setSort(a.id, current === 'asc' ? 'desc' : 'asc');
      },
      this.callbacks,
    );
  }


  /** Shows the rows as they are now (a new load). */
  async setData(): Promise<void> {
    await this.#built;
    const experiments = this.rows();
    const ids = new Set<string>();
    for (const e of experiments) ids.add(e.id);
    // Selection and expanded rows survive a reload for the records that are still there.
    for (const set of [this.#selected, this.#expanded]) for (const id of set) if (!ids.has(id)) set.delete(id);
    this.#nextOrdinal = 0;
    this.#allTagged = true;
    for (const e of experiments) this.#tag(e);
    this.#ranks.clear();
    // Rows with child runs show nested from their first paint: they wait for that code.
    await this.#withFamilies();
    this.#families?.link(ids);
    // Tabulator keeps the array it is given: a copy of the list (not of the records) keeps the store's own.
    await this.#table?.replaceData([...experiments]);
    this.#remarkActive?.(ids);
    this.#warmRanks();
    this.callbacks.onRowsShown?.(this.shownCount());
    this.callbacks.onSelectionChange?.(this.#selected.size);
  }

  /** Shows only the records the predicate accepts (search and column filters, ANDed). */
  async setFilter(predicate: ((e: Experiment) => boolean) | undefined, activeColumns: readonly string[] = []): Promise<void> {
    await this.#built;
    // Changed in place: the column headers read this set.
    this.#filterActive.clear();
    for (const id of activeColumns) this.#filterActive.add(id);
    markFilterButtons(this.element, this.#filterActive);
    this.#predicateOn = predicate !== undefined;
    this.#families?.filtering(this.#predicateOn);
    this.#table?.setRowPredicate(predicate as ((data: unknown) => boolean) | undefined);
    this.callbacks.onRowsShown?.(this.shownCount());
  }

  async setSort(sort: readonly SortSpec[]): Promise<void> {
    await this.#built;
    const fields = new Set(this.#columns.attributes.map((a) => a.id));
    const usable = sort.filter((s) => fields.has(s.attribute));
    // Clearing an empty sort still re-renders every row: skip it.
    if (usable.length === 0 && (this.#table?.getSorters().length ?? 0) === 0) return;
    if (usable.length === 0) this.#table?.clearSort();
    else this.#table?.setSort(usable.map((s) => ({ column: s.attribute, dir: s.dir })));
  }

  getSort(): SortSpec[] {
    return (this.#table?.getSorters() ?? []).map((s) => ({ attribute: s.field, dir: s.dir }));
  }

  /** Visible attribute columns in their current order, and their widths. */
  getColumnLayout(): { columns: string[]; widths: Record<string, number> } {
    const columns: string[] = [];
    const widths: Record<string, number> = {};
    for (const c of this.#table?.getColumns() ?? []) {
      const field = c.getField();
      if (!field || field.startsWith('__') || !c.isVisible()) continue;
      columns.push(field);
      widths[field] = c.getWidth();
    }
    return { columns, widths };
  }

  /** Groups rows by the attributes, outermost first; headers show count, best and mean main metric. */
  async setGroupBy(attributes: Attribute[], goal: Goal): Promise<void> {
    await this.#built;
    const table = this.#table;
    if (!table) return;
    const wasGrouped = this.#groupAttrs.length > 0;
    this.#groupAttrs = attributes;
    this.#goal = goal;
    // Expandable group rows make the grid a tree grid.
    this.element.setAttribute('role', attributes.length > 0 ? 'treegrid' : 'grid');
    if (attributes.length === 0 && !wasGrouped) return;
    // Grouped by the same attributes again (a new main-metric goal), the open groups stay open.
    table.setRowGroups(
      attributes.map((a) => ({
        id: a.id,
        key: (e) => groupKey(a, e),
        // Equal ranks are equal values, so equal keys: a key is read once per value, not per row and
        // regrouping (the ranks are computed once for the data, as for a sort, if no sort did).
        classes: () => this.#rankFor(a),
        header: (value, count, rows) => groupHeader(a, value, count, rows, this.#goal),
      })),
    );
    // Families nest within a group: regrouping changes which children sit under their parent.
    this.#families?.rearrange();
  }

  /** Opens or closes every group at every level. */
  setAllGroupsOpen(open: boolean): void {
    if (this.#groupAttrs.length > 0) this.#table?.setAllGroupsOpen(open);
  }

  /** Records shown after filters, in display order. */
  shownData(): Experiment[] {
    return (this.#table?.getData('active') ?? []) as Experiment[];
  }

  /** Rows shown after filters. */
  shownCount(): number {
    return this.#table?.getDataCount('active') ?? 0;
  }

  /** Ids of the selected rows that are shown: rows hidden by a filter are never acted on. */
  selectedShownIds(): string[] {
    if (this.#selected.size === 0 || !this.#table) return [];
    const shown = new Set((this.#table.getData('active') as Experiment[]).map((e) => e.id));
    return [...this.#selected].filter((id) => shown.has(id));
  }

  clearSelection(): void {
    this.#selected.clear();
    refreshSelectCells(this.element, this.#selected);
    this.callbacks.onSelectionChange?.(0);
  }

  /**
   * Shows records the store added (`added`, their ids) or replaced (the others), keeping filter
   * and sort.
   */
  async upsertRows(experiments: readonly Experiment[], added: ReadonlySet<string>): Promise<void> {
    const table = this.#table;
    if (!table || experiments.length === 0) return;
    // Replace rather than update in place: records are immutable (search keys are cached per object).
    const existing = experiments.filter((e) => !added.has(e.id)).map((e) => e.id);
    // An open detail stays open across the replacement (the expanded set is by id).
    if (existing.length > 0) await table.deleteRow(existing);
    for (const e of experiments) this.#tag(e);
    this.#ranks.clear();
    this.#warmGeneration++;
    await this.#withFamilies();
    this.#families?.link();
    await table.addData([...experiments]);
    const sorters = table.getSorters();
    // A new sort runs the whole pipeline, the nesting with it; without one the new rows need nesting.
    if (sorters.length > 0) table.setSort(sorters.map((s) => ({ column: s.field, dir: s.dir })));
    else this.#families?.rearrange();
    this.callbacks.onRowsShown?.(this.shownCount());
  }

  /** Takes away the rows the store removed (a confirmed delete, a live change). */
  async removeRows(ids: readonly string[]): Promise<void> {
    const table = this.#table;
    if (!table) return;
    for (const id of ids) {
      this.#selected.delete(id);
      this.#expanded.delete(id);
    }
    // The ranks were computed over the records before: their order is still right for the rest.
    if (ids.length > 0) await table.deleteRow([...ids]);
    this.#families?.removed();
    this.callbacks.onRowsShown?.(this.shownCount());
    this.callbacks.onSelectionChange?.(this.#selected.size);
  }

  #warmGeneration = 0;

  /**
   * Computes the sort ranks of the visible columns in the background, in tasks of about 10 ms
   * (rankSteps reads 5,000 records per step), so the first click on a header only has to order
   * the rows and no background task comes near a long task. Timer tasks, not idle callbacks: a
   * page that is never idle (animations, polling, a busy benchmark) would starve those, and the
   * first sort would then compute the ranks itself.
   */
  #warmRanks(): void {
    const generation = ++this.#warmGeneration;
    const pending = [...this.#columns.attributes];
    let current: { attr: Attribute; steps: Generator<void, Int32Array> } | undefined;
    const next = () => {
      if (this.callbacks.backgroundPaused?.()) {
        setTimeout(next, 50);
        return;
      }
      const until = performance.now() + 10;
      while (generation === this.#warmGeneration && performance.now() < until) {
        if (!current) {
          const attr = pending.shift();
          if (!attr) return;
          if (this.#ranks.has(attr.id) || !this.#allTagged) continue;
          current = { attr, steps: rankSteps(this.rows(), attr, 5000) };
        }
        const r = current.steps.next();
        if (r.done) {
          // A sort may have computed it meanwhile: keep the first.
          if (!this.#ranks.has(current.attr.id)) this.#ranks.set(current.attr.id, r.value);
          current = undefined;
        }
      }
      if (generation === this.#warmGeneration) schedule(next);
    };
    const schedule = (fn: () => void) => setTimeout(fn, 0);
    schedule(next);
  }

  /** False once a record could not be tagged with its ordinal (until the next setData). */
  #allTagged = true;

  #tag(e: Experiment): void {
    // Frozen records (a user's own objects) fall back to comparing values.
    if (tagOrdinal(e, this.#nextOrdinal)) this.#nextOrdinal++;
    else this.#allTagged = false;
  }

  /** Ranks for the attribute, computed on the first comparison of a sort and kept until the data changes. */
  #rankFor(attr: Attribute): Int32Array | undefined {
    if (!this.#ranks.has(attr.id)) this.#ranks.set(attr.id, this.#allTagged ? computeRanks(this.rows(), attr) : undefined);
    return this.#ranks.get(attr.id);
  }

  isExpanded(id: string): boolean {
    return this.#expanded.has(id);
  }

  /** Expands or collapses a row's inline detail. */
  setExpanded(id: string, expanded: boolean): void {
    if (expanded === this.#expanded.has(id)) return;
    if (expanded) this.#expanded.add(id);
    else this.#expanded.delete(id);
    this.#table?.getRow(id)?.reformat();
  }

  expandedIds(): string[] {
    return [...this.#expanded];
  }

  redraw(): void {
    this.#table?.redraw(true);
  }

  destroy(): void {
    this.#sizes?.disconnect();
    this.#table?.destroy();
    this.#table = undefined;
  }

  #formatRow(row: RowComponent): void {
    const el = row.getElement();
    const e = row.getData() as Experiment;
    el.setAttribute('aria-rowindex', String(row.getPosition() || ''));
    el.classList.toggle('row-selected', this.#selected.has(e.id));
    // Idempotent: runs again on reformat/update, which do not clear the row (TABULATOR.md).
    const existing = el.querySelector(':scope > .row-detail');
    if (this.#expanded.has(e.id)) {
      el.classList.add('row-expanded');
      if (!existing && this.callbacks.renderDetail) {
        const holder = document.createElement('div');
        holder.className = 'row-detail';
        holder.setAttribute('role', 'gridcell');
        for (const ev of ['click', 'mousedown', 'keydown', 'dblclick']) holder.addEventListener(ev, (x) => x.stopPropagation());
        const detail = this.callbacks.renderDetail(e);
        // Without the family code no run's parent is loaded: the detail names the parent's id itself.
        this.#families?.describe(detail, e);
        holder.addEventListener('experiment-reveal', (ev) => void this.reveal((ev as CustomEvent<{ id: string }>).detail.id));
        holder.append(detail);
        el.append(holder);
        this.#detailRows.set(holder, row);
        this.#sizes?.observe(holder);
      }
    } else {
      el.classList.remove('row-expanded');
      if (existing) this.#sizes?.unobserve(existing);
      existing?.remove();
    }
    this.#families?.draw(row);
  }

  /**
   * The grid takes the focus (Tabulator's scroll holder is a bare focusable div inside role=grid,
   * which screen readers and axe reject); the code of its keys loads on its first focus. Keys
   * pressed before that code came are kept (their default, a scroll, held back) and handled when
   * it comes, so the first press works however quickly it follows the focus.
   */
  #keysOnFocus(): void {
    const element = this.element;
    element.querySelector('.tabulator-tableholder')?.removeAttribute('tabindex');
    element.tabIndex = 0;
    element.setAttribute('aria-label', 'Experiments');
    const early: KeyboardEvent[] = [];
    const keep = (ev: KeyboardEvent) => {
      if (ev.target !== element || ev.key === 'Tab' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      ev.preventDefault();
      early.push(ev);
    };
    element.addEventListener('keydown', keep);
    const load = this.callbacks.loadKeyboard ?? (() => import('./keyboard.js'));
    const loadOnce = () => {
      element.removeEventListener('focus', loadOnce);
      void load().then((code) => {
        element.removeEventListener('keydown', keep);
        const table = this.#table;
        if (!code || !table) return;
        const keys = code.setUpKeyboard(element, table, { ...this.callbacks, onFamilyKey: (e, open) => this.#families?.setOpen(e.id, open) }, () => !!this.#columns.deletable);
        this.#remarkActive = keys.remark;
        for (const ev of early.splice(0)) keys.onKey(ev);
      });
    };
    element.addEventListener('focus', loadOnce);
  }

  /**
   * Creates the child runs' state, once some loaded run's parent is loaded too (its code is
   * loaded then); until that, and when the code could not load, the rows show flat.
   */
  async #withFamilies(): Promise<void> {
    if (this.#families || !this.callbacks.loadFamilies || !anyLoadedParent(this.rows())) return;
    const code = await this.callbacks.loadFamilies();
    if (!code || this.#families) return;
    const families = new code.RunFamilies({
      rows: this.rows,
      table: () => this.#table,
      groups: () => this.#groupAttrs,
      allTagged: () => this.#allTagged,
      name: (e) => this.#columns.nameOf(e),
      formatRow: (row) => this.#formatRow(row),
    });
    this.#families = families;
    families.filtering(this.#predicateOn);
    this.#table?.setRowArranger(families.arranger);
  }

  /** Whether the run's child runs show (collapsed by default). */
  isFamilyOpen(id: string): boolean {
    return this.#families?.isOpen(id) ?? false;
  }

  /** Shows or hides the run's child runs. */
  setFamilyOpen(id: string, open: boolean): void {
    this.#families?.setOpen(id, open);
  }

  /**
   * Scrolls to a run (a detail's link to its parent or child), opening the families above it,
   * and puts the focus on its Details button. False when the run is not shown (a filter hides it).
   */
  async reveal(id: string): Promise<boolean> {
    const table = this.#table;
    if (!table) return false;
    this.#families?.openAncestors(id);
    const row = table.getRow(id);
    if (!row || !(table.getRows('active') as RowComponent[]).includes(row)) return false;
    await table.scrollToRow(row, 'center', false).catch(() => undefined);
    row.getElement().querySelector<HTMLElement>('.details-button')?.focus();
    return true;
  }
}
