// Grouped rows: a small Tabulator module of our own in place of Tabulator's GroupRowsModule
// (4.3 KB min+gzip of the table bundle), registered in tabulator.ts with the others.
import { Module } from 'tabulator-tables';
import type { Experiment } from '../../../data/types.js';
import { ordinalOf } from './ranks.js';

/** One level of grouping, outermost first (`table.setRowGroups`). */
export interface GroupLevel {
  /** Names the level: regrouping by the same ids keeps which groups are open. */
  id: string;
  /** A row's group at this level: rows whose keys are equal (SameValueZero) share a group. */
  key(data: Experiment): unknown;
  /**
   * Each ordinal's class (sort ranks, ranks.ts): rows of one class have one key, read from the
   * first of them and kept while the same classes are given; a negative class (no value), or
   * none, reads the row's own key at each regrouping.
   */
  classes?(): Int32Array | undefined;
  /** A group header's content: the group's key, and its rows (those of its subgroups too) after filtering. */
  header(key: unknown, count: number, rows: Experiment[]): Node;
}

/** What the module reaches beyond the typed Module API: the display pipeline and Tabulator's rows. */
interface Internals {
  registerDisplayHandler(handler: (rows: PipelineRow[]) => PipelineRow[], priority: number): void;
  refreshData(renderInPosition: boolean): void;
  activeRows(): unknown;
  subscribe(event: string, handler: (row: PipelineRow) => void): void;
}
interface PipelineRow {
  data: unknown;
}

/**
 * A group's header row, with what Tabulator's virtual renderer (VirtualDomVertical) and row
 * manager ask of a display row. Its element is made when it is first drawn (100,000 groups of one
 * row would otherwise build 100,000 headers), and measured only in the renderer's batched reads.
 */
class GroupHeader {
  readonly type = 'group';
  readonly modules = {};
  initialized = false;
  heightInitialized = false;
  height = 0;
  element?: HTMLElement;
  /** Its rows, those of its subgroups too, in display order. */
  rows: PipelineRow[] = [];
  /** Its subgroups by key, in order of first appearance; none at the innermost level. */
  readonly groups?: Map<unknown, GroupHeader>;

  constructor(
    private readonly owner: RowGroups,
    readonly level: number,
    readonly key: unknown,
    /** The keys from the outermost level down to this one: what its open state is kept by. */
    readonly path: string,
    innermost: boolean,
  ) {
    if (!innermost) this.groups = new Map();
  }

  getElement(): HTMLElement {
    return (this.element ??= this.owner.draw(this));
  }
  initialize(): void {
    this.initialized = true;
  }
  calcHeight(): void {
    this.height = this.getElement().offsetHeight;
    this.heightInitialized = true;
  }
  getHeight(): number {
    return this.height;
  }
  deinitializeHeight(): void {
    this.heightInitialized = false;
  }
  setCellHeight(): void {}
  clearCellHeight(): void {}
  rendered(): void {}
  /** What table.getRows('display') lists for it: no row API (keyboard.ts skips it by that). */
  getComponent(): this {
    return this;
  }
}

/**
 * Rows grouped by one or more levels (`table.setRowGroups(levels)`; none ungroups): a header row
 * per group, in order of the groups' first rows, and each open group's rows in the order they
 * came (sorted, families nested). Like GroupRowsModule with `groupToggleElement: 'header'`, its
 * markup and classes (so Tabulator's CSS for them applies): a click on a header opens or closes
 * the group; `setAllGroupsOpen(open)`. Groups start open; the state is kept per group key path
 * across filters, sorts and new data, and reset when grouped by other levels.
 *
 * One step of the display pipeline (priority 20, where GroupRowsModule's runs: after the data
 * steps, before the folding of child runs in RowFamilies, so a group counts all its runs). Unlike
 * GroupRowsModule it keeps nothing on the rows, reads a key once per class while the data stays
 * (not per row and pass), and opening or closing a group lists the groups it built again instead
 * of grouping every row anew.
 */
export class RowGroups extends Module {
  static override moduleName = 'rowGroups';
  #levels: readonly GroupLevel[] = [];
  /** Groups are open unless `#flipped` holds their path; then closed (and the other way round). */
  #open = true;
  #flipped = new Set<string>();
  /** The outermost groups, and the active rows they were built from (Tabulator makes a new list when they change). */
  #groups?: Map<unknown, GroupHeader>;
  #from: unknown;
  /** Per level, the classes the keys below were read for, and the key of each class. */
  #classes: (Int32Array | undefined)[] = [];
  #classKeys: Map<number, unknown>[] = [];
  /** Rows deleted since the groups were drawn. */
  #deleted = new Set<PipelineRow>();

  constructor(table: ConstructorParameters<typeof Module>[0]) {
    super(table);
    this.registerTableFunction('setRowGroups', ((levels: readonly GroupLevel[]) => {
      if (levels.map((l) => l.id).join('\u0001') !== this.#levels.map((l) => l.id).join('\u0001')) this.#setAll(true);
      this.#levels = levels;
      this.#classes = [];
      this.#groups = undefined;
      this.#internals.refreshData(false);
    }) as (...args: unknown[]) => unknown);
    this.registerTableFunction('setAllGroupsOpen', ((open: boolean) => {
      this.#setAll(open);
      if (this.#levels.length) this.#internals.refreshData(false);
    }) as (...args: unknown[]) => unknown);
  }

  get #internals(): Internals {
    return this as unknown as Internals;
  }

  override initialize(): void {
    this.#internals.registerDisplayHandler((rows) => this.#display(rows), 20);
    // Tabulator takes a deleted row out of the rows shown itself, not out of the groups: they
    // lose it (their counts change, a group left empty goes) once for all the rows deleted
    // together, and keep their places, as with GroupRowsModule.
    this.#internals.subscribe('row-deleted', (row) => {
      if (!this.#groups || !this.#levels.length) return;
      this.#deleted.add(row);
      if (this.#deleted.size === 1) queueMicrotask(() => this.#prune());
    });
  }

  #prune(): void {
    const gone = this.#deleted;
    this.#deleted = new Set();
    const prune = (groups: Map<unknown, GroupHeader>) => {
      for (const [key, g] of groups) {
        const rows = g.rows.filter((r) => !gone.has(r));
        if (rows.length === g.rows.length) continue;
        if (!rows.length) groups.delete(key);
        g.rows = rows;
        // Its header is made anew, with the new count (and measured anew: the rows are drawn again).
        g.element = undefined;
        if (g.groups) prune(g.groups);
      }
    };
    // Regrouped since (a filter, new data), nothing is left to take out.
    if (this.#groups) prune(this.#groups);
    this.#from = this.#internals.activeRows();
    this.#internals.refreshData(true);
  }

  #setAll(open: boolean): void {
    this.#open = open;
    this.#flipped.clear();
  }

  #display(rows: PipelineRow[]): PipelineRow[] {
    if (!this.#levels.length) return rows;
    const active = this.#internals.activeRows();
    if (!this.#groups || active !== this.#from) {
      this.#groups = this.#group(rows);
      this.#from = active;
    }
    const shown: PipelineRow[] = [];
    const list = (groups: Map<unknown, GroupHeader>) => {
      for (const g of groups.values()) {
        shown.push(g as unknown as PipelineRow);
        const open = this.#open !== this.#flipped.has(g.path);
        if (g.element) mark(g.element, open);
        if (!open) continue;
        if (g.groups) list(g.groups);
        else for (const row of g.rows) shown.push(row);
      }
    };
    list(this.#groups);
    return shown;
  }

  #group(rows: readonly PipelineRow[]): Map<unknown, GroupHeader> {
    const levels = this.#levels;
    const depth = levels.length;
    const top = new Map<unknown, GroupHeader>();
    // Each level's classes, and the key of each class read so far (kept while the classes are).
    const classes = levels.map((l, i) => {
      const now = l.classes?.();
      if (now !== this.#classes[i]) this.#classKeys[i] = new Map();
      return (this.#classes[i] = now);
    });
    for (const row of rows) {
      const data = row.data as Experiment;
      const o = ordinalOf(data);
      let parent: GroupHeader | undefined;
      for (let l = 0; l < depth; l++) {
        // (A typed array has nothing at -1, the ordinal of an untagged record.)
        const c = classes[l]?.[o] ?? -1;
        let k: unknown;
        if (c < 0) k = levels[l]!.key(data);
        else if ((k = this.#classKeys[l]!.get(c)) === undefined) this.#classKeys[l]!.set(c, (k = levels[l]!.key(data)));
        const map = parent?.groups ?? top;
        let g = map.get(k);
        if (!g) map.set(k, (g = new GroupHeader(this, l, k, pathOf(parent, k), l === depth - 1)));
        g.rows.push(row);
        parent = g;
      }
    }
    return top;
  }

  /** A group's header row element, as GroupRowsModule makes it: the toggle's arrow, then the level's header. */
  draw(g: GroupHeader): HTMLElement {
    const el = document.createElement('div');
    el.className = `tabulator-row tabulator-group tabulator-group-level-${g.level}`;
    // A row with one cell in the tree grid: GroupRowsModule made it a rowgroup inside the rowgroup.
    el.setAttribute('role', 'row');
    el.setAttribute('aria-level', String(g.level + 1));
    const toggle = el.appendChild(document.createElement('div'));
    toggle.className = 'tabulator-group-toggle';
    toggle.appendChild(document.createElement('div')).className = 'tabulator-arrow';
    el.append(this.#levels[g.level]!.header(g.key, g.rows.length, g.rows.map((r) => r.data as Experiment)));
    mark(el, this.#open !== this.#flipped.has(g.path));
    el.addEventListener('click', () => {
      if (!this.#flipped.delete(g.path)) this.#flipped.add(g.path);
      this.#internals.refreshData(true);
    });
    return el;
  }
}

/** A group's path: each key prefixed by its length, so no key (data) can pass for two levels' keys. */
function pathOf(parent: GroupHeader | undefined, key: unknown): string {
  const text = String(key);
  return `${parent?.path ?? ''}${text.length}:${text}`;
}

/** Shows a header open or closed; written only when it changed (a write restyles the header). */
function mark(el: HTMLElement, open: boolean): void {
  if (el.getAttribute('aria-expanded') === String(open)) return;
  el.classList.toggle('tabulator-group-visible', open);
  el.setAttribute('aria-expanded', String(open));
}
