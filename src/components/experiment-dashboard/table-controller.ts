import type { ColumnDefinition, RowComponent, CellComponent, Tabulator as TabulatorInstance } from 'tabulator-tables';
import type { Attribute, AttributeValue } from '../../data/attributes.js';
import { formatDuration, formatNumber, formatTime } from '../../data/format.js';
import type { Experiment, Status } from '../../data/types.js';
import { tabulatorClass } from './tabulator.js';

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
const WIDTHS: Record<string, number> = { status: 130, name: 260, mainMetric: 120, operator: 150, 'times.started': 160, duration: 100, group: 220, tags: 180 };
const KIND_WIDTHS: Record<string, number> = { number: 110, date: 160, text: 170, enum: 130, list: 180, boolean: 90 };

export interface TableCallbacks {
  /** The user changed the sort, moved or resized a column. */
  onLayoutChange?: () => void;
  /** Enter or Space on the active row. */
  onRowActivate?: (e: Experiment) => void;
}

export interface ColumnState {
  id: string;
  width?: number;
}

/** Renders a value as a text node: experiment strings never become HTML. */
function textNode(s: string): Text {
  return document.createTextNode(s);
}

export function formatValue(attr: Attribute, v: AttributeValue): string {
  if (v === undefined || v === null) return '';
  if (attr.id === 'duration' && typeof v === 'number') return formatDuration(v);
  if (attr.id === 'host.memoryBytes' && typeof v === 'number') return `${formatNumber(v / 1024 ** 3)} GiB`;
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (attr.kind === 'date') return formatTime(v);
  return v;
}

function compareValues(a: AttributeValue, b: AttributeValue): number {
  // Empty values sort last in ascending order, NaN just before them.
  const ea = a === undefined || a === null || a === '';
  const eb = b === undefined || b === null || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
    return a - b;
  }
  const sa = Array.isArray(a) ? a.join(', ') : String(a);
  const sb = Array.isArray(b) ? b.join(', ') : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The one place that touches Tabulator: turns the dashboard's view (columns, data) into
 * Tabulator calls and Tabulator's callbacks into ours. Row data are the experiment records
 * themselves (no copies); every column reads its value through the attribute catalogue.
 */
export class TableController {
  #table?: TabulatorInstance;
  #built: Promise<void>;
  #columns: Attribute[] = [];
  #data: Experiment[] = [];

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
    });
    table.on('tableBuilt', () => {
      this.#setUpKeyboard();
      resolveBuilt();
    });
    for (const ev of ['dataSorted', 'columnMoved', 'columnResized'] as const) table.on(ev, () => this.callbacks.onLayoutChange?.());
    this.#table = table;
  }

  get built(): Promise<void> {
    return this.#built;
  }

  /** Sets the visible columns, in order, keeping any width the user gave them. */
  async setColumns(columns: Attribute[], widths: Record<string, number> = {}): Promise<void> {
    await this.#built;
    this.#columns = columns;
    this.#table?.setColumns(columns.map((a) => this.#columnDefinition(a, widths[a.id])));
  }

  async setData(experiments: Experiment[]): Promise<void> {
    await this.#built;
    this.#data = experiments;
    await this.#table?.setData(experiments);
  }

  /** Re-renders visible rows after records changed in place (e.g. a new main metric). */
  async refresh(): Promise<void> {
    await this.#built;
    await this.#table?.replaceData(this.#data);
  }

  /** Rows currently shown (after filters), in display order. */
  visibleRowCount(): number {
    return this.#table?.getDataCount('active') ?? 0;
  }

  redraw(): void {
    this.#table?.redraw(true);
  }

  destroy(): void {
    this.#table?.destroy();
    this.#table = undefined;
  }

  /**
   * The grid itself takes focus (Tabulator's scroll holder is a bare focusable div inside
   * role=grid, which screen readers and axe reject); arrow keys then move an active row,
   * announced through aria-activedescendant.
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
          this.callbacks.onRowActivate?.(row.getData() as Experiment);
        }
      }
    });
  }

  #activeId?: string;

  async #activate(row: RowComponent): Promise<void> {
    this.#activeId = String(row.getIndex());
    await this.#table?.scrollToRow(row, 'nearest', false);
    this.#markActive();
  }

  /** Re-applies the active-row mark; rows are recycled by the virtual renderer. */
  #markActive(): void {
    for (const el of this.element.querySelectorAll('.row-active')) el.classList.remove('row-active');
    const row = this.#activeId === undefined ? undefined : this.#table?.getRow(this.#activeId);
    const el = row ? row.getElement() : undefined;
    if (!el) {
      this.element.removeAttribute('aria-activedescendant');
      return;
    }
    el.classList.add('row-active');
    el.id ||= `row-${Math.random().toString(36).slice(2)}`;
    el.setAttribute('aria-selected', 'true');
    this.element.setAttribute('aria-activedescendant', el.id);
  }

  #columnDefinition(attr: Attribute, width?: number): ColumnDefinition {
    const get = attr.get;
    const def: ColumnDefinition = {
      title: attr.label,
      field: attr.id,
      width: width ?? WIDTHS[attr.id] ?? KIND_WIDTHS[attr.kind] ?? 150,
      resizable: true,
      sorter: (_a: unknown, _b: unknown, aRow: RowComponent, bRow: RowComponent) => compareValues(get(aRow.getData() as Experiment), get(bRow.getData() as Experiment)),
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
      if (raw && raw.toLowerCase() !== e.status) badge.title = `${STATUS_LABELS[e.status]} (source: ${raw})${e.statusDetail?.reason ? ` ${e.statusDetail.reason}` : ''}`;
      return badge;
    }
    const text = formatValue(attr, attr.get(e));
    if (attr.id === 'tags' && Array.isArray(attr.get(e))) {
      const wrap = document.createElement('span');
      for (const t of attr.get(e) as string[]) {
        const chip = wrap.appendChild(document.createElement('span'));
        chip.className = 'tag';
        chip.textContent = t;
      }
      return wrap;
    }
    return textNode(text);
  }
}
