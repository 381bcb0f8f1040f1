// What the table's columns look like: column definitions, cell and header formatting, group
// headers. Plain functions given what they need; the controller owns the state they read.
import type { CellComponent, ColumnDefinition, RowComponent } from 'tabulator-tables';
import type { Attribute, AttributeValue } from '../../../data/attributes.js';
import { clipText, formatDuration, formatNumber, formatTime } from '../../../data/format.js';
import type { Experiment, Goal, Status } from '../../../data/types.js';
import { STATUS_LABELS } from '../../../shared/status.js';
import { chevronIcon, funnelIcon, statusIcon, trashIcon } from './icons.js';
import { EMPTY_GROUP, compareValues, groupAggregate, rankValue } from './ranks.js';

export { STATUS_LABELS };

/** Default widths by attribute id, then by kind: fixed widths avoid Tabulator's costly auto-fit. */
const WIDTHS: Record<string, number> = { status: 130, name: 260, mainMetric: 130, operator: 150, 'times.started': 160, duration: 110, group: 220, tags: 180 };
const KIND_WIDTHS: Record<string, number> = { number: 120, date: 160, text: 170, enum: 130, list: 180, boolean: 90 };
/** Below this width (px) the table is laid out for a phone: narrow columns, status as its icon. */
export const NARROW_TABLE = 600;
/** Widths on a phone: status, name and main metric fit beside the row's controls in 360 px. */
const NARROW_WIDTHS: Record<string, number> = { status: 36, name: 116, mainMetric: 92 };
const NARROW_OTHER = 110;

/** A column's width on a phone: the narrow one, or the user's when that is narrower. */
export function narrowWidth(attr: Attribute, chosen: number | undefined): number {
  const narrow = NARROW_WIDTHS[attr.id] ?? Math.min(NARROW_OTHER, KIND_WIDTHS[attr.kind] ?? NARROW_OTHER);
  return chosen === undefined ? narrow : Math.min(chosen, narrow);
}

/** Columns that stay at the left while the table scrolls sideways, when they lead. */
const FROZEN = new Set(['status', 'name']);

/** How many of the leading columns (ids in order) stay at the left: status and name, when first. */
export function frozenPrefix(ids: readonly string[]): number {
  let n = 0;
  while (n < ids.length && FROZEN.has(ids[n] as string)) n++;
  return n;
}

const SELECT_COLUMN = '__select';
const DETAILS_COLUMN = '__details';
export const DELETE_COLUMN = '__delete';

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

/** A column title that screen readers read and the narrow header does not show. */
function hiddenText(text: string): HTMLElement {
  const s = document.createElement('span');
  s.className = 'visually-hidden';
  s.textContent = text;
  return s;
}

/** Names in button labels and tooltips are cut: a screen reader should not read out 100 KB. */
const LABEL_LIMIT = 200;

/** Keeps Tabulator from starting a column drag, a sort or a row click on a control in a cell or header. */
function ownEvents<T extends HTMLElement>(el: T): T {
  for (const ev of ['mousedown', 'pointerdown', 'click', 'keydown']) el.addEventListener(ev, (e) => e.stopPropagation());
  return el;
}

function button(label: string, icon: SVGSVGElement, className: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.setAttribute('aria-label', clipText(label, LABEL_LIMIT));
  b.title = clipText(label, LABEL_LIMIT);
  b.append(icon);
  return ownEvents(b);
}

/** A group's header: attribute, value, count, and the best and mean main metric of its records. */
export function groupHeader(attr: Attribute, value: unknown, count: number, data: Experiment[], goal: Goal): HTMLElement {
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
  const agg = groupAggregate(data, goal);
  if (agg.best !== undefined) {
    const a = el.appendChild(document.createElement('span'));
    a.className = 'group-agg';
    // The best is one of the column's values, printed as its cell prints it; the mean no finer
    // than the values it is the mean of (0.5, 0.25, 0.26 → 0.34, not 0.336667).
    a.textContent = ` · best ${formatNumber(agg.best)} · mean ${formatAtMost(agg.mean, shownDecimals(data))}`;
  }
  return el;
}

/** Values read to find how many decimals a column shows: a group may hold 100,000 records. */
const DECIMALS_SAMPLE = 1000;

/** Decimals the main-metric cells of (up to DECIMALS_SAMPLE of) `data` show at most. */
function shownDecimals(data: readonly Experiment[]): number {
  let most = 0;
  for (let i = 0; i < data.length && i < DECIMALS_SAMPLE; i++) {
    const v = data[i]?.mainMetric?.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || Number.isInteger(v)) continue;
    // At 6 significant digits a value prints at most 5 − its exponent decimals: one that cannot
    // print more than `most` is not formatted (a regroup builds every header, each reading up to
    // 1,000 values; formatting them all was most of its time). A value printed in exponent form
    // has a bound of 10 or more, or one below 1: never skipped.
    const abs = Math.abs(v);
    let exponent = Math.floor(Math.log10(abs));
    if (10 ** exponent > abs) exponent -= 1;
    const bound = 5 - exponent;
    if (bound > 0 && bound <= most) continue;
    const text = formatNumber(v);
    const dot = text.indexOf('.');
    if (text.includes('e')) return Infinity;
    if (dot >= 0) most = Math.max(most, text.length - dot - 1);
  }
  return most;
}

/** `value` as formatNumber prints it, with at most `decimals` decimals. */
function formatAtMost(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value) || decimals === Infinity) return formatNumber(value);
  const rounded = Number(value.toFixed(Math.min(decimals, 20)));
  return formatNumber(rounded);
}

/** A narrow column of per-row controls: fixed, not sortable, not resizable. */
function controlColumn(field: string, title: string, width: number, header: () => HTMLElement, cell: (e: Experiment) => HTMLElement): ColumnDefinition {
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

/**
 * The per-row checkboxes, and one in the header for every `shown` row: they change `selected`,
 * then call `changed` (`all` when the header's box was used).
 */
export function selectColumn(nameOf: (e: Experiment) => string, selected: Set<string>, shown: () => readonly Experiment[], changed: (all: boolean) => void): ColumnDefinition {
  const checkbox = (className: string, label: string) => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = className;
    box.setAttribute('aria-label', clipText(label, LABEL_LIMIT));
    return ownEvents(box);
  };
  return controlColumn(
    SELECT_COLUMN,
    'Select',
    36,
    () => {
      const box = checkbox('select-all', 'Select all shown experiments');
      box.addEventListener('change', () => {
        if (box.checked) for (const e of shown()) selected.add(e.id);
        else selected.clear();
        changed(true);
      });
      return box;
    },
    (e) => {
      const box = checkbox('select-row', `Select ${nameOf(e)}`);
      box.dataset.id = e.id;
      box.checked = selected.has(e.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(e.id);
        else selected.delete(e.id);
        box.closest('.tabulator-row')?.classList.toggle('row-selected', box.checked);
        changed(false);
      });
      return box;
    },
  );
}

/** The checkboxes drawn in `root` show `selected`; the header's is cleared with the selection. */
export function refreshSelectCells(root: HTMLElement, selected: ReadonlySet<string>): void {
  for (const box of root.querySelectorAll<HTMLInputElement>('input.select-row')) {
    box.checked = selected.has(box.dataset.id ?? '');
    box.closest('.tabulator-row')?.classList.toggle('row-selected', box.checked);
  }
  const all = root.querySelector<HTMLInputElement>('input.select-all');
  if (all && selected.size === 0) all.checked = false;
}

/** What the control columns report: the row a button was pressed in. */
interface RowActions {
  onToggleDetails?: (e: Experiment) => void;
  onDeleteRequest?: (e: Experiment) => void;
  onFilterButton?: (attribute: Attribute, anchor: HTMLElement) => void;
}

export function detailsColumn(nameOf: (e: Experiment) => string, expanded: ReadonlySet<string>, actions: RowActions): ColumnDefinition {
  return controlColumn(DETAILS_COLUMN, 'Details', 36, () => hiddenText('Details'), (e) => {
    const open = expanded.has(e.id);
    const b = button(`Details ${nameOf(e)}`, chevronIcon(), 'details-button');
    b.setAttribute('aria-expanded', String(open));
    b.addEventListener('click', () => actions.onToggleDetails?.(e));
    return b;
  });
}

export function deleteColumn(nameOf: (e: Experiment) => string, actions: RowActions): ColumnDefinition {
  return controlColumn(DELETE_COLUMN, 'Delete', 44, () => hiddenText('Delete'), (e) => {
    const b = button(`Delete ${nameOf(e)}`, trashIcon(), 'delete-button');
    b.addEventListener('click', () => actions.onDeleteRequest?.(e));
    return b;
  });
}

/** The filter buttons drawn in `root` show which columns are filtered. */
export function markFilterButtons(root: HTMLElement, active: ReadonlySet<string>): void {
  for (const b of root.querySelectorAll<HTMLButtonElement>('button.filter-button')) {
    const on = active.has(b.dataset.attribute ?? '');
    b.classList.toggle('filter-on', on);
    b.setAttribute('aria-pressed', String(on));
  }
}

/**
 * An attribute's column: its value read through the attribute catalogue, sorted by the ranks
 * `rankFor` gives (values compared when it gives none). The header's title sorts on Enter or
 * Space (`onSortKey`), its filter button shows whether `filtered` has the column and reports a
 * press to `actions`.
 */
export function attributeColumn(
  attr: Attribute,
  width: number | undefined,
  rankFor: (attr: Attribute) => Int32Array | undefined,
  filtered: ReadonlySet<string>,
  onSortKey: (attr: Attribute) => void,
  actions: RowActions,
): ColumnDefinition {
  const def: ColumnDefinition = {
    title: attr.label,
    field: attr.id,
    width: width ?? WIDTHS[attr.id] ?? KIND_WIDTHS[attr.kind] ?? 150,
    // From the header's edge only: a handle in every cell was 8 more elements in each drawn row
    // (re-laid and re-sized at each render) for a grip few users look for below the header.
    resizable: 'header',
    sorter: ((_a: unknown, _b: unknown, aRow: RowComponent, bRow: RowComponent, _c: unknown, dir: 'asc' | 'desc') => {
      const ea = aRow.getData() as Experiment;
      const eb = bRow.getData() as Experiment;
      const rank = rankFor(attr);
      if (!rank) return compareValues(attr.get(ea), attr.get(eb));
      return rankValue(rank, ea, dir) - rankValue(rank, eb, dir);
    }) as ColumnDefinition['sorter'],
    titleFormatter: (() => {
      const wrap = document.createElement('span');
      wrap.className = 'col-title';
      const text = wrap.appendChild(document.createElement('span'));
      text.className = 'col-title-text';
      text.textContent = attr.label;
      // The whole title when the column cuts it (on a phone), with the attribute it shows.
      text.title = clipText(attr.label === attr.id ? attr.id : `${attr.label} (${attr.id})`, LABEL_LIMIT);
      // Sorting from the keyboard: Tabulator's headers only sort on a click.
      text.tabIndex = 0;
      text.setAttribute('role', 'button');
      text.setAttribute('aria-label', clipText(`Sort by ${attr.label}`, LABEL_LIMIT));
      text.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Enter' && ev.key !== ' ') return;
        ev.preventDefault();
        ev.stopPropagation();
        onSortKey(attr);
      });
      const b = button(`Filter ${attr.label}`, funnelIcon(), 'filter-button');
      b.dataset.attribute = attr.id;
      const on = filtered.has(attr.id);
      b.classList.toggle('filter-on', on);
      b.setAttribute('aria-pressed', String(on));
      b.addEventListener('click', () => actions.onFilterButton?.(attr, b));
      wrap.append(b);
      return wrap;
    }) as unknown as ColumnDefinition['titleFormatter'],
    // Tabulator appends any Node it is given; a Text node keeps data out of innerHTML.
    formatter: ((cell: CellComponent) => formatCell(attr, cell.getData() as Experiment)) as unknown as ColumnDefinition['formatter'],
  };
  if (attr.kind === 'number') def.hozAlign = 'right';
  return def;
}

/** A record's cell for an attribute: a status badge, tag chips, or text (cut at CELL_TEXT_LIMIT). */
export function formatCell(attr: Attribute, e: Experiment): HTMLElement | Text {
  if (attr.id === 'status') {
    const badge = document.createElement('span');
    badge.className = `status status-${e.status}`;
    badge.setAttribute('part', `status status-${e.status}`);
    const icon = badge.appendChild(document.createElement('span'));
    icon.className = 'status-icon';
    icon.append(statusIcon(e.status));
    const label = badge.appendChild(document.createElement('span'));
    label.className = 'status-label';
    label.textContent = STATUS_LABELS[e.status] ?? String(e.status);
    const raw = e.statusDetail?.raw;
    if (raw && raw.toLowerCase() !== e.status) badge.title = clipText(`${STATUS_LABELS[e.status]} (source: ${raw})${e.statusDetail?.reason ? ` ${e.statusDetail.reason}` : ''}`, LABEL_LIMIT);
    // On a phone the word is hidden (styles: .narrow): the tooltip says it.
    else badge.title = label.textContent;
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
  // A parameter typed from text (MLflow's "1e-3") is shown as logged, sorted as a number.
  const text = attr.text?.(e) ?? formatWhole(attr, v);
  if (attr.id === 'name' && text.length <= CELL_TEXT_LIMIT) {
    // A name cut by its column (on a phone, or a long one) can still be read whole.
    const name = document.createElement('span');
    name.textContent = text;
    name.title = clipText(text, LABEL_LIMIT);
    return name;
  }
  if (text.length <= CELL_TEXT_LIMIT) return document.createTextNode(text);
  // Cut: the tooltip says so; the row's details hold the whole value.
  const cut = document.createElement('span');
  cut.textContent = clipText(text, CELL_TEXT_LIMIT);
  cut.title = `${clipText(text, 200)} (${text.length.toLocaleString('en-US')} characters, cut for display: the details show more)`;
  return cut;
}
