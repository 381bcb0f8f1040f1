// Child runs under their parent run, in the table: pure functions over ordinals and typed arrays
// (no Tabulator, no DOM), tested in Node (test/node/families.test.mjs). The table sorts all rows
// as usual (ranks.ts), then `nestFamilies` moves every child right below its parent, once per
// sort or filter, in O(n); `familyVisibility` hides the children of collapsed parents.
import type { Experiment } from '../../../data/types.js';

/** No parent: a top-level row. */
export const NO_PARENT = -1;

/**
 * The parent of every record, by ordinal (`ordinalOf`): the ordinal of the record whose id it
 * names (`parentIdOf`), NO_PARENT when it names none or that record is not loaded. `any` says
 * whether some record has a loaded parent (when not, the table skips the nesting).
 */
export function linkParents(
  records: readonly Experiment[],
  ordinalOf: (e: Experiment) => number,
  parentIdOf: (e: Experiment) => string | undefined,
): { parents: Int32Array; any: boolean } {
  let size = 0;
  const byId = new Map<string, number>();
  for (const e of records) {
    const o = ordinalOf(e);
    if (o < 0) continue;
    size = Math.max(size, o + 1);
    byId.set(e.id, o);
  }
  const parents = new Int32Array(size).fill(NO_PARENT);
  let any = false;
  for (const e of records) {
    const o = ordinalOf(e);
    const id = o < 0 ? undefined : parentIdOf(e);
    const p = id === undefined ? undefined : byId.get(id);
    if (p === undefined || p === o) continue;
    parents[o] = p;
    any = true;
  }
  return { parents, any };
}

/** The rows in family order, and each row's place in its family (all by input position). */
export interface Families {
  /** Input positions in display order: every row right after its parent (and its earlier siblings' families). */
  order: Uint32Array;
  /** Position of the row's parent among the rows, NO_PARENT for a top-level row. */
  parent: Int32Array;
  /** 0 for a top-level row, 1 for its children, 2 for theirs... */
  depth: Int32Array;
  /** How many rows are nested directly under the row. */
  children: Int32Array;
}

/**
 * Nests child runs under their parents. `ordinals`: the rows shown, already sorted (and
 * filtered); `parents`: the parent ordinal of every ordinal (linkParents). A row is nested under
 * its parent when the parent is among the rows (and, when grouped, `sameGroup` of the two
 * positions): families keep the place of their top-level row, so they are ordered by the
 * parent's value, and siblings keep their order among themselves, so they are sorted by the
 * same sort. A row whose parent is not among the rows (not loaded, filtered out, on another
 * page, in another group) is a top-level row where the sort put it. A loop of parents (bad data)
 * is cut at its first row in sort order.
 */
export function nestFamilies(ordinals: ArrayLike<number>, parents: Int32Array, sameGroup?: (child: number, parent: number) => boolean): Families {
  const n = ordinals.length;
  const size = parents.length;
  const posOf = new Int32Array(size).fill(NO_PARENT);
  for (let i = 0; i < n; i++) {
    const o = ordinals[i]!;
    if (o >= 0 && o < size) posOf[o] = i;
  }
  const parent = new Int32Array(n).fill(NO_PARENT);
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = ordinals[i]!;
    const p = o >= 0 && o < size ? parents[o]! : NO_PARENT;
    const pp = p >= 0 && p < size ? posOf[p]! : NO_PARENT;
    if (pp === NO_PARENT || pp === i || (sameGroup && !sameGroup(i, pp))) continue;
    parent[i] = pp;
    children[pp]!++;
  }
  cutLoops(parent, children);
  // Children of each row, in input (sorted) order, as one flat array with offsets.
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + children[i]!;
  const next = start.slice(0, n);
  const kids = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const pp = parent[i]!;
    if (pp !== NO_PARENT) kids[next[pp]!++] = i;
  }
  const order = new Uint32Array(n);
  const depth = new Int32Array(n);
  const emitted = new Uint8Array(n);
  const stack = new Int32Array(n);
  let k = 0;
  const emit = (root: number) => {
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const i = stack[--top]!;
      if (emitted[i]) continue;
      emitted[i] = 1;
      order[k++] = i;
      // Pushed last child first, so the first child comes out next.
      for (let c = start[i + 1]! - 1; c >= start[i]!; c--) {
        const child = kids[c]!;
        if (emitted[child]) continue;
        depth[child] = depth[i]! + 1;
        stack[top++] = child;
      }
    }
  };
  for (let i = 0; i < n; i++) if (parent[i] === NO_PARENT) emit(i);
  return { order, parent, depth, children };
}

/** Makes the first row (in sort order) of every loop of parents a top-level row, so every row reaches one. */
function cutLoops(parent: Int32Array, children: Int32Array): void {
  const n = parent.length;
  // Per row: 0 not seen, 1 reaches a top-level row, 2 on the path being walked.
  const state = new Uint8Array(n);
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = i;
    while (state[x] === 0 && parent[x] !== NO_PARENT) {
      state[x] = 2;
      path.push(x);
      x = parent[x]!;
    }
    if (state[x] === 2) {
      // x is on the path: the rows from x on form a loop.
      let first = x;
      for (let j = path.indexOf(x); j < path.length; j++) first = Math.min(first, path[j]!);
      children[parent[first]!]!--;
      parent[first] = NO_PARENT;
    }
    state[x] = 1;
    for (const y of path) state[y] = 1;
    path.length = 0;
  }
}

/**
 * Which rows show (1) and which are folded away (0), by position in `ordinals` (the rows on
 * display, parents before their children): a row shows when every row above it in its family is
 * open. `parentOf`: each ordinal's parent ordinal in the current nesting (NO_PARENT: top level);
 * `open`: 1 for each ordinal whose children show.
 */
export function familyVisibility(ordinals: ArrayLike<number>, parentOf: Int32Array, open: Uint8Array): Uint8Array {
  const n = ordinals.length;
  const shown = new Uint8Array(n);
  // Per ordinal: 0 not known yet, 1 shows, 2 folded away.
  const state = new Uint8Array(parentOf.length);
  const chain: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = ordinals[i]!;
    if (o < 0 || o >= parentOf.length) {
      shown[i] = 1;
      continue;
    }
    // Walks up to the first row whose state is known (or the top), then settles the way back down.
    let x = o;
    while (x >= 0 && x < parentOf.length && state[x] === 0 && parentOf[x] !== NO_PARENT) {
      chain.push(x);
      x = parentOf[x]!;
    }
    let s = x >= 0 && x < parentOf.length && state[x] !== 0 ? state[x]! : 1;
    if (x >= 0 && x < state.length && state[x] === 0) state[x] = s;
    while (chain.length > 0) {
      const c = chain.pop()!;
      const p = parentOf[c]!;
      s = s === 1 && open[p] === 1 ? 1 : 2;
      state[c] = s;
    }
    shown[i] = state[o] === 2 ? 0 : 1;
  }
  return shown;
}
