import type { RowComponent, Tabulator } from 'tabulator-tables';
import type { Experiment } from '../../../data/types.js';

export interface GridKeyboardHooks {
  /** Enter or Space on the active row. */
  onToggleDetails?: (e: Experiment) => void;
  /** Delete on the active row, when `deletable()`. */
  onDeleteRequest?: (e: Experiment) => void;
  /** Right (open) or Left (close) on the active row: its child runs, as a tree grid does. */
  onFamilyKey?: (e: Experiment, open: boolean) => void;
}

/**
 * The grid itself takes focus (Tabulator's scroll holder is a bare focusable div inside
 * role=grid, which screen readers and axe reject: the table controller makes the grid focusable
 * and loads this on its first focus); arrow keys then move an active row, announced through
 * aria-activedescendant; Enter opens its detail. Returns the handler of the grid's keys (also
 * given the keys pressed before this loaded), and what marks the active row again after new data
 * (new row elements), or forgets it when `ids` lacks it.
 */
export function setUpKeyboard(
  element: HTMLElement,
  table: Tabulator,
  hooks: GridKeyboardHooks,
  deletable: () => boolean,
): { onKey: (ev: KeyboardEvent) => void; remark: (ids: ReadonlySet<string>) => void } {
  let activeId: string | undefined;
  const markActive = (row: RowComponent): void => {
    for (const el of element.querySelectorAll('.row-active')) {
      el.classList.remove('row-active');
      el.removeAttribute('aria-selected');
    }
    const el = row.getElement();
    el.classList.add('row-active');
    el.id ||= `row-${Math.random().toString(36).slice(2)}`;
    el.setAttribute('aria-selected', 'true');
    element.setAttribute('aria-activedescendant', el.id);
  };
  const activate = async (row: RowComponent): Promise<void> => {
    activeId = String(row.getIndex());
    await table.scrollToRow(row, 'nearest', false);
    markActive(row);
  };
  const holder = element.querySelector<HTMLElement>('.tabulator-tableholder');
  const onKey = (ev: KeyboardEvent): void => {
    // The rows drawn: not those of a collapsed group or under a collapsed parent run.
    // ('display' is Tabulator's, missing from its types.)
    const rows = (table.getRows('display' as 'active') as (RowComponent | { getIndex?: unknown })[]).filter((r): r is RowComponent => typeof r.getIndex === 'function');
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((holder?.clientHeight ?? 300) / 30) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const move = moves[ev.key];
    if (move !== undefined) {
      ev.preventDefault();
      const current = activeId === undefined ? -1 : rows.findIndex((r) => r.getIndex() === activeId);
      const next = Math.max(0, Math.min(rows.length - 1, current < 0 && move > 0 && Number.isFinite(move) ? 0 : current + move));
      void activate(rows[next]!);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      const row = activeId === undefined ? undefined : table.getRow(activeId);
      if (row) {
        ev.preventDefault();
        hooks.onToggleDetails?.(row.getData() as Experiment);
      }
    } else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      const row = activeId === undefined ? undefined : table.getRow(activeId);
      if (row && hooks.onFamilyKey) {
        ev.preventDefault();
        hooks.onFamilyKey(row.getData() as Experiment, ev.key === 'ArrowRight');
      }
    } else if (ev.key === 'Delete' && deletable()) {
      const row = activeId === undefined ? undefined : table.getRow(activeId);
      if (row) {
        ev.preventDefault();
        hooks.onDeleteRequest?.(row.getData() as Experiment);
      }
    }
  };
  element.addEventListener('keydown', (ev) => {
    if (ev.target === element) onKey(ev);
  });
  const remark = (ids: ReadonlySet<string>): void => {
    if (activeId === undefined) return;
    if (!ids.has(activeId)) {
      activeId = undefined;
      element.removeAttribute('aria-activedescendant');
      return;
    }
    const row = table.getRow(activeId);
    if (row) markActive(row);
  };
  return { onKey, remark };
}
