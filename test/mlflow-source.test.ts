import { expect, waitUntil } from '@open-wc/testing';
import { MlflowDeleteError, MlflowSource, deadAfterFromRhythm, toMlflowSearch, type MlflowSourceInit } from '../src/data/mlflow-source.js';
import { type Change, type ConnectionState, type ColumnFilter, type Query } from '../src/data/types.js';
import { rejection } from './helpers.js';

// MLflow itself, replayed: server/mlflow-replay.mjs answers the requests recorded from real
// MLflow 3.3.2 and 3.6.1 servers (test/fixtures/mlflow-rest-recorded) with their recorded
// answers, over HTTP on another origin than this page, and 501 to anything not recorded. A
// passing test sent exactly what was recorded and read what MLflow answered.

const FIXTURES = '/test/fixtures/mlflow-rest-recorded';
interface RecordedRun {
  info: { run_id: string; run_name: string; experiment_id: string; status: string; lifecycle_stage: string; start_time: number };
  data: { tags?: { key: string; value: string }[]; params?: { key: string; value: string }[] };
}
interface SentRequest {
  method: string;
  path: string;
  body: string;
  seq?: number;
}

let replayUrl: string;
let truth: RecordedRun[];
let sessions = 0;

before(async () => {
  replayUrl = ((await (await fetch('/__mlflow-replay')).json()) as { url: string }).url;
  truth = ((await (await fetch(`${FIXTURES}/truth.json`)).json()) as { runs: RecordedRun[] }).runs;
});

/** A source talking to a fresh replay session of a scenario (see server/mlflow-replay.mjs). */
function replay(scenario = '3.3', init: Partial<MlflowSourceInit> = {}): { source: MlflowSource; base: string; sent: () => Promise<SentRequest[]> } {
  const session = `s${++sessions}-${Math.random().toString(36).slice(2, 8)}`;
  const base = `${replayUrl}/${scenario}/${session}/`;
  const sent = async (): Promise<SentRequest[]> => (await (await fetch(`/__mlflow-replay/requests?session=${session}`)).json()) as SentRequest[];
  return { source: new MlflowSource({ baseUrl: base, ...init }), base, sent };
}

const searches = (requests: SentRequest[]): Record<string, unknown>[] => requests.filter((r) => r.path.endsWith('/runs/search') && r.method === 'POST').map((r) => JSON.parse(r.body) as Record<string, unknown>);
const seqs = (requests: SentRequest[], path: string): (number | undefined)[] => requests.filter((r) => r.path.includes(path) && r.method !== 'OPTIONS').map((r) => r.seq);
const active = (experiments: string[]): RecordedRun[] => truth.filter((r) => r.info.lifecycle_stage === 'active' && experiments.includes(r.info.experiment_id));
const byStartDesc = (runs: RecordedRun[]): string[] => [...runs].sort((a, b) => b.info.start_time - a.info.start_time).map((r) => r.info.run_id);

describe('MlflowSource against recorded MLflow 3.3: loading', () => {
  it('declares what it can do: the query goes to the server, running runs are polled', () => {
    expect(replay().source.capabilities).to.deep.equal({ delete: true, live: true, serverQuery: true, history: true, restore: true });
  });

  it('reads every active run of every experiment, converted, with group names', async () => {
    const { source, sent } = replay();
    const page = await source.load({});
    const expected = active(['0', '1', '2']);
    expect(page.experiments.map((e) => e.id).sort()).to.deep.equal(expected.map((r) => r.info.run_id).sort());
    expect(page.total).to.equal(37);
    expect(page.problems ?? []).to.deep.equal([]);
    const e = page.experiments.find((x) => x.name === 'resnet50-adamw-lr0.001');
    expect(e?.group).to.deep.equal({ id: '1', name: 'cifar-sweep' });
    expect(e?.status).to.equal('completed');
    expect(e?.operator).to.equal('ada');
    expect(e?.params?.['optimizer.name']).to.equal('adamw');
    expect(e?.metrics?.val_accuracy?.historyRef).to.be.a('string');
    const requests = await sent();
    // The dashboard's own recorded first requests, answered as then.
    expect(seqs(requests, 'experiments/search')).to.deep.equal([1]);
    expect(searches(requests)).to.deep.equal([{ experiment_ids: ['2', '1', '0'], run_view_type: 'ACTIVE_ONLY', max_results: 1000 }]);
  });

  it('names an experiment id the server does not have instead of showing no runs', async () => {
    const { source, sent } = replay('3.3', { experimentIds: ['99'] });
    const err = await rejection(source.load({}));
    expect(err.kind).to.equal('not-found');
    expect(err.message).to.contain('no active experiment with id "99"');
    expect(err.message).to.contain('1 ("cifar-sweep")');
    expect(searches(await sent())).to.deep.equal([]);
  });

  it('names an experiment name the server does not have', async () => {
    const err = await rejection(replay('3.3', { experimentNames: ['cifar-sweep', 'nope'] }).source.load({}));
    expect(err.kind).to.equal('not-found');
    expect(err.message).to.contain('"nope"');
    expect(err.message).to.not.contain('"cifar-sweep"');
  });

  it('accepts the API address as base URL', async () => {
    const { base } = replay();
    const page = await new MlflowSource({ baseUrl: `${base}api/2.0/mlflow`, experimentIds: ['1', '2'] }).load({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }], page: { size: 1000 } });
    expect(page.experiments.map((e) => e.name).sort()).to.deep.equal(['bert-base-lr5e-05-ep4', 'resnet50-sgd-lr0.01']);
  });
});

describe('MlflowSource against recorded MLflow 3.3: the query on the server', () => {
  const twoExperiments = { experimentIds: ['1', '2'] };
  const onServer = async (filters: ColumnFilter[]): Promise<{ names: string[]; body: Record<string, unknown> | undefined; localFilters: string[] | undefined }> => {
    const { source, sent } = replay('3.3', twoExperiments);
    const page = await source.load({ filters, page: { size: 1000, index: 0 } });
    return { names: page.experiments.map((e) => e.name ?? e.id).sort(), body: searches(await sent())[0], localFilters: page.localFilters };
  };
  const truthNames = (keep: (r: RecordedRun) => boolean): string[] => active(['1', '2']).filter(keep).map((r) => r.info.run_name).sort();
  const param = (r: RecordedRun, key: string): string | undefined => r.data.params?.find((p) => p.key === key)?.value;

  it('a param prefix goes to MLflow as ILIKE, and MLflow answers the page', async () => {
    const got = await onServer([{ attribute: 'params.optimizer.name', op: 'startsWith', value: 'ADAM' }]);
    expect(got.body?.filter).to.equal("params.`optimizer.name` ILIKE 'ADAM%'");
    expect(got.localFilters).to.equal(undefined);
    expect(got.names).to.deep.equal(truthNames((r) => /^adam/i.test(param(r, 'optimizer.name') ?? '')));
    expect(got.names).to.have.length(14);
  });

  it('metrics, status, start time, run name and run ids go to MLflow', async () => {
    expect((await onServer([{ attribute: 'metrics.val_accuracy.last', op: 'gt', value: 0.9 }])).body?.filter).to.equal('metrics.val_accuracy > 0.9');
    const failed = await onServer([{ attribute: 'status', op: 'eq', value: 'failed' }]);
    expect(failed.body?.filter).to.equal("attributes.status = 'FAILED'");
    expect(failed.names).to.deep.equal(truthNames((r) => r.info.status === 'FAILED'));
    const late = await onServer([{ attribute: 'times.started', op: 'gt', value: 1796540809046 }]);
    expect(late.body?.filter).to.equal('attributes.start_time > 1796540809046');
    expect(late.names).to.deep.equal(truthNames((r) => r.info.start_time > 1796540809046));
    const trials = await onServer([{ attribute: 'name', op: 'startsWith', value: 'HPO-TRIAL-' }]);
    expect(trials.body?.filter).to.equal("attributes.run_name ILIKE 'HPO-TRIAL-%'");
    expect(trials.names).to.deep.equal(['hpo-trial-0', 'hpo-trial-1']);
    const two = await onServer([{ attribute: 'id', op: 'in', value: ['74c45e0fe62847be863dc4a4009b49e9', 'c6b1f031614c45358532252a14e345bc'] }]);
    expect(two.body?.filter).to.equal("attributes.run_id IN ('74c45e0fe62847be863dc4a4009b49e9', 'c6b1f031614c45358532252a14e345bc')");
    expect(two.names).to.deep.equal(['resnet18-adamw-lr0.001', 'resnet50-adamw-lr0.001']);
  });

  it('a part MLflow cannot do runs in the browser over what MLflow sent, and the page says so', async () => {
    // MLflow compares params as text only ('<' on a param is a 400): the number comparison is local.
    const got = await onServer([
      { attribute: 'params.optimizer.name', op: 'startsWith', value: 'ADAM' },
      { attribute: 'params.optimizer.lr', op: 'lt', value: 0.01 },
    ]);
    expect(got.body?.filter).to.equal("params.`optimizer.name` ILIKE 'ADAM%'");
    expect(got.localFilters).to.deep.equal(['params.optimizer.lr']);
    expect(got.names).to.deep.equal(truthNames((r) => /^adam/i.test(param(r, 'optimizer.name') ?? '') && Number(param(r, 'optimizer.lr')) < 0.01));
    expect(got.names.length).to.be.greaterThan(0);
  });

  it('pages on the server with page_token: page 3 of a sorted view reads pages 1-3 once, page 4 one more', async () => {
    const { source, sent } = replay('3.3', twoExperiments);
    const sort = [{ attribute: 'times.started', dir: 'desc' as const }];
    const third = await source.load({ sort, page: { size: 10, index: 2 } });
    const order = byStartDesc(active(['1', '2']));
    expect(third.experiments.map((e) => e.id)).to.deep.equal(order.slice(20, 30));
    expect(third.totalIsLowerBound).to.equal(true);
    expect(third.total).to.equal(31);
    expect(third.nextToken).to.be.a('string');
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([126, 127, 128]);

    const last = await source.load({ sort, page: { size: 10, index: 3 } });
    expect(last.experiments.map((e) => e.id)).to.deep.equal(order.slice(30));
    expect(last.total).to.equal(37);
    expect(last.totalIsLowerBound).to.equal(undefined);
    expect(last.nextToken).to.equal(undefined);
    // Only the new page was asked for.
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([126, 127, 128, 129]);
    expect(searches(await sent())[3]).to.deep.equal({ experiment_ids: ['1', '2'], run_view_type: 'ACTIVE_ONLY', max_results: 10, order_by: ['attributes.start_time DESC'], page_token: 'eyJvZmZzZXQiOiAzMH0=' });

    // The page's own nextToken leads to the next page too.
    const { source: again } = replay('3.3', twoExperiments);
    const first = await again.load({ sort, page: { size: 10, index: 0 } });
    const second = await again.load({ sort, page: { size: 10, token: first.nextToken as string } });
    expect(second.experiments.map((e) => e.id)).to.deep.equal(order.slice(10, 20));
  });

  it('a query MLflow cannot do reads at most localScanLimit runs and says the result is partial', async () => {
    const { source, sent } = replay('3.3', { ...twoExperiments, localScanLimit: 10 });
    const page = await source.load({ search: 'resnet', sort: [{ attribute: 'times.started', dir: 'desc' }], page: { size: 5, index: 0 } });
    expect(page.localFilters).to.deep.equal(['search']);
    expect(page.partial).to.equal(true);
    expect(page.scanned).to.equal(10);
    const newest = new Set(byStartDesc(active(['1', '2'])).slice(0, 10));
    expect(page.experiments.length).to.be.greaterThan(0);
    for (const e of page.experiments) {
      expect(newest.has(e.id)).to.equal(true);
      expect(e.name).to.contain('resnet');
    }
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([126]);
    // The next page comes from the same read; the same page again is a reload.
    const query: Query = { search: 'resnet', sort: [{ attribute: 'times.started', dir: 'desc' }], page: { size: 2, index: 1 } };
    const next = await source.load(query);
    expect(next.experiments.map((e) => e.id)).to.not.include.members(page.experiments.slice(0, 2).map((e) => e.id));
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([126]);
    await source.load(query);
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([126, 126]);
  });

  it('a filter in MLflow\'s grammar is sent as given; an invalid one shows MLflow\'s 400 message', async () => {
    const ok = replay('3.3', { ...twoExperiments, filter: "params.`optimizer.name` = 'adamw' AND metrics.val_accuracy > 0.9 AND attributes.status = 'FINISHED'" });
    const page = await ok.source.load({ page: { size: 1000 } });
    expect(page.experiments).to.have.length(5);
    expect(seqs(await ok.sent(), 'runs/search')).to.deep.equal([104]);

    const bad = replay('3.3', { ...twoExperiments, filter: "params.`optimizer.name` = adamw" });
    const err = await rejection(bad.source.load({ page: { size: 1000 } }));
    expect(err.kind).to.equal('http');
    expect(err.status).to.equal(400);
    expect(err.message).to.contain('Parameter value is either not quoted or unidentified quote types used for string value adamw');
    expect(err.message).to.contain('INVALID_PARAMETER_VALUE');
  });
});

describe('MlflowSource: cross-origin answers of real servers', () => {
  const query: Query = { sort: [{ attribute: 'name', dir: 'asc' }], page: { size: 2, index: 0 } };

  it('MLflow 3.4 and older send no CORS headers: the error says so and how to fix it', async () => {
    const err = await rejection(replay('3.3-direct').source.load({}));
    expect(err.kind).to.equal('network');
    expect(err.message).to.contain(`another origin (${location.origin})`);
    expect(err.message).to.contain('MLflow 3.4 and older send no CORS headers');
    expect(err.message).to.contain('same origin');
    expect(err.message).to.contain(`--cors-allowed-origins ${location.origin}`);
    expect(err.message).to.not.contain('sign in');
  });

  it('MLflow 3.5+ without --cors-allowed-origins answers 403 "Cross-origin request blocked": the error names the option', async () => {
    const err = await rejection(replay('3.6-blocked', { experimentIds: ['1'] }).source.load(query));
    expect(err.kind).to.equal('blocked');
    expect(err.status).to.equal(403);
    expect(err.message).to.contain('Cross-origin request blocked');
    expect(err.message).to.contain(`--cors-allowed-origins ${location.origin}`);
    expect(err.message).to.not.contain('access token');
  });

  it('MLflow 3.5+ started with --cors-allowed-origins serves the page', async () => {
    const { source, sent } = replay('3.6-allowed', { experimentIds: ['1'] });
    const page = await source.load(query);
    expect(page.experiments.map((e) => e.name)).to.deep.equal(['hpo-parent', 'hpo-trial-0']);
    // The trial names the sweep's run as its parent (MLflow's tag mlflow.parentRunId).
    expect(page.experiments.map((e) => e.parent)).to.deep.equal([undefined, page.experiments[0]!.id]);
    expect(seqs(await sent(), 'runs/search')).to.deep.equal([16]);
  });
});

describe('MlflowSource against recorded MLflow 3.3: one run', () => {
  it('get() reads the run and lists its artifacts; artifact() is the get-artifact download', async () => {
    const { source, base, sent } = replay();
    const id = '74c45e0fe62847be863dc4a4009b49e9';
    const e = await source.get(id);
    expect(e.name).to.equal('resnet50-adamw-lr0.001');
    expect(e.artifacts?.map((a) => a.name).sort()).to.deep.equal(['checkpoints/epoch_50.txt', 'model_summary.txt']);
    expect(e.artifacts?.find((a) => a.name === 'model_summary.txt')?.uri).to.equal(`mlflow-artifacts:/1/${id}/artifacts/model_summary.txt`);
    expect((await sent()).map((r) => r.path.replace(/^.*\/mlflow\//, ''))).to.deep.equal([`runs/get?run_id=${id}`, `artifacts/list?run_id=${id}`, `artifacts/list?run_id=${id}&path=checkpoints`]);
    const download = await source.artifact(id, { name: 'model_summary.txt' });
    expect(String(download)).to.equal(`${base}get-artifact?path=model_summary.txt&run_uuid=${id}`);
  });

  it('get() of a missing run is not-found with MLflow\'s message; of a deleted run, says it is deleted', async () => {
    const { source } = replay();
    const missing = await rejection(source.get('0123456789abcdef0123456789abcdef'));
    expect(missing.kind).to.equal('not-found');
    expect(missing.message).to.contain('RESOURCE_DOES_NOT_EXIST');
    const deleted = await rejection(source.get('4ee9dfb05fb049b3a82c66b8e38eb98b'));
    expect(deleted.kind).to.equal('not-found');
    expect(deleted.message).to.contain('deleted in MLflow');
  });

  it('history() reads metrics/get-history, NaN included', async () => {
    const { source } = replay();
    const loss = await source.history('74c45e0fe62847be863dc4a4009b49e9', 'loss');
    expect(loss.steps).to.have.length(50);
    expect(loss.steps[0]).to.equal(0);
    expect(loss.timestamps?.[0]).to.equal(new Date(1796476009047).toISOString());
    const diverged = await source.history('c6b1f031614c45358532252a14e345bc', 'loss');
    expect(diverged.values.some((v) => Number.isNaN(v))).to.equal(true);
  });

  it('a RUNNING run is judged by its own rhythm of logging: its latest metric history is read', async () => {
    const { source, sent } = replay('3.3', { experimentIds: ['1', '2'] });
    const page = await source.load({ sort: [{ attribute: 'times.started', dir: 'desc' }], page: { size: 10, index: 0 } });
    const live = page.experiments.find((e) => e.name === 'bert-large-live');
    // Recorded hours before this test ran: silent far longer than any limit.
    expect(live?.status).to.equal('dead');
    expect(live?.statusDetail?.raw).to.equal('RUNNING');
    expect(live?.statusDetail?.reason).to.contain('nothing was logged');
    expect(seqs(await sent(), 'metrics/get-history')).to.include(159);
  });

  it('deadAfterFromRhythm: five times the median gap, at least two minutes', () => {
    expect(deadAfterFromRhythm([0, 20_000, 40_000, 60_000])).to.equal(120_000);
    expect(deadAfterFromRhythm([0, 60_000, 120_000, 180_000, 900_000])).to.equal(300_000);
    expect(deadAfterFromRhythm([5])).to.equal(undefined);
  });
});

describe('MlflowSource against recorded MLflow 3.3: delete and restore', () => {
  it('deletes with runs/delete and brings the run back with runs/restore', async () => {
    const { source, sent } = replay();
    const id = '2bb681990de1466aad3c9454bed45d1b';
    await source.delete([id]);
    expect((await rejection(source.get(id))).message).to.contain('deleted in MLflow');
    await source.delete([id]);
    await source.restore([id]);
    expect((await source.get(id)).name).to.equal('resnet50-sgd-lr0.1');
    expect(seqs(await sent(), 'runs/').filter((s) => s !== undefined && s >= 178)).to.include.members([178, 179, 181, 182, 183]);
  });

  it('names the runs that could not be deleted, with MLflow\'s reason', async () => {
    const err = await rejection(replay().source.delete(['0123456789abcdef0123456789abcdef']));
    expect(err).to.be.instanceOf(MlflowDeleteError);
    const d = err as MlflowDeleteError;
    expect(d.kind).to.equal('not-found');
    expect(d.deleted).to.deep.equal([]);
    expect(d.failed.map((f) => f.id)).to.deep.equal(['0123456789abcdef0123456789abcdef']);
    expect(d.message).to.contain('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('MlflowSource against recorded MLflow 3.3: live updates', () => {
  it('subscribe() polls the running runs and reports them as upserts; unsubscribing stops it', async () => {
    const { source, sent } = replay('3.3', { experimentIds: ['1', '2'], pollIntervalMs: 20 });
    // The loaded view holds no running run: the running ones are news to it.
    await source.load({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }], page: { size: 1000 } });
    const changes: Change[] = [];
    const stop = source.subscribe((c) => changes.push(c));
    await waitUntil(() => changes.length > 0, 'an upsert arrives');
    stop();
    const first = changes[0];
    expect(first?.type).to.equal('upsert');
    expect(first?.type === 'upsert' ? first.experiments.map((e) => e.name).sort() : []).to.deep.equal(['bert-large-live', 'resnet50-stale-running']);
    const polls = searches(await sent()).filter((b) => b.filter === "run.status = 'RUNNING'");
    expect(polls.length).to.be.greaterThan(0);
    expect(polls[0]).to.deep.equal({ experiment_ids: ['1', '2'], run_view_type: 'ACTIVE_ONLY', max_results: 1000, filter: "run.status = 'RUNNING'" });
    const after = (await sent()).length;
    await new Promise((r) => setTimeout(r, 100));
    expect((await sent()).length).to.equal(after);
  });

  it('subscribe() reports its connection: online after each poll, offline (with the next try) when a poll fails', async () => {
    const { base } = replay('3.3', { experimentIds: ['1', '2'] });
    let failing = false;
    const source = new MlflowSource({ baseUrl: base, experimentIds: ['1', '2'], pollIntervalMs: 20, fetch: (input, init) => (failing ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init)) });
    await source.load({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }], page: { size: 1000 } });
    const states: ConnectionState[] = [];
    const stop = source.subscribe(() => undefined, (s) => states.push(s));
    expect(states[0]).to.include({ status: 'online', transport: 'poll' });
    await waitUntil(() => states.length > 1, 'a poll reported');
    failing = true;
    await waitUntil(() => states.some((s) => s.status === 'offline'), 'a failed poll reported');
    stop();
    const offline = states.find((s) => s.status === 'offline')!;
    expect(offline.reason).to.contain('Failed to fetch');
    expect(offline.retryAt).to.be.a('number');
    expect(offline.lastUpdated).to.be.a('number');
  });
});

describe('MlflowSource: requests', () => {
  it('sends the caller\'s headers and signal with every request', async () => {
    const { base } = replay();
    const seen: RequestInit[] = [];
    const controller = new AbortController();
    const source = new MlflowSource({ baseUrl: base, experimentIds: ['1', '2'], headers: () => ({ authorization: 'Bearer t0k' }), fetch: (input, init) => (seen.push(init ?? {}), fetch(input, init)) });
    await source.load({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }], page: { size: 1000 } }, controller.signal);
    expect(seen).to.have.length(2);
    for (const init of seen) {
      expect(new Headers(init.headers).get('authorization')).to.equal('Bearer t0k');
      expect(new Headers(init.headers).get('accept')).to.equal('application/json');
      expect(init.signal).to.equal(controller.signal);
    }
  });

  it('a cancelled load is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(replay().source.load({}, controller.signal));
    expect(err.kind).to.equal('aborted');
  });
});

// What no recording holds: a server that wants a token, one that loops its paging, a login page.
describe('MlflowSource: answers no recorded server gave', () => {
  const BASE = 'http://mlflow.test:5000/';
  const answering = (respond: (url: URL) => Response): typeof fetch => (async (input: RequestInfo | URL) => respond(new URL(String(input)))) as typeof fetch;
  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const experiments = json(200, { experiments: [{ experiment_id: '1', name: 'e', lifecycle_stage: 'active' }] });

  for (const status of [401, 403]) {
    it(`HTTP ${status} without a CORS message is not-allowed: sign in or give a token`, async () => {
      const err = await rejection(new MlflowSource({ baseUrl: BASE, fetch: answering(() => json(status, { error_code: 'PERMISSION_DENIED', message: 'Permission denied' })) }).load({}));
      expect(err.kind).to.equal('not-allowed');
      expect(err.status).to.equal(status);
      expect(err.message).to.contain('Permission denied');
      expect(err.message).to.contain('access token');
    });
  }

  it('a page_token sent twice stops with an error instead of looping', async () => {
    const fetcher = answering((url) => (url.pathname.endsWith('experiments/search') ? experiments.clone() : json(200, { runs: [], next_page_token: 'same' })));
    const err = await rejection(new MlflowSource({ baseUrl: BASE, fetch: fetcher }).load({}));
    expect(err.kind).to.equal('parse');
    expect(err.message).to.contain('page_token');
  });

  it('an answer that is not JSON is a parse error naming a web page', async () => {
    const fetcher = answering((url) => (url.pathname.endsWith('experiments/search') ? experiments.clone() : new Response('<!doctype html><title>Sign in</title>', { status: 200 })));
    const err = await rejection(new MlflowSource({ baseUrl: BASE, fetch: fetcher }).load({}));
    expect(err.kind).to.equal('parse');
    expect(err.message).to.contain('web page');
  });
});

describe('toMlflowSearch', () => {
  it('quotes keys and values so MLflow reads them as meant, and names what stays local', () => {
    const q = (attribute: string, op: ColumnFilter['op'], value?: string | number, value2?: string | number): string =>
      toMlflowSearch({ filters: [{ attribute, op, ...(value === undefined ? {} : { value }), ...(value2 === undefined ? {} : { value2 }) }] }).filter;
    const local = (attribute: string, op: ColumnFilter['op'], value?: string | number): string[] => toMlflowSearch({ filters: [{ attribute, op, ...(value === undefined ? {} : { value }) }] }).local;
    expect(q('metrics.val loss.last', 'ge', -1e-7)).to.equal('metrics.`val loss` >= -1e-7');
    expect(q('metrics.val.acc.last', 'le', 1e21)).to.equal('metrics.`val.acc` <= 1e21');
    expect(q('metrics.acc.last', 'between', '0.5', 0.9)).to.equal('metrics.acc >= 0.5 AND metrics.acc <= 0.9');
    expect(q('metrics.acc.last', 'eq', 'NaN')).to.equal('');
    expect(q('metrics.acc.last', 'ne', 0.5)).to.equal('');
    expect(local('metrics.acc.last', 'ne', 0.5)).to.deep.equal(['metrics.acc.last']);
    expect(q('metrics.we`ird.last', 'gt', 1)).to.equal('');
    // Quotes, backslashes and regex characters become one-character wildcards, and the browser finishes.
    expect(q('params.model', 'eq', "it's \\ (v2)")).to.equal("params.model ILIKE 'it_s _ _v2_'");
    expect(local('params.model', 'eq', "it's")).to.deep.equal(['params.model']);
    expect(q('params.optimizer', 'startsWith', 'adam')).to.equal("params.optimizer ILIKE 'adam%'");
    expect(local('params.optimizer', 'startsWith', 'adam')).to.deep.equal([]);
    expect(q('labels.mlflow.source.type', 'eq', 'LOCAL')).to.equal("tags.`mlflow.source.type` ILIKE 'LOCAL'");
    expect(q('params.note', 'contains', 'café')).to.equal("params.note ILIKE '%caf_%'");
    expect(q('params.lr', 'eq', '1e-3')).to.equal('');
    expect(local('params.lr', 'gt', 0.01)).to.deep.equal(['params.lr']);
    expect(q('params.lr', 'ne', 'adam')).to.equal('');
    expect(q('params.lr', 'contains', 'line\nbreak')).to.equal('');
    expect(q('status', 'eq', 'dead')).to.equal("attributes.status = 'RUNNING'");
    expect(local('status', 'eq', 'dead')).to.deep.equal(['status']);
    expect(q('status', 'eq', 'interrupted')).to.equal("attributes.status = 'KILLED'");
    expect(q('status', 'ne', 'queued')).to.equal("attributes.status != 'SCHEDULED'");
    expect(q('status', 'ne', 'running')).to.equal('');
    expect(q('status', 'in', 'running,dead')).to.equal("attributes.status = 'RUNNING'");
    expect(local('status', 'in', 'running,dead')).to.deep.equal([]);
    expect(q('status', 'in', 'running,failed')).to.equal('');
    const day = Date.parse('2024-05-01T00:00:00Z');
    expect(q('times.started', 'on', '2024-05-01')).to.equal(`attributes.start_time >= ${day} AND attributes.start_time < ${day + 86_400_000}`);
    expect(q('times.started', 'before', '2024-05-01T12:00:00Z')).to.equal(`attributes.start_time < ${day + 43_200_000}`);
    expect(q('times.started', 'le', '2024-05-01')).to.equal(`attributes.start_time <= ${day + 86_400_000 - 1}`);
    expect(q('times.started', 'between', '2024-05-01', '2024-05-01')).to.equal(`attributes.start_time >= ${day} AND attributes.start_time <= ${day + 86_400_000 - 1}`);
    expect(q('name', 'contains', 'x')).to.equal("attributes.run_name ILIKE '%x%'");
    expect(q('id', 'eq', 'abc123')).to.equal("attributes.run_id = 'abc123'");
    const sorted = toMlflowSearch({ sort: [{ attribute: 'times.started', dir: 'asc' }, { attribute: 'params.lr', dir: 'desc' }, { attribute: 'name', dir: 'asc' }] });
    expect(sorted.orderBy).to.deep.equal(['attributes.start_time ASC']);
    expect(sorted.local).to.deep.equal(['sort']);
    expect(toMlflowSearch({ search: 'x', sort: [{ attribute: 'name', dir: 'desc' }] })).to.deep.equal({ filter: '', orderBy: ['attributes.run_name DESC'], local: ['search'] });
  });
});
