import { expect } from '@open-wc/testing';
import { MlflowDeleteError, MlflowSource, toMlflowSearch, type MlflowSourceInit } from '../src/data/mlflow-source.js';
import { parseJsonText } from '../src/data/parse.js';
import { type ColumnFilter, type Query } from '../src/data/types.js';
import { rejection } from './helpers.js';

// A stand-in MLflow tracking server: a fake `fetch` answering with the JSON shapes of MLflow's
// REST API 2.0, built from the mlflow-export-import fixtures, that records every request.

const EXPORT = '/test/fixtures/mlflow-export-import/oss_mlflow';
const RUN_FILES = [
  'single/experiments/basic/runs/eb66c160957d4a28b11d3f1b968df9cd/run.json',
  'single/experiments/src_tags/runs/4b0ce88fd34e45fc8ca08876127299ce/run.json',
  'bulk/experiments/1/runs/d057cae15f27465988e72c6212e1f226/run.json',
  'bulk/experiments/2/runs/5397ae67ee0c49139bf64834b4d27fab/run.json',
  'bulk/experiments/2/runs/8a6af43e756f433da7a90fd6b4e49c3a/run.json',
];
const BASE = 'http://mlflow.test:5000/';

type Json = Record<string, unknown>;
interface RestRun {
  info: Json;
  data: { metrics: Json[]; params: Json[]; tags: Json[] };
}
interface Recorded {
  method: string;
  path: string;
  params: Record<string, string>;
  body: Json | undefined;
  signal: AbortSignal | null | undefined;
  headers: Headers;
}

/** An exported run (`{mlflow: {info, params, metrics, tags}}`) in the REST shape of `runs/search`. */
function toRestRun(exported: Json): { run: RestRun; histories: Record<string, Json[]> } {
  const m = exported.mlflow as { info: Json; params: Record<string, string>; metrics: Record<string, Json[]>; tags: Record<string, string> };
  const latest = Object.entries(m.metrics).map(([key, points]) => {
    const last = [...points].sort((a, b) => Number(a.step) - Number(b.step) || Number(a.timestamp) - Number(b.timestamp)).at(-1) as Json;
    return { key, ...last };
  });
  const histories = Object.fromEntries(Object.entries(m.metrics).map(([key, points]) => [key, points.map((p) => ({ key, ...p }))]));
  return {
    run: {
      info: m.info,
      data: {
        metrics: latest,
        params: Object.entries(m.params).map(([key, value]) => ({ key, value })),
        tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })),
      },
    },
    histories,
  };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

class FakeMlflow {
  requests: Recorded[] = [];
  experiments = [
    { experiment_id: '1', name: 'sklearn_wine', lifecycle_stage: 'active' },
    { experiment_id: '2', name: 'sklearn_iris', lifecycle_stage: 'active' },
    { experiment_id: '3', name: 'old stuff', lifecycle_stage: 'deleted' },
  ];
  runs: RestRun[] = [];
  histories = new Map<string, Record<string, Json[]>>();
  /** Points per `metrics/get-history` page. */
  historyPageSize = 1000;
  artifacts = new Map<string, { root_uri: string; dirs: Record<string, Json[]> }>();
  /** Answers that replace the normal one, by `METHOD path` (path after /api/2.0/mlflow/). */
  overrides = new Map<string, (r: Recorded) => Response | Promise<Response>>();
  deletedIds: string[] = [];

  readonly fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, '');
    const r: Recorded = {
      method,
      path,
      params: Object.fromEntries(url.searchParams),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as Json) : undefined,
      signal: init.signal,
      headers: new Headers(init.headers),
    };
    this.requests.push(r);
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const override = this.overrides.get(`${method} ${path}`);
    if (override) return override(r);
    return this.answer(r);
  }) as typeof fetch;

  answer(r: Recorded): Response {
    const key = `${r.method} ${r.path}`;
    switch (key) {
      case 'POST experiments/search':
        return json(200, { experiments: this.experiments.filter((e) => e.lifecycle_stage === 'active') });
      case 'POST runs/search': {
        // The filter is recorded, not applied: the source must get the answer right by itself.
        const body = r.body ?? {};
        const ids = (body.experiment_ids as string[]) ?? [];
        const all = this.runs.filter((run) => ids.includes(String(run.info.experiment_id)));
        const size = Number(body.max_results ?? 1000);
        const offset = typeof body.page_token === 'string' ? Number(body.page_token.slice('tok-'.length)) : 0;
        const page: Json = {};
        const runs = all.slice(offset, offset + size);
        if (runs.length > 0) page.runs = runs;
        if (offset + size < all.length) page.next_page_token = `tok-${offset + size}`;
        return json(200, page);
      }
      case 'GET runs/get': {
        const run = this.runs.find((x) => x.info.run_id === r.params.run_id);
        return run ? json(200, { run }) : json(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run '${r.params.run_id}' not found` });
      }
      case 'GET metrics/get-history': {
        const points = this.histories.get(r.params.run_id ?? '')?.[r.params.metric_key ?? ''] ?? [];
        const offset = r.params.page_token ? Number(r.params.page_token.slice('h-'.length)) : 0;
        const size = Math.min(this.historyPageSize, Number(r.params.max_results ?? 25000));
        const page: Json = { metrics: points.slice(offset, offset + size) };
        if (offset + size < points.length) page.next_page_token = `h-${offset + size}`;
        return json(200, page);
      }
      case 'GET artifacts/list': {
        const a = this.artifacts.get(r.params.run_id ?? '');
        if (!a) return json(200, {});
        return json(200, { root_uri: a.root_uri, files: a.dirs[r.params.path ?? ''] ?? [] });
      }
      case 'POST runs/delete': {
        const id = String(r.body?.run_id);
        const run = this.runs.find((x) => x.info.run_id === id);
        if (!run) return json(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run '${id}' not found` });
        this.deletedIds.push(id);
        return json(200, {});
      }
      default:
        return json(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No such endpoint ${key}` });
    }
  }

  of(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }
}

let fixtureRuns: { run: RestRun; histories: Record<string, Json[]> }[];

before(async () => {
  fixtureRuns = await Promise.all(
    RUN_FILES.map(async (f) => {
      const res = await fetch(`${EXPORT}/${f}`);
      expect(res.ok, f).to.equal(true);
      return toRestRun(parseJsonText(await res.text()) as Json);
    }),
  );
});

function server(): FakeMlflow {
  const fake = new FakeMlflow();
  for (const { run, histories } of fixtureRuns) {
    fake.runs.push(structuredClone(run));
    fake.histories.set(String(run.info.run_id), structuredClone(histories));
  }
  return fake;
}

function source(fake: FakeMlflow, init: Partial<MlflowSourceInit> = {}): MlflowSource {
  return new MlflowSource({ baseUrl: BASE, fetch: fake.fetch, ...init });
}

const ALL_IDS = ['eb66c160957d4a28b11d3f1b968df9cd', '4b0ce88fd34e45fc8ca08876127299ce', 'a83cebbccbca41299360c695c5ea72f3', '5397ae67ee0c49139bf64834b4d27fab', '8a6af43e756f433da7a90fd6b4e49c3a'];

describe('MlflowSource: loading runs', () => {
  it('declares what it can do', () => {
    expect(source(server()).capabilities).to.deep.equal({ delete: true, live: false, serverQuery: false, history: true });
  });

  it('reads every run of every active experiment, converted, with group names', async () => {
    const fake = server();
    const page = await source(fake).load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(ALL_IDS);
    expect(page.total).to.equal(5);
    expect(page.problems ?? []).to.deep.equal([]);
    const basic = page.experiments[0];
    expect(basic?.status).to.equal('completed');
    expect(basic?.statusDetail?.raw).to.equal('FINISHED');
    expect(basic?.group).to.deep.equal({ id: '1', name: 'sklearn_wine' });
    expect(basic?.times?.started).to.equal('2023-05-20T23:04:09.419Z');
    expect(basic?.params).to.deep.equal({ max_depth: '4', max_leaf_nodes: '32' });
    expect(basic?.metrics?.rmse?.last).to.equal(0.7367947360663162);
    // Only the latest value came with the run: the history is one request away.
    expect(basic?.metrics?.rmse?.historyRef).to.be.a('string');
    expect(page.experiments[3]?.group).to.deep.equal({ id: '2', name: 'sklearn_iris' });

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST experiments/search', 'POST runs/search']);
    expect(fake.of('runs/search')[0]?.body).to.deep.equal({ experiment_ids: ['1', '2'], run_view_type: 'ACTIVE_ONLY', max_results: 1000 });
    for (const r of fake.requests) {
      expect(r.signal, `${r.path} has a signal`).to.be.instanceOf(AbortSignal);
      expect(r.headers.get('accept')).to.equal('application/json');
    }
    expect(fake.of('runs/search')[0]?.headers.get('content-type')).to.equal('application/json');
  });

  it('follows page_token until the last page', async () => {
    const fake = server();
    const page = await source(fake, { pageSize: 2 }).load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(ALL_IDS);
    const searches = fake.of('runs/search');
    expect(searches.map((r) => r.body?.page_token)).to.deep.equal([undefined, 'tok-2', 'tok-4']);
    expect(searches.every((r) => r.body?.max_results === 2)).to.equal(true);
  });

  it('hides deleted runs without calling them a problem', async () => {
    const fake = server();
    const deleted = fake.runs[1] as RestRun;
    deleted.info = { ...deleted.info, lifecycle_stage: 'deleted' };
    const page = await source(fake).load({});
    expect(page.experiments.map((e) => e.id)).to.not.include('4b0ce88fd34e45fc8ca08876127299ce');
    expect(page.experiments).to.have.length(4);
    expect(page.problems ?? []).to.deep.equal([]);
  });

  it('resolves experiment names to ids, and reads only the ids given', async () => {
    const fake = server();
    const page = await source(fake, { experimentNames: ['sklearn_iris'] }).load({});
    expect(page.experiments.map((e) => e.id)).to.deep.equal(['5397ae67ee0c49139bf64834b4d27fab', '8a6af43e756f433da7a90fd6b4e49c3a']);
    expect(fake.of('runs/search')[0]?.body?.experiment_ids).to.deep.equal(['2']);

    const byId = server();
    const only = await source(byId, { experimentIds: ['1'] }).load({});
    expect(only.experiments).to.have.length(3);
    expect(only.experiments[0]?.group?.name).to.equal('sklearn_wine');
    expect(byId.of('runs/search')[0]?.body?.experiment_ids).to.deep.equal(['1']);
  });

  it('names an experiment that does not exist', async () => {
    const err = await rejection(source(server(), { experimentNames: ['sklearn_wine', 'nope'] }).load({}));
    expect(err.kind).to.equal('not-found');
    expect(err.message).to.contain('"nope"');
    expect(err.message).to.not.contain('sklearn_wine');
  });

  it('accepts the API address as base URL', async () => {
    const fake = server();
    await source(fake, { baseUrl: 'http://mlflow.test:5000/api/2.0/mlflow' }).load({});
    expect(fake.of('runs/search')).to.have.length(1);
  });

  it('sends the caller\'s headers and signal with every request', async () => {
    const fake = server();
    const controller = new AbortController();
    await source(fake, { headers: () => ({ authorization: 'Bearer t0k' }) }).load({}, controller.signal);
    for (const r of fake.requests) {
      expect(r.headers.get('authorization')).to.equal('Bearer t0k');
      expect(r.signal).to.equal(controller.signal);
    }
  });
});

describe('MlflowSource: queries', () => {
  it('sends what MLflow can filter as its filter and does the rest on the client', async () => {
    const fake = server();
    const query: Query = {
      filters: [
        { attribute: 'metrics.rmse.last', op: 'gt', value: 0.5 },
        { attribute: 'status', op: 'eq', value: 'completed' },
        { attribute: 'labels.dataset', op: 'contains', value: 'wine' },
        { attribute: 'times.started', op: 'after', value: '2023-05-19' },
        // Numbers in text params match other spellings ("4.0"): the client decides.
        { attribute: 'params.max_depth', op: 'eq', value: 4 },
      ],
      sort: [{ attribute: 'metrics.rmse.last', dir: 'desc' }],
    };
    const page = await source(fake).load(query);
    const body = fake.of('runs/search')[0]?.body;
    expect(body?.filter).to.equal(`metrics.rmse > 0.5 AND attributes.status = 'FINISHED' AND tags.dataset ILIKE '%wine%' AND attributes.start_time >= ${Date.parse('2023-05-20T00:00:00Z')}`);
    expect(body?.order_by).to.deep.equal(['metrics.rmse DESC']);
    // The stand-in ignores the filter and sends all five runs: the answer is still exact.
    expect(page.experiments.map((e) => e.id)).to.deep.equal(['eb66c160957d4a28b11d3f1b968df9cd', '4b0ce88fd34e45fc8ca08876127299ce']);
    expect(page.total).to.equal(2);
  });

  it('filters by search text on the client only', async () => {
    const fake = server();
    const page = await source(fake).load({ search: 'glamorous' });
    expect(fake.of('runs/search')[0]?.body?.filter).to.equal(undefined);
    expect(page.experiments.map((e) => e.name)).to.deep.equal(['glamorous-fish-47']);
  });

  it('quotes keys and values so MLflow reads them as meant', () => {
    const q = (attribute: string, op: ColumnFilter['op'], value?: string | number, value2?: string | number): string =>
      toMlflowSearch({ filters: [{ attribute, op, ...(value === undefined ? {} : { value }), ...(value2 === undefined ? {} : { value2 }) }] }).filter;
    expect(q('metrics.val loss.last', 'ge', -1e-7)).to.equal('metrics.`val loss` >= -1e-7');
    expect(q('metrics.val.acc.last', 'le', 1e21)).to.equal('metrics.`val.acc` <= 1e21');
    expect(q('metrics.acc.last', 'between', '0.5', 0.9)).to.equal('metrics.acc >= 0.5 AND metrics.acc <= 0.9');
    expect(q('metrics.acc.last', 'eq', 'NaN')).to.equal('');
    expect(q('metrics.acc.last', 'ne', 0.5)).to.equal('');
    expect(q('metrics.we`ird.last', 'gt', 1)).to.equal('');
    // Quotes, backslashes and regex characters become one-character wildcards; % and _ stay wildcards.
    expect(q('params.model', 'eq', "it's \\ (v2)")).to.equal("params.model ILIKE 'it_s _ _v2_'");
    expect(q('params.optimizer', 'startsWith', 'adam')).to.equal("params.optimizer ILIKE 'adam%'");
    expect(q('labels.mlflow.source.type', 'eq', 'LOCAL')).to.equal("tags.`mlflow.source.type` ILIKE 'LOCAL'");
    expect(q('params.note', 'contains', 'café')).to.equal("params.note ILIKE '%caf_%'");
    expect(q('params.lr', 'eq', '1e-3')).to.equal('');
    expect(q('params.lr', 'ne', 'adam')).to.equal('');
    expect(q('params.lr', 'contains', 'line\nbreak')).to.equal('');
    expect(q('status', 'eq', 'dead')).to.equal("attributes.status = 'RUNNING'");
    expect(q('status', 'eq', 'interrupted')).to.equal("attributes.status = 'KILLED'");
    expect(q('status', 'ne', 'queued')).to.equal("attributes.status != 'SCHEDULED'");
    expect(q('status', 'ne', 'running')).to.equal('');
    expect(q('status', 'in', 'running,dead')).to.equal("attributes.status = 'RUNNING'");
    expect(q('status', 'in', 'running,failed')).to.equal('');
    const day = Date.parse('2024-05-01T00:00:00Z');
    expect(q('times.started', 'on', '2024-05-01')).to.equal(`attributes.start_time >= ${day} AND attributes.start_time < ${day + 86_400_000}`);
    expect(q('times.started', 'before', '2024-05-01T12:00:00Z')).to.equal(`attributes.start_time < ${day + 43_200_000}`);
    expect(q('times.started', 'le', '2024-05-01')).to.equal(`attributes.start_time <= ${day + 86_400_000 - 1}`);
    expect(q('times.started', 'between', '2024-05-01', '2024-05-01')).to.equal(`attributes.start_time >= ${day} AND attributes.start_time <= ${day + 86_400_000 - 1}`);
    expect(q('name', 'contains', 'x')).to.equal('');
    expect(toMlflowSearch({ sort: [{ attribute: 'times.started', dir: 'asc' }, { attribute: 'params.lr', dir: 'desc' }, { attribute: 'name', dir: 'asc' }, { attribute: 'labels.team', dir: 'asc' }] }).orderBy).to.deep.equal([
      'attributes.start_time ASC',
      'params.lr DESC',
    ]);
  });
});

describe('MlflowSource: one run', () => {
  it('get() reads the run and lists its artifacts', async () => {
    const fake = server();
    const id = 'eb66c160957d4a28b11d3f1b968df9cd';
    fake.artifacts.set(id, {
      root_uri: `mlflow-artifacts:/1/${id}/artifacts`,
      dirs: {
        '': [
          { path: 'model', is_dir: true },
          { path: 'plot.png', is_dir: false, file_size: 2048 },
        ],
        model: [
          { path: 'model/MLmodel', is_dir: false, file_size: 512 },
          { path: 'model/model.pkl', is_dir: false, file_size: '70000' },
        ],
      },
    });
    const e = await source(fake).get(id);
    expect(e.id).to.equal(id);
    expect(e.group?.id).to.equal('1');
    expect(e.metrics?.mae?.last).to.equal(0.5877424565761121);
    expect(e.artifacts).to.deep.include({ name: 'plot.png', role: 'output', uri: `mlflow-artifacts:/1/${id}/artifacts/plot.png`, sizeBytes: 2048 });
    expect(e.artifacts).to.deep.include({ name: 'model/model.pkl', role: 'model', uri: `mlflow-artifacts:/1/${id}/artifacts/model/model.pkl`, sizeBytes: 70000 });
    expect(e.artifacts).to.deep.include({ name: 'model/MLmodel', role: 'model', uri: `mlflow-artifacts:/1/${id}/artifacts/model/MLmodel`, sizeBytes: 512 });
    // The second logged model (onnx-model) has no files listed: it is still named.
    expect(e.artifacts?.some((a) => a.name === 'onnx-model' && a.role === 'model')).to.equal(true);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.params).toString()}`)).to.deep.equal([
      `GET runs/get run_id=${id}`,
      `GET artifacts/list run_id=${id}`,
      `GET artifacts/list run_id=${id}&path=model`,
    ]);
    for (const r of fake.requests) expect(r.signal).to.be.instanceOf(AbortSignal);

    const download = await source(fake).artifact(id, { name: 'model/model.pkl' });
    expect(String(download)).to.equal(`${BASE}get-artifact?path=model%2Fmodel.pkl&run_uuid=${id}`);
  });

  it('get() of a missing run is not-found, with the URL', async () => {
    const err = await rejection(source(server()).get('nope'));
    expect(err.kind).to.equal('not-found');
    expect(err.message).to.contain(`${BASE}api/2.0/mlflow/runs/get?run_id=nope`);
    expect(err.message).to.contain("Run 'nope' not found");
  });

  it('history() pages through metrics/get-history', async () => {
    const fake = server();
    const id = '5397ae67ee0c49139bf64834b4d27fab';
    const t0 = 1_670_301_535_000;
    // Out of order on purpose; NaN as protobuf JSON writes it.
    fake.histories.set(id, {
      loss: [3, 1, 4, 0, 2].map((step) => ({ key: 'loss', value: step === 4 ? 'NaN' : 1 / (step + 1), timestamp: t0 + step * 1000, step })),
    });
    fake.historyPageSize = 2;
    const series = await source(fake).history(id, 'loss');
    expect(series.steps).to.deep.equal([0, 1, 2, 3, 4]);
    expect(series.values.slice(0, 4)).to.deep.equal([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(Number.isNaN(series.values[4])).to.equal(true);
    expect(series.timestamps?.[0]).to.equal(new Date(t0).toISOString());
    const calls = fake.of('metrics/get-history');
    expect(calls.map((r) => r.params)).to.deep.equal([
      { run_id: id, metric_key: 'loss', max_results: '25000' },
      { run_id: id, metric_key: 'loss', max_results: '25000', page_token: 'h-2' },
      { run_id: id, metric_key: 'loss', max_results: '25000', page_token: 'h-4' },
    ]);
  });

  it('history() of a metric without values is not-found', async () => {
    const err = await rejection(source(server()).history('5397ae67ee0c49139bf64834b4d27fab', 'missing'));
    expect(err.kind).to.equal('not-found');
  });
});

describe('MlflowSource: delete', () => {
  it('deletes each run with runs/delete and resolves when all are done', async () => {
    const fake = server();
    await source(fake).delete(['eb66c160957d4a28b11d3f1b968df9cd', '5397ae67ee0c49139bf64834b4d27fab']);
    const calls = fake.of('runs/delete');
    expect(calls.every((r) => r.method === 'POST' && r.signal instanceof AbortSignal)).to.equal(true);
    expect(calls.map((r) => r.body).sort((a, b) => String(a?.run_id).localeCompare(String(b?.run_id)))).to.deep.equal([
      { run_id: '5397ae67ee0c49139bf64834b4d27fab' },
      { run_id: 'eb66c160957d4a28b11d3f1b968df9cd' },
    ]);
    expect(fake.deletedIds.sort()).to.deep.equal(['5397ae67ee0c49139bf64834b4d27fab', 'eb66c160957d4a28b11d3f1b968df9cd']);
  });

  it('reports which runs failed and which were deleted', async () => {
    const fake = server();
    const err = await rejection(source(fake).delete(['eb66c160957d4a28b11d3f1b968df9cd', 'gone', '5397ae67ee0c49139bf64834b4d27fab']));
    expect(err).to.be.instanceOf(MlflowDeleteError);
    const d = err as MlflowDeleteError;
    expect(d.kind).to.equal('not-found');
    expect(d.deleted.sort()).to.deep.equal(['5397ae67ee0c49139bf64834b4d27fab', 'eb66c160957d4a28b11d3f1b968df9cd']);
    expect(d.failed.map((f) => f.id)).to.deep.equal(['gone']);
    expect(d.message).to.contain('2 of 3 runs were deleted');
    expect(d.message).to.contain('"gone"');
  });
});

describe('MlflowSource: errors', () => {
  for (const status of [401, 403]) {
    it(`HTTP ${status} is not-allowed`, async () => {
      const fake = server();
      fake.overrides.set('POST experiments/search', () => json(status, { error_code: 'PERMISSION_DENIED', message: 'Permission denied' }));
      const err = await rejection(source(fake).load({}));
      expect(err.kind).to.equal('not-allowed');
      expect(err.status).to.equal(status);
      expect(err.message).to.contain(BASE);
      expect(err.message).to.contain('Permission denied');
    });
  }

  it('HTTP 404 is not-found and names the URL', async () => {
    const fake = server();
    fake.overrides.set('POST runs/search', () => new Response('<html>Not Found</html>', { status: 404 }));
    const err = await rejection(source(fake).load({}));
    expect(err.kind).to.equal('not-found');
    expect(err.location).to.equal(`${BASE}api/2.0/mlflow/runs/search`);
    expect(err.message).to.contain(`${BASE}api/2.0/mlflow/runs/search`);
  });

  it('HTTP 500 is an http error with the server\'s message', async () => {
    const fake = server();
    fake.overrides.set('POST runs/search', () => json(500, { error_code: 'INTERNAL_ERROR', message: 'database is locked' }));
    const err = await rejection(source(fake).load({}));
    expect(err.kind).to.equal('http');
    expect(err.message).to.contain('database is locked');
  });

  it('an unreachable server is a network error naming it', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await rejection(new MlflowSource({ baseUrl: BASE, fetch: failing }).load({}));
    expect(err.kind).to.equal('network');
    expect(err.message).to.contain(`Could not reach the MLflow server at ${BASE}`);
  });

  it('an answer that is not JSON is a parse error', async () => {
    const fake = server();
    fake.overrides.set('POST runs/search', () => new Response('<!doctype html><title>Sign in</title>', { status: 200 }));
    const err = await rejection(source(fake).load({}));
    expect(err.kind).to.equal('parse');
    expect(err.message).to.contain('not valid JSON');
    expect(err.message).to.contain('web page');
  });

  it('a page_token sent twice stops with an error instead of looping', async () => {
    const fake = server();
    fake.overrides.set('POST runs/search', () => json(200, { runs: [], next_page_token: 'same' }));
    const err = await rejection(source(fake).load({}));
    expect(err.kind).to.equal('parse');
    expect(err.message).to.contain('page_token');
  });

  it('a cancelled load is aborted', async () => {
    const fake = server();
    const controller = new AbortController();
    fake.overrides.set('POST runs/search', (r) => {
      controller.abort();
      expect(r.signal?.aborted).to.equal(true);
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    const err = await rejection(source(fake).load({}, controller.signal));
    expect(err.kind).to.equal('aborted');
  });
});
