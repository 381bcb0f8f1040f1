import { expect } from '@open-wc/testing';
import { parseCollection } from '../src/data/parse.js';
import { SourceError, type Change, type Experiment, type ExperimentSource, type Page, type Query } from '../src/data/types.js';
import { ExperimentStore, StoreChangeEvent, type StoreChange } from '../src/store/experiment-store.js';

const records = (): Experiment[] =>
  parseCollection({
    generatedAt: '2024-05-01T12:00:00Z',
    experiments: [
      { id: 'a', status: 'completed', metrics: { acc: { last: 0.9 }, loss: { last: 0.3 } } },
      { id: 'b', status: 'running', times: { started: '2024-05-01T11:00:00Z', heartbeat: '2024-05-01T11:59:00Z' }, metrics: { acc: { last: 0.8 }, loss: { last: 0.1 } } },
    ],
  }).experiments;

/** A source whose answers the test releases one by one, and which records what it was asked. */
class ScriptedSource implements ExperimentSource {
  readonly capabilities = { delete: true, live: true, serverQuery: false, history: false };
  readonly label = 'scripted';
  readonly queries: Query[] = [];
  readonly signals: AbortSignal[] = [];
  readonly pending: { resolve: (p: Page) => void; reject: (e: unknown) => void }[] = [];
  listener?: (c: Change) => void;
  closed = false;
  load(query: Query, signal?: AbortSignal): Promise<Page> {
    this.queries.push(query);
    if (signal) this.signals.push(signal);
    return new Promise<Page>((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  subscribe(onChange: (c: Change) => void): () => void {
    this.listener = onChange;
    return () => (this.listener = undefined);
  }
  close(): void {
    this.closed = true;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function record(store: ExperimentStore): StoreChange[] {
  const seen: StoreChange[] = [];
  store.addEventListener('change', (ev) => seen.push((ev as StoreChangeEvent).change));
  return seen;
}

describe('ExperimentStore', () => {
  it('loads through the source: status, rows, problems, the snapshot clock and a revision', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    const seen = record(store);
    expect(store.status).to.equal('initial');
    const done = store.load();
    expect(store.status).to.equal('pending');
    source.pending[0]!.resolve({ experiments: records(), generatedAt: '2024-05-01T12:00:00Z', problems: [{ severity: 'warning', path: '$.x', message: 'odd' }] });
    await done;
    expect(store.status).to.equal('complete');
    expect(store.experiments.map((e) => e.id)).to.deep.equal(['a', 'b']);
    expect(store.get('b')?.status).to.equal('running');
    expect(store.problems).to.have.length(1);
    // Measured against the collection's time even though the source is live.
    expect(store.now).to.equal(Date.parse('2024-05-01T12:00:00Z'));
    expect(store.revision).to.equal(1);
    expect(seen.map((c) => c.kind)).to.deep.equal(['status', 'reset']);
    expect(seen[1]).to.deep.equal({ kind: 'reset', cause: 'load' });
  });

  it('aborts the previous request and drops its late answer', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    const first = store.load();
    const second = store.load();
    expect(source.signals[0]!.aborted).to.equal(true);
    expect(source.signals[1]!.aborted).to.equal(false);
    source.pending[1]!.resolve({ experiments: records().slice(0, 1) });
    await second;
    // The first request answers after the second: ignored.
    source.pending[0]!.resolve({ experiments: records() });
    await first;
    expect(store.experiments.map((e) => e.id)).to.deep.equal(['a']);
    expect(store.revision).to.equal(1);
  });

  it('applies the main metric once, on load and when it changes', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    store.setMainMetric({ key: 'loss', goal: 'minimize' });
    const done = store.load();
    source.pending[0]!.resolve({ experiments: records(), defaults: { mainMetric: { key: 'acc', goal: 'maximize' } }, generatedAt: '2024-05-01T12:00:00Z' });
    await done;
    expect(store.experiments.map((e) => e.mainMetric)).to.deep.equal([
      { key: 'loss', goal: 'minimize', value: 0.3 },
      { key: 'loss', goal: 'minimize', value: 0.1 },
    ]);
    const seen = record(store);
    store.setMainMetric(undefined);
    expect(store.mainMetric).to.deep.equal({ key: 'acc', goal: 'maximize' });
    expect(store.experiments[0]!.mainMetric).to.deep.equal({ key: 'acc', goal: 'maximize', value: 0.9 });
    // The clock stays the snapshot's: nothing is reloaded or re-derived.
    expect(store.now).to.equal(Date.parse('2024-05-01T12:00:00Z'));
    expect(seen).to.deep.equal([{ kind: 'reset', cause: 'main-metric' }]);
  });

  it('merges live changes in place, with the main metric applied', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    store.setMainMetric({ key: 'loss' });
    const done = store.load();
    source.pending[0]!.resolve({ experiments: records() });
    await done;
    const seen = record(store);
    source.listener!({ type: 'upsert', experiments: [{ id: 'b', status: 'completed', metrics: { loss: { last: 0.05 } } }, { id: 'c', status: 'queued' }] });
    expect(store.experiments.map((e) => `${e.id}:${e.status}`)).to.deep.equal(['a:completed', 'b:completed', 'c:queued']);
    expect(store.get('b')?.mainMetric?.value).to.equal(0.05);
    source.listener!({ type: 'delete', ids: ['a'] });
    expect(store.experiments.map((e) => e.id)).to.deep.equal(['b', 'c']);
    expect(seen.map((c) => c.kind)).to.deep.equal(['upsert', 'remove']);
    expect((seen[0] as { added: readonly string[] }).added).to.deep.equal(['c']);
    source.listener!({ type: 'reload' });
    expect(source.queries).to.have.length(2);
  });

  it('removes rows for a delete and restores them for an undo', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    const done = store.load();
    source.pending[0]!.resolve({ experiments: records() });
    await done;
    const taken = store.remove(['a', 'missing']);
    expect(taken.map((e) => e.id)).to.deep.equal(['a']);
    expect(store.experiments.map((e) => e.id)).to.deep.equal(['b']);
    store.restore(taken);
    store.restore(taken); // twice: no duplicate
    expect(store.experiments.map((e) => e.id)).to.deep.equal(['b', 'a']);
    expect(store.revision).to.equal(3);
  });

  it('says why a load failed and keeps no rows of it', async () => {
    const store = new ExperimentStore();
    const source = new ScriptedSource();
    store.setSource(source);
    const seen = record(store);
    const done = store.load();
    source.pending[0]!.reject(new SourceError('network', 'Could not reach the server. Check your connection.'));
    await done;
    expect(store.status).to.equal('error');
    expect(store.error?.kind).to.equal('network');
    expect(store.experiments).to.have.length(0);
    expect(seen.at(-1)).to.deep.equal({ kind: 'reset', cause: 'error' });
  });

  it('closes a source it owns when replaced, never a user one; pause stops a load in flight', async () => {
    const store = new ExperimentStore();
    const owned = new ScriptedSource();
    const users = new ScriptedSource();
    store.setSource(owned, true);
    store.setSource(users);
    expect(owned.closed).to.equal(true);
    void store.load();
    store.pause();
    expect(users.signals[0]!.aborted).to.equal(true);
    expect(store.status).to.equal('initial');
    store.setSource(undefined);
    expect(users.closed).to.equal(false);
    await settle();
  });
});
