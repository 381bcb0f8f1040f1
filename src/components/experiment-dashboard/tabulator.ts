import { GroupRowsModule, Module, MoveColumnsModule, ResizeColumnsModule, ResizeTableModule, SortModule, Tabulator } from 'tabulator-tables';
import type { CellComponent, ColumnComponent } from 'tabulator-tables';

/*
 * Three small modules of our own, written against Tabulator's module API (the way its own modules
 * are written), in place of three of its modules whose size is mostly features we never use:
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

/** The `cellClick` table event (`table.on('cellClick', (ev, cell) => …)`). */
class CellClicks extends Module {
  static override moduleName = 'cellClicks';

  override initialize(): void {
    this.subscribe('cell-click', ((ev: MouseEvent, cell: InternalCell) => this.dispatchExternal('cellClick', ev, cell.getComponent())) as (...args: unknown[]) => unknown);
  }
}

/**
 * The Tabulator modules the dashboard registers, once. Core Tabulator plus only these (never
 * TabulatorFull) keeps the table bundle small; a test pins this list so it only grows on purpose.
 */
export const TABLE_MODULES = {
  CellClicks,
  CellNodes,
  GroupRowsModule,
  MoveColumnsModule,
  ResizeColumnsModule,
  ResizeTableModule,
  RowPredicate,
  SortModule,
} as const;

/** The table with a row predicate (RowPredicate above). */
export type DashboardTabulator = Tabulator & { setRowPredicate(predicate: ((data: unknown) => boolean) | undefined): void };

let registered = false;

export function tabulatorClass(): typeof Tabulator {
  if (!registered) {
    Tabulator.registerModule(Object.values(TABLE_MODULES) as unknown as Parameters<typeof Tabulator.registerModule>[0]);
    registered = true;
  }
  return Tabulator;
}
