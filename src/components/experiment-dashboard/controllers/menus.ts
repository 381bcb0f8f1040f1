import { nothing, type ReactiveControllerHost } from 'lit';
import type { ColumnFilter } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import type { AttributeCatalogueController } from './attribute-catalogue.js';
import type { LazyParts } from './lazy-parts.js';
import type { Popover, PopoverController } from './popover.js';
import type { TableBindingController } from './table-binding.js';
import type { ViewStateController } from './view-state.js';

type Loaded<F extends () => Promise<unknown>> = Awaited<ReturnType<F>>;
const popoverCode = () => import('../templates/popover-body.js');
const chooserCode = () => import('../../experiment-column-chooser/experiment-column-chooser.js');
const filterCode = () => import('../templates/filter-popover.js');
const exportCode = () => import('../templates/export-menu.js');

export interface MenusOptions {
  parts: LazyParts;
  store: () => ExperimentStore;
  viewState: ViewStateController;
  catalogue: AttributeCatalogueController;
  table: () => TableBindingController;
  /** Replaces the view's filters (a user's change). */
  setFilters: (filters: ColumnFilter[]) => void;
  onError: (message: string | undefined) => void;
}

/**
 * The element's floating panel and what it shows (column chooser, Export menu, a column's filter,
 * a cell's menu). The panel and each content load on first use: showing rows needs none of them.
 */
export class MenusController {
  #popover?: PopoverController;
  /** Closes the panel on Escape; put on the toolbar. */
  readonly onKeydown = (ev: KeyboardEvent): void => this.#popover?.onKeydown(ev);

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment },
    private readonly opts: MenusOptions,
  ) {}

  get current(): Popover | undefined {
    return this.#popover?.current;
  }

  open(p: Popover): void {
    const { parts } = this.opts;
    const load =
      p.kind === 'columns'
        ? parts.load('the column chooser', chooserCode)
        : p.kind === 'filter'
          ? parts.load('the filter editor', filterCode)
          : p.kind === 'export'
            ? parts.load('the export menu', exportCode)
            : undefined;
    const show = (m: Loaded<typeof popoverCode> | undefined) => {
      if (!m) return;
      this.#popover ??= new m.PopoverController(this.host);
      this.#popover.open(p, load);
    };
    const loaded = parts.loaded<Loaded<typeof popoverCode>>('the menus');
    if (loaded) show(loaded);
    else void this.preload().then(show);
  }

  /** Loads the panel's code (the element asks beside the data, so it is there when a user opens a menu). */
  preload() {
    return this.opts.parts.load('the menus', popoverCode);
  }

  render() {
    const { parts, store, viewState, catalogue, setFilters, onError } = this.opts;
    const body = parts.loaded<Loaded<typeof popoverCode>>('the menus')?.popoverBody;
    const table = this.opts.table();
    const filters = viewState.view.filters;
    const without = (attribute: string) => filters.filter((f) => f.attribute !== attribute);
    const rendered = body
      ? this.#popover?.render((p) =>
          body(p, {
            attributes: catalogue.known,
            columns: viewState.view.columns,
            onColumns: (columns) => viewState.apply({ columns }, 'user'),
            exportMenu: parts.loaded<Loaded<typeof exportCode>>('the export menu')?.exportMenu,
            shown: table.shown,
            exportContext: () => {
              onError(undefined);
              return { root: this.host.renderRoot, store: store(), shown: table.shownExperiments, columns: table.visibleAttributes(), onError };
            },
            filterPopover: parts.loaded<Loaded<typeof filterCode>>('the filter editor')?.filterPopover,
            filters,
            experiments: store().experiments,
            onFilter: (filter) => setFilters([...without(filter.attribute), filter]),
            onClearFilter: (attribute) => setFilters(without(attribute)),
            expanded: (id) => table.table?.isExpanded(id) ?? false,
            onToggleDetails: (e) => table.toggleDetails(e),
            close: () => this.#popover?.close(),
          }),
        )
      : undefined;
    return rendered ?? nothing;
  }
}
