import {
  FilterModule,
  FormatModule,
  GroupRowsModule,
  InteractionModule,
  MoveColumnsModule,
  ResizeColumnsModule,
  ResizeTableModule,
  SortModule,
  Tabulator,
} from 'tabulator-tables';

/**
 * The Tabulator modules the dashboard uses, registered once. Core Tabulator plus only these
 * (never TabulatorFull) keeps the table bundle small; a test pins this list so it only grows
 * on purpose.
 */
export const TABLE_MODULES = {
  FilterModule,
  FormatModule,
  GroupRowsModule,
  InteractionModule,
  MoveColumnsModule,
  ResizeColumnsModule,
  ResizeTableModule,
  SortModule,
} as const;

let registered = false;

export function tabulatorClass(): typeof Tabulator {
  if (!registered) {
    Tabulator.registerModule(Object.values(TABLE_MODULES));
    registered = true;
  }
  return Tabulator;
}
