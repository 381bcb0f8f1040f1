import type { RowComponent, Tabulator } from 'tabulator-tables';
import type { Experiment } from '../../../data/types.js';

export interface GridKeyboardHooks {
  /** Enter or Space on the active row. */
  onToggleDetails(e: Experiment): void;
  /** Delete on the active row, when rows can be deleted. */
  onDeleteRequest(e: Experiment): void;
  deletable(): boolean;
}

/**
 * The grid itself takes focus (Tabulator's scroll holder is a bare focusable div inside
 * role=grid, which screen readers and axe reject); arrow keys then move an active row,
 * announced through aria-activedescendant; Enter opens its detail.
 */
export class GridKeyboard {
  #activeId?: string;

  constructor(
    private readonly element: HTMLElement,
    private readonly table: Tabulator,
    private readonly hooks: GridKeyboardHooks,
  ) {
    const holder = element.querySelector<HTMLElement>('.tabulator-tableholder');
    holder?.removeAttribute('tabindex');
    element.tabIndex = 0;
    element.setAttribute('aria-label', 'Experiments');
    element.addEventListener('keydown', (ev) => {
      if (ev.target !== element) return;
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
          hooks.onToggleDetails(row.getData() as Experiment);
        }
      } else if (ev.key === 'Delete' && hooks.deletable()) {
        const row = this.#activeId === undefined ? undefined : table.getRow(this.#activeId);
        if (row) {
          ev.preventDefault();
          hooks.onDeleteRequest(row.getData() as Experiment);
        }
      }
    });
  }

  async #activate(row: RowComponent): Promise<void> {
    this.#activeId = String(row.getIndex());
    await this.table.scrollToRow(row, 'nearest', false);
    this.#markActive(row);
  }

  /** New data makes new row elements: the active row is marked again on its new element, or forgotten when `ids` lacks it. */
  remark(ids: ReadonlySet<string>): void {
    if (this.#activeId === undefined) return;
    if (!ids.has(this.#activeId)) {
      this.#activeId = undefined;
      this.element.removeAttribute('aria-activedescendant');
      return;
    }
    const row = this.table.getRow(this.#activeId);
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
