import { html } from 'lit';
import { DEFAULT_COLUMNS, type Attribute } from '../../../data/attributes.js';
import type { ColumnFilter, Experiment } from '../../../data/types.js';
import type { Popover } from '../controllers/popover.js';
import { cellMenu } from './cell-menu.js';
import type { ExportContext } from './export-menu.js';

// Loaded when a popover first opens (with the code of what it shows): showing rows does not need it.

export interface PopoverBodyOptions {
  attributes: readonly Attribute[];
  columns: readonly string[];
  onColumns: (columns: string[]) => void;
  /** The Export menu, once loaded; it asks for what to export when an action is chosen. */
  exportMenu: typeof import('./export-menu.js').exportMenu | undefined;
  shown: number;
  exportContext: () => ExportContext;
  /** A column's filter editor, once loaded. */
  filterPopover: typeof import('./filter-popover.js').filterPopover | undefined;
  filters: readonly ColumnFilter[];
  experiments: readonly Experiment[];
  onFilter: (filter: ColumnFilter) => void;
  onClearFilter: (attribute: string) => void;
  expanded: (id: string) => boolean;
  onToggleDetails: (e: Experiment) => void;
  close: () => void;
}

/** What the popover shows: the column chooser, the Export menu, a column's filter or a cell's menu. */
export function popoverBody(p: Popover, o: PopoverBodyOptions) {
  const { close } = o;
  if (p.kind === 'columns') {
    return html`<experiment-column-chooser
      .availableAttributes=${o.attributes}
      .selected=${o.columns}
      .defaults=${[...DEFAULT_COLUMNS]}
      @columns-change=${(ev: CustomEvent<{ columns: string[] }>) => o.onColumns(ev.detail.columns)}
    ></experiment-column-chooser>`;
  }
  if (p.kind === 'export') return o.exportMenu?.(o.shown, () => (close(), o.exportContext()));
  if (p.kind === 'filter') {
    return o.filterPopover?.({
      attribute: p.attribute,
      filter: o.filters.find((f) => f.attribute === p.attribute.id),
      experiments: o.experiments,
      onApply: (filter) => (close(), o.onFilter(filter)),
      onClear: (attribute) => (close(), o.onClearFilter(attribute)),
      onCancel: close,
    });
  }
  return cellMenu({
    attribute: p.attribute,
    experiment: p.experiment,
    expanded: o.expanded(p.experiment.id),
    onFilter: (filter) => (close(), o.onFilter(filter)),
    onToggleDetails: () => (close(), o.onToggleDetails(p.experiment)),
  });
}
export { PopoverController } from '../controllers/popover.js';
