import { css, html } from 'lit';
import { DEFAULT_COLUMNS } from '../../../data/attributes.js';
import type { ColumnFilter } from '../../../data/types.js';
import type { Loaded } from '../controllers/lazy-parts.js';
import type { MenusOptions } from '../controllers/menus.js';
import type { Popover } from '../controllers/popover.js';
import { cellMenu } from './cell-menu.js';
import type { ExportContext } from './export-menu.js';

/** The panel and its menus, adopted when the menus load (LazyParts), before a panel first opens. */
export const partStyles = css`
  .popover {
    position: absolute;
    z-index: 20;
    max-width: min(440px, 96%);
    max-height: 70vh;
    overflow: auto;
    padding: 8px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
  }
  .cell-menu {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .cell-menu button {
    text-align: left;
    padding: 4px 8px;
    border: none;
    background: transparent;
    cursor: pointer;
    max-width: 400px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .cell-menu button:hover,
  .cell-menu button:focus-visible {
    background: var(--_hover);
  }
`;

export { PopoverController } from '../controllers/popover.js';

// Loaded when a popover first opens (with the code of what it shows): showing rows does not need it.

type ExportCode = () => Promise<typeof import('./export-menu.js')>;
type FilterCode = () => Promise<typeof import('./filter-popover.js')>;

/** What the popover shows: the column chooser, the Export menu, a column's filter or a cell's menu. */
export function popoverBody(p: Popover, o: MenusOptions & { root: HTMLElement | DocumentFragment; close: () => void }) {
  const { parts, store, viewState, catalogue, setFilters, onError, close } = o;
  const table = o.table();
  const filters = viewState.view.filters;
  const without = (attribute: string) => filters.filter((f) => f.attribute !== attribute);
  const setFilter = (filter: ColumnFilter) => setFilters([...without(filter.attribute), filter]);
  if (p.kind === 'columns') {
    return html`<experiment-column-chooser
      .availableAttributes=${catalogue.known}
      .selected=${viewState.view.columns}
      .defaults=${[...DEFAULT_COLUMNS]}
      @columns-change=${(ev: CustomEvent<{ columns: string[] }>) => viewState.apply({ columns: ev.detail.columns }, 'user')}
    ></experiment-column-chooser>`;
  }
  if (p.kind === 'export') {
    const context = (): ExportContext => {
      close();
      onError(undefined);
      return { root: o.root, store: store(), shown: table.shownExperiments, columns: table.visibleAttributes(), onError };
    };
    return parts.loaded<Loaded<ExportCode>>('the export menu')?.exportMenu(table.shown, context);
  }
  if (p.kind === 'filter') {
    return parts.loaded<Loaded<FilterCode>>('the filter editor')?.filterPopover({
      attribute: p.attribute,
      filter: filters.find((f) => f.attribute === p.attribute.id),
      experiments: store().experiments,
      onApply: (filter) => (close(), setFilter(filter)),
      onClear: (attribute) => (close(), setFilters(without(attribute))),
      onCancel: close,
    });
  }
  return cellMenu({
    attribute: p.attribute,
    experiment: p.experiment,
    expanded: table.table?.isExpanded(p.experiment.id) ?? false,
    onFilter: (filter) => (close(), setFilter(filter)),
    onToggleDetails: () => (close(), table.toggleDetails(p.experiment)),
  });
}
