// Child runs under their parents in the table (src/components/experiment-dashboard/table/families.ts),
// together with the sort arithmetic they follow (table/ranks.ts): bundled from the TypeScript by
// esbuild, no build step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const TABLE = fileURLToPath(new URL('../../src/components/experiment-dashboard/table/', import.meta.url));

const out = await esbuild.build({
  stdin: {
    contents: "export * from './families.ts'; export { computeRanks, orderByRanks, tagOrdinal, ordinalOf } from './ranks.ts'; export { parentIdOf } from '../../../data/parent.ts';",
    resolveDir: TABLE,
    loader: 'ts',
    sourcefile: 'families-entry.ts',
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  logLevel: 'silent',
});
const f = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);

const PARENT = 'mlflow.parentRunId';
/** A run with a value `v`, and a parent id when given. */
const run = (id, v, parent) => ({ id, name: id, status: 'completed', v, ...(parent ? { labels: { [PARENT]: parent } } : {}) });
const byV = { id: 'v', label: 'v', category: 'params', kind: 'number', get: (e) => e.v };

/** Tags the runs with ordinals 0..n-1, as the table does; links their parents. */
function load(runs) {
  runs.forEach((e, i) => assert.equal(f.tagOrdinal(e, i), true));
  return f.linkParents(runs, f.ordinalOf, f.parentIdOf);
}

/**
 * The table's pipeline on `runs`: keep those `shown` accepts (a search), sort by `v` (`asc`),
 * nest; the ids in display order, each prefixed by two spaces per level.
 */
function table(runs, { asc = true, shown = () => true, open = [] } = {}) {
  const { parents } = load(runs);
  const rows = runs.filter(shown);
  const ordinals = Int32Array.from(rows, f.ordinalOf);
  const sorted = f.orderByRanks(ordinals, [{ rank: f.computeRanks(runs, byV), asc }]);
  const sortedRows = Array.from(sorted, (i) => rows[i]);
  const fam = f.nestFamilies(Int32Array.from(sortedRows, f.ordinalOf), parents);
  const display = Array.from(fam.order, (i) => sortedRows[i]);
  // The nesting as the table keeps it: each ordinal's parent ordinal.
  const parentOf = new Int32Array(parents.length).fill(f.NO_PARENT);
  fam.parent.forEach((p, i) => {
    if (p !== f.NO_PARENT) parentOf[f.ordinalOf(sortedRows[i])] = f.ordinalOf(sortedRows[p]);
  });
  const openOrdinals = new Uint8Array(parents.length);
  for (const id of open) openOrdinals[f.ordinalOf(runs.find((e) => e.id === id))] = 1;
  const visible = f.familyVisibility(Int32Array.from(display, f.ordinalOf), parentOf, openOrdinals);
  const depthOf = new Map(Array.from(fam.depth, (d, i) => [sortedRows[i].id, d]));
  const childrenOf = new Map(Array.from(fam.children, (c, i) => [sortedRows[i].id, c]));
  return {
    all: display.map((e) => `${'  '.repeat(depthOf.get(e.id))}${e.id}`),
    shown: display.filter((_, i) => visible[i] === 1).map((e) => `${'  '.repeat(depthOf.get(e.id))}${e.id}`),
    childrenOf,
  };
}

/** A sweep: parent P (0.5) with children c1 (0.9), c2 (0.1), c3 (0.7); and runs a (0.3), b (0.8). */
const sweep = () => [run('c1', 0.9, 'P'), run('a', 0.3), run('P', 0.5), run('c2', 0.1, 'P'), run('b', 0.8), run('c3', 0.7, 'P')];

describe('nestFamilies', () => {
  it('puts children right under their parent, sorted among themselves, families ordered by the parent (ascending)', () => {
    const t = table(sweep(), { open: ['P'] });
    assert.deepEqual(t.all, ['a', 'P', '  c2', '  c3', '  c1', 'b']);
    assert.equal(t.childrenOf.get('P'), 3);
    assert.equal(t.childrenOf.get('a'), 0);
  });

  it('the same in descending order: the family moves with its parent, siblings reverse', () => {
    assert.deepEqual(table(sweep(), { asc: false }).all, ['b', 'P', '  c1', '  c3', '  c2', 'a']);
  });

  it('nests grandchildren under children, at any depth', () => {
    const runs = [run('g', 1, 'c'), run('c', 2, 'P'), run('P', 3), run('x', 0)];
    assert.deepEqual(table(runs).all, ['x', 'P', '  c', '    g']);
  });

  it('leaves a child whose parent is not loaded (deleted, on another page) a top-level row where the sort put it', () => {
    const runs = [run('c1', 0.9, 'gone'), run('a', 0.3), run('c2', 0.1, 'gone')];
    const t = table(runs);
    assert.deepEqual(t.all, ['c2', 'a', 'c1']);
    assert.deepEqual(t.shown, t.all);
  });

  it('a search matching a child but not its parent shows the child as a top-level row', () => {
    const t = table(sweep(), { shown: (e) => e.id === 'c3' || e.id === 'a' });
    assert.deepEqual(t.shown, ['a', 'c3']);
  });

  it('a search matching the parent and some children nests only those', () => {
    const t = table(sweep(), { shown: (e) => e.id !== 'c1', open: ['P'] });
    assert.deepEqual(t.shown, ['a', 'P', '  c2', '  c3', 'b']);
    assert.equal(t.childrenOf.get('P'), 2);
  });

  it('cuts a loop of parents (bad data) instead of losing its rows', () => {
    const runs = [run('x', 2, 'y'), run('y', 1, 'x'), run('z', 3)];
    const t = table(runs);
    assert.deepEqual(t.all, ['y', '  x', 'z']);
  });

  it('nests only within a group: `sameGroup` decides', () => {
    const runs = sweep();
    const { parents } = load(runs);
    const ordinals = Int32Array.from(runs, f.ordinalOf);
    // c1 is in another group than its parent.
    const fam = f.nestFamilies(ordinals, parents, (child) => runs[child].id !== 'c1');
    assert.deepEqual(Array.from(fam.order, (i) => runs[i].id), ['c1', 'a', 'P', 'c2', 'c3', 'b']);
    assert.equal(fam.children[2], 2);
    assert.equal(fam.parent[0], f.NO_PARENT);
  });

  it('handles 100,000 rows in one pass', () => {
    const runs = Array.from({ length: 100_000 }, (_, i) => run(`r${i}`, i % 997, i % 10 === 0 ? undefined : `r${i - (i % 10)}`));
    const { parents, any } = load(runs);
    assert.equal(any, true);
    const fam = f.nestFamilies(Int32Array.from(runs, f.ordinalOf), parents);
    assert.equal(fam.order.length, 100_000);
    assert.equal(fam.children[0], 9);
    assert.equal(new Set(fam.order).size, 100_000);
  });
});

describe('familyVisibility', () => {
  it('folds every child of a collapsed parent away (collapsed is the default), grandchildren too', () => {
    const runs = [run('g', 1, 'c'), run('c', 2, 'P'), run('P', 3), run('x', 0)];
    assert.deepEqual(table(runs).shown, ['x', 'P']);
    assert.deepEqual(table(runs, { open: ['P'] }).shown, ['x', 'P', '  c']);
    assert.deepEqual(table(runs, { open: ['P', 'c'] }).shown, ['x', 'P', '  c', '    g']);
    // An open child under a collapsed parent stays folded away.
    assert.deepEqual(table(runs, { open: ['c'] }).shown, ['x', 'P']);
  });
});

describe('linkParents', () => {
  it('links by id through the label mlflow.parentRunId; none for a missing parent or a run naming itself', () => {
    const runs = [run('P', 1), run('c', 2, 'P'), run('o', 3, 'nowhere'), run('s', 4, 's')];
    const { parents, any } = load(runs);
    assert.deepEqual(Array.from(parents), [-1, 0, -1, -1]);
    assert.equal(any, true);
    assert.equal(load([run('a', 1), run('b', 2)]).any, false);
  });

  it('links through the field parent first, the label when the field is unset or names the run itself', () => {
    const runs = [run('P', 1), run('Q', 2), { ...run('a', 3, 'Q'), parent: 'P' }, { id: 'b', status: 'completed', v: 4, parent: 'Q' }, { ...run('c', 5, 'Q'), parent: 'c' }];
    assert.deepEqual(Array.from(load(runs).parents), [-1, -1, 0, 1, 1]);
  });
});
