import { nothing, type ReactiveControllerHost } from 'lit';
import type { ColumnFilter } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import type { AttributeCatalogueController } from './attribute-catalogue.js';
import type { LazyParts, Loaded } from './lazy-parts.js';
import type { Popover, PopoverController } from './popover.js';
import type { TableBindingController } from './table-binding.js';
import type { ViewStateController } from './view-state.js';

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
    const body = this.opts.parts.loaded<Loaded<typeof popoverCode>>('the menus')?.popoverBody;
    const popover = this.#popover;
    return (body && popover?.render((p) => body(p, { ...this.opts, root: this.host.renderRoot, close: () => popover.close() }))) ?? nothing;
  }
}
