import type { CellComponent, ColumnComponent, ColumnDefinition, GroupComponent, RowComponent, Tabulator as TabulatorInstance } from 'tabulator-tables';
import type { Attribute, AttributeValue } from '../../data/attributes.js';
import { clipText, formatDuration, formatNumber, formatTime } from '../../data/format.js';
import type { Experiment, Goal, SortSpec, Status } from '../../data/types.js';
import { tabulatorClass, type DashboardTabulator } from './tabulator.js';

/** Text symbols, so status reads as text + icon, never colour alone. */
export const STATUS_ICONS: Record<Status, string> = {
  completed: '✓',
  failed: '✗',
  running: '▶',
  dead: '†',
  queued: '◷',
  interrupted: '■',
};

export const STATUS_LABELS: Record<Status, string> = {
  completed: 'Completed',
  failed: 'Failed',
  running: 'Running',
  dead: 'Dead',
  queued: 'Queued',
  interrupted: 'Interrupted',
};

/** Default widths by attribute id, then by kind: fixed widths avoid Tabulator's costly auto-fit. */
const WIDTHS: Record<string, number> = { status: 130, name: 260, mainMetric: 130, operator: 150, 'times.started': 160, duration: 110, group: 220, tags: 180 };
const KIND_WIDTHS: Record<string, number> = { number: 120, date: 160, text: 170, enum: 130, list: 180, boolean: 90 };
const SELECT_COLUMN = '__select';
const DETAILS_COLUMN = '__details';
const DELETE_COLUMN = '__delete';
/** Shown for a group whose records have no value. */
export const EMPTY_GROUP = '(empty)';

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
}

export interface TableColumns {
  attributes: Attribute[];
  widths?: Record<string, number>;
  /** Show a per-row Delete button (only when the source can delete). */
  deletable?: boolean;
  /** Name of a record for button labels ("Delete <name>"). */
  nameOf: (e: Experiment) => string;
}

/**
 * Longest text a cell or group header shows: a cell shows a few dozen characters anyway, and a
 * 1 MiB value laid out whole costs ~200 ms per cell. The cut ends with a visible mark.
 */
export const CELL_TEXT_LIMIT = 1000;

/** A value as the table shows it: formatted, and cut at CELL_TEXT_LIMIT with a visible mark. */
export function formatValue(attr: Attribute, v: AttributeValue): string {
  return clipText(formatWhole(attr, v), CELL_TEXT_LIMIT);
}

function formatWhole(attr: Attribute, v: AttributeValue): string {
  if (v === undefined || v === null) return '';
  if (attr.id === 'duration' && typeof v === 'number') return formatDuration(v);
  if (attr.id === 'host.memoryBytes' && typeof v === 'number') return `${formatNumber(v / 1024 ** 3)} GiB`;
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (attr.kind === 'date') return formatTime(v);
  // Hostile records can put any shape where text is expected: show it as text, never fail.
  return typeof v === 'string' ? v : String(v);
}

/** The key a record is grouped under for an attribute: dates by UTC day, lists as one text. */
export function groupKey(attr: Attribute, e: Experiment): string | number | boolean {
  const v = attr.get(e);
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return EMPTY_GROUP;
  if (Array.isArray(v)) return v.join(', ');
  if (attr.kind === 'date' && typeof v === 'string') return v.slice(0, 10);
  return v;
}

function compareValues(a: AttributeValue, b: AttributeValue): number {
  // Empty values (NaN among them) sort last in ascending order.
  const ea = a === undefined || a === null || a === '' || Number.isNaN(a);
  const eb = b === undefined || b === null || b === '' || Number.isNaN(b);
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = Array.isArray(a) ? a.join(', ') : String(a);
  const sb = Array.isArray(b) ? b.join(', ') : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Each record's position in the table's data, for the precomputed sort ranks. */
const ORDINAL = Symbol('experiment-dashboard.ordinal');
type Ordered = Experiment & { [ORDINAL]?: number };
/** Rank of a record without a value: sorts last in either direction. */
const EMPTY_RANK = -1;

function rankValue(rank: Int32Array, e: Experiment, dir: 'asc' | 'desc'): number {
  const r = rank[(e as Ordered)[ORDINAL] ?? -1] ?? EMPTY_RANK;
  // Tabulator swaps the rows for a descending sort; an empty value must still end up last.
  return r === EMPTY_RANK ? (dir === 'asc' ? Infinity : -Infinity) : r;
}

/**
 * The sort position of every record for one attribute, computed once per sort: Tabulator's
 * sorter then compares two numbers instead of reading and comparing attribute values ~1.7
 * million times at 100,000 rows. Equal values share a rank, so multi-column sorts still work.
 */
export function computeRanks(data: readonly Experiment[], attr: Attribute): Int32Array {
  const steps = rankSteps(data, attr, Infinity);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A record's sort key: empty values (missing, '', [], NaN) are undefined; a list sorts as its text. */
function rankKey(v: AttributeValue): string | number | boolean | undefined {
  return v === null || v === '' || Number.isNaN(v) || (Array.isArray(v) && v.length === 0) ? undefined : Array.isArray(v) ? v.join(', ') : v;
}

/**
 * computeRanks in steps: yields after every `slice` records read (reading is the slow part for
 * derived values such as the duration, two date parses per record), so the background warm-up
 * runs in tasks well under 50 ms each; the distinct values are then sorted in one step.
 */
function* rankSteps(data: readonly Experiment[], attr: Attribute, slice: number): Generator<void, Int32Array> {
  // Distinct values are sorted once (few for status, operator, group; at most n for names), then
  // each record looks its value's position up: equal values share a rank.
  const n = data.length;
  const keys = new Array<string | number | boolean | undefined>(n);
  const distinct = new Map<string | number | boolean, number>();
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % slice === 0) yield;
    const e = data[i] as Ordered;
    const k = rankKey(attr.get(e));
    keys[i] = k;
    if (k !== undefined) distinct.set(k, 0);
    size = Math.max(size, (e[ORDINAL] ?? 0) + 1);
  }
  yield;
  const sorted = [...distinct.keys()];
  if (sorted.every((k) => typeof k === 'number')) {
    // Numbers: a native typed-array sort (NaN last), no comparator calls.
    const numbers = Float64Array.from(sorted as number[]).sort();
    for (let i = 0; i < numbers.length; i++) sorted[i] = numbers[i]!;
  }
  // Plain text: the engine's own sort (UTF-16 order, the same order as compareValues) is native.
  else if (sorted.every((k) => typeof k === 'string')) sorted.sort();
  else sorted.sort(compareValues);
  for (let i = 0; i < sorted.length; i++) distinct.set(sorted[i] as string | number | boolean, i);
  yield;
  // Int32: 400 KB per sorted column at 100,000 rows (ranks are < 2^31), half of a Float64Array.
  const rank = new Int32Array(size).fill(EMPTY_RANK);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k !== undefined) rank[(data[i] as Ordered)[ORDINAL] ?? 0] = distinct.get(k) as number;
  }
  return rank;
}

/**
 * The order of rows sorted by precomputed ranks, primary key first: the positions of the rows
 * (0..n-1, for the ordinals given) in sorted order. Empty values (rank -1, or no ordinal) come
 * last in either direction; equal keys keep their input order (a stable sort, like Tabulator's).
 *
 * One key, the usual case: each row becomes one number, `key * n + position`, and a Float64Array
 * is sorted natively without a comparator (about 10 ms at 100,000 rows, against ~1.7 million
 * comparator calls for Array.prototype.sort). Several keys: one comparator over Int32Arrays.
 */
export function orderByRanks(ordinals: Int32Array, keys: readonly { rank: Int32Array; asc: boolean }[]): Uint32Array {
  const n = ordinals.length;
  const levels = keys.map(({ rank, asc }) => {
    let max = -1;
    for (let i = 0; i < rank.length; i++) if (rank[i]! > max) max = rank[i]!;
    const k = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const o = ordinals[i]!;
      const r = o >= 0 && o < rank.length ? rank[o]! : EMPTY_RANK;
      k[i] = r === EMPTY_RANK ? max + 1 : asc ? r : max - r;
    }
    return k;
  });
  const order = new Uint32Array(n);
  if (levels.length === 1) {
    const k = levels[0]!;
    // k <= n, so k * n + i < 2^53: exact in a double.
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = k[i]! * n + i;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = packed[i]! % n;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    for (const k of levels) {
      const d = k[a]! - k[b]!;
      if (d !== 0) return d;
    }
    return a - b;
  });
  return order;
}

/** Best and mean main-metric value of a group's records. */
export function groupAggregate(data: readonly Experiment[], goal: Goal): { best?: number; mean?: number } {
  let sum = 0;
  let n = 0;
  let best: number | undefined;
  for (const e of data) {
    const v = e.mainMetric?.value;
    if (v === undefined || !Number.isFinite(v)) continue;
    sum += v;
    n += 1;
    if (best === undefined || (goal === 'maximize' ? v > best : v < best)) best = v;
  }
  return n === 0 ? {} : { best, mean: sum / n };
}

const SVG = 'http://www.w3.org/2000/svg';

/** A funnel drawn in SVG: no icon font to load, same on every system. */
function funnelIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const path = svg.appendChild(document.createElementNS(SVG, 'path'));
  path.setAttribute('d', 'M1 2h14l-5.5 6.5V14l-3-1.5V8.5z');
  path.setAttribute('fill', 'currentColor');
  return svg;
}

/** A column title that screen readers read and the narrow header does not show. */
function hiddenText(text: string): HTMLElement {
  const s = document.createElement('span');
  s.className = 'visually-hidden';
  s.textContent = text;
  return s;
}

/** Changes of the table's height up to this (px) only resize the scroll holder (see #lightHeightChanges). */
const LIGHT_HEIGHT_CHANGE = 120;

/** Names in button labels and tooltips are cut: a screen reader should not read out 100 KB. */
const LABEL_LIMIT = 200;

function button(label: string, text: string, className: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.setAttribute('aria-label', clipText(label, LABEL_LIMIT));
  b.title = clipText(label, LABEL_LIMIT);
  b.textContent = text;
  // Keep Tabulator from starting a column drag, a sort or a row click.
  for (const ev of ['mousedown', 'pointerdown', 'click', 'keydown']) b.addEventListener(ev, (e) => e.stopPropagation());
  return b;
}

/**
 * The one place that touches Tabulator: turns the dashboard's view (columns, filter, sort,
 * grouping, selection, expanded rows) into Tabulator calls and Tabulator's callbacks into ours.
 * Row data are the experiment records themselves (no copies); every column reads its value
 * through the attribute catalogue.
 */
export class TableController {
  #table?: DashboardTabulator;
  #built: Promise<void>;
  #columns: TableColumns = { attributes: [], nameOf: (e) => e.name ?? e.id };
  #selected = new Set<string>();
  /** Ids of the rows in the table (Tabulator's getRow warns on a miss). */
  #ids = new Set<string>();
  /** The records in the table, each tagged with its ordinal; ranks are cached per attribute. */
  #data: Experiment[] = [];
  #nextOrdinal = 0;
  #ranks = new Map<string, Int32Array | undefined>();
  #expanded = new Set<string>();
  #activeId?: string;
  #filterActive = new Set<string>();
  #groupAttrs: Attribute[] = [];
  #goal: Goal = 'maximize';
  /** Set by a press on a column header: the next sort is the user's. */
  #userSort = false;

  constructor(
    private readonly element: HTMLElement,
    private readonly popupContainer: HTMLElement,
    private readonly callbacks: TableCallbacks = {},
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
      headerSortElement: '<span class="sort-arrow" aria-hidden="true"></span>',
      groupToggleElement: 'header',
      groupStartOpen: true,
      rowFormatter: (row: RowComponent) => this.#formatRow(row),
    });
    table.on('tableBuilt', () => {
      this.#setUpKeyboard();
      this.#useRankedSort(table);
      this.#lightHeightChanges(table);
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
    // Tabulator toggles a group a task after the click on its header: when the rows were regrouped
    // in between (new data, a regroup), the group it toggles has no element any more.
    table.on('groupVisibilityChanged', (group: GroupComponent, visible: boolean) => {
      const el = group.getElement() as HTMLElement | false;
      if (el) el.setAttribute('aria-expanded', String(visible));
    });
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
    // Showing or hiding one column is the common change: Tabulator adds or removes it in place,
    // where setColumns would rebuild every column and re-render every row.
    const before = previous.attributes.map((a) => a.id);
    const after = columns.attributes.map((a) => a.id);
    const sameControls = previous.deletable === columns.deletable && table.getColumns().length > 0;
    const removed = before.filter((id) => !after.includes(id));
    const kept = before.filter((id) => after.includes(id));
    const labelsSame = columns.attributes.every((a) => previous.attributes.find((p) => p.id === a.id)?.label === a.label || !before.includes(a.id));
    if (sameControls && labelsSame && kept.join('\u0001') === after.filter((id) => before.includes(id)).join('\u0001')) {
      const added = after.filter((id) => !before.includes(id));
      if (removed.length + added.length <= 2) {
        for (const id of removed) await table.deleteColumn(id);
        for (const id of added) {
          const index = after.indexOf(id);
          const attr = columns.attributes[index] as Attribute;
          // Added in order, so the next column already in the table is the one to insert before.
          const next = after.slice(index + 1).find((x) => before.includes(x));
          const def = this.#columnDefinition(attr, columns.widths?.[id]);
          await this.#withCheapAdd(table, id, () => (next ? table.addColumn(def, true, next) : columns.deletable ? table.addColumn(def, true, DELETE_COLUMN) : table.addColumn(def, false)));
        }
        return;
      }
    }
    const defs: ColumnDefinition[] = [this.#selectColumn(), this.#detailsColumn(), ...columns.attributes.map((a) => this.#columnDefinition(a, columns.widths?.[a.id]))];
    if (columns.deletable) defs.push(this.#deleteColumn());
    table.setColumns(defs);
  }

  /**
   * Adds one column the cheap way. Tabulator's addColumn (6.5.3) scrolls the table back to the
   * top (`redraw(true)` resets the scroll), re-measures every header, and resets every row twice
   * (`rowManager.reinitialize()`: per row an `offsetParent` read, and each row in view rebuilds
   * all its cells and measures its height on its own: 160 forced layouts, ~250 ms at 100,000
   * rows, where Tabulator shows a hidden column in ~30 ms). Here, during the call:
   * - the scroll position is kept;
   * - rows out of view only get their flags reset (cells rebuilt and height measured when they
   *   are next rendered, what Tabulator does for them), rows in view are kept as they are;
   * - the header row is not re-measured: headers are one clipped line, so the new one is as
   *   tall as the others (it is checked, and Tabulator's pass runs when it is taller).
   * Then each row in view gets just the new cell, put in place. Rows keep their height: cells
   * are one clipped line too. No registered module listens to the skipped "row-relayout" event
   * (checked in tabulator-tables 6.5.3 src/js). Should Tabulator's internals not look as
   * expected, the rows in view are rendered again in one batch instead.
   */
  async #withCheapAdd(table: TabulatorInstance, field: string, add: () => Promise<unknown>): Promise<void> {
    type InternalCell = { element: HTMLElement; getElement(): HTMLElement; setHeight(): void; cellRendered(): void };
    type InternalRow = { element?: HTMLElement; cells?: InternalCell[]; initialized: boolean; heightInitialized: boolean; manualHeight?: boolean; height: number; heightStyled: string };
    type InternalColumn = { element: HTMLElement; verticalAlign(alignment: unknown, height: number): void; generateCell(row: InternalRow): InternalCell };
    const internals = table as unknown as {
      rowManager?: { rows: InternalRow[]; reinitialize?: () => void; resetScroll?: () => void; reRenderInPosition?: () => void };
      columnManager?: { verticalAlignHeaders?: () => void; headersElement?: HTMLElement; columnsByIndex?: InternalColumn[]; findColumn?: (field: string) => InternalColumn | false };
      options?: { columnHeaderVertAlign?: unknown };
    };
    const manager = internals.rowManager;
    const columns = internals.columnManager;
    const own = { reinitialize: manager?.reinitialize, resetScroll: manager?.resetScroll, align: columns?.verticalAlignHeaders };
    if (
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
        else if (!inView.has(row)) reset(row);
      }
    };
    manager.resetScroll = () => undefined;
    columns.verticalAlignHeaders = () => undefined;
    try {
      await add();
    } finally {
      Object.assign(manager, { reinitialize: own.reinitialize, resetScroll: own.resetScroll });
      columns.verticalAlignHeaders = own.align;
      const column = columns.findColumn(field);
      const index = column ? columns.columnsByIndex.indexOf(column) : -1;
      const rowHeight = parseFloat(columns.headersElement?.style.height ?? '');
      // What verticalAlignHeaders does for one column: the header (and its resize handle) fills the row.
      if (column && rowHeight > 0 && column.element.offsetHeight <= rowHeight) column.verticalAlign(internals.options?.columnHeaderVertAlign, rowHeight);
      else own.align.call(columns);
      try {
        if (!column || index < 1) throw new Error('column not found');
        for (const row of inView) {
          const cells = row.cells as InternalCell[];
          const before = cells[index - 1]?.element;
          if (!before || cells.length !== columns.columnsByIndex.length - 1 || before.parentNode !== row.element) throw new Error('unexpected row');
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

  async setData(experiments: Experiment[]): Promise<void> {
    await this.#built;
    const ids = new Set<string>();
    for (const e of experiments) ids.add(e.id);
    // Selection and expanded rows survive a reload for the records that are still there.
    for (const set of [this.#selected, this.#expanded]) for (const id of set) if (!ids.has(id)) set.delete(id);
    this.#ids = ids;
    // No copy: the array is only read, and replaced (never changed in place) by upsert and remove.
    this.#data = experiments;
    this.#nextOrdinal = 0;
    this.#allTagged = true;
    for (const e of this.#data) this.#tag(e);
    this.#ranks.clear();
    await this.#table?.replaceData(experiments);
    this.#remarkActive();
    this.#warmRanks();
    this.callbacks.onRowsShown?.(this.shownCount());
    this.callbacks.onSelectionChange?.(this.#selected.size);
  }

  /** Shows only the records the predicate accepts (search and column filters, ANDed). */
  async setFilter(predicate: ((e: Experiment) => boolean) | undefined, activeColumns: readonly string[] = []): Promise<void> {
    await this.#built;
    this.#filterActive = new Set(activeColumns);
    this.#markFilterButtons();
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
    if (attributes.length === 0) {
      if (wasGrouped) table.setGroupBy(false as unknown as string);
      return;
    }
    // setGroupStartOpen and setGroupHeader each regroup all rows when grouped: write the options
    // and regroup once with setGroupBy, which reads them.
    const options = table.options as { groupStartOpen?: boolean; groupHeader?: unknown };
    options.groupStartOpen = true;
    options.groupHeader = attributes.map((a) => (value: unknown, count: number, data: Experiment[], group: GroupComponent) => {
        // Tabulator makes the header a rowgroup inside the rowgroup; a row with one cell is valid ARIA.
        const el = group.getElement();
        el.setAttribute('role', 'row');
        el.setAttribute('aria-expanded', String(group.isVisible()));
        el.setAttribute('aria-level', String(attributes.indexOf(a) + 1));
        return this.#groupHeader(a, value, count, data);
      });
    table.setGroupBy(attributes.map((a) => (data: Experiment) => groupKey(a, data)) as unknown as string);
  }

  /**
   * Opens or closes every group at every level. Hiding groups one by one rebuilds the group
   * list after the first; regrouping from scratch with a new start state is two passes.
   */
  setAllGroupsOpen(open: boolean): void {
    const table = this.#table;
    if (!table || this.#groupAttrs.length === 0) return;
    // Open state is kept per group key, so the groups are rebuilt from none with the new start state.
    table.setGroupBy(false as unknown as string);
    (table.options as { groupStartOpen?: boolean }).groupStartOpen = open;
    table.setGroupBy(this.#groupAttrs.map((a) => (data: Experiment) => groupKey(a, data)) as unknown as string);
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
    this.#refreshSelectCells();
    this.callbacks.onSelectionChange?.(0);
  }

  /** Adds new records and replaces changed ones (live updates), keeping filter and sort. */
  async upsertRows(experiments: readonly Experiment[]): Promise<void> {
    const table = this.#table;
    if (!table || experiments.length === 0) return;
    // Replace rather than update in place: records are immutable (search keys are cached per object).
    const existing = experiments.filter((e) => this.#ids.has(e.id)).map((e) => e.id);
    // An open detail stays open across the replacement (the expanded set is by id).
    if (existing.length > 0) await table.deleteRow(existing);
    const replaced = new Set(existing);
    this.#data = this.#data.filter((e) => !replaced.has(e.id));
    for (const e of experiments) {
      this.#ids.add(e.id);
      this.#tag(e);
      this.#data.push(e);
    }
    this.#ranks.clear();
    this.#warmGeneration++;
    await table.addData([...experiments]);
    const sorters = table.getSorters();
    if (sorters.length > 0) table.setSort(sorters.map((s) => ({ column: s.field, dir: s.dir })));
  }

  /** Removes rows after the source confirmed their deletion. */
  async removeRows(ids: readonly string[]): Promise<void> {
    const table = this.#table;
    if (!table) return;
    const present = ids.filter((id) => this.#ids.has(id));
    for (const id of ids) {
      this.#selected.delete(id);
      this.#expanded.delete(id);
      this.#ids.delete(id);
    }
    if (present.length > 0) {
      const gone = new Set(present);
      this.#data = this.#data.filter((e) => !gone.has(e.id));
      await table.deleteRow(present);
    }
    this.callbacks.onSelectionChange?.(this.#selected.size);
  }

  /**
   * Tabulator sorts with Array.sort over its rows, calling `_sortRow` per comparison (two field
   * reads, two component lookups and the column sorter): ~0.5 s at 100,000 rows before any work
   * of ours. Its sort pipeline (header arrows, events, filters, grouping) stays; only the step that
   * orders the rows is given precomputed ranks, so a comparison is two array reads. Any column
   * without ranks goes through Tabulator's own step.
   */
  #useRankedSort(table: TabulatorInstance): void {
    type SortItem = { column: { getField(): string }; dir: 'asc' | 'desc' };
    type InternalRow = { data: Experiment };
    const sort = (table as unknown as { modules?: { sort?: { _sortItems?: (rows: InternalRow[], list: SortItem[]) => void } } }).modules?.sort;
    const original = sort?._sortItems?.bind(sort);
    if (!sort || !original) return;
    sort._sortItems = (rows, list) => {
      const keys = list.map((item) => {
        const attr = this.#columns.attributes.find((a) => a.id === item.column.getField());
        return { rank: attr ? this.#rankFor(attr) : undefined, asc: item.dir === 'asc' };
      });
      if (keys.some((k) => !k.rank)) {
        original(rows, list);
        return;
      }
      // Each row's ordinal is read once (n property reads, not two per comparison), then the
      // rows are put in the order computed on typed arrays. Tabulator's last sorter is the primary one.
      const n = rows.length;
      const ordinals = new Int32Array(n);
      for (let i = 0; i < n; i++) ordinals[i] = (rows[i]!.data as Ordered)[ORDINAL] ?? -1;
      const order = orderByRanks(ordinals, keys.reverse() as { rank: Int32Array; asc: boolean }[]);
      const before = rows.slice();
      for (let i = 0; i < n; i++) rows[i] = before[order[i]!]!;
    };
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
          current = { attr, steps: rankSteps(this.#data, attr, 5000) };
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

  /**
   * Tabulator redraws on every change of the table's size (its ResizeTable module): it forgets the
   * height of every row (100,000 of them), measures the rows in view again and renders them again,
   * ~40 ms at 30 columns. The table's height changes each time the row of filter chips above it
   * appears or goes: with the first filter and when the last is cleared. With the width unchanged
   * no row's height can have changed, and a few pixels more or less are covered by the rows
   * already rendered beyond the view (renderVerticalBuffer): only the scroll holder is resized
   * then. Other changes (width, visibility, large heights) take Tabulator's way.
   */
  #lightHeightChanges(table: TabulatorInstance): void {
    type ResizeModule = { redrawTable?: (force?: boolean) => void; tableWidth: number; tableHeight: number; initialized: boolean; visible: boolean };
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

  /** False once a record could not be tagged with its ordinal (until the next setData). */
  #allTagged = true;

  #tag(e: Experiment): void {
    // Frozen records (a user's own objects) fall back to comparing values.
    if (Object.isExtensible(e)) (e as Ordered)[ORDINAL] = this.#nextOrdinal++;
    else this.#allTagged = false;
  }

  /** Ranks for the attribute, computed on the first comparison of a sort and kept until the data changes. */
  #rankFor(attr: Attribute): Int32Array | undefined {
    if (!this.#ranks.has(attr.id)) this.#ranks.set(attr.id, this.#allTagged ? computeRanks(this.#data, attr) : undefined);
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
    this.#table?.destroy();
    this.#table = undefined;
  }

  // ---- rendering ----

  #groupHeader(attr: Attribute, value: unknown, count: number, data: Experiment[]): HTMLElement {
    const el = document.createElement('span');
    el.className = 'group-header';
    el.setAttribute('role', 'gridcell');
    const name = el.appendChild(document.createElement('span'));
    name.className = 'group-attr';
    // Group values come from data: a header shows the first few hundred characters, marked when cut.
    const limit = 300;
    name.textContent = `${clipText(attr.label, limit)}: `;
    const v = el.appendChild(document.createElement('strong'));
    v.className = 'group-value';
    if (value === EMPTY_GROUP) v.textContent = EMPTY_GROUP;
    else if (attr.id === 'status') v.textContent = clipText(STATUS_LABELS[value as Status] ?? String(value), limit);
    else if (attr.kind === 'date') v.textContent = clipText(String(value), limit);
    else v.textContent = clipText(formatValue(attr, value as AttributeValue), limit);
    const c = el.appendChild(document.createElement('span'));
    c.className = 'group-count';
    c.textContent = ` ${count.toLocaleString('en-US')} experiment${count === 1 ? '' : 's'}`;
    const agg = groupAggregate(data, this.#goal);
    if (agg.best !== undefined) {
      const a = el.appendChild(document.createElement('span'));
      a.className = 'group-agg';
      a.textContent = ` · best ${formatNumber(agg.best)} · mean ${formatNumber(agg.mean)}`;
    }
    return el;
  }

  #formatRow(row: RowComponent): void {
    const el = row.getElement();
    const e = row.getData() as Experiment;
    el.setAttribute('aria-rowindex', String(row.getPosition() || ''));
    // Idempotent: runs again on reformat/update, which do not clear the row (TABULATOR.md).
    const existing = el.querySelector(':scope > .row-detail');
    if (this.#expanded.has(e.id)) {
      el.classList.add('row-expanded');
      if (!existing && this.callbacks.renderDetail) {
        const holder = document.createElement('div');
        holder.className = 'row-detail';
        holder.setAttribute('role', 'gridcell');
        for (const ev of ['click', 'mousedown', 'keydown', 'dblclick']) holder.addEventListener(ev, (x) => x.stopPropagation());
        holder.append(this.callbacks.renderDetail(e));
        el.append(holder);
      }
    } else {
      el.classList.remove('row-expanded');
      existing?.remove();
    }
  }

  /** A narrow column of per-row controls: fixed, not sortable, not resizable. */
  #controlColumn(field: string, title: string, width: number, header: () => HTMLElement, cell: (e: Experiment) => HTMLElement): ColumnDefinition {
    return {
      title,
      field,
      width,
      minWidth: width,
      headerSort: false,
      resizable: false,
      hozAlign: 'center',
      titleFormatter: header as unknown as ColumnDefinition['titleFormatter'],
      formatter: ((c: CellComponent) => cell(c.getData() as Experiment)) as unknown as ColumnDefinition['formatter'],
    };
  }

  #selectColumn(): ColumnDefinition {
    const checkbox = (className: string, label: string) => {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.className = className;
      box.setAttribute('aria-label', clipText(label, LABEL_LIMIT));
      for (const ev of ['mousedown', 'pointerdown', 'click', 'keydown']) box.addEventListener(ev, (x) => x.stopPropagation());
      return box;
    };
    return this.#controlColumn(
      SELECT_COLUMN,
      'Select',
      36,
      () => {
        const box = checkbox('select-all', 'Select all shown experiments');
        box.addEventListener('change', () => {
          const shown = (this.#table?.getData('active') ?? []) as Experiment[];
          if (box.checked) for (const e of shown) this.#selected.add(e.id);
          else this.#selected.clear();
          this.#refreshSelectCells();
          this.callbacks.onSelectionChange?.(this.#selected.size);
        });
        return box;
      },
      (e) => {
        const box = checkbox('select-row', `Select ${this.#columns.nameOf(e)}`);
        box.dataset.id = e.id;
        box.checked = this.#selected.has(e.id);
        box.addEventListener('change', () => {
          if (box.checked) this.#selected.add(e.id);
          else this.#selected.delete(e.id);
          this.callbacks.onSelectionChange?.(this.#selected.size);
        });
        return box;
      },
    );
  }

  #detailsColumn(): ColumnDefinition {
    return this.#controlColumn(DETAILS_COLUMN, 'Details', 36, () => hiddenText('Details'), (e) => {
      const open = this.#expanded.has(e.id);
      const b = button(`Details ${this.#columns.nameOf(e)}`, open ? '▾' : '▸', 'details-button');
      b.setAttribute('aria-expanded', String(open));
      b.addEventListener('click', () => this.callbacks.onToggleDetails?.(e));
      return b;
    });
  }

  #deleteColumn(): ColumnDefinition {
    return this.#controlColumn(DELETE_COLUMN, 'Delete', 44, () => hiddenText('Delete'), (e) => {
      const b = button(`Delete ${this.#columns.nameOf(e)}`, '🗑', 'delete-button');
      b.addEventListener('click', () => this.callbacks.onDeleteRequest?.(e));
      return b;
    });
  }

  #refreshSelectCells(): void {
    for (const box of this.element.querySelectorAll<HTMLInputElement>('input.select-row')) box.checked = this.#selected.has(box.dataset.id ?? '');
    const all = this.element.querySelector<HTMLInputElement>('input.select-all');
    if (all && this.#selected.size === 0) all.checked = false;
  }

  #markFilterButtons(): void {
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('button.filter-button')) {
      const on = this.#filterActive.has(b.dataset.attribute ?? '');
      b.classList.toggle('filter-on', on);
      b.setAttribute('aria-pressed', String(on));
    }
  }

  #columnDefinition(attr: Attribute, width?: number): ColumnDefinition {
    const def: ColumnDefinition = {
      title: attr.label,
      field: attr.id,
      width: width ?? WIDTHS[attr.id] ?? KIND_WIDTHS[attr.kind] ?? 150,
      resizable: true,
      sorter: ((_a: unknown, _b: unknown, aRow: RowComponent, bRow: RowComponent, _c: unknown, dir: 'asc' | 'desc') => {
        const ea = aRow.getData() as Experiment;
        const eb = bRow.getData() as Experiment;
        const rank = this.#rankFor(attr);
        if (!rank) return compareValues(attr.get(ea), attr.get(eb));
        return rankValue(rank, ea, dir) - rankValue(rank, eb, dir);
      }) as ColumnDefinition['sorter'],
      titleFormatter: (() => {
        const wrap = document.createElement('span');
        wrap.className = 'col-title';
        const text = wrap.appendChild(document.createElement('span'));
        text.className = 'col-title-text';
        text.textContent = attr.label;
        text.title = clipText(attr.id, LABEL_LIMIT);
        // Sorting from the keyboard: Tabulator's headers only sort on a click.
        text.tabIndex = 0;
        text.setAttribute('role', 'button');
        text.setAttribute('aria-label', clipText(`Sort by ${attr.label}`, LABEL_LIMIT));
        text.addEventListener('keydown', (ev) => {
          if (ev.key !== 'Enter' && ev.key !== ' ') return;
          ev.preventDefault();
          ev.stopPropagation();
          this.#userSort = true;
          const current = this.#table?.getSorters().find((s) => s.field === attr.id)?.dir;
          this.#table?.setSort(attr.id, current === 'asc' ? 'desc' : 'asc');
        });
        const b = button(`Filter ${attr.label}`, '', 'filter-button');
        b.append(funnelIcon());
        b.dataset.attribute = attr.id;
        const on = this.#filterActive.has(attr.id);
        b.classList.toggle('filter-on', on);
        b.setAttribute('aria-pressed', String(on));
        b.addEventListener('click', () => this.callbacks.onFilterButton?.(attr, b));
        wrap.append(b);
        return wrap;
      }) as unknown as ColumnDefinition['titleFormatter'],
      // Tabulator appends any Node it is given; a Text node keeps data out of innerHTML.
      formatter: ((cell: CellComponent) => this.#formatCell(attr, cell)) as unknown as ColumnDefinition['formatter'],
    };
    if (attr.kind === 'number') def.hozAlign = 'right';
    return def;
  }

  #formatCell(attr: Attribute, cell: CellComponent): HTMLElement | Text {
    const e = cell.getData() as Experiment;
    if (attr.id === 'status') {
      const badge = document.createElement('span');
      badge.className = `status status-${e.status}`;
      badge.setAttribute('part', `status status-${e.status}`);
      const icon = badge.appendChild(document.createElement('span'));
      icon.className = 'status-icon';
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = STATUS_ICONS[e.status];
      badge.append(STATUS_LABELS[e.status]);
      const raw = e.statusDetail?.raw;
      if (raw && raw.toLowerCase() !== e.status) badge.title = clipText(`${STATUS_LABELS[e.status]} (source: ${raw})${e.statusDetail?.reason ? ` ${e.statusDetail.reason}` : ''}`, LABEL_LIMIT);
      return badge;
    }
    const v = attr.get(e);
    if (attr.id === 'tags' && Array.isArray(v)) {
      const wrap = document.createElement('span');
      for (const t of v) {
        const chip = wrap.appendChild(document.createElement('span'));
        chip.className = 'tag';
        chip.textContent = clipText(t, CELL_TEXT_LIMIT);
      }
      return wrap;
    }
    const text = formatWhole(attr, v);
    if (text.length <= CELL_TEXT_LIMIT) return document.createTextNode(text);
    // Cut: the tooltip says so; the row's details hold the whole value.
    const cut = document.createElement('span');
    cut.textContent = clipText(text, CELL_TEXT_LIMIT);
    cut.title = `${clipText(text, 200)} (${text.length.toLocaleString('en-US')} characters, cut for display: the details show more)`;
    return cut;
  }

  // ---- keyboard ----

  /**
   * The grid itself takes focus (Tabulator's scroll holder is a bare focusable div inside
   * role=grid, which screen readers and axe reject); arrow keys then move an active row,
   * announced through aria-activedescendant; Enter opens its detail.
   */
  #setUpKeyboard(): void {
    const table = this.#table;
    if (!table) return;
    const holder = this.element.querySelector<HTMLElement>('.tabulator-tableholder');
    holder?.removeAttribute('tabindex');
    this.element.tabIndex = 0;
    this.element.setAttribute('aria-label', 'Experiments');
    this.element.addEventListener('keydown', (ev) => {
      if (ev.target !== this.element) return;
      const rows = table.getRows('active');
      if (rows.length === 0) return;
      const page = Math.max(1, Math.floor((holder?.clientHeight ?? 300) / 30) - 1);
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
      const move = moves[ev.key];
      if (move !== undefined) {
        ev.preventDefault();
        const current = this.#activeId === undefined ? -1 : rows.findIndex((r) => r.getIndex() === this.#activeId);
        const next = Math.max(0, Math.min(rows.length - 1, current < 0 && move > 0 && Number.isFinite(move) ? 0 : current + move));
        void this.#activate(rows[next]!);
      } else if (ev.key === 'Enter' || ev.key === ' ') {
        const row = this.#activeId === undefined ? undefined : table.getRow(this.#activeId);
        if (row) {
          ev.preventDefault();
          this.callbacks.onToggleDetails?.(row.getData() as Experiment);
        }
      } else if (ev.key === 'Delete' && this.#columns.deletable) {
        const row = this.#activeId === undefined ? undefined : table.getRow(this.#activeId);
        if (row) {
          ev.preventDefault();
          this.callbacks.onDeleteRequest?.(row.getData() as Experiment);
        }
      }
    });
  }

  async #activate(row: RowComponent): Promise<void> {
    this.#activeId = String(row.getIndex());
    await this.#table?.scrollToRow(row, 'nearest', false);
    this.#markActive(row);
  }

  /** New data makes new row elements: the active row is marked again on its new element. */
  #remarkActive(): void {
    if (this.#activeId === undefined) return;
    if (!this.#ids.has(this.#activeId)) {
      this.#activeId = undefined;
      this.element.removeAttribute('aria-activedescendant');
      return;
    }
    const row = this.#table?.getRow(this.#activeId);
    if (row) this.#markActive(row);
  }

  #markActive(row: RowComponent): void {
    for (const el of this.element.querySelectorAll('.row-active')) {
      el.classList.remove('row-active');
      el.removeAttribute('aria-selected');
    }
    const el = row.getElement();
    el.classList.add('row-active');
    el.id ||= `row-${Math.random().toString(36).slice(2)}`;
    el.setAttribute('aria-selected', 'true');
    this.element.setAttribute('aria-activedescendant', el.id);
  }
}
