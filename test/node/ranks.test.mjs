// The table's sort and group arithmetic (src/components/experiment-dashboard/table/ranks.ts), and
// the version guard of the Tabulator patches (table/tabulator.ts) on a stand-in Tabulator:
// bundled from the TypeScript by esbuild, no build step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const TABLE = fileURLToPath(new URL('../../src/components/experiment-dashboard/table/', import.meta.url));
const INSTALLED = JSON.parse(readFileSync(new URL('../../node_modules/tabulator-tables/package.json', import.meta.url), 'utf8')).version;

/** A Tabulator with the exports tabulator.ts uses; its `version` is whatever the test sets on globalThis. */
const STUB = `
export class Module { constructor(table) { this.table = table; } registerColumnOption() {} registerTableFunction() {} subscribe() {} }
export class Tabulator { static registerModule() {} static get version() { return globalThis.__tabulatorStubVersion; } }
export class MoveColumnsModule {}
export class ResizeColumnsModule {}
export class ResizeTableModule {}
export class SortModule {}
`;

let loads = 0;

/** A fresh instance of table/ranks.ts and table/tabulator.ts (module state, such as the warn-once flag, starts anew). */
async function load() {
  const out = await esbuild.build({
    stdin: { contents: "export * as ranks from './ranks.ts'; export * as patches from './tabulator.ts';", resolveDir: TABLE, loader: 'ts', sourcefile: 'table.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [
      {
        name: 'tabulator-stub',
        setup(build) {
          build.onResolve({ filter: /^tabulator-tables$/ }, () => ({ path: 'tabulator-tables', namespace: 'stub' }));
          build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: STUB, loader: 'js' }));
        },
      },
    ],
  });
  const code = `${out.outputFiles[0].text}\n// load ${++loads}`;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const { ranks } = await load();

/** An attribute reading one field of the record. */
const attr = (id, kind = 'text') => ({ id, label: id, category: 'params', kind, get: (e) => e[id] });
/** Records tagged with their ordinals 0..n-1, as the table tags them (by `tagOrdinal` of one loaded instance). */
function tagged(values, tagOrdinal = ranks.tagOrdinal) {
  return values.map((v, i) => {
    const e = { id: `r${i}`, v };
    assert.equal(tagOrdinal(e, i), true);
    return e;
  });
}

describe('groupKey', () => {
  it('puts empty values (missing, null, "", []) in one group, lists as their text, dates by UTC day', () => {
    const { groupKey, EMPTY_GROUP } = ranks;
    for (const v of [undefined, null, '', []]) assert.equal(groupKey(attr('v'), { id: 'a', v }), EMPTY_GROUP);
    assert.equal(groupKey(attr('v', 'list'), { id: 'a', v: ['x', 'y'] }), 'x, y');
    assert.equal(groupKey(attr('v', 'date'), { id: 'a', v: '2024-03-05T23:59:00Z' }), '2024-03-05');
    assert.equal(groupKey(attr('v', 'number'), { id: 'a', v: 0 }), 0);
    assert.equal(groupKey(attr('v', 'boolean'), { id: 'a', v: false }), false);
  });
});

describe('computeRanks', () => {
  it('numbers by value (not as text), equal values share a rank, empty values (missing, NaN) get none', () => {
    const data = tagged([10, 9, undefined, 10, Number.NaN, 100]);
    assert.deepEqual([...ranks.computeRanks(data, attr('v', 'number'))], [1, 0, -1, 1, -1, 2]);
  });

  it('text in UTF-16 order, lists as their text, "" and [] empty', () => {
    const data = tagged(['b', 'B', '', ['a', 'c'], [], 'a']);
    assert.deepEqual([...ranks.computeRanks(data, attr('v'))], [3, 0, -1, 2, -1, 1]);
  });

  it('mixed kinds: numbers before text, as compareValues orders them', () => {
    const data = tagged(['x', 2, true, 1]);
    const r = ranks.computeRanks(data, attr('v'));
    const byRank = [...r.keys()].sort((a, b) => r[a] - r[b]).map((i) => data[i].v);
    assert.deepEqual(byRank, [...data.map((e) => e.v)].sort(ranks.compareValues));
  });

  it('gives the same ranks when computed in steps, reading a slice of records per step', () => {
    const values = Array.from({ length: 23 }, (_, i) => (i * 7919) % 11);
    const data = tagged(values);
    const steps = ranks.rankSteps(data, attr('v', 'number'), 5);
    let yields = 0;
    let r;
    while (!(r = steps.next()).done) yields++;
    // 4 slice boundaries (5, 10, 15, 20) and the 2 steps after reading.
    assert.equal(yields, 6);
    assert.deepEqual([...r.value], [...ranks.computeRanks(data, attr('v', 'number'))]);
  });
});

describe('ordinals', () => {
  it('a frozen record (a user\u2019s own object) cannot be tagged and has no ordinal', () => {
    const e = Object.freeze({ id: 'f' });
    assert.equal(ranks.tagOrdinal(e, 3), false);
    assert.equal(ranks.ordinalOf(e), -1);
    const open = { id: 'o' };
    ranks.tagOrdinal(open, 3);
    assert.equal(ranks.ordinalOf(open), 3);
  });

  it('rankValue puts a record without a value last in either direction', () => {
    const [a, b] = tagged([1, undefined]);
    const rank = ranks.computeRanks([a, b], attr('v', 'number'));
    assert.ok(ranks.rankValue(rank, a, 'asc') < ranks.rankValue(rank, b, 'asc'));
    // Tabulator reverses the comparison for a descending sort: the empty value must compare lowest.
    assert.ok(ranks.rankValue(rank, a, 'desc') > ranks.rankValue(rank, b, 'desc'));
  });
});

describe('orderByRanks', () => {
  it('is stable, puts empty values last both ways, and orders by the second key within the first', () => {
    const rank = Int32Array.from([1, 0, -1, 1, -1, 2]);
    const ordinals = Int32Array.from([0, 1, 2, 3, 4, 5]);
    assert.deepEqual([...ranks.orderByRanks(ordinals, [{ rank, asc: true }])], [1, 0, 3, 5, 2, 4]);
    assert.deepEqual([...ranks.orderByRanks(ordinals, [{ rank, asc: false }])], [5, 0, 3, 1, 2, 4]);
    const second = Int32Array.from([5, 0, 0, 4, 0, 0]);
    assert.deepEqual([...ranks.orderByRanks(ordinals, [{ rank, asc: true }, { rank: second, asc: true }])], [1, 3, 0, 5, 2, 4]);
  });

  it('treats a row without an ordinal (-1) or beyond the ranks as empty', () => {
    const rank = Int32Array.from([0, 1]);
    assert.deepEqual([...ranks.orderByRanks(Int32Array.from([-1, 1, 7, 0]), [{ rank, asc: true }])], [3, 1, 0, 2]);
  });
});

describe('groupAggregate', () => {
  const data = [5, undefined, 2, Number.NaN, 9, Infinity].map((value, i) => ({ id: `r${i}`, mainMetric: value === undefined ? undefined : { value } }));

  it('best by the goal and mean over the finite main-metric values only', () => {
    assert.deepEqual(ranks.groupAggregate(data, 'maximize'), { best: 9, mean: 16 / 3 });
    assert.deepEqual(ranks.groupAggregate(data, 'minimize'), { best: 2, mean: 16 / 3 });
  });

  it('nothing for a group without a value', () => {
    assert.deepEqual(ranks.groupAggregate([{ id: 'a' }], 'maximize'), {});
  });
});

describe('Tabulator patches (table/tabulator.ts)', () => {
  it('were written against the installed tabulator-tables', async () => {
    const { TABULATOR_VERSION } = (await load()).patches;
    assert.equal(TABULATOR_VERSION, INSTALLED, `tabulator-tables ${INSTALLED} is installed but the patches in table/tabulator.ts were read against ${TABULATOR_VERSION}: check each against the new source, then update TABULATOR_VERSION`);
  });

  /** A table object with the internals the sort patch reaches: rows hold { data }. */
  function fakeSortTable() {
    const calls = [];
    const sort = { _sortItems: (rows, list) => calls.push([rows, list]) };
    return { table: { modules: { sort } }, sort, calls };
  }

  it('sort by ranks when the running Tabulator is the expected one (6.5 reports no version)', async () => {
    globalThis.__tabulatorStubVersion = undefined;
    const loaded = await load();
    const { useRankedSort } = loaded.patches;
    const { table, sort, calls } = fakeSortTable();
    const data = tagged([30, 10, 20], loaded.ranks.tagOrdinal);
    const rank = loaded.ranks.computeRanks(data, attr('v', 'number'));
    useRankedSort(table, (field) => (field === 'v' ? rank : undefined));
    const rows = data.map((e) => ({ data: e }));
    sort._sortItems(rows, [{ column: { getField: () => 'v' }, dir: 'asc' }]);
    assert.deepEqual(rows.map((r) => r.data.v), [10, 20, 30]);
    assert.equal(calls.length, 0);
    // A column without ranks goes through Tabulator's own step.
    sort._sortItems(rows, [{ column: { getField: () => 'w' }, dir: 'asc' }]);
    assert.equal(calls.length, 1);
  });

  it('step aside and warn once when another Tabulator version runs', async () => {
    globalThis.__tabulatorStubVersion = '7.0.0';
    const warnings = [];
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.join(' '));
    try {
      const { useRankedSort, lightHeightChanges, withCheapAdd } = (await load()).patches;
      const { table, sort } = fakeSortTable();
      const own = sort._sortItems;
      useRankedSort(table, () => new Int32Array(0));
      assert.equal(sort._sortItems, own);
      const redrawTable = () => undefined;
      const resizing = { modules: { resizeTable: { redrawTable, tableWidth: 1, tableHeight: 1 } }, rowManager: { adjustTableSize() {} } };
      lightHeightChanges(resizing);
      assert.equal(resizing.modules.resizeTable.redrawTable, redrawTable);
      const reinitialize = () => undefined;
      const adding = { rowManager: { rows: [], reinitialize, resetScroll() {}, reRenderInPosition() {} }, columnManager: { verticalAlignHeaders() {}, columnsByIndex: [], findColumn: () => false } };
      let added = 0;
      await withCheapAdd(adding, 'x', async () => {
        added++;
        assert.equal(adding.rowManager.reinitialize, reinitialize, 'Tabulator’s own reinitialize runs during the add');
      });
      assert.equal(added, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /Tabulator 7\.0\.0 is not 6\.5\.3: the table's speed-ups are off/);
    } finally {
      console.warn = warn;
      globalThis.__tabulatorStubVersion = undefined;
    }
  });
});
