// Cheap regression guards for speed at 100,000 rows: they count work, they time nothing.
import { expect, waitUntil } from '@open-wc/testing';
import { Tabulator } from 'tabulator-tables';
import type { Attribute } from '../src/data/attributes.js';
import { AttributeCollector, BUILTIN_ATTRIBUTES, resolveAttribute } from '../src/data/attributes.js';
import { TABLE_MODULES } from '../src/components/experiment-dashboard/table/tabulator.js';
import { orderByRanks } from '../src/components/experiment-dashboard/table/ranks.js';
import { TableController } from '../src/components/experiment-dashboard/table/table-controller.js';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { HttpSource } from '../src/data/http-source.js';
import { compilePredicate, searchKey } from '../src/data/query.js';
import { generateExperiments } from '../src/data/sample-data.js';
import { parseCollection } from '../src/data/parse.js';
import type { Change, Experiment, ExperimentSource, Page } from '../src/data/types.js';

const N = 2000;

/** Tabulator's internal rows of the table the controller drew in `host`. */
type InternalRow = { component?: unknown; reinitialize(children?: boolean): void };
function internalRows(host: HTMLElement): InternalRow[] {
  const found = (Tabulator as unknown as { findTable(el: HTMLElement): { rowManager: { rows: InternalRow[] } }[] | false }).findTable(host);
  if (!found || !found[0]) throw new Error('no table');
  return found[0].rowManager.rows;
}

async function table(): Promise<{ controller: TableController; data: Experiment[]; element: HTMLElement }> {
  // A plain element, not fixture(): fixture waits for an animation frame, which a background tab never gets.
  const host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'position: relative; height: 400px; width: 900px';
  host.append(Object.assign(document.createElement('div'), { className: 'popups' }), Object.assign(document.createElement('div'), { className: 't' }));
  host.querySelector<HTMLElement>('.t')!.style.height = '100%';
  const data = parseCollection(generateExperiments({ n: N, historyPoints: 0 })).experiments;
  // The table reads its rows from the dashboard's store; here, straight from the array.
  const controller = new TableController(host.querySelector('.t')!, host.querySelector('.popups')!, {}, () => data);
  await controller.setColumns({ attributes: BUILTIN_ATTRIBUTES.slice(0, 8), nameOf: (e) => e.name ?? e.id });
  await controller.setData();
  return { controller, data, element: host.querySelector<HTMLElement>('.t')! };
}

function counting(base: Attribute): { attr: Attribute; calls: () => number } {
  let calls = 0;
  return {
    attr: {
      ...base,
      get: (e) => {
        calls++;
        return base.get(e);
      },
    },
    calls: () => calls,
  };
}

describe('speed guards (work counted, not timed)', () => {
  it('registers only the Tabulator modules the dashboard uses', () => {
    expect(Object.keys(TABLE_MODULES).sort()).to.deep.equal(['CellClicks', 'CellNodes', 'ColumnSort', 'MoveColumnsModule', 'ResizeColumnsModule', 'RowFamilies', 'RowGroups', 'RowPredicate', 'StickyColumns']);
  });

  it('a table that gets shorter, or grows back within the height it was drawn for, is not drawn again; a taller one is', async () => {
    const { element } = await table();
    const host = element.parentElement!;
    const found = (Tabulator as unknown as { findTable(el: HTMLElement): { on(event: string, fn: () => void): void }[] }).findTable(element);
    let renders = 0;
    found[0]!.on('renderStarted', () => renders++);
    const settle = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))));
    await settle();
    // What a filter does to the table when the summary above it takes a second line, and back.
    host.style.height = '379px';
    await settle();
    host.style.height = '400px';
    await settle();
    expect(renders, 'renders after shrinking and growing back').to.equal(0);
    host.style.height = '700px';
    await waitUntil(() => renders > 0, 'a render for the taller table');
    host.remove();
  });

  it('a new table height (the summary took a second line) restyles no drawn cell: nothing inherited changes on the table', async () => {
    const { element } = await table();
    const host = element.parentElement!;
    const settle = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))));
    await settle();
    // A custom property set on the table is inherited by every cell of every drawn row: writing
    // one at each height change restyled ~1,300 elements after each search.
    const styleWrites: string[] = [];
    const watcher = new MutationObserver((records) => styleWrites.push(...records.map((r) => (r.target as HTMLElement).getAttribute('style') ?? '')));
    watcher.observe(element, { attributes: true, attributeFilter: ['style'] });
    host.style.height = '379px';
    await settle();
    host.style.height = '400px';
    await settle();
    watcher.disconnect();
    expect(styleWrites, 'style written on the table').to.deep.equal([]);
    host.remove();
  });

  it('a filter change is one pass over the records', async () => {
    const { controller } = await table();
    let calls = 0;
    await controller.setFilter((e) => {
      calls++;
      return e.status === 'completed';
    });
    expect(calls).to.equal(N);
    controller.destroy();
  });

  it('a sort reads each record once per sorted attribute, however many comparisons it makes', async () => {
    const { controller } = await table();
    const name = BUILTIN_ATTRIBUTES.find((a) => a.id === 'mainMetric')!;
    const spy = counting(name);
    await controller.setColumns({ attributes: [spy.attr], nameOf: (e) => e.name ?? e.id });
    await controller.setSort([{ attribute: 'mainMetric', dir: 'desc' }]);
    await waitUntil(() => spy.calls() > 0);
    expect(spy.calls()).to.be.at.most(N + 100); // + the rows rendered in view
    const before = spy.calls();
    await controller.setSort([{ attribute: 'mainMetric', dir: 'asc' }]);
    // The ranks are kept until the data changes: the second sort only renders.
    expect(spy.calls() - before).to.be.below(100);
    controller.destroy();
  });

  it("grouping reads each record's key once per level; a toggle, a filter and a sort read none again", async () => {
    const { controller, data, element } = await table();
    const by = (id: string) => counting(BUILTIN_ATTRIBUTES.find((a) => a.id === id)!);
    // Copies of the attributes: the columns' own reads are not counted.
    const [operator, status] = [by('operator'), by('status')];
    await controller.setGroupBy([operator.attr, status.attr], 'maximize');
    await waitUntil(() => element.querySelector('.tabulator-group'), 'grouped');
    // Each record once (for the sort ranks, unless the warm-up made them), then a key per value.
    const read = [operator.calls(), status.calls()];
    expect(read[0]).to.be.within(1, N + new Set(data.map((e) => e.operator)).size);
    expect(read[1]).to.be.within(1, N + new Set(data.map((e) => e.status)).size);
    element.querySelector<HTMLElement>('.tabulator-group')!.click();
    controller.setAllGroupsOpen(false);
    controller.setAllGroupsOpen(true);
    await controller.setFilter((e) => e.status !== 'failed');
    await controller.setSort([{ attribute: 'mainMetric', dir: 'desc' }]);
    expect([operator.calls(), status.calls()]).to.deep.equal(read);
    // Nothing is kept on Tabulator's rows for the groups (GroupRowsModule kept `modules.group`).
    expect(internalRows(element).some((r) => 'group' in ((r as { modules?: object }).modules ?? {}))).to.equal(false);
    controller.destroy();
  });

  it('parsing keeps valid nested parts as they are (no copies per record)', () => {
    const raw = generateExperiments({ n: 50, historyPoints: 5 });
    const { experiments } = parseCollection(raw);
    for (let i = 0; i < raw.length; i++) {
      expect(experiments[i]!.params).to.equal(raw[i]!.params);
      expect(experiments[i]!.host).to.equal(raw[i]!.host);
      expect(experiments[i]!.metrics).to.equal(raw[i]!.metrics);
      expect(experiments[i]!.dependencies).to.equal(raw[i]!.dependencies);
    }
  });

  it('a filter builds no row component per row (no dataFiltered listener): only rows drawn get one', async () => {
    const { controller, element } = await table();
    // The count reaches the dashboard from getDataCount('active'), not from the event's row list.
    await controller.setFilter((e) => e.status !== 'failed');
    const shown = controller.shownCount();
    expect(shown).to.be.greaterThan(0).and.below(N);
    await controller.setFilter(undefined);
    const withComponent = internalRows(element).filter((r) => r.component).length;
    expect(withComponent).to.be.below(200);
    controller.destroy();
  });

  it('adding a column resets the rows without re-laying them out one by one', async () => {
    const { controller, element } = await table();
    const rowsBefore = internalRows(element);
    const proto = Object.getPrototypeOf(rowsBefore[0]) as InternalRow;
    const own = proto.reinitialize;
    let calls = 0;
    proto.reinitialize = function (this: InternalRow, children?: boolean) {
      calls++;
      own.call(this, children);
    };
    try {
      const extra = resolveAttribute('params.batch_size')!;
      await controller.setColumns({ attributes: [...BUILTIN_ATTRIBUTES.slice(0, 8), extra], nameOf: (e) => e.name ?? e.id });
    } finally {
      proto.reinitialize = own;
    }
    expect(calls).to.equal(0);
    // ...and the rows in view are drawn again, with the new column.
    await waitUntil(() => element.querySelector('.tabulator-row .tabulator-cell[tabulator-field="params.batch_size"]'), 'the new column drawn in the rows');
    const cells = [...element.querySelectorAll('.tabulator-row')].map((r) => r.querySelectorAll('.tabulator-cell').length);
    expect(new Set(cells).size).to.equal(1);
    controller.destroy();
  });

  it('adding a column fits no other column again, and marks the rows out of view once', async () => {
    const { controller, element } = await table();
    type InternalColumn = { fitToData(force?: boolean): void; getField(): string };
    const found = (Tabulator as unknown as { findTable(el: HTMLElement): { columnManager: { columnsByIndex: InternalColumn[] } }[] | false }).findTable(element);
    if (!found || !found[0]) throw new Error('no table');
    const columnProto = Object.getPrototypeOf(found[0].columnManager.columnsByIndex[0]) as InternalColumn;
    const rowProto = Object.getPrototypeOf(internalRows(element)[0]) as { deinitialize(): void };
    const own = { fit: columnProto.fitToData, deinitialize: rowProto.deinitialize };
    const fitted: string[] = [];
    let deinitialized = 0;
    columnProto.fitToData = function (this: InternalColumn, force?: boolean) {
      fitted.push(this.getField());
      own.fit.call(this, force);
    };
    rowProto.deinitialize = function (this: unknown) {
      deinitialized++;
      own.deinitialize.call(this);
    };
    try {
      const extra = resolveAttribute('params.batch_size')!;
      await controller.setColumns({ attributes: [...BUILTIN_ATTRIBUTES.slice(0, 8), extra], nameOf: (e) => e.name ?? e.id });
    } finally {
      Object.assign(columnProto, { fitToData: own.fit });
      Object.assign(rowProto, { deinitialize: own.deinitialize });
    }
    // Status and name are frozen here (the table is wide): each frozen-column layout used to mark
    // every row out of view again, three times and more per added column.
    expect(element.querySelector('.tabulator-frozen')).to.not.equal(null);
    expect(new Set(fitted)).to.deep.equal(new Set(['params.batch_size']));
    expect(deinitialized).to.be.at.most(N);
    controller.destroy();
  });

  it('sorts by ranks with one native typed-array sort: stable, empty values last both ways', () => {
    // Ordinals 0..5; ranks: record 2 and 4 empty, records 0 and 3 equal.
    const rank = Int32Array.from([1, 0, -1, 1, -1, 2]);
    const ordinals = Int32Array.from([0, 1, 2, 3, 4, 5]);
    expect([...orderByRanks(ordinals, [{ rank, asc: true }])]).to.deep.equal([1, 0, 3, 5, 2, 4]);
    expect([...orderByRanks(ordinals, [{ rank, asc: false }])]).to.deep.equal([5, 0, 3, 1, 2, 4]);
    // Two keys: the second orders records 0 and 3, equal in the first.
    const second = Int32Array.from([5, 0, 0, 4, 0, 0]);
    expect([...orderByRanks(ordinals, [{ rank, asc: true }, { rank: second, asc: true }])]).to.deep.equal([1, 3, 0, 5, 2, 4]);
  });

  it('a large load collects the attribute catalogue after the first rows, not before', async () => {
    const records = generateExperiments({ n: 6000, historyPoints: 0 });
    const proto = AttributeCollector.prototype;
    const own = proto.add;
    const rowsAtFirstRead: number[] = [];
    let el: ExperimentDashboard | undefined;
    proto.add = function (this: AttributeCollector, ...args: Parameters<AttributeCollector['add']>) {
      // The whole load (a first screen of 2,000 may come before it and is collected at once).
      if (el && args[0].length === records.length && rowsAtFirstRead.length === 0) rowsAtFirstRead.push(el.shadowRoot?.querySelectorAll('.tabulator-row').length ?? 0);
      return own.apply(this, args);
    };
    try {
      el = document.createElement('experiment-dashboard');
      el.style.cssText = 'display: block; height: 500px; width: 1000px';
      // A source without a first screen: the first rows drawn are the whole load's.
      const { experiments } = parseCollection(records);
      el.source = { capabilities: { delete: false, live: false, serverQuery: false, history: false }, load: async () => ({ experiments }) };
      document.body.append(el);
      await waitUntil(() => el!.shadowRoot?.querySelector('.tabulator-row'), 'first rows', { timeout: 20000 });
      // Someone asking for it gets the whole catalogue at once.
      expect(el.availableAttributes.map((a) => a.id)).to.include('params.batch_size');
      expect(rowsAtFirstRead.length).to.equal(1);
      expect(rowsAtFirstRead[0]).to.be.greaterThan(0);
    } finally {
      proto.add = own;
      el?.remove();
    }
  });

  it('a source that is not live is not subscribed to', async () => {
    let subscribed = 0;
    const source = (live: boolean): ExperimentSource => ({
      capabilities: { delete: false, live, serverQuery: false, history: false },
      load: async (): Promise<Page> => ({ experiments: [{ id: 'a', status: 'completed' }] }),
      subscribe: (_onChange: (c: Change) => void) => {
        subscribed++;
        return () => undefined;
      },
    });
    for (const live of [false, true]) {
      const el = document.createElement('experiment-dashboard');
      el.style.cssText = 'display: block; height: 300px';
      const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
      el.source = source(live);
      document.body.append(el);
      await loaded;
      el.remove();
    }
    expect(subscribed).to.equal(1);
  });

  it('server-query mode: the first request already carries page-size', async () => {
    const sizes: string[] = [];
    const fakeFetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input));
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (url.pathname.endsWith('/capabilities')) return json({ serverQuery: true, live: false, delete: false, history: true });
      if (url.pathname.endsWith('/experiments')) {
        sizes.push(url.searchParams.get('pageSize') ?? '');
        return json({ experiments: [{ id: 'a', status: 'completed' }], total: 1 });
      }
      return new Response('', { status: 404 });
    }) as typeof fetch;
    const el = document.createElement('experiment-dashboard');
    el.style.cssText = 'display: block; height: 300px';
    el.pageSize = 37;
    const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
    el.source = new HttpSource({ baseUrl: 'http://example.invalid/api/', fetch: fakeFetch });
    document.body.append(el);
    await loaded;
    el.remove();
    expect(sizes[0]).to.equal('37');
  });

  it('search over shared text segments finds the same records as the full search text', () => {
    // Enough records that some fields stop being shared (a value per record) and others are.
    const { experiments } = parseCollection(generateExperiments({ n: 3000, historyPoints: 0 }));
    const sample = experiments[17]!;
    const words = ['adamw', 'a100', 'rtx', 'numpy', 'pip', 'linux', 'cifar', sample.id, sample.host?.cpu?.model?.toLowerCase() ?? 'cpu', '0.9', 'zzzz-nothing'];
    for (const w of words) {
      const fast = experiments.filter(compilePredicate({ search: w })).length;
      const full = experiments.filter((e) => searchKey(e).includes(w)).length;
      expect(fast, w).to.equal(full);
    }
    expect(experiments.filter(compilePredicate({ search: sample.id })).map((e) => e.id)).to.include(sample.id);
    expect(searchKey(sample)).to.include((sample.host?.hostname ?? '').toLowerCase());
  });
});
