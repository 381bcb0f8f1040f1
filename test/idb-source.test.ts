import { expect, waitUntil } from '@open-wc/testing';
import { deleteDB, openDB } from 'idb';
import { IDB_HISTORY_REF, IDB_SCHEMA_VERSION, IndexedDbSource, type ImportProgress } from '../src/data/idb-source.js';
import { parseCollection } from '../src/data/parse.js';
import { collectionToJson, generateCollection } from '../src/data/sample-data.js';
import { SourceError, type Change, type Experiment } from '../src/data/types.js';
import { rejection } from './helpers.js';

let names: string[] = [];
let sources: IndexedDbSource[] = [];

function freshName(): string {
  const name = `idb-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
}

function source(name: string, options?: ConstructorParameters<typeof IndexedDbSource>[1]): IndexedDbSource {
  const s = new IndexedDbSource(name, options);
  sources.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sources) s.close();
  sources = [];
  for (const name of names) await deleteDB(name);
  names = [];
});

describe('IndexedDbSource', () => {
  it('declares what it can do', () => {
    expect(new IndexedDbSource('x').capabilities).to.deep.equal({ delete: true, live: true, serverQuery: false, history: true });
  });

  it('imports in chunks with progress, then counts added, updated and rejected records', async () => {
    const db = source(freshName(), { chunkSize: 400 });
    const collection = generateCollection({ n: 1000, seed: 11, historyPoints: 5 });
    const progress: ImportProgress[] = [];
    const report = await db.importCollection(collectionToJson(collection), { onProgress: (p) => progress.push(p) });
    expect(report).to.include({ added: 1000, updated: 0, rejected: 0 });
    expect(progress.map((p) => p.done)).to.deep.equal([400, 800, 1000]);
    expect(progress.every((p) => p.total === 1000)).to.equal(true);

    const page = await db.load({});
    expect(page.total).to.equal(1000);
    expect(page.defaults?.mainMetric?.key).to.equal('val_accuracy');
    expect(page.generatedAt).to.equal(collection.generatedAt);
    const expected = parseCollection(collection).experiments;
    const first = page.experiments.find((e) => e.id === expected[0]?.id);
    expect(first?.name).to.equal(expected[0]?.name);

    // Re-import two known records (one changed) plus one new and two unusable ones.
    const changed = { ...(collection.experiments[0] as Experiment), name: 'renamed' };
    const again = await db.importCollection({
      schemaVersion: '1.0',
      kind: 'ExperimentCollection',
      experiments: [changed, collection.experiments[1], { id: 'new-1', status: 'queued' }, { id: 'bad-1', status: 'exploded' }, { status: 'completed' }],
    });
    expect(again).to.include({ added: 1, updated: 2, rejected: 2 });
    expect(again.problems.filter((p) => p.severity === 'error').map((p) => p.index)).to.deep.equal([3, 4]);
    expect((await db.get(changed.id)).name).to.equal('renamed');
    expect((await db.load({})).total).to.equal(1001);
  });

  it('rejects a bad file with reasons and keeps everything already stored', async () => {
    const db = source(freshName());
    await db.importCollection({ experiments: [{ id: 'keep-1', status: 'completed' }, { id: 'keep-2', status: 'failed' }] });

    const notJson = await rejection(db.importCollection('{"experiments": [', { origin: 'runs.json' }));
    expect(notJson.kind).to.equal('parse');
    expect(notJson.message).to.match(/runs\.json is not valid JSON/);
    expect(notJson.message).to.match(/stored experiments are unchanged/);

    const unusable = await rejection(db.importCollection({ experiments: [{ id: 'x' }, { status: 'running' }] }, { origin: 'runs.json' }));
    expect(unusable.kind).to.equal('schema');
    expect(unusable.message).to.match(/Nothing was imported from runs\.json/);
    expect(unusable.message).to.match(/"status" is missing/);
    expect(unusable.message).to.match(/"id" is missing/);

    const notACollection = await rejection(db.importCollection(42));
    expect(notACollection.kind).to.equal('schema');

    const page = await db.load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(['keep-1', 'keep-2']);
  });

  it('keeps histories apart and reads them only when asked; export puts them back', async () => {
    const db = source(freshName());
    await db.importCollection({
      experiments: [{ id: 'h1', status: 'completed', metrics: { loss: { history: { steps: [0, 1, 2], values: [1, 0.5, 'NaN'] } }, acc: { last: 0.9 } } }],
    });
    const [listed] = (await db.load({})).experiments;
    expect(listed?.metrics?.loss?.history).to.equal(undefined);
    expect(listed?.metrics?.loss?.historyRef).to.equal(IDB_HISTORY_REF);
    expect(listed?.metrics?.loss?.last).to.satisfy(Number.isNaN);
    expect(listed?.metrics?.acc).to.deep.equal({ last: 0.9 });

    const series = await db.history('h1', 'loss');
    expect(series.steps).to.deep.equal([0, 1, 2]);
    expect(series.values.slice(0, 2)).to.deep.equal([1, 0.5]);
    expect(series.values[2]).to.satisfy(Number.isNaN);

    const missing = await rejection(db.history('h1', 'acc'));
    expect(missing.kind).to.equal('not-found');

    // A summary-only update keeps the stored history.
    await db.importCollection({ experiments: [{ id: 'h1', status: 'completed', metrics: { loss: { last: 0.1 } } }] });
    expect((await db.get('h1')).metrics?.loss?.historyRef).to.equal(IDB_HISTORY_REF);
    expect((await db.history('h1', 'loss')).steps).to.deep.equal([0, 1, 2]);

    const exported = await db.exportCollection();
    expect(exported).to.include({ schemaVersion: '1.0', kind: 'ExperimentCollection' });
    const loss = exported.experiments[0]?.metrics?.loss;
    expect(loss?.historyRef).to.equal(undefined);
    expect(loss?.history?.steps).to.deep.equal([0, 1, 2]);
    // Written with collectionToJson it is format v1 again.
    const reread = parseCollection(collectionToJson(exported));
    expect(reread.problems).to.deep.equal([]);
    expect(reread.experiments[0]?.metrics?.loss?.history?.values[2]).to.satisfy(Number.isNaN);
  });

  it('migrates a version-1 database: histories move to their own store, records keep a reference', async () => {
    const name = freshName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('experiments', { keyPath: 'id' });
      },
    });
    await v1.put('experiments', { id: 'old-1', status: 'completed', name: 'from v1', metrics: { acc: { last: 0.7, history: { steps: [1, 2], values: [0.6, 0.7] } } } });
    await v1.put('experiments', { id: 'old-2', status: 'failed' });
    v1.close();

    const db = source(name);
    const page = await db.load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(['old-1', 'old-2']);
    const old1 = page.experiments[0];
    expect(old1?.name).to.equal('from v1');
    expect(old1?.metrics?.acc).to.deep.equal({ last: 0.7, historyRef: IDB_HISTORY_REF });
    expect(await db.history('old-1', 'acc')).to.deep.equal({ steps: [1, 2], values: [0.6, 0.7] });

    db.close();
    const raw = await openDB(name);
    expect(raw.version).to.equal(IDB_SCHEMA_VERSION);
    expect([...raw.objectStoreNames]).to.include.members(['experiments', 'histories']);
    expect([...raw.transaction('experiments').store.indexNames]).to.include.members(['status', 'times.started', 'mainMetric.value']);
    expect(await raw.countFromIndex('experiments', 'status', 'failed')).to.equal(1);
    raw.close();
  });

  it('says "close other tabs" when another tab holds the old version open', async () => {
    const name = freshName();
    const other = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('experiments', { keyPath: 'id' });
      },
    });
    const err = await rejection(source(name).load({}));
    expect(err.message).to.match(/Close other tabs of this page/);
    other.close();
    await waitUntil(async () => {
      try {
        await source(name).load({});
        return true;
      } catch {
        return false;
      }
    }, 'the source opens once the other tab is gone');
  });

  it('reports a missing IndexedDB (private mode) in words', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(window, 'indexedDB');
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    try {
      const err = await rejection(source(freshName()).load({}));
      expect(err.kind).to.equal('unsupported');
      expect(err.message).to.match(/private browsing/);
    } finally {
      if (descriptor) Object.defineProperty(window, 'indexedDB', descriptor);
      else delete (window as { indexedDB?: unknown }).indexedDB;
    }
    expect(typeof indexedDB.open).to.equal('function');
  });

  it('stops with kind "quota" when storage is full, rolling the failing chunk back whole', async () => {
    const db = source(freshName(), { chunkSize: 50 });
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    // The 2nd chunk fails after 10 of its records were put: none of them may remain.
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'experiments' && ++puts > 60) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
    let err: SourceError;
    try {
      err = await rejection(db.importCollection(generateCollection({ n: 200, seed: 5, historyPoints: 0 })));
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(err.kind).to.equal('quota');
    expect(err.message).to.match(/storage for this site is full/);
    expect(err.message).to.match(/50 of 200 experiments were stored/);
    expect((await db.load({})).total).to.equal(50);
  });

  it('deletes durably: gone after closing and reopening, histories too', async () => {
    const name = freshName();
    const db = source(name);
    await db.importCollection({
      experiments: [
        { id: 'd1', status: 'failed', metrics: { loss: { history: { values: [3, 2] } } } },
        { id: 'd2', status: 'completed' },
        { id: 'd3', status: 'dead' },
      ],
    });
    await db.delete(['d1', 'd3']);
    db.close();
    const reopened = source(name);
    expect((await reopened.load({})).experiments.map((e) => e.id)).to.deep.equal(['d2']);
    expect((await rejection(reopened.history('d1', 'loss'))).kind).to.equal('not-found');
    expect((await rejection(reopened.get('d1'))).kind).to.equal('not-found');
  });

  it('tells every source on the same database about changes, this tab’s own included', async () => {
    const name = freshName();
    const a = source(name);
    const b = source(name);
    const seenByA: Change[] = [];
    const seenByB: Change[] = [];
    a.subscribe((c) => seenByA.push(c));
    const stop = b.subscribe((c) => seenByB.push(c));

    await a.importCollection({ experiments: [{ id: 'live-1', status: 'running', metrics: { acc: { last: 0.1, history: { values: [0, 0.1] } } } }] });
    await waitUntil(() => seenByB.length === 1, 'the other source hears of the import');
    expect(seenByA).to.have.length(1);
    const upsert = seenByB[0];
    expect(upsert?.type).to.equal('upsert');
    if (upsert?.type === 'upsert') {
      expect(upsert.experiments.map((e) => e.id)).to.deep.equal(['live-1']);
      expect(upsert.experiments[0]?.metrics?.acc?.historyRef).to.equal(IDB_HISTORY_REF);
    }
    // b reads what a wrote.
    expect((await b.get('live-1')).status).to.equal('running');

    await b.delete(['live-1']);
    await waitUntil(() => seenByA.length === 2, 'the deletion reaches the first source');
    expect(seenByA[1]).to.deep.equal({ type: 'delete', ids: ['live-1'] });
    expect(seenByB[1]).to.deep.equal({ type: 'delete', ids: ['live-1'] });

    stop();
    await a.importCollection({ experiments: [{ id: 'live-2', status: 'queued' }] });
    await waitUntil(() => seenByA.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(seenByB).to.have.length(2);
  });

  describe('an import cut short', () => {
    const FILE = 'runs.json';
    const collection = generateCollection({ n: 500, seed: 21, historyPoints: 3 });
    const text = collectionToJson(collection);
    const idOf = (i: number) => (collection.experiments[i] as Experiment).id;

    /** Imports the file in chunks of 100 and cancels it once `stopAfter` records are stored. */
    async function interruptedImport(name: string, stopAfter: number): Promise<void> {
      const first = source(name, { chunkSize: 100 });
      const stop = new AbortController();
      const err = await rejection(first.importCollection(text, { origin: FILE, signal: stop.signal, onProgress: (p) => p.done >= stopAfter && stop.abort() }));
      expect(err.kind).to.equal('aborted');
      expect(first.pendingImport).to.include({ name: FILE, total: 500, done: stopAfter });
      first.close();
    }

    it('is reported when the database is opened again, with the defaults of its first chunk', async () => {
      const name = freshName();
      await interruptedImport(name, 100);
      const reopened = source(name);
      expect(reopened.pendingImport).to.equal(undefined); // not known before it opens
      await reopened.ready();
      const pending = reopened.pendingImport;
      expect(pending).to.include({ name: FILE, total: 500, done: 100 });
      expect(Date.parse(pending?.startedAt ?? '')).to.be.closeTo(Date.now(), 60_000);
      const page = await reopened.load({});
      expect(page.total).to.equal(100);
      expect(page.defaults?.mainMetric).to.deep.equal(collection.defaults?.mainMetric);
      // A finished import leaves nothing pending.
      await reopened.importCollection({ experiments: [{ id: 'later', status: 'queued' }] }, { origin: 'later.json' });
      expect(reopened.pendingImport).to.equal(undefined);
      const again = source(name);
      await again.ready();
      expect(again.pendingImport).to.equal(undefined);
    });

    it('is reported also when the connection closed under it', async () => {
      const name = freshName();
      const first = source(name, { chunkSize: 100 });
      const err = await rejection(first.importCollection(text, { origin: FILE, onProgress: (p) => p.done === 200 && first.close() }));
      expect(err.message).to.match(/200 of 500 experiments were stored before it/);
      const reopened = source(name);
      await reopened.load({});
      expect(reopened.pendingImport).to.include({ name: FILE, total: 500, done: 200 });
    });

    it('is not taken for interrupted while another tab still runs it', async () => {
      const name = freshName();
      await interruptedImport(name, 100);
      // The Web Lock an importing tab holds for this database, held here as another tab would.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const acquired = new Promise<void>((resolve) => void navigator.locks.request(`experiment-dashboard:indexeddb-import:${name}`, () => (resolve(), held)));
      await acquired;
      const meanwhile = source(name);
      await meanwhile.ready();
      expect(meanwhile.pendingImport).to.equal(undefined);
      release();
      await navigator.locks.request(`experiment-dashboard:indexeddb-import:${name}`, () => undefined);
      const later = source(name);
      await later.ready();
      expect(later.pendingImport).to.include({ name: FILE, done: 100 });
    });

    it('resumes with only the missing records', async () => {
      const name = freshName();
      const setup = source(name);
      // Stored before: one record the file does not have, one it has (in its unwritten part) with other content.
      await setup.importCollection({ experiments: [{ id: 'old-1', status: 'completed', name: 'kept' }, { id: idOf(300), status: 'failed', name: 'before' }] });
      setup.close();
      await interruptedImport(name, 200);

      const reopened = source(name, { chunkSize: 100 });
      await reopened.ready();
      const progress: number[] = [];
      const report = await reopened.resumeImport(text, { onProgress: (p) => progress.push(p.done) });
      expect(report).to.include({ added: 299, updated: 1, unchanged: 200, rejected: 0 });
      expect(progress).to.deep.equal([100, 200, 300, 400, 500]);
      expect(reopened.pendingImport).to.equal(undefined);
      const page = await reopened.load({});
      expect(page.total).to.equal(501);
      expect((await reopened.get(idOf(300))).name).to.equal(collection.experiments[300]?.name);
      expect((await reopened.get('old-1')).name).to.equal('kept');
      expect((await reopened.history(idOf(499), 'val_accuracy')).values).to.have.length(3);
      const after = source(name);
      await after.ready();
      expect(after.pendingImport).to.equal(undefined);
    });

    it('discards only the records it added, and puts the defaults back', async () => {
      const name = freshName();
      const setup = source(name);
      await setup.importCollection({
        schemaVersion: '1.0',
        kind: 'ExperimentCollection',
        defaults: { mainMetric: { key: 'loss', goal: 'minimize' } },
        experiments: [
          { id: 'old-1', status: 'completed', name: 'kept' },
          { id: idOf(50), status: 'failed', name: 'before' },
        ],
      });
      setup.close();
      await interruptedImport(name, 200);

      const reopened = source(name);
      const changes: Change[] = [];
      reopened.subscribe((c) => changes.push(c));
      await reopened.ready();
      expect((await reopened.load({})).defaults?.mainMetric?.key).to.equal('val_accuracy');
      expect(await reopened.discardImport()).to.deep.equal({ removed: 199, kept: 1 });
      expect(reopened.pendingImport).to.equal(undefined);
      const page = await reopened.load({});
      expect(page.experiments.map((e) => e.id).sort()).to.deep.equal(['old-1', idOf(50)].sort());
      // The record it replaced stays, with the imported content; the ones it added are gone, histories too.
      expect((await reopened.get(idOf(50))).name).to.equal(collection.experiments[50]?.name);
      expect((await rejection(reopened.history(idOf(10), 'val_accuracy'))).kind).to.equal('not-found');
      expect(page.defaults?.mainMetric).to.deep.equal({ key: 'loss', goal: 'minimize' });
      expect(changes.at(-1)).to.deep.include({ type: 'delete' });
      expect((changes.at(-1) as { ids: string[] }).ids).to.have.length(199);
      // Nothing left to discard.
      expect(await reopened.discardImport()).to.deep.equal({ removed: 0, kept: 0 });
    });
  });

  // A guard against freezing the page (the same 1 s as test/limits.test.ts), not a speed target:
  // the longest task while loading is measured against a baseline by `npm run bench`.
  it('loads 100,000 records without freezing the page (no task of 1 s or more)', async function () {
    this.timeout(120_000);
    const name = freshName();
    const db = source(name);
    await db.load({}); // creates the schema
    db.close();
    const raw = await openDB(name, IDB_SCHEMA_VERSION);
    const N = 100_000;
    for (let start = 0; start < N; start += 20_000) {
      const tx = raw.transaction('experiments', 'readwrite');
      for (let i = start; i < start + 20_000; i++) {
        void tx.store.put({
          id: `e${String(i).padStart(6, '0')}`,
          status: i % 7 === 0 ? 'failed' : 'completed',
          name: `run ${i}`,
          operator: 'ada.lovelace',
          tags: ['sweep', i % 2 ? 'odd' : 'even'],
          params: { optimizer: { name: 'adam', lr: 0.001 * (i % 10) }, epochs: i % 100 },
          metrics: { accuracy: { last: (i % 1000) / 1000, min: 0, max: 1, count: 10 } },
          times: { started: '2024-05-01T00:00:00.000Z' },
        });
      }
      await tx.done;
    }
    raw.close();

    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const reader = source(name);
    const page = await reader.load({});
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    expect(page.total).to.equal(N);
    expect(page.experiments[N - 1]?.id).to.equal('e099999');
    expect(Math.max(0, ...longTasks), `long tasks: ${longTasks.map(Math.round).join(', ')} ms`).to.be.lessThan(1000);
  });
});
