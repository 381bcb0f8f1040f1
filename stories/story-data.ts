// Data and sources shared by the stories: the seeded sample, fake servers behind an injected
// `fetch` (no request leaves the page), and the real Sacred and MLflow runs of test/fixtures,
// converted with the importers. Every data set is made on first use and then kept, so changing a
// control re-renders without reloading.
import { importMlflowExportRun, importMlrunsRun, importSacredRun, type MlrunsRunFiles, type SacredRunFiles } from '../src/data/importers/index.js';
import { parseCollection } from '../src/data/parse.js';
import { applyQuery, queryFromSearchParams, validateQuery } from '../src/data/query.js';
import { collectionToJson, generateCollection } from '../src/data/sample-data.js';
import { HttpSource } from '../src/data/http-source.js';
import { StaticSource } from '../src/data/static-source.js';
import { STATUSES, type Experiment, type ExperimentCollection, type ExperimentSource, type Page, type Series, type SourceCapabilities } from '../src/data/types.js';
import mixedCollectionText from '../test/data/mixed-collection.json?raw';

/** Where the fake servers pretend to be; nothing is ever sent there. */
export const FAKE_ORIGIN = 'https://experiments.example';

export function memo<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** The seeded sample collection (snapshot time 2024-06-01T12:00Z, so statuses stay as generated). */
export function sampleCollection(n: number, seed = 42): ExperimentCollection {
  return generateCollection({ n, seed, historyPoints: n > 2000 ? 0 : 20 });
}

export const sample60 = memo(() => sampleCollection(60));
export const sample300 = memo(() => sampleCollection(300));
export const sample10k = memo(() => sampleCollection(10_000));

/**
 * One run of each status, the first of each in the sample. `dead` is what the dashboard derives
 * from a `running` record whose heartbeat is stale, so the statuses are read as it reads them.
 */
export const sixStatuses = memo((): ExperimentCollection => {
  const all = sampleCollection(200, 7);
  const shown = parseCollection(all).experiments;
  const ids = new Set(STATUSES.map((status) => shown.find((e) => e.status === status)?.id));
  return { ...all, experiments: all.experiments.filter((e) => ids.has(e.id)) };
});

/** The first run of the given status in a collection (the stories open its details). */
export function firstWithStatus(collection: ExperimentCollection, status: Experiment['status']): Experiment {
  const found = collection.experiments.find((e) => e.status === status);
  if (!found) throw new Error(`The sample has no ${status} run.`);
  return found;
}

export const nameOf = (e: Experiment): string => e.name ?? e.id;

// ---- fake servers ----

const json = (body: unknown, status = 200): Response => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const urlOf = (input: RequestInfo | URL): URL => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** A `fetch` answering every request with one status and body. */
export function answering(status: number, body: string, contentType = 'application/json'): typeof fetch {
  return async () => new Response(body, { status, headers: { 'content-type': contentType } });
}

/** A `fetch` failing the way the browser's does when the server cannot be reached. */
export const unreachable: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

/**
 * The REST contract of openapi/experiment-dashboard.openapi.yaml, answered in the page:
 * GET /capabilities, /experiments (search, filters, sort, paging by cursor or page, with
 * src/data/query.ts's semantics), /experiments/{id}, its metric histories and /changes (polling).
 */
export function restApiFetch(collection: ExperimentCollection, options: { serverQuery: boolean }): typeof fetch {
  const byId = new Map(collection.experiments.map((e) => [e.id, e]));
  return async (input) => {
    const url = urlOf(input);
    const path = url.pathname.replace(/^\/api\//, '');
    if (path === 'capabilities') return json({ serverQuery: options.serverQuery, live: false, delete: false, history: true, maxPageSize: 5000, formatVersion: '1.0' });
    if (path === 'changes') return json({ changes: [], seq: 0 });
    if (path === 'experiments') {
      const { query, problems } = queryFromSearchParams(url.searchParams, 100);
      const invalid = [...problems, ...validateQuery(query)];
      if (invalid.length > 0) return json({ error: invalid.join('; ') }, 400);
      const { experiments, total, nextToken } = applyQuery(collection.experiments, query);
      const page = { experiments, total, nextToken: nextToken ?? null, generatedAt: collection.generatedAt, defaults: collection.defaults };
      return json(collectionToJson(page as unknown as ExperimentCollection));
    }
    const one = /^experiments\/([^/]+)(?:\/metrics\/([^/]+)\/history)?$/.exec(path);
    const e = one ? byId.get(decodeURIComponent(one[1] ?? '')) : undefined;
    if (one && e && one[2] === undefined) return json(collectionToJson(e as unknown as ExperimentCollection));
    const history = one?.[2] !== undefined ? e?.metrics?.[decodeURIComponent(one[2])]?.history : undefined;
    if (history) return json(collectionToJson(history as unknown as ExperimentCollection));
    return json({ error: `Nothing at ${url.pathname}.` }, 404);
  };
}

/** An HttpSource against the fake REST server: live updates by polling, through the same fetch. */
export function httpSource(fakeFetch: typeof fetch): HttpSource {
  return new HttpSource({ baseUrl: `${FAKE_ORIGIN}/api/`, fetch: fakeFetch, retries: 0, live: 'poll', pollIntervalMs: 3_600_000 });
}

export const staticUrl = (file: string): string => `${FAKE_ORIGIN}/data/${file}`;

// ---- sources written for the stories ----

/** A source whose load never ends: what a user sees while a slow server thinks. */
export const neverLoads: ExperimentSource = {
  capabilities: { delete: false, live: false, serverQuery: false, history: false },
  label: 'a slow server',
  load: () => new Promise<Page>(() => undefined),
};

/** A source that can delete (in memory, for the page's lifetime): the delete buttons and dialog. */
export function deletableSource(collection: ExperimentCollection): ExperimentSource {
  let experiments = collection.experiments;
  const capabilities: SourceCapabilities = { delete: true, live: false, serverQuery: false, history: false };
  return {
    capabilities,
    label: 'the story store',
    load: async () => ({ experiments, total: experiments.length, generatedAt: collection.generatedAt, defaults: collection.defaults }),
    delete: async (ids) => {
      const gone = new Set(ids);
      experiments = experiments.filter((e) => !gone.has(e.id));
    },
  };
}

/** Serves histories, slowly or never or failing: the chart and detail loading states. */
export function historySource(behaviour: 'never' | 'fail', collection?: ExperimentCollection): ExperimentSource {
  return {
    capabilities: { delete: false, live: false, serverQuery: false, history: true },
    label: `${FAKE_ORIGIN}/api/`,
    load: async () => ({ experiments: collection?.experiments ?? [] }),
    get: () => (behaviour === 'never' ? new Promise<Experiment>(() => undefined) : Promise.reject(new Error(`${FAKE_ORIGIN}/api/experiments/run-000004 answered HTTP 503: the server is restarting.`))),
    history: () => (behaviour === 'never' ? new Promise<Series>(() => undefined) : Promise.reject(new Error(`${FAKE_ORIGIN}/api/ answered HTTP 503: the server is restarting.`))),
  };
}

// ---- the dashboard's data sets, by the name the `data` control shows ----

export interface DashboardData {
  experiments?: unknown;
  source?: ExperimentSource;
}

const restCollection = memo(() => sampleCollection(1200, 5));

export const DASHBOARD_DATA = {
  'sample (300 runs)': memo((): DashboardData => ({ experiments: sample300() })),
  'sample (60 runs)': memo((): DashboardData => ({ experiments: sample60() })),
  'six statuses': memo((): DashboardData => ({ experiments: sixStatuses() })),
  '10,000 runs': memo((): DashboardData => ({ experiments: sample10k() })),
  empty: memo((): DashboardData => ({ experiments: { schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [] } })),
  'never loads': memo((): DashboardData => ({ source: neverLoads })),
  'error: network': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('runs.json'), fetch: unreachable }) })),
  'error: HTTP 404': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('runs-2023.json'), fetch: answering(404, 'Not Found', 'text/plain') }) })),
  'error: HTTP 401': memo((): DashboardData => ({ source: httpSource(answering(401, JSON.stringify({ error: 'Sign in with your company account to see experiments.' }))) })),
  'error: HTTP 403': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('team-b/runs.json'), fetch: answering(403, 'Forbidden', 'text/plain') }) })),
  'error: HTTP 500': memo((): DashboardData => ({ source: httpSource(answering(500, JSON.stringify({ error: 'database connection pool exhausted' }))) })),
  'error: not JSON': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('runs.json'), fetch: answering(200, '<!doctype html><title>Sign in</title><h1>Sign in</h1>', 'text/html') }) })),
  'error: not a collection': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('config.json'), fetch: answering(200, JSON.stringify({ lr: 0.01, epochs: 20, optimizer: 'adam' })) }) })),
  'invalid records': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('mixed-collection.json'), fetch: answering(200, mixedCollectionText) }) })),
  'deletable (60 runs)': memo((): DashboardData => ({ source: deletableSource(sample60()) })),
  'static file (fake fetch)': memo((): DashboardData => ({ source: new StaticSource({ url: staticUrl('runs.json'), fetch: answering(200, collectionToJson(sampleCollection(120, 3))) }) })),
  'HTTP, server query (1,200 runs)': memo((): DashboardData => ({ source: httpSource(restApiFetch(restCollection(), { serverQuery: true })) })),
  'HTTP, client mode (1,200 runs)': memo((): DashboardData => ({ source: httpSource(restApiFetch(restCollection(), { serverQuery: false })) })),
  'Sacred fixtures': memo((): DashboardData => ({ experiments: sacredCollection() })),
  'MLflow fixtures': memo((): DashboardData => ({ experiments: mlflowCollection() })),
  'none (src attribute)': (): DashboardData => ({}),
} satisfies Record<string, () => DashboardData>;
export type DashboardDataName = keyof typeof DASHBOARD_DATA;
export const DASHBOARD_DATA_NAMES = Object.keys(DASHBOARD_DATA) as DashboardDataName[];

// ---- real runs from test/fixtures ----

const rawFiles = (files: Record<string, string>, prefix: string): Map<string, Record<string, string>> => {
  // Folder (the run) -> path under it -> text.
  const byRun = new Map<string, Record<string, string>>();
  for (const [path, text] of Object.entries(files)) {
    const rest = path.slice(path.indexOf(prefix) + prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const run = rest.slice(0, slash);
    const entry = byRun.get(run) ?? {};
    entry[rest.slice(slash + 1)] = text;
    byRun.set(run, entry);
  }
  return byRun;
};

const sacredFiles = import.meta.glob<string>('../test/fixtures/sacred-manuel-rhdt-ml-pws/runs/*/*', { query: '?raw', import: 'default', eager: true });
const mlflowExportFiles = import.meta.glob<string>('../test/fixtures/mlflow-export-import/oss_mlflow/**/{run,experiment}.json', { query: '?raw', import: 'default', eager: true });
const mlrunsFiles = import.meta.glob<string>('../test/fixtures/mlflow-mlruns-konradmalik-mlfix/mlruns/0/**/*', { query: '?raw', import: 'default', eager: true });

const fixtureCollection = (experiments: (Experiment | undefined)[], source: string, mainMetric: { key: string; goal: 'maximize' | 'minimize' }): ExperimentCollection => ({
  schemaVersion: '1.0',
  kind: 'ExperimentCollection',
  source: { type: source },
  defaults: { mainMetric },
  experiments: experiments.filter((e): e is Experiment => e !== undefined),
});

/** The ml-pws Sacred FileStorageObserver runs (one failed, two completed). */
export const sacredCollection = memo(() =>
  fixtureCollection(
    [...rawFiles(sacredFiles, '/runs/')].sort(([a], [b]) => Number(a) - Number(b)).map(([runId, files]) => importSacredRun(files as unknown as SacredRunFiles, { runId }).experiment),
    'sacred',
    { key: 'training.loss', goal: 'minimize' },
  ),
);

/**
 * The experiment's name from an exported experiment.json. One real export in the fixtures is not
 * valid JSON (a tag value lost its closing quote), so the name is then read from the text.
 */
function experimentNameOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { mlflow?: { experiment?: { name?: string } } }).mlflow?.experiment?.name;
  } catch {
    return /"name":\s*"([^"\n]*)"/.exec(text)?.[1];
  }
}

/** mlflow-export-import's exported runs (named after their experiment) and the mlfix mlruns run. */
export const mlflowCollection = memo(() => {
  const experimentNames = new Map<string, string>();
  for (const [path, text] of Object.entries(mlflowExportFiles)) {
    if (!path.endsWith('/experiment.json')) continue;
    const name = experimentNameOf(text);
    if (name) experimentNames.set(path.slice(0, path.lastIndexOf('/')), name);
  }
  const exported = Object.entries(mlflowExportFiles)
    .filter(([path]) => path.endsWith('/run.json'))
    .map(([path, text]) => importMlflowExportRun(JSON.parse(text), { experimentName: experimentNames.get(path.slice(0, path.indexOf('/runs/'))) ?? 'exported' }).experiment);
  const mlruns = [...rawFiles(mlrunsFiles, '/mlruns/0/')]
    .map(([, files]) => {
      const under = (dir: string) => Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith(`${dir}/`)).map(([p, t]) => [p.slice(dir.length + 1), t]));
      const run: MlrunsRunFiles = { 'meta.yaml': files['meta.yaml'] ?? '', metrics: under('metrics'), params: under('params'), tags: under('tags'), artifacts: Object.keys(under('artifacts')) };
      return importMlrunsRun(run, { experimentName: 'Default' }).experiment;
    });
  return fixtureCollection([...exported, ...mlruns], 'mlflow', { key: 'rmse', goal: 'minimize' });
});
