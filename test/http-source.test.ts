import { expect, waitUntil } from '@open-wc/testing';
import { parse as parseYaml } from 'yaml';
import { HttpSource, type HttpSourceInit } from '../src/data/http-source.js';
import { parseCollection } from '../src/data/parse.js';
import { applyQuery, FILTER_OPERATORS } from '../src/data/query.js';
import { generateCollection, type SampleOptions } from '../src/data/sample-data.js';
import { type Change, type Experiment, type Query } from '../src/data/types.js';
import { rejection } from './helpers.js';

// The reference server runs on loopback, started by server/web-test-runner-plugin.mjs.
let api: string;
/** The reference server's token for changes (the plugin starts it with one, as a deployment would). */
let token: string;
let expected: Experiment[];
let unsubscribe: (() => void)[] = [];

async function hook(name: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(`__test/${name}`, api), { method: name === 'requests' ? 'GET' : 'POST', body: body === undefined ? null : JSON.stringify(body) });
  expect(response.ok, `test hook ${name}`).to.equal(true);
  return response.json();
}

const requests = async (): Promise<string[]> => ((await hook('requests')) as { requests: string[] }).requests;

function source(init: Partial<HttpSourceInit> = {}): HttpSource {
  return new HttpSource({ baseUrl: api, retryDelayMs: 10, token, ...init });
}

/** A record as a list answer shows it: histories replaced by references. */
function withoutHistories(e: Experiment): Experiment {
  if (!e.metrics) return e;
  return { ...e, metrics: Object.fromEntries(Object.entries(e.metrics).map(([k, { history: _h, historyRef: _r, ...m }]) => [k, m])) };
}

/** A fake fetch answering every request with one response. */
function answering(status: number, body: string, calls: { url: string; init: RequestInit }[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

before(async () => {
  const info = (await (await fetch('/__reference-server')).json()) as { url: string; sample: SampleOptions; token: string };
  api = info.url;
  token = info.token;
  expected = parseCollection(generateCollection(info.sample)).experiments;
});

beforeEach(() => hook('reset'));

afterEach(() => {
  for (const stop of unsubscribe) stop();
  unsubscribe = [];
});

describe('HttpSource against the reference server', () => {
  it('client mode: loads every page, records equal to the data the server holds', async () => {
    const s = source({ mode: 'client', pageSize: 70 });
    const page = await s.load({ search: 'ignored in client mode', page: { size: 5 } });
    expect(s.capabilities).to.deep.equal({ serverQuery: false, live: true, delete: true, restore: true, history: true });
    expect(page.total).to.equal(expected.length);
    expect(page.experiments.map((e) => e.id)).to.deep.equal(expected.map((e) => e.id));
    expect(page.problems).to.equal(undefined);
    expect(page.defaults?.mainMetric).to.deep.equal({ key: 'val_accuracy', goal: 'maximize' });
    const [first] = page.experiments;
    expect(withoutHistories(first as Experiment)).to.deep.equal(withoutHistories(expected[0] as Experiment));
    expect(first?.metrics?.accuracy?.historyRef).to.be.a('string');
    const listed = (await requests()).filter((r) => r === 'GET /experiments');
    expect(listed).to.have.length(Math.ceil(expected.length / 70));
  });

  it('round-trips one record, a metric history and an artifact', async () => {
    const s = source();
    const target = expected.find((e) => e.status === 'failed' && Number.isNaN(e.metrics?.loss?.last)) ?? (expected[0] as Experiment);
    const full = await s.get(target.id);
    expect(full).to.deep.equal(target);
    const history = await s.history(target.id, 'accuracy');
    expect(history).to.deep.equal(target.metrics?.accuracy?.history);

    const notFound = await rejection(s.history(target.id, 'no/such metric'));
    expect(notFound.kind).to.equal('not-found');
    expect(notFound.message).to.match(/has no metric "no\/such metric"/);
    expect((await rejection(s.get('no-such-run'))).kind).to.equal('not-found');

    await hook('upsert', { experiments: [{ id: 'with-file', status: 'completed', artifacts: [{ name: 'notes.txt', uri: 'data:text/plain,hello%20there', mediaType: 'text/plain' }] }] });
    const link = await s.artifact('with-file', { name: 'notes.txt' });
    expect(link).to.be.instanceOf(URL);
    expect(await (await fetch(link as URL)).text()).to.equal('hello there');
    // With custom headers a link could not authenticate: the file comes as a Blob.
    const blob = await source({ headers: { 'x-api-key': 'k' } }).artifact('with-file', { name: 'notes.txt' });
    expect(blob).to.be.instanceOf(Blob);
    expect(await (blob as Blob).text()).to.equal('hello there');
  });

  it('auto mode asks /capabilities and then lets the server query: paging, filtering, sorting', async () => {
    const s = source();
    expect(await s.ready()).to.deep.equal({ serverQuery: true, live: true, delete: true, restore: true, history: true });
    const query: Query = {
      search: 'adam',
      filters: [
        { attribute: 'status', op: 'in', value: ['completed', 'failed', 'interrupted'] },
        { attribute: 'params.optimizer.lr', op: 'lt', value: 0.005 },
        { attribute: 'times.started', op: 'after', value: '2024-03-01' },
      ],
      sort: [
        { attribute: 'mainMetric', dir: 'desc' },
        { attribute: 'name', dir: 'asc' },
      ],
      page: { size: 7 },
    };
    const want = applyQuery(expected, { ...query, page: undefined });
    expect(want.total).to.be.greaterThan(14);

    const first = await s.load(query);
    expect(first.total).to.equal(want.total);
    expect(first.experiments.map((e) => e.id)).to.deep.equal(want.experiments.slice(0, 7).map((e) => e.id));
    expect(first.nextToken).to.be.a('string');

    const second = await s.load({ ...query, page: { size: 7, token: first.nextToken as string } });
    expect(second.experiments.map((e) => e.id)).to.deep.equal(want.experiments.slice(7, 14).map((e) => e.id));
    const third = await s.load({ ...query, page: { size: 7, index: 2 } });
    expect(third.experiments.map((e) => e.id)).to.deep.equal(want.experiments.slice(14, 21).map((e) => e.id));

    const dead = await s.load({ filters: [{ attribute: 'status', op: 'eq', value: 'dead' }], page: { size: 500 } });
    expect(dead.total).to.equal(expected.filter((e) => e.status === 'dead').length);
    expect(dead.experiments.every((e) => e.statusDetail?.derived === true)).to.equal(true);
  });

  it('answers a bad filter with HTTP 400 and says which filter and why', async () => {
    const err = await rejection(source({ mode: 'server' }).load({ filters: [{ attribute: 'name', op: 'matches', value: '(unclosed' }] }));
    expect(err.kind).to.equal('http');
    expect(err.status).to.equal(400);
    expect(err.message).to.match(/filter 1 \(name matches\): "\(unclosed" is not a valid regular expression/);
  });

  it('restores deleted records: they come back as an upsert, in their place', async () => {
    const s = source({ mode: 'client' });
    const changes: Change[] = [];
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    await waitUntil(async () => (await requests()).includes('GET /changes'), 'the stream opens');
    const [a, b] = expected as [Experiment, Experiment];
    await s.delete([b.id, a.id]);
    expect((await s.load({})).experiments.some((e) => e.id === a.id)).to.equal(false);
    await s.restore([a.id, b.id]);
    const page = await s.load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(expected.map((e) => e.id));
    await waitUntil(() => changes.some((c) => c.type === 'upsert'), 'the restored records arrive live', { timeout: 5000 });
    const upsert = changes.find((c) => c.type === 'upsert') as { experiments: Experiment[] };
    expect(upsert.experiments.map((e) => e.id)).to.deep.equal([a.id, b.id]);
  });

  it('says what to do when the server wants a token for changes', async () => {
    // Without a token the server's capabilities still say "delete", but the source knows it needs one.
    const anonymous = source({ token: undefined });
    expect((await anonymous.ready()).delete).to.equal(false);
    const id = (expected[0] as Experiment).id;
    const missing = await rejection(anonymous.delete([id]));
    expect(missing.kind).to.equal('not-allowed');
    expect(missing.status).to.equal(401);
    expect(missing.message).to.match(/needs an access token for changes \(HTTP 401\)\. Give the source the token the server was started with/);
    const wrong = await rejection(source({ token: `${token}-wrong` }).restore([id]));
    expect(wrong.status).to.equal(401);
    expect(wrong.message).to.match(/needs a different access token.*The server said: The access token is wrong/s);
    expect((await source().get(id)).id).to.equal(id);
  });

  it('sends the token with changes only: reads and the live stream go without it', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const s = new HttpSource({ baseUrl: 'https://ml.example.com/api/', mode: 'client', token: async () => 'fresh-token', fetch: answering(200, '{"experiments": [], "total": 0, "nextToken": null, "deleted": [], "notFound": []}', calls) });
    await s.load({});
    await s.delete(['x']);
    await s.restore(['x']);
    expect(calls.map((c) => [new URL(c.url).pathname.replace(/^.*\/api\//, ''), new Headers(c.init.headers).get('authorization')])).to.deep.equal([
      ['capabilities', null],
      ['experiments', null],
      ['experiments/delete', 'Bearer fresh-token'],
      ['experiments/restore', 'Bearer fresh-token'],
    ]);
  });

  it('deletes only once the server confirms, and the records are gone', async () => {
    const s = source();
    const [a, b] = expected;
    await s.delete([(a as Experiment).id, (b as Experiment).id]);
    const page = await s.load({ page: { size: 1000 } });
    expect(page.total).to.equal(expected.length - 2);
    expect(page.experiments.some((e) => e.id === a?.id || e.id === b?.id)).to.equal(false);
  });

  it('pushes a running experiment’s new status and metric over Server-Sent Events', async () => {
    const s = source({ live: 'sse' });
    await s.load({ page: { size: 1 } }); // remembers the change sequence to resume from
    const changes: Change[] = [];
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    const running = expected.find((e) => e.status === 'running') as Experiment;
    const done: Experiment = {
      ...running,
      status: 'completed',
      times: { ...running.times, stopped: '2024-06-01T12:05:00.000Z' },
      metrics: { ...running.metrics, val_accuracy: { ...running.metrics?.val_accuracy, last: 0.987 } },
      mainMetric: undefined,
    };
    await hook('upsert', { experiments: [done] });
    await waitUntil(() => changes.length > 0, 'an upsert event arrives', { timeout: 5000 });
    const change = changes[0];
    expect(change?.type).to.equal('upsert');
    if (change?.type !== 'upsert') return;
    const [updated] = change.experiments;
    expect(updated?.id).to.equal(running.id);
    expect(updated?.status).to.equal('completed');
    expect(updated?.metrics?.val_accuracy?.last).to.equal(0.987);
    expect(updated?.mainMetric?.value).to.equal(0.987);

    await hook('upsert', { experiments: [{ ...done, metrics: { loss: { last: 'NaN' } } }] });
    await waitUntil(() => changes.length > 1, 'the second upsert arrives');
    const second = changes[1];
    if (second?.type === 'upsert') expect(second.experiments[0]?.metrics?.loss?.last).to.satisfy(Number.isNaN);

    await source().delete([running.id]);
    await waitUntil(() => changes.length > 2, 'the delete arrives');
    expect(changes[2]).to.deep.equal({ type: 'delete', ids: [running.id] });
    // One long-lived stream carried it all: no polling.
    expect((await requests()).filter((r) => r === 'GET /changes')).to.have.length(1);
  });

  it('reconnects a dropped event stream and replays what happened meanwhile', async () => {
    const s = source({ live: 'sse', retryDelayMs: 200 });
    await s.load({ page: { size: 1 } });
    const changes: Change[] = [];
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    await waitUntil(async () => (await requests()).includes('GET /changes'), 'the stream opens');
    expect(((await hook('drop-streams')) as { dropped: number }).dropped).to.equal(1);
    // Changed while no stream is open: the reconnection asks for everything since the last seen change.
    const target = expected[9] as Experiment;
    await hook('upsert', { experiments: [{ ...target, notes: 'changed while disconnected' }] });
    await waitUntil(() => changes.length > 0, 'the missed change is replayed', { timeout: 5000 });
    const change = changes[0];
    if (change?.type === 'upsert') expect(change.experiments[0]?.notes).to.equal('changed while disconnected');
    else expect.fail(`expected an upsert, got ${JSON.stringify(change)}`);
    expect((await requests()).filter((r) => r === 'GET /changes')).to.have.length(2);
  });

  it('polls /changes?since= when EventSource is unavailable or keeps failing', async () => {
    class BrokenEventSource extends EventTarget {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSED = 2;
      onerror: ((e: Event) => void) | null = null;
      onopen: ((e: Event) => void) | null = null;
      constructor(readonly url: string) {
        super();
        setTimeout(() => this.onerror?.(new Event('error')), 5);
      }
      close(): void {}
    }
    for (const init of [{ live: 'poll' as const }, { EventSource: BrokenEventSource as unknown as typeof EventSource }]) {
      const s = source({ ...init, pollIntervalMs: 50 });
      const changes: Change[] = [];
      unsubscribe.push(s.subscribe((c) => changes.push(c)));
      // The first poll learns where the feed stands; changes after it are delivered.
      await waitUntil(async () => (await requests()).some((r) => r === 'GET /changes'), 'polling starts', { timeout: 5000 });
      const target = expected[5] as Experiment;
      await hook('upsert', { experiments: [{ ...target, name: 'renamed by another user' }] });
      await waitUntil(() => changes.some((c) => c.type === 'upsert'), 'a polled change arrives', { timeout: 5000 });
      const change = changes.find((c) => c.type === 'upsert');
      if (change?.type === 'upsert') expect(change.experiments[0]?.name).to.equal('renamed by another user');
      unsubscribe.pop()?.();
      await hook('reset');
    }
  });

  it('goes back to the event stream once it works again, after falling back to polling', async () => {
    let attempts = 0;
    // The first three streams fail at once (a proxy that is restarting); later ones are real.
    const Flaky = function (url: string | URL, init?: EventSourceInit) {
      attempts += 1;
      if (attempts > 3) return new EventSource(url, init);
      const broken = new EventTarget() as EventSource;
      Object.assign(broken, { close: () => undefined, onerror: null, onopen: null });
      setTimeout(() => broken.onerror?.(new Event('error')), 5);
      return broken;
    } as unknown as typeof EventSource;
    const s = source({ EventSource: Flaky, pollIntervalMs: 30 });
    const seen: string[] = [];
    unsubscribe.push(s.subscribe(() => undefined, (state) => seen.push(`${state.status} ${state.transport}`)));
    await waitUntil(() => s.connection.status === 'online' && s.connection.transport === 'sse', 'back on the stream', { timeout: 10000 });
    expect(attempts).to.equal(4);
    expect(seen.filter((x, i) => x !== seen[i - 1])).to.deep.equal(['connecting sse', 'offline sse', 'online poll', 'online sse']);
    const changes: Change[] = [];
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    await hook('upsert', { experiments: [{ id: 'live-5', status: 'running' }] });
    await waitUntil(() => changes.some((c) => c.type === 'upsert'), 'a change over the stream');
  });

  it('after a server restart the stream says "reload", with the reason, and the source is online again', async () => {
    const s = source({ mode: 'client', live: 'sse' });
    await s.load({});
    const changes: Change[] = [];
    const states: string[] = [];
    s.addEventListener('connectionchange', () => states.push(s.connection.status));
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    await waitUntil(() => s.connection.status === 'online', 'the stream opens', { timeout: 5000 });
    await hook('upsert', { experiments: [{ id: 'live-1', status: 'running' }] });
    await waitUntil(() => changes.length === 1, 'a change before the restart');
    await hook('restart');
    await waitUntil(() => changes.some((c) => c.type === 'reload'), 'the reload after the restart', { timeout: 10000 });
    const reload = changes.find((c) => c.type === 'reload') as { reason?: string };
    expect(reload.reason).to.match(/restarted since this client last heard from it.*Load everything again/);
    expect(changes.filter((c) => c.type === 'upsert')).to.have.length(1, 'nothing from before the restart is replayed as new');
    await waitUntil(() => s.connection.status === 'online', 'online again');
    expect(states).to.deep.equal(['online', 'offline', 'online']);
    // After the reload the feed goes on from the new run's positions.
    await hook('upsert', { experiments: [{ id: 'live-2', status: 'running' }] });
    await waitUntil(() => changes.some((c) => c.type === 'upsert' && c.experiments[0]?.id === 'live-2'), 'a change after the restart');
  });

  it('polling: a 410 from /changes becomes a reload with the reason, never an empty list', async () => {
    const s = source({ mode: 'client', live: 'poll', pollIntervalMs: 50 });
    await s.load({});
    const changes: Change[] = [];
    unsubscribe.push(s.subscribe((c) => changes.push(c)));
    await waitUntil(() => s.connection.status === 'online', 'polling starts', { timeout: 5000 });
    await hook('restart');
    await hook('upsert', { experiments: [{ id: 'live-3', status: 'running' }] });
    await waitUntil(() => changes.some((c) => c.type === 'reload'), 'the reload', { timeout: 5000 });
    expect((changes.find((c) => c.type === 'reload') as { reason?: string }).reason).to.match(/The server restarted/);
    await hook('upsert', { experiments: [{ id: 'live-4', status: 'running' }] });
    await waitUntil(() => changes.some((c) => c.type === 'upsert' && c.experiments[0]?.id === 'live-4'), 'polling goes on from the new position', { timeout: 5000 });
  });

  it('reports offline (with the reason, the last update and the next attempt) and online again', async () => {
    const s = source({ live: 'poll', pollIntervalMs: 50, retries: 0 });
    const seen: string[] = [];
    unsubscribe.push(s.subscribe(() => undefined, (state) => seen.push(`${state.status} ${state.transport}`)));
    await waitUntil(() => s.connection.status === 'online', 'polling starts', { timeout: 5000 });
    const onlineAt = s.connection.lastUpdated as number;
    expect(onlineAt).to.be.a('number');
    await hook('faults', [{ method: 'GET', path: '/changes', status: 503, count: 2 }]);
    await waitUntil(() => s.connection.status === 'offline', 'offline', { timeout: 5000 });
    const state = s.connection;
    expect(state.transport).to.equal('poll');
    expect(state.reason).to.match(/failed \(HTTP 503\)/);
    expect(state.lastUpdated).to.be.at.least(onlineAt);
    expect(state.retryAt).to.be.greaterThan(state.lastUpdated as number);
    await waitUntil(() => s.connection.status === 'online', 'online again once the server answers', { timeout: 5000 });
    // The first report at once; offline reported again with each new retry time, until a poll answers.
    expect(seen.filter((x, i) => x !== seen[i - 1])).to.deep.equal(['connecting poll', 'online poll', 'offline poll', 'online poll']);
    expect(seen.filter((x) => x === 'offline poll')).to.have.length(2, 'two failed polls, two retry times');
  });

  it('retries a GET after 503 but never retries a POST', async () => {
    const s = source({ mode: 'server' });
    await hook('faults', [{ method: 'GET', path: '/experiments', status: 503, count: 2 }]);
    const page = await s.load({ page: { size: 3 } });
    expect(page.experiments).to.have.length(3);
    expect((await requests()).filter((r) => r === 'GET /experiments')).to.have.length(3);

    await hook('reset');
    await hook('faults', [{ method: 'POST', path: '/experiments/delete', status: 503, count: 1 }]);
    const id = (expected[0] as Experiment).id;
    const err = await rejection(s.delete([id]));
    expect(err.kind).to.equal('http');
    expect(err.status).to.equal(503);
    expect((await requests()).filter((r) => r === 'POST /experiments/delete')).to.have.length(1);
    expect((await s.get(id)).id).to.equal(id);

    await hook('faults', [{ method: 'GET', path: '/experiments', status: 502, count: 5 }]);
    const exhausted = await rejection(source({ mode: 'server', retries: 2 }).load({}));
    expect(exhausted.kind).to.equal('http');
    expect(exhausted.status).to.equal(502);
  });

  it('retries a GET after a network error, but not a POST', async () => {
    let failures = 2;
    const calls: string[] = [];
    const flaky = (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${init?.method} ${new URL(String(url)).pathname}`);
      if (failures-- > 0) throw new TypeError('Failed to fetch');
      return fetch(url, init);
    }) as typeof fetch;
    const s = source({ mode: 'server', fetch: flaky });
    await s.ready();
    calls.length = 0;
    failures = 2;
    expect((await s.load({ page: { size: 2 } })).experiments).to.have.length(2);
    expect(calls).to.deep.equal(['GET /experiments', 'GET /experiments', 'GET /experiments']);

    calls.length = 0;
    failures = 1;
    const err = await rejection(s.delete(['run-000001']));
    expect(err.kind).to.equal('network');
    expect(calls).to.deep.equal(['POST /experiments/delete']);
  });

  it('aborts a superseded request at once and keeps the newer one', async () => {
    const s = source({ mode: 'server' });
    await hook('faults', [{ method: 'GET', path: '/experiments', delayMs: 3000, count: 1 }]);
    const older = new AbortController();
    const t0 = performance.now();
    const first = s.load({ search: 'old' }, older.signal);
    await new Promise((r) => setTimeout(r, 100));
    older.abort();
    const second = s.load({ search: 'adam', page: { size: 5 } }, new AbortController().signal);
    const err = await rejection(first);
    expect(err.kind).to.equal('aborted');
    expect(performance.now() - t0).to.be.lessThan(1500);
    expect((await second).experiments).to.have.length(5);
  });

  it('a load cancelled while /capabilities is asked does not cancel the next load waiting for the same answer', async () => {
    const s = source({ mode: 'auto' });
    await hook('faults', [{ method: 'GET', path: '/capabilities', delayMs: 500, count: 1 }]);
    const older = new AbortController();
    const first = s.load({}, older.signal);
    const second = s.load({ search: 'adam', page: { size: 5 } }, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 100));
    older.abort();
    expect((await rejection(first)).kind).to.equal('aborted');
    expect((await second).experiments).to.have.length(5);
    // One question for both loads.
    expect((await requests()).filter((r) => r.includes('/capabilities'))).to.have.length(1);
  });

  it('gives up after timeoutMs with kind "timeout"', async () => {
    await hook('faults', [{ method: 'GET', path: '/experiments', delayMs: 2000, count: 5 }]);
    const t0 = performance.now();
    const err = await rejection(source({ mode: 'server', timeoutMs: 200 }).load({}));
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.match(/did not answer within 0\.2 s/);
    expect(performance.now() - t0).to.be.lessThan(1500);
  });

  it('keeps to the REST contract published in openapi/', async () => {
    const text = await (await fetch('/openapi/experiment-dashboard.openapi.yaml')).text();
    const spec = parseYaml(text) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: { ColumnFilter: { properties: { op: { enum: string[] } } } } } };
    expect(spec.openapi).to.match(/^3\.1/);
    expect(spec.components.schemas.ColumnFilter.properties.op.enum).to.deep.equal([...FILTER_OPERATORS]);
    for (const [path, method] of [
      ['/capabilities', 'get'],
      ['/experiments', 'get'],
      ['/experiments/{id}', 'get'],
      ['/experiments/{id}/metrics/{metric}/history', 'get'],
      ['/experiments/{id}/artifacts/{artifact}', 'get'],
      ['/experiments/delete', 'post'],
      ['/experiments/restore', 'post'],
      ['/trash', 'get'],
      ['/changes', 'get'],
    ] as const) {
      expect(spec.paths[path]?.[method], `${method.toUpperCase()} ${path}`).to.be.an('object');
    }
  });
});

describe('HttpSource errors (fake fetch)', () => {
  const base = 'https://ml.example.com/api';

  it('401 and 403: not-allowed, telling the user to sign in or ask for access', async () => {
    for (const status of [401, 403]) {
      const err = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(status, '{"error":"token expired"}') }).load({}));
      expect(err.kind).to.equal('not-allowed');
      expect(err.status).to.equal(status);
      expect(err.message).to.match(/^You are not allowed to see these experiments: sign in or ask for access/);
      expect(err.message).to.match(/token expired/);
    }
  });

  it('404: not-found; 500: http with the server’s words; neither retried', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const missing = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(404, 'Not Found', calls) }).load({}));
    expect(missing.kind).to.equal('not-found');
    expect(missing.message).to.match(/https:\/\/ml\.example\.com\/api\/experiments/);
    const failed = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(500, '{"error":"database is down"}', calls) }).load({}));
    expect(failed.kind).to.equal('http');
    expect(failed.status).to.equal(500);
    expect(failed.message).to.match(/failed \(HTTP 500\).*database is down.*Try again later/);
    // 404: /capabilities (a plain list server) then /experiments; 500: /capabilities. Each once.
    expect(calls.map((c) => new URL(c.url).pathname)).to.deep.equal(['/api/capabilities', '/api/experiments', '/api/capabilities']);
  });

  it('bad JSON: parse; a web page instead of the API is named as such', async () => {
    const err = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(200, '<!doctype html><title>Login</title>') }).load({}));
    expect(err.kind).to.equal('parse');
    expect(err.message).to.match(/not valid JSON.*web page/);
  });

  it('schema problems: valid records still come back, the others are named', async () => {
    const body = JSON.stringify({ experiments: [{ id: 'ok', status: 'completed' }, { id: 'bad', status: 'weird' }, { status: 'running' }], total: 3, nextToken: null });
    const page = await new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(200, body) }).load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(['ok']);
    expect(page.problems?.map((p) => p.index)).to.deep.equal([1, 2]);
    expect(page.problems?.[0]?.message).to.match(/unknown status .*"weird"/);
    const notAList = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: answering(200, '{"items": []}') }).load({}));
    expect(notAList.kind).to.equal('schema');
  });

  it('network failure: network, after the retries', async () => {
    let calls = 0;
    const down = (async () => {
      calls += 1;
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await rejection(new HttpSource({ baseUrl: base, mode: 'server', fetch: down, retries: 2, retryDelayMs: 1 }).load({}));
    expect(err.kind).to.equal('network');
    expect(err.message).to.match(/Could not reach https:\/\/ml\.example\.com/);
    expect(calls).to.equal(3);
  });

  it('sends the configured headers and credentials, and a signal, with every request', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const s = new HttpSource({
      baseUrl: base,
      mode: 'server',
      headers: async () => ({ Authorization: 'Bearer t0k3n' }),
      credentials: 'include',
      fetch: answering(200, '{"experiments": [], "total": 0, "nextToken": null}', calls),
    });
    await s.load({ search: 'x y', filters: [{ attribute: 'status', op: 'eq', value: 'running' }], sort: [{ attribute: 'name', dir: 'desc' }], page: { size: 10, index: 3 } });
    const [capabilities, list] = calls;
    expect(capabilities?.url).to.equal('https://ml.example.com/api/capabilities');
    const url = new URL(list?.url as string);
    expect(url.pathname).to.equal('/api/experiments');
    expect(url.searchParams.get('search')).to.equal('x y');
    expect(JSON.parse(url.searchParams.get('filters') as string)).to.deep.equal([{ attribute: 'status', op: 'eq', value: 'running' }]);
    expect(url.searchParams.getAll('sort')).to.deep.equal(['name:desc']);
    expect(url.searchParams.get('pageSize')).to.equal('10');
    expect(url.searchParams.get('page')).to.equal('3');
    for (const call of calls) {
      expect(new Headers(call.init.headers).get('authorization')).to.equal('Bearer t0k3n');
      expect(call.init.credentials).to.equal('include');
      expect(call.init.signal).to.be.instanceOf(AbortSignal);
    }
  });
});
