import { css } from 'lit';
import type { RowComponent } from 'tabulator-tables';
import type { Attribute } from '../../../data/attributes.js';
import { parentIdOf, type RunFamily } from '../../../data/parent.js';
import type { Experiment } from '../../../data/types.js';
import { familyVisibility, linkParents, nestFamilies, NO_PARENT } from './families.js';
import { drawFamily } from './family-rows.js';
import { groupKey, ordinalOf } from './ranks.js';
import type { DashboardTabulator, RowArranger } from './tabulator.js';

/** The rows of child runs, adopted when the nesting loads (LazyParts), before a row is drawn with it. */
export const partStyles = css`
  /* Child runs (table/family-rows.ts): a parent's name cell holds the toggle of its children;
     a child's name is indented by its depth behind a corner mark. */
  /* Flex, so a long name is cut and the toggle stays in view; on the text's baseline, so the
     name sits where the other cells' text does. */
  .tabulator-row .tabulator-cell.family-cell {
    display: inline-flex;
    align-items: baseline;
    gap: 6px;
  }
  .family-cell > span:first-child {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .tabulator-row.row-child .tabulator-cell.family-cell {
    padding-left: calc(4px + (var(--_depth, 1) - 1) * 1.1em);
  }
  .row-child .family-cell::before {
    content: '';
    flex: none;
    width: 0.55em;
    height: 0.55em;
    margin: 0 0.2em 0 0.6em;
    border-left: 1.5px solid var(--_muted);
    border-bottom: 1.5px solid var(--_muted);
  }
  .family-toggle {
    display: inline-flex;
    flex: none;
    align-items: center;
    gap: 3px;
    padding: 0 5px 0 3px;
    border: 1px solid var(--_border);
    border-radius: 3px;
    background: transparent;
    color: var(--_accent);
    font: inherit;
    font-size: 0.9em;
    /* As tall as a line of text: the name beside it stays on the other cells' line. */
    line-height: 1.2;
    margin-block: -2px;
    cursor: pointer;
  }
  .family-toggle:hover {
    border-color: var(--_accent);
  }
  .family-toggle .icon-chevron {
    transition: transform 0.1s;
  }
  .family-toggle[aria-expanded='true'] .icon-chevron {
    transform: rotate(90deg);
  }
  .narrow .family-words {
    display: none;
  }
`;

export interface RunFamiliesHost {
  /** The loaded rows (the store's records, tagged with their ordinals). */
  rows: () => readonly Experiment[];
  table: () => DashboardTabulator | undefined;
  /** The attributes the table is grouped by: children nest under a parent of the same group. */
  groups: () => readonly Attribute[];
  /** False when some record could not be tagged with its ordinal (a frozen record): no nesting then. */
  allTagged: () => boolean;
  name: (e: Experiment) => string;
  /** Formats a row again (the table's rowFormatter, which calls `draw`). */
  formatRow: (row: RowComponent) => void;
}

/** Child runs shown in a detail: a parent of a thousand runs lists the first ones. */
const DETAIL_CHILDREN = 100;

/**
 * Child runs under their parent run in the table, as MLflow's own UI shows them: the state
 * (which parents are open, each row's place) and its link to Tabulator (an arranger for
 * RowFamilies in tabulator.ts). Parents start collapsed, as in MLflow; open ones stay open across
 * reloads while they exist. Nothing is done for data without parents.
 *
 * A search or filter shows the runs it found, and only those (the counts, "Select all" and the
 * export agree with the rows): a child found without its parent is a top-level row, rather than
 * its parent shown as context, which would put a run that does not match among the results; and
 * while the search is on, parents are open, so a child found with its parent is in view too.
 */
export class RunFamilies {
  /** Parent ordinal of every ordinal, as loaded. */
  #parents: Int32Array = new Int32Array(0);
  #any = false;
  /** Ids of the parents whose children show. */
  #openIds = new Set<string>();
  /**
   * While a search or filter is on, every parent starts open (the ones the user closes since are
   * here): a run it found is never folded away under a parent it also found. The parents open
   * before come back when it is cleared.
   */
  #searching = false;
  #closedWhileSearching = new Set<string>();
  /** Which parents are open, by ordinal. */
  #open = new Uint8Array(0);
  /** Bumped when parents open or close together (a search starts or ends): their toggles are drawn again. */
  #openEpoch = 0;
  #drawnEpoch = 0;
  /** Each ordinal's place in the rows shown: parent ordinal, depth, children nested under it. */
  #parentOf = new Int32Array(0);
  #depth = new Int32Array(0);
  #children = new Int32Array(0);
  /** Runs by id and child runs by parent id, over all loaded rows, for the details (built on first use). */
  #index?: { byId: Map<string, Experiment>; children: Map<string, Experiment[]> };

  constructor(private readonly host: RunFamiliesHost) {}

  /** New or changed rows: who is whose parent. `ids`, on a new load: the ids still there (open parents among them stay open). */
  link(ids?: ReadonlySet<string>): void {
    if (ids) for (const id of this.#openIds) if (!ids.has(id)) this.#openIds.delete(id);
    const rows = this.host.rows();
    const { parents, any } = linkParents(rows, ordinalOf, parentIdOf);
    this.#parents = parents;
    this.#any = any && this.host.allTagged();
    this.#fillOpen();
    this.#index = undefined;
  }

  /** A search or column filter is on (or off): see #searching. */
  filtering(active: boolean): void {
    if (active === this.#searching) return;
    this.#searching = active;
    this.#closedWhileSearching.clear();
    if (!this.#any) return;
    this.#fillOpen();
    this.#openEpoch++;
  }

  #fillOpen(): void {
    const open = new Uint8Array(this.#parents.length);
    if (this.#searching) open.fill(1);
    const except = this.#searching ? this.#closedWhileSearching : this.#openIds;
    if (except.size > 0) for (const e of this.host.rows()) if (except.has(e.id)) open[ordinalOf(e)] = this.#searching ? 0 : 1;
    this.#open = open;
  }

  /**
   * Rows were taken away (a delete): the children of a deleted parent become top-level rows.
   * Tabulator takes rows out without running its pipeline again, so the nesting is computed anew.
   */
  removed(): void {
    this.#index = undefined;
    this.rearrange();
  }

  /** Computes the nesting again (rows added or regrouped); only when there are families. */
  rearrange(): void {
    if (this.#any) this.host.table()?.setRowArranger(this.arranger);
  }

  readonly arranger: RowArranger = {
    nesting: () => this.#any,
    arrange: (data) => {
      if (!this.#any) return undefined;
      const n = data.length;
      const ordinals = new Int32Array(n);
      for (let i = 0; i < n; i++) ordinals[i] = ordinalOf(data[i]!);
      const groups = this.host.groups();
      const sameGroup = groups.length === 0 ? undefined : (c: number, p: number) => groups.every((a) => groupKey(a, data[c]!) === groupKey(a, data[p]!));
      const fam = nestFamilies(ordinals, this.#parents, sameGroup);
      const size = this.#parents.length;
      const parentOf = new Int32Array(size).fill(NO_PARENT);
      const depth = new Int32Array(size);
      const children = new Int32Array(size);
      const changed: number[] = [];
      const reopened = this.#drawnEpoch !== this.#openEpoch;
      this.#drawnEpoch = this.#openEpoch;
      for (let i = 0; i < n; i++) {
        const o = ordinals[i]!;
        if (o < 0 || o >= size) continue;
        const p = fam.parent[i]!;
        parentOf[o] = p === NO_PARENT ? NO_PARENT : ordinals[p]!;
        depth[o] = fam.depth[i]!;
        children[o] = fam.children[i]!;
        if (depth[o] !== (this.#depth[o] ?? 0) || children[o] !== (this.#children[o] ?? 0) || (reopened && children[o]! > 0)) changed.push(i);
      }
      this.#parentOf = parentOf;
      this.#depth = depth;
      this.#children = children;
      return { order: fam.order, changed };
    },
    shown: (rows) => {
      if (!this.#any) return undefined;
      const ordinals = Int32Array.from(rows, (e) => (e ? ordinalOf(e) : -1));
      return familyVisibility(ordinals, this.#parentOf, this.#open);
    },
  };

  /** Draws the row's place (indentation, the parent's toggle): called from the table's rowFormatter. */
  draw(row: RowComponent): void {
    if (!this.#any) return;
    const e = row.getData() as Experiment;
    const o = ordinalOf(e);
    drawFamily(row.getElement(), { depth: this.#depth[o] ?? 0, children: this.#children[o] ?? 0, open: this.#open[o] === 1 }, this.host.name(e), () => this.setOpen(e.id, this.#open[o] !== 1));
  }

  isOpen(id: string): boolean {
    return this.#searching ? !this.#closedWhileSearching.has(id) : this.#openIds.has(id);
  }

  setOpen(id: string, open: boolean): void {
    if (this.#searching) {
      if (open) this.#closedWhileSearching.delete(id);
      else this.#closedWhileSearching.add(id);
    } else if (open) this.#openIds.add(id);
    else this.#openIds.delete(id);
    const table = this.host.table();
    const row = table?.getRow(id);
    if (!table || !row) return;
    const o = ordinalOf(row.getData() as Experiment);
    if (o < 0 || o >= this.#open.length || (this.#open[o] === 1) === open) return;
    this.#open[o] = open ? 1 : 0;
    this.host.formatRow(row);
    // Tabulator draws the rows again, detached for a moment: the toggle pressed would lose the focus.
    const el = row.getElement();
    const root = el.getRootNode() as Document | ShadowRoot;
    const focused = root.activeElement;
    table.refreshShownRows();
    if (focused instanceof HTMLElement && el.contains(focused) && root.activeElement !== focused) focused.focus();
  }

  /** Opens every parent above the run, so it shows. */
  openAncestors(id: string): void {
    const { byId } = this.#family();
    const seen = new Set<string>([id]);
    for (let p = byId.get(id), up = p && parentIdOf(p); up !== undefined && !seen.has(up); p = byId.get(up), up = p && parentIdOf(p)) {
      seen.add(up);
      if (!this.isOpen(up)) this.setOpen(up, true);
    }
  }

  /** Tells a run's detail its parent and children (a property the detail element reads). */
  describe(detail: HTMLElement, e: Experiment): void {
    const parentId = parentIdOf(e);
    const { byId, children } = this.#family();
    if (!this.#any && parentId === undefined) return;
    const entry = (x: Experiment) => ({ id: x.id, name: this.host.name(x) });
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    const kids = children.get(e.id) ?? [];
    const family: RunFamily = { parentId, parent: parent ? entry(parent) : undefined, children: kids.slice(0, DETAIL_CHILDREN).map(entry), childCount: kids.length };
    (detail as HTMLElement & { family?: RunFamily }).family = family;
  }

  #family(): { byId: Map<string, Experiment>; children: Map<string, Experiment[]> } {
    if (!this.#index) {
      const byId = new Map<string, Experiment>();
      const children = new Map<string, Experiment[]>();
      const rows = this.host.rows();
      for (const e of rows) byId.set(e.id, e);
      if (this.#any || rows.some((e) => parentIdOf(e) !== undefined))
        for (const e of rows) {
          const p = parentIdOf(e);
          if (p === undefined || !byId.has(p)) continue;
          let list = children.get(p);
          if (!list) children.set(p, (list = []));
          list.push(e);
        }
      this.#index = { byId, children };
    }
    return this.#index;
  }
}
