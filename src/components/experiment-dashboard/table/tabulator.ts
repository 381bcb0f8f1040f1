// One piece (~620 lines) on purpose: everything that reaches into Tabulator is here (and in
// group-rows.ts), so a Tabulator upgrade is checked in these two files. The modules it registers
// and the patches of its internals below (each an exported function taking the table) were
// written against one version; on another they leave Tabulator's own behaviour in place and say
// so once.
import { Module, MoveColumnsModule, ResizeColumnsModule, Tabulator } from 'tabulator-tables';
import type { CellComponent, ColumnComponent } from 'tabulator-tables';
import type { Experiment } from '../../../data/types.js';
import { ordinalOf, orderByRanks } from './ranks.js';
import { RowGroups, type GroupLevel } from './group-rows.js';

/**
 * The tabulator-tables version the patches below were read against (a Node test compares it with
 * the installed package). Tabulator 6.5 does not expose its version at run time; when a later one
 * does (`Tabulator.version`) and it differs, the patches step aside.
 */
export const TABULATOR_VERSION = '6.5.3';

const running = (Tabulator as unknown as { version?: unknown }).version;
let warned = false;

/** True when the running Tabulator is the one the patches were written for; warns once when not. */
function patchable(): boolean {
  if (running === undefined || running === TABULATOR_VERSION) return true;
  if (!warned) console.warn(`experiment-dashboard: Tabulator ${String(running)} is not ${TABULATOR_VERSION}: the table's speed-ups are off.`);
  warned = true;
  return false;
}

/*
 * Small modules of our own, written against Tabulator's module API (the way its own modules
 * are written), in place of those of its modules whose size is mostly features we never use:
 *
 * - CellNodes instead of FormatModule (4.6 KB of the 49 KB min+gzip): our formatters are all
 *   functions returning DOM nodes; FormatModule's weight is its 20 built-in formatters (HTML,
 *   links, images, stars…). Without any format module Tabulator writes a cell's raw value with
 *   innerHTML, so this one must stay registered: it is what keeps data out of innerHTML.
 * - RowPredicate instead of FilterModule (3.6 KB): our search and column filters are compiled into
 *   one predicate (src/data/query.ts); FilterModule's weight is header-filter editors and built-in
 *   filter types. The predicate runs at the same step of Tabulator's data pipeline (priority 10,
 *   before sorting and grouping).
 * - CellClicks instead of InteractionModule (1.3 KB): we listen to one table event, a cell click;
 *   Tabulator's core already tracks clicks; InteractionModule relays some 40 kinds of event.
 * - StickyColumns instead of FrozenColumnsModule (1.1 KB): see its comment.
 * - ColumnSort instead of SortModule (2.7 KB): our columns sort by precomputed ranks (a `sorter`
 *   function, or useRankedSort below); SortModule's weight is its built-in sorters, sorter params,
 *   remote and tristate sorting and persistence hooks.
 * - RowGroups instead of GroupRowsModule (4.3 KB): see group-rows.ts. GroupRowsModule's weight is
 *   group values, row moving between groups, column calcs per group, and its per-row bookkeeping,
 *   which also made grouping 100,000 rows slow.
 */

/** What the modules reach beyond the typed Module API: the data pipeline, and Tabulator's internal rows, cells and columns. */
interface ModuleInternals {
  registerDataHandler(handler: (rows: InternalRow[]) => InternalRow[], priority: number): void;
  refreshData(renderInPosition: boolean): void;
}
interface InternalRow {
  data: unknown;
}
interface InternalCell {
  getComponent(): CellComponent;
}
interface InternalColumn {
  definition: ColumnFormatters;
  getComponent(): ColumnComponent;
}
interface ColumnFormatters {
  formatter?: (cell: CellComponent) => Node;
  titleFormatter?: (header: { getValue(): string; getElement(): HTMLElement; getColumn(): ColumnComponent }) => Node;
}

/** A cell's content is the Node its column's `formatter` returns; text when it has none. */
class CellNodes extends Module {
  static override moduleName = 'cellNodes';

  constructor(table: Tabulator) {
    super(table);
    this.registerColumnOption('formatter');
    this.registerColumnOption('titleFormatter');
  }

  override initialize(): void {
    this.subscribe('cell-format', ((cell: InternalCell & { column: InternalColumn; value: unknown }) => {
      const format = cell.column.definition.formatter;
      return format ? format(cell.getComponent()) : document.createTextNode(cell.value == null ? '' : String(cell.value));
    }) as (...args: unknown[]) => unknown);
    this.subscribe('column-format', ((column: InternalColumn, title: string, el: HTMLElement) => {
      const format = column.definition.titleFormatter;
      return format ? format({ getValue: () => title, getElement: () => el, getColumn: () => column.getComponent() }) : document.createTextNode(title ?? '');
    }) as (...args: unknown[]) => unknown);
  }
}

/** `table.setRowPredicate(fn)`: only rows whose data `fn` accepts are shown; `undefined` shows all. */
class RowPredicate extends Module {
  static override moduleName = 'rowPredicate';
  #predicate: ((data: unknown) => boolean) | undefined;
  #built = false;

  constructor(table: Tabulator) {
    super(table);
    this.registerTableFunction('setRowPredicate', ((predicate: ((data: unknown) => boolean) | undefined) => {
      this.#predicate = predicate;
      if (this.#built) (this as unknown as ModuleInternals).refreshData(true);
    }) as (...args: unknown[]) => unknown);
  }

  override initialize(): void {
    this.subscribe('table-built', () => (this.#built = true));
    (this as unknown as ModuleInternals).registerDataHandler((rows) => {
      const predicate = this.#predicate;
      return predicate ? rows.filter((row) => predicate(row.data)) : rows.slice();
    }, 10);
  }
}

/** How RowFamilies arranges the rows (see table/families.ts). */
export interface RowArranger {
  /** False while there is nothing to arrange (no run has a loaded parent): the rows pass as they are. */
  nesting(): boolean;
  /**
   * The rows after filtering and sorting: their display order (positions), or undefined to keep
   * it; `changed`, positions whose rows must be formatted again (their nesting changed).
   */
  arrange(rows: readonly Experiment[]): { order?: Uint32Array; changed?: readonly number[] } | undefined;
  /** The rows on display, in order (`undefined` for group headers): 1 for each that shows; undefined shows all. */
  shown(rows: readonly (Experiment | undefined)[]): Uint8Array | undefined;
}

/**
 * `table.setRowArranger(arranger)` and `table.refreshShownRows()`: child runs under their
 * parent. Two steps of Tabulator's data pipeline: after the sort (priority 20) the rows are put
 * in family order, so the active rows (counts, selection, export) are every run that passes the
 * filters, in display order; after grouping (display priority 20) the children of collapsed
 * parents are left out of the rows drawn, so a group still counts all its runs. Only the hook
 * is here: the arranger (table/run-families.ts) is loaded once some run's parent is loaded too.
 */
class RowFamilies extends Module {
  static override moduleName = 'rowFamilies';
  #arranger: RowArranger | undefined;
  #built = false;
  readonly #arrange = (rows: InternalRow[]): InternalRow[] => {
    if (!this.#arranger?.nesting()) return rows;
    const arranged = this.#arranger.arrange(rows.map((r) => r.data as Experiment));
    if (!arranged) return rows;
    const format = (this.table.options as { rowFormatter?: (row: unknown) => void }).rowFormatter;
    // Rows drawn before keep their cells: their nesting is drawn again (the rest is drawn when shown).
    for (const i of arranged.changed ?? []) {
      const row = rows[i] as InternalRow & { initialized?: boolean; getComponent(): unknown };
      if (row?.initialized && format) format(row.getComponent());
    }
    return arranged.order ? Array.from(arranged.order, (i) => rows[i]!) : rows;
  };
  readonly #display = (rows: (InternalRow & { type?: string })[]) => {
    if (!this.#arranger?.nesting()) return rows;
    const shown = this.#arranger.shown(rows.map((r) => (r.type === 'row' ? (r.data as Experiment) : undefined)));
    return shown ? rows.filter((_, i) => shown[i] === 1) : rows;
  };

  constructor(table: Tabulator) {
    super(table);
    // Module.refreshData re-runs the pipeline from the last handler registered (the display one) unless told which.
    const refresh = (handler: unknown) => {
      if (this.#built) (this as unknown as { refreshData(inPosition: boolean, handler: unknown): void }).refreshData(true, handler);
    };
    this.registerTableFunction('setRowArranger', ((arranger: RowArranger | undefined) => {
      const nested = this.#arranger?.nesting() === true;
      this.#arranger = arranger;
      // Until there is something to nest, the rows stay as the pipeline left them.
      if (nested || arranger?.nesting()) refresh(this.#arrange);
    }) as (...args: unknown[]) => unknown);
    this.registerTableFunction('refreshShownRows', (() => refresh(this.#display)) as (...args: unknown[]) => unknown);
  }

  override initialize(): void {
    this.subscribe('table-built', () => (this.#built = true));
    const internals = this as unknown as ModuleInternals & { registerDisplayHandler(handler: unknown, priority: number): void };
    internals.registerDataHandler(this.#arrange, 30);
    internals.registerDisplayHandler(this.#display, 30);
  }
}

type SortDir = 'asc' | 'desc';
interface SortColumn {
  definition: { sorter?: (a: unknown, b: unknown, aRow: unknown, bRow: unknown, column: ColumnComponent, dir: SortDir) => number; headerSort?: boolean };
  modules: { sort?: { dir: SortDir | 'none' } };
  titleHolderElement: HTMLElement;
  getElement(): HTMLElement;
  getField(): string;
  getFieldValue(data: unknown): unknown;
  getComponent(): ColumnComponent;
}
interface SortItem {
  column: SortColumn;
  dir: SortDir;
}
interface SortRow {
  getData(): unknown;
  getComponent(): unknown;
}

/**
 * Sorting, as SortModule does it for the options the dashboard uses (registered as `sort`, so
 * useRankedSort and Tabulator's own checks find it): a click on a sortable header (`headerSort`,
 * default true) sorts by that column ascending, then toggles asc/desc; with Shift or Ctrl it adds
 * the column to the sort (or toggles it there and makes it the primary one). `table.setSort(column
 * or [{column, dir}], dir)`, `getSorters()` and `clearSort()`; the `dataSorting` event before each
 * sort. The header's `aria-sort` (and the arrow, a `.sort-arrow` styled by it) shows the order.
 * Rows are compared by the column's `sorter(a, b, aRow, bRow, column, dir)`, called with the
 * rows swapped for a descending sort as Tabulator does; a column without one keeps the order.
 * The step runs in the data pipeline where SortModule's does (priority 20: after the row
 * predicate, before families and grouping, so groups are sorted inside).
 */
class ColumnSort extends Module {
  static override moduleName = 'sort';
  sortList: SortItem[] = [];

  constructor(table: Tabulator) {
    super(table);
    this.registerColumnOption('sorter');
    this.registerColumnOption('headerSort', true);
  }

  override initialize(): void {
    const refresh = () => (this as unknown as ModuleInternals).refreshData(true);
    this.subscribe('column-layout', ((column: SortColumn) => this.#initColumn(column)) as (...args: unknown[]) => unknown);
    (this as unknown as { registerDataHandler(handler: (rows: SortRow[]) => SortRow[], priority: number): void }).registerDataHandler((rows) => this.#sort(rows), 20);
    this.registerTableFunction('setSort', ((list: unknown, dir?: SortDir) => {
      this.#set(list, dir);
      refresh();
    }) as (...args: unknown[]) => unknown);
    this.registerTableFunction('getSorters', (() => this.#sorters()) as (...args: unknown[]) => unknown);
    this.registerTableFunction('clearSort', (() => {
      this.#set([]);
      refresh();
    }) as (...args: unknown[]) => unknown);
  }

  #sorters(): { column: ColumnComponent; field: string; dir: SortDir }[] {
    return this.sortList.map((item) => ({ column: item.column.getComponent(), field: item.column.getField(), dir: item.dir }));
  }

  /** `list`: a column (anything findColumn takes) sorted `dir`, or a list of `{ column, dir }`, the last the primary one. */
  #set(list: unknown, dir?: SortDir): void {
    const items = (Array.isArray(list) ? list : [{ column: list, dir }]) as { column: unknown; dir: SortDir }[];
    const columns = (this.table as unknown as { columnManager: { findColumn(c: unknown): SortColumn | false } }).columnManager;
    this.sortList = [];
    for (const item of items) {
      const column = columns.findColumn(item.column);
      if (column) this.sortList.push({ column, dir: item.dir });
      else console.warn('Sort Warning - Sort field does not exist and is being ignored: ', item.column);
    }
  }

  #initColumn(column: SortColumn): void {
    column.modules.sort = { dir: 'none' };
    if (column.definition.headerSort === false) return;
    const el = column.getElement();
    el.classList.add('tabulator-sortable', 'tabulator-col-sorter-element');
    const sorter = column.titleHolderElement.appendChild(document.createElement('div'));
    sorter.className = 'tabulator-col-sorter';
    const arrow = sorter.appendChild(document.createElement('span'));
    arrow.className = 'sort-arrow';
    arrow.setAttribute('aria-hidden', 'true');
    el.addEventListener('click', (ev) => {
      const dir: SortDir = column.modules.sort?.dir === 'asc' ? 'desc' : 'asc';
      if (ev.shiftKey || ev.ctrlKey) {
        // The clicked column becomes the primary (last) sorter.
        const list = this.sortList.filter((item) => item.column !== column);
        list.push({ column, dir });
        this.#set(list);
      } else this.#set(column, dir);
      (this as unknown as ModuleInternals).refreshData(true);
    });
  }

  #sort(rows: SortRow[]): SortRow[] {
    if ((this as unknown as { subscribedExternal(event: string): boolean }).subscribedExternal('dataSorting')) this.dispatchExternal('dataSorting', this.#sorters());
    const columns = (this.table as unknown as { columnManager: { getRealColumns(): SortColumn[] } }).columnManager.getRealColumns();
    for (const column of columns) this.#mark(column, 'none');
    for (const item of this.sortList) this.#mark(item.column, item.dir);
    if (this.sortList.length) this._sortItems(rows, this.sortList);
    return rows;
  }

  #mark(column: SortColumn, dir: SortDir | 'none'): void {
    if (!column.modules.sort) return;
    column.modules.sort.dir = dir;
    column.getElement().setAttribute('aria-sort', dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none');
  }

  /** Orders `rows` in place by `list` (the last item first); useRankedSort replaces it for ranked columns. */
  _sortItems(rows: SortRow[], list: SortItem[]): void {
    rows.sort((a, b) => {
      let result = 0;
      for (let i = list.length - 1; i >= 0 && result === 0; i--) {
        const { column, dir } = list[i]!;
        const [x, y] = dir === 'asc' ? [a, b] : [b, a];
        const value = (row: SortRow) => column.getFieldValue(row.getData()) ?? '';
        result = column.definition.sorter?.(value(x), value(y), x.getComponent(), y.getComponent(), column.getComponent(), dir) ?? 0;
      }
      return result;
    });
  }
}

/** The `cellClick` table event (`table.on('cellClick', (ev, cell) => …)`). */
class CellClicks extends Module {
  static override moduleName = 'cellClicks';

  override initialize(): void {
    this.subscribe('cell-click', ((ev: MouseEvent, cell: InternalCell) => this.dispatchExternal('cellClick', ev, cell.getComponent())) as (...args: unknown[]) => unknown);
  }
}

interface StickyColumn {
  definition: { frozen?: boolean };
  element: HTMLElement;
  visible: boolean;
  modules: { frozen?: { position: 'left' | 'right'; side: 'left' | 'right'; marginValue: number; edge: boolean; variable: string } };
  getWidth(): number;
}

/**
 * Columns with `frozen: true` stay in view while the table scrolls sideways: those before the
 * first unfrozen column at the left, the others at the right. Like Tabulator's FrozenColumns
 * module, the header and cell elements are `position: sticky`; unlike it, each element's offset is
 * a CSS variable on the table (`left: var(--_frozen-left-1)`), so a column resized, added or
 * hidden only sets those few variables. FrozenColumns instead lays out every frozen cell in view
 * again and marks every other row for a re-render (100,000 rows: a scan per change, several per
 * shown column). Sticky elements move with Tabulator's own horizontal scroll: it scrolls the
 * header's contents element (ColumnManager.scrollHorizontal), which is their scroll container as
 * the table holder is the cells'. Named `frozenColumns`, with its `leftColumns`, `rightColumns`
 * and per column `modules.frozen` (position, `marginValue`), because ResizeColumns reads them to
 * keep a frozen column's resize handle beside it, and MoveColumns leaves such columns in place.
 */
class StickyColumns extends Module {
  static override moduleName = 'frozenColumns';
  leftColumns: StickyColumn[] = [];
  rightColumns: StickyColumn[] = [];
  #unfrozenSeen = false;

  constructor(table: Tabulator) {
    super(table);
    this.registerColumnOption('frozen');
  }

  override initialize(): void {
    const on = (event: string, handler: (...args: never[]) => void, priority?: number) =>
      (this.subscribe as (event: string, handler: (...args: unknown[]) => unknown, priority?: number) => void)(event, handler as (...args: unknown[]) => unknown, priority);
    on('columns-loading', () => {
      this.leftColumns = [];
      this.rightColumns = [];
      this.#unfrozenSeen = false;
    });
    // Before MoveColumns and ResizeColumns look at the column (priority: earlier than their default).
    on('column-init', (column: StickyColumn) => this.#initColumn(column), 1);
    on('cell-layout', (cell: { element: HTMLElement; column: StickyColumn }) => stick(cell.element, cell.column));
    for (const event of ['columns-loaded', 'column-add', 'column-deleted', 'column-show', 'column-hide', 'table-layout', 'table-redraw']) on(event, () => this.#layout());
    // Before ResizeColumns moves the frozen columns' handles to the new offsets.
    on('column-width', () => this.#layout(), 1);
    // The header has no vertical scrollbar: its right end must stop where the rows' does.
    on('scrollbar-vertical', (width: number) => {
      if (this.rightColumns.length) (this.table as unknown as { columnManager: { getContentsElement(): HTMLElement } }).columnManager.getContentsElement().style.width = `calc(100% - ${width}px)`;
    });
  }

  #initColumn(column: StickyColumn): void {
    if (!column.definition.frozen) {
      this.#unfrozenSeen = true;
      return;
    }
    const position = this.#unfrozenSeen ? 'right' : 'left';
    const list = position === 'left' ? this.leftColumns : this.rightColumns;
    // In a right-to-left table the first columns are at the right.
    const rtl = (this.table as unknown as { rtl?: boolean }).rtl === true;
    const side = rtl === (position === 'left') ? 'right' : 'left';
    column.modules.frozen = { position, side, marginValue: 0, edge: false, variable: `--_frozen-${position}-${list.length}` };
    list.push(column);
    stick(column.element, column);
  }

  #layout(): void {
    const table = (this.table as unknown as { element: HTMLElement }).element;
    const place = (list: StickyColumn[], edge: number) => {
      let margin = 0;
      list.forEach((column, i) => {
        const frozen = column.modules.frozen;
        if (!frozen) return;
        frozen.marginValue = margin;
        frozen.edge = i === edge;
        // Only a change is written: a custom property set on the table restyles every cell in it.
        const offset = `${margin}px`;
        if (table.style.getPropertyValue(frozen.variable) !== offset) table.style.setProperty(frozen.variable, offset);
        column.element.classList.toggle(`tabulator-frozen-${frozen.position}`, frozen.edge);
        if (column.visible) margin += column.getWidth();
      });
    };
    place(this.leftColumns, this.leftColumns.length - 1);
    // Right columns are placed from the right end.
    place([...this.rightColumns].reverse(), this.rightColumns.length - 1);
  }
}

/** A frozen column's header or cell element sticks at its column's offset. */
function stick(element: HTMLElement, column: StickyColumn): void {
  const frozen = column.modules.frozen;
  if (!frozen) return;
  element.style.position = 'sticky';
  element.style[frozen.side] = `var(${frozen.variable})`;
  element.classList.add('tabulator-frozen');
  element.classList.toggle(`tabulator-frozen-${frozen.position}`, frozen.edge);
}

/**
 * The Tabulator modules the dashboard registers, once. Core Tabulator plus only these (never
 * TabulatorFull) keeps the table bundle small; a test pins this list so it only grows on purpose.
 */
export const TABLE_MODULES = {
  CellClicks,
  CellNodes,
  ColumnSort,
  MoveColumnsModule,
  ResizeColumnsModule,
  RowFamilies,
  RowGroups,
  RowPredicate,
  StickyColumns,
} as const;

/** The table with a row predicate, families and groups (RowPredicate and RowFamilies above, RowGroups). */
export type DashboardTabulator = Tabulator & {
  setRowPredicate(predicate: ((data: unknown) => boolean) | undefined): void;
  /** Groups the rows by these levels, outermost first; none: no groups. */
  setRowGroups(levels: readonly GroupLevel[]): void;
  /** Opens or closes every group at every level. */
  setAllGroupsOpen(open: boolean): void;
  setRowArranger(arranger: RowArranger | undefined): void;
  refreshShownRows(): void;
};

let registered = false;

export function tabulatorClass(): typeof Tabulator {
  if (!registered) {
    Tabulator.registerModule(Object.values(TABLE_MODULES) as unknown as Parameters<typeof Tabulator.registerModule>[0]);
    registered = true;
  }
  return Tabulator;
}

/**
 * The sort step (ColumnSort's `_sortItems`) sorts with Array.sort over the rows, calling the
 * column sorter per comparison (two field reads, two component lookups): ~0.5 s at 100,000 rows
 * before any work of ours. Here that step is given precomputed ranks (`rankFor` a column's
 * field), so a comparison is two array reads. Any column without ranks goes through the
 * column's sorter.
 */
export function useRankedSort(table: Tabulator, rankFor: (field: string) => Int32Array | undefined): void {
  type SortItem = { column: { getField(): string }; dir: 'asc' | 'desc' };
  type InternalRow = { data: Experiment };
  if (!patchable()) return;
  const sort = (table as unknown as { modules?: { sort?: { _sortItems?: (rows: InternalRow[], list: SortItem[]) => void } } }).modules?.sort;
  const original = sort?._sortItems?.bind(sort);
  if (!sort || !original) return;
  sort._sortItems = (rows, list) => {
    const keys = list.map((item) => ({ rank: rankFor(item.column.getField()), asc: item.dir === 'asc' }));
    if (keys.some((k) => !k.rank)) {
      original(rows, list);
      return;
    }
    // Each row's ordinal is read once (n property reads, not two per comparison), then the
    // rows are put in the order computed on typed arrays. Tabulator's last sorter is the primary one.
    const n = rows.length;
    const ordinals = new Int32Array(n);
    for (let i = 0; i < n; i++) ordinals[i] = ordinalOf(rows[i]!.data);
    const order = orderByRanks(ordinals, keys.reverse() as { rank: Int32Array; asc: boolean }[]);
    const before = rows.slice();
    for (let i = 0; i < n; i++) rows[i] = before[order[i]!]!;
  };
}

/**
 * Adds one column the cheap way (`add` is the call to Tabulator's addColumn that adds `field`).
 * Tabulator's addColumn (6.5.3) scrolls the table back to the top (`redraw(true)` resets the
 * scroll), re-measures every header, and resets every row twice (`rowManager.reinitialize()`:
 * per row an `offsetParent` read, and each row in view rebuilds all its cells and measures its
 * height on its own: 160 forced layouts, ~250 ms at 100,000 rows, where Tabulator shows a hidden
 * column in ~30 ms). Here, during the call:
 * - the scroll position is kept;
 * - rows out of view only get their flags reset (cells rebuilt and height measured when they
 *   are next rendered, what Tabulator does for them), rows in view are kept as they are;
 * - the other columns keep their widths: Tabulator's fitData layout would set each back to its
 *   definition's width and read it (a forced layout per column once any width changed);
 * - the header row is not re-measured: headers are one clipped line, so the new one is as
 *   tall as the others (it is checked, and Tabulator's pass runs when it is taller).
 * Then each row in view gets just the new cell, put in place. Rows keep their height: cells
 * are one clipped line too. `measured` runs once the column is in the header, in the layout
 * the header check above reads (so what it reads costs no layout of its own), before the rows get
 * the cell: a width it sets is the new cells' width. No registered module listens to the skipped "row-relayout" event
 * (checked in tabulator-tables 6.5.3 src/js). Should Tabulator's internals not look as
 * expected, the rows in view are rendered again in one batch instead.
 */
export async function withCheapAdd(table: Tabulator, field: string, add: () => Promise<unknown>, measured: () => void = () => undefined): Promise<void> {
  type InternalCell = { element: HTMLElement; getElement(): HTMLElement; setHeight(): void; cellRendered(): void };
  type InternalRow = { element?: HTMLElement; cells?: InternalCell[]; initialized: boolean; heightInitialized: boolean; manualHeight?: boolean; height: number; heightStyled: string };
  type InternalColumn = { element: HTMLElement; verticalAlign(alignment: unknown, height: number): void; generateCell(row: InternalRow): InternalCell };
  const internals = table as unknown as {
    rowManager?: { rows: InternalRow[]; reinitialize?: () => void; resetScroll?: () => void; reRenderInPosition?: () => void };
    columnManager?: {
      verticalAlignHeaders?: () => void;
      headersElement?: HTMLElement;
      columnsByIndex?: InternalColumn[];
      findColumn?: (field: string) => InternalColumn | false;
      renderer?: { reinitializeColumnWidths?: (columns: InternalColumn[]) => void };
    };
    options?: { columnHeaderVertAlign?: unknown };
  };
  const manager = internals.rowManager;
  const columns = internals.columnManager;
  const own = { reinitialize: manager?.reinitialize, resetScroll: manager?.resetScroll, align: columns?.verticalAlignHeaders, widths: columns?.renderer?.reinitializeColumnWidths };
  if (
    !patchable() ||
    !manager ||
    !columns ||
    typeof own.reinitialize !== 'function' ||
    typeof own.resetScroll !== 'function' ||
    typeof own.align !== 'function' ||
    typeof columns.findColumn !== 'function' ||
    !Array.isArray(columns.columnsByIndex) ||
    typeof manager.reRenderInPosition !== 'function'
  ) {
    await add();
    measured();
    return;
  }
  const reset = (row: InternalRow): void => {
    row.initialized = false;
    row.heightInitialized = false;
    if (!row.manualHeight) {
      row.height = 0;
      row.heightStyled = '';
    }
  };
  const inView = new Set<InternalRow>();
  manager.reinitialize = function (this: { rows: InternalRow[] }) {
    for (const row of this.rows) {
      if (row.initialized && row.element?.isConnected && Array.isArray(row.cells)) inView.add(row);
      // A row never drawn (most of 100,000) has nothing to reset.
      else if ((row.initialized || row.heightInitialized) && !inView.has(row)) reset(row);
    }
  };
  manager.resetScroll = () => undefined;
  columns.verticalAlignHeaders = () => undefined;
  // The other columns keep their widths (the new one is sized by addColumn itself).
  if (columns.renderer && typeof own.widths === 'function') columns.renderer.reinitializeColumnWidths = () => undefined;
  try {
    await add();
  } finally {
    Object.assign(manager, { reinitialize: own.reinitialize, resetScroll: own.resetScroll });
    columns.verticalAlignHeaders = own.align;
    if (columns.renderer && typeof own.widths === 'function') columns.renderer.reinitializeColumnWidths = own.widths;
    const column = columns.findColumn(field);
    const index = column ? columns.columnsByIndex.indexOf(column) : -1;
    const rowHeight = parseFloat(columns.headersElement?.style.height ?? '');
    const fits = column && rowHeight > 0 && column.element.offsetHeight <= rowHeight;
    measured();
    // What verticalAlignHeaders does for one column: the header (and its resize handle) fills the row.
    if (column && fits) column.verticalAlign(internals.options?.columnHeaderVertAlign, rowHeight);
    else own.align.call(columns);
    // Anything unexpected (thrown here or by Tabulator) takes the fallback below.
    try {
      if (!column || index < 1) throw new Error();
      for (const row of inView) {
        const cells = row.cells as InternalCell[];
        const before = cells[index - 1]?.element;
        if (!before || cells.length !== columns.columnsByIndex.length - 1 || before.parentNode !== row.element) throw new Error();
        const cell = column.generateCell(row);
        cells.splice(index, 0, cell);
        before.after(cell.getElement());
        // As tall as its row, like the row's other cells (Tabulator sets each cell's height).
        if (row.heightInitialized) cell.setHeight();
        cell.cellRendered();
      }
    } catch {
      for (const row of inView) reset(row);
      manager.reRenderInPosition();
    }
  }
}

/** Changes of the table's height up to this (px) only resize the scroll holder (see lightHeightChanges). */
const LIGHT_HEIGHT_CHANGE = 120;

/**
 * Tabulator redraws on every change of the table's size (its ResizeTable module): it forgets the
 * height of every row (100,000 of them), measures the rows in view again and renders them again,
 * ~40 ms at 30 columns. The table's height changes each time the row of filter chips above it
 * appears or goes: with the first filter and when the last is cleared. With the width unchanged
 * no row's height can have changed, and a few pixels more or less are covered by the rows
 * already rendered beyond the view (renderVerticalBuffer): only the scroll holder is resized
 * then. Other changes (width, visibility, large heights) take Tabulator's way.
 */
export function lightHeightChanges(table: Tabulator): void {
  type ResizeModule = { redrawTable?: (force?: boolean) => void; tableWidth: number; tableHeight: number; initialized: boolean; visible: boolean };
  if (!patchable()) return;
  const internals = table as unknown as { modules?: { resizeTable?: ResizeModule }; rowManager?: { adjustTableSize?: () => void } };
  const resize = internals.modules?.resizeTable;
  const rows = internals.rowManager;
  const own = resize?.redrawTable;
  if (!resize || typeof own !== 'function' || typeof rows?.adjustTableSize !== 'function') return;
  let { tableWidth: width, tableHeight: height } = resize;
  resize.redrawTable = function (this: ResizeModule, force?: boolean) {
    const small = this.tableWidth === width && this.tableHeight !== height && Math.abs(this.tableHeight - height) <= LIGHT_HEIGHT_CHANGE;
    width = this.tableWidth;
    height = this.tableHeight;
    if (small && !force && this.initialized && this.visible) rows.adjustTableSize?.();
    else own.call(this, force);
  };
}
