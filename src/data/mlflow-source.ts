import { importMlflowRun, importMlflowSearchResponse } from './importers/mlflow.js';
import { parseJsonText, toMetricNumber } from './parse.js';
import { applyQuery, prepareQuery } from './query.js';
import {
  SourceError,
  type Artifact,
  type ColumnFilter,
  type Experiment,
  type ExperimentSource,
  type Page,
  type Problem,
  type Query,
  type Series,
  type SortSpec,
  type SourceCapabilities,
  type SourceErrorKind,
} from './types.js';

/**
 * An experiment source reading an MLflow tracking server through its REST API 2.0
 * (`/api/2.0/mlflow/...`). Runs become format-v1 records through the MLflow importer; deleted
 * runs are hidden, as MLflow hides them.
 *
 * The server must let the page call it: same origin (a reverse proxy), or CORS allowed for the
 * page's origin. Pass an access token in `headers` when the server wants one.
 */
export interface MlflowSourceInit {
  /** The tracking server's address, where its UI opens, e.g. `http://localhost:5000`. A URL ending in `/api/2.0/mlflow` is accepted too. */
  baseUrl: string | URL;
  /** Experiments to read, by id. */
  experimentIds?: string[];
  /** Experiments to read, by name (resolved with `experiments/search`). Without ids or names: every active experiment. */
  experimentNames?: string[];
  /** Extra request headers (e.g. `Authorization: Bearer ...`), or a function returning them per request. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** `include` sends cookies to another origin (the server must allow it). Default `same-origin`. */
  credentials?: RequestCredentials;
  /** A replacement for `fetch` (tests, auth wrappers). */
  fetch?: typeof fetch;
  /** Runs per `runs/search` request, 1 to 50000. Default 1000. */
  pageSize?: number;
  /** How the source is named in messages; default `MLflow at <baseUrl>`. */
  label?: string;
}

/** `delete()` failed for some runs: which were deleted and which were not, and why. */
export class MlflowDeleteError extends SourceError {
  readonly deleted: string[];
  readonly failed: { id: string; error: SourceError }[];
  constructor(kind: SourceErrorKind, message: string, deleted: string[], failed: { id: string; error: SourceError }[], location: string) {
    super(kind, message, { location });
    this.deleted = deleted;
    this.failed = failed;
  }
}

/** What of a {@link Query} MLflow's own search grammar can do. */
export interface MlflowSearch {
  /** The `filter` of `runs/search`: clauses joined by `AND`; empty when nothing translates. */
  filter: string;
  /** The `order_by` of `runs/search`, e.g. `metrics.accuracy DESC`. */
  orderBy: string[];
}

const MAX_PAGE_SIZE = 50_000;
const DEFAULT_PAGE_SIZE = 1000;
/** `metrics/get-history` refuses more than this per request. */
const HISTORY_PAGE_SIZE = 25_000;
const EXPERIMENTS_PAGE_SIZE = 1000;
/** Artifact folders are listed breadth-first up to this many requests per run. */
const MAX_ARTIFACT_LISTINGS = 25;
const DELETE_CONCURRENCY = 4;
const DAY_MS = 86_400_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

// ---- Query -> MLflow search grammar ----
//
// The server filter only narrows what is fetched: every record is still checked with the
// query's own predicate afterwards (applyQuery), so the answer is exactly what client-side
// filtering gives. A clause is sent only when it keeps every run the predicate would keep;
// anything else (search text, negations that must keep runs lacking the field, numeric
// comparisons of text params, ...) is left to the client.

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$/;

/** MLflow run statuses by our status; `dead` is a RUNNING run that went silent. */
const MLFLOW_STATUS: Record<string, string> = {
  completed: 'FINISHED',
  failed: 'FAILED',
  running: 'RUNNING',
  dead: 'RUNNING',
  queued: 'SCHEDULED',
  interrupted: 'KILLED',
};

/** A key as MLflow's grammar reads it: bare when simple, else in backticks; undefined when it cannot be written. */
function mlflowKey(key: string): string | undefined {
  if (key === '') return undefined;
  if (SIMPLE_KEY.test(key)) return key;
  if (key.includes('`')) return undefined;
  return `\`${key}\``;
}

/** A number as the grammar's lexer reads one (`1e-7`, not `1e+21`). */
function numberLiteral(n: number): string {
  return String(n).replace('e+', 'e');
}

function finiteNumber(v: string | number | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  return undefined;
}

/**
 * Text as a `LIKE` pattern that matches at least what the text matches, on every MLflow store:
 * quotes, backslashes and regular-expression characters become `_` (any one character), because
 * MLflow does not unescape quoted values, SQL stores treat `\` as an escape, and the file store
 * turns the pattern into a regular expression. Non-ASCII characters become `_` too, so no store's
 * idea of their upper and lower case can drop a run. `%` and `_` stay wildcards; the client refines.
 */
function likeLiteral(text: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return text.replace(/[^A-Za-z0-9 _%\-.,:;/@#~!&=<>]/gu, '_');
}

interface TimeOperand {
  start: number;
  /** End of the day (exclusive) for a date-only value. */
  dayEnd?: number;
}

function timeOperand(v: string | number | undefined): TimeOperand | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { start: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!ISO_LIKE.test(s)) return undefined;
  if (DATE_ONLY.test(s)) {
    const start = Date.parse(`${s}T00:00:00Z`);
    return Number.isNaN(start) ? undefined : { start, dayEnd: start + DAY_MS };
  }
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const start = Date.parse(withZone);
  return Number.isNaN(start) ? undefined : { start };
}

const firstValue = (f: ColumnFilter): string | number | undefined => (Array.isArray(f.value) ? f.value[0] : f.value);

function metricClauses(key: string, f: ColumnFilter): string[] {
  const lhs = `metrics.${key}`;
  const n = finiteNumber(firstValue(f));
  switch (f.op) {
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
    case 'eq': {
      if (n === undefined) return [];
      const op = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '=' }[f.op];
      return [`${lhs} ${op} ${numberLiteral(n)}`];
    }
    case 'between': {
      const hi = finiteNumber(f.value2);
      const out: string[] = [];
      if (n !== undefined) out.push(`${lhs} >= ${numberLiteral(n)}`);
      if (hi !== undefined) out.push(`${lhs} <= ${numberLiteral(hi)}`);
      return out;
    }
    default:
      return [];
  }
}

/** Params and tags are text in MLflow; our comparisons of text ignore case: `ILIKE`. */
function textClauses(lhs: string, f: ColumnFilter): string[] {
  const v = firstValue(f);
  if (v === undefined) return [];
  const text = String(v);
  let pattern: string | undefined;
  switch (f.op) {
    case 'eq':
      // A number or a time matches other spellings of itself ("1e-3" = 0.001): client only.
      if (finiteNumber(v) !== undefined || typeof v === 'number' || timeOperand(v) !== undefined) return [];
      pattern = likeLiteral(text);
      break;
    case 'contains':
      pattern = likeLiteral(text);
      if (pattern !== undefined) pattern = `%${pattern}%`;
      break;
    case 'startsWith':
      pattern = likeLiteral(text);
      if (pattern !== undefined) pattern = `${pattern}%`;
      break;
    default:
      return [];
  }
  return pattern === undefined ? [] : [`${lhs} ILIKE '${pattern}'`];
}

function statusClauses(f: ColumnFilter): string[] {
  const lhs = 'attributes.status';
  if (f.op === 'eq' || f.op === 'in') {
    const values = Array.isArray(f.value) ? f.value : f.value === undefined ? [] : f.op === 'in' && typeof f.value === 'string' ? f.value.split(',') : [f.value];
    const statuses = new Set(values.map((v) => MLFLOW_STATUS[String(v).trim().toLowerCase()]));
    // MLflow compares a status with one value only (lists are for run ids).
    const only = statuses.size === 1 ? [...statuses][0] : undefined;
    return only ? [`${lhs} = '${only}'`] : [];
  }
  if (f.op === 'ne') {
    const s = String(firstValue(f) ?? '').toLowerCase();
    // RUNNING covers both running and dead: excluding it would drop runs the other one keeps.
    const mlflow = s === 'running' || s === 'dead' ? undefined : MLFLOW_STATUS[s];
    return mlflow ? [`${lhs} != '${mlflow}'`] : [];
  }
  return [];
}

function startTimeClauses(f: ColumnFilter): string[] {
  const lhs = 'attributes.start_time';
  const o = timeOperand(firstValue(f));
  const ms = (n: number): string => String(Math.floor(n));
  switch (f.op) {
    case 'gt':
      return o ? [`${lhs} > ${ms(o.dayEnd !== undefined ? o.dayEnd - 1 : o.start)}`] : [];
    case 'ge':
      return o ? [`${lhs} >= ${ms(o.start)}`] : [];
    case 'lt':
    case 'before':
      return o ? [`${lhs} < ${ms(o.start)}`] : [];
    case 'le':
      return o ? [`${lhs} <= ${ms(o.dayEnd !== undefined ? o.dayEnd - 1 : o.start)}`] : [];
    case 'after':
      return o ? [`${lhs} >= ${ms(o.dayEnd ?? o.start + 1)}`] : [];
    case 'on': {
      if (!o) return [];
      const day = Math.floor(o.start / DAY_MS) * DAY_MS;
      return [`${lhs} >= ${ms(day)}`, `${lhs} < ${ms(day + DAY_MS)}`];
    }
    case 'eq':
      return o && o.dayEnd === undefined ? [`${lhs} = ${ms(o.start)}`] : [];
    case 'between': {
      const hi = timeOperand(f.value2);
      const out: string[] = [];
      if (o) out.push(`${lhs} >= ${ms(o.start)}`);
      if (hi) out.push(`${lhs} <= ${ms(hi.dayEnd !== undefined ? hi.dayEnd - 1 : hi.start)}`);
      return out;
    }
    default:
      return [];
  }
}

function filterClauses(f: ColumnFilter): string[] {
  const a = f.attribute;
  if (a === 'status') return statusClauses(f);
  if (a === 'times.started') return startTimeClauses(f);
  if (a.startsWith('metrics.') && a.endsWith('.last')) {
    const key = mlflowKey(a.slice('metrics.'.length, -'.last'.length));
    return key ? metricClauses(key, f) : [];
  }
  if (a.startsWith('params.')) {
    const key = mlflowKey(a.slice('params.'.length));
    return key ? textClauses(`params.${key}`, f) : [];
  }
  if (a.startsWith('labels.')) {
    const key = mlflowKey(a.slice('labels.'.length));
    return key ? textClauses(`tags.${key}`, f) : [];
  }
  return [];
}

function orderTerm(s: SortSpec): string | undefined {
  const dir = s.dir === 'desc' ? 'DESC' : 'ASC';
  const a = s.attribute;
  let lhs: string | undefined;
  if (a === 'times.started') lhs = 'attributes.start_time';
  else if (a === 'times.stopped') lhs = 'attributes.end_time';
  else if (a.startsWith('metrics.') && a.endsWith('.last')) {
    const key = mlflowKey(a.slice('metrics.'.length, -'.last'.length));
    if (key) lhs = `metrics.${key}`;
  } else if (a.startsWith('params.')) {
    const key = mlflowKey(a.slice('params.'.length));
    if (key) lhs = `params.${key}`;
  } else if (a.startsWith('labels.')) {
    const key = mlflowKey(a.slice('labels.'.length));
    if (key) lhs = `tags.${key}`;
  }
  return lhs ? `${lhs} ${dir}` : undefined;
}

/**
 * The part of a query MLflow's `runs/search` can do itself (`filter`, `order_by`). The rest is
 * done on the client; the server part only narrows what is fetched, never changes the answer.
 */
export function toMlflowSearch(query: Query): MlflowSearch {
  const filter = (query.filters ?? []).flatMap(filterClauses).join(' AND ');
  const orderBy: string[] = [];
  // The leading sort keys MLflow understands; the client sorts exactly afterwards anyway.
  for (const s of query.sort ?? []) {
    const term = orderTerm(s);
    if (!term) break;
    orderBy.push(term);
  }
  return { filter, orderBy };
}

// ---- The source ----

interface CallOptions {
  method?: 'GET' | 'POST';
  params?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** What is being asked for, for messages: "The run list", `Run "x"`. */
  what: string;
}

/** The server's own explanation: MLflow answers `{error_code, message}`. */
async function errorDetail(response: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  try {
    const body: unknown = JSON.parse(text);
    if (isObject(body)) {
      const msg = body.message ?? body.error;
      if (typeof msg === 'string') return typeof body.error_code === 'string' ? `${msg} (${body.error_code})` : msg;
    }
  } catch {
    // Not JSON: plain text is shown if short and not a web page.
  }
  const trimmed = text.trim();
  return trimmed && trimmed.length <= 300 && !trimmed.startsWith('<') ? trimmed : undefined;
}

interface ArtifactFile {
  path: string;
  isDir: boolean;
  size?: number;
}

/**
 * Reads runs from an MLflow tracking server. Client mode: `load()` fetches every matching run
 * (following `page_token`), with the parts of the query MLflow understands sent as its `filter`
 * and `order_by`, and applies the whole query on the result. Every request carries an AbortSignal.
 */
export class MlflowSource implements ExperimentSource {
  readonly capabilities: SourceCapabilities = { delete: true, live: false, serverQuery: false, history: true };
  readonly label: string;
  readonly #root: URL;
  readonly #api: URL;
  readonly #init: MlflowSourceInit;
  readonly #fetch: typeof fetch;
  /** Experiment names by id, from the last `experiments/search`. */
  #experimentNames = new Map<string, string>();

  constructor(init: MlflowSourceInit) {
    const root = new URL(String(init.baseUrl), globalThis.location?.href);
    if (!root.pathname.endsWith('/')) root.pathname += '/';
    root.pathname = root.pathname.replace(/api\/2\.0\/mlflow\/$/, '');
    root.search = '';
    root.hash = '';
    this.#root = root;
    this.#api = new URL('api/2.0/mlflow/', root);
    this.#init = init;
    this.label = init.label ?? `MLflow at ${root.href}`;
    this.#fetch = init.fetch ?? globalThis.fetch.bind(globalThis);
  }

  // ---- requests ----

  async #headers(hasBody: boolean): Promise<Headers> {
    const extra = typeof this.#init.headers === 'function' ? await this.#init.headers() : this.#init.headers;
    const headers = new Headers(extra);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (hasBody) headers.set('content-type', 'application/json');
    return headers;
  }

  #httpError(status: number, url: URL, what: string, detail: string | undefined): SourceError {
    const opts = { location: url.href, status };
    const said = detail ? ` The server said: ${detail}` : '';
    if (status === 401 || status === 403) {
      return new SourceError(
        'not-allowed',
        `The MLflow server at ${this.#root.href} did not allow ${what.toLowerCase()} (HTTP ${status}): sign in, or give the source an access token in its headers.${said}`,
        opts,
      );
    }
    if (status === 404) {
      return new SourceError('not-found', `${what} was not found: ${url.href} answered HTTP 404.${said || ' Check that the address is the MLflow tracking server (where its UI opens).'}`, opts);
    }
    if (status >= 500) return new SourceError('http', `The MLflow server at ${this.#root.href} failed (HTTP ${status}) on ${what.toLowerCase()}.${said} Try again later.`, opts);
    return new SourceError('http', `The MLflow server at ${this.#root.href} refused ${what.toLowerCase()} (HTTP ${status}).${said}`, opts);
  }

  #url(path: string, params?: Record<string, string>): URL {
    const url = new URL(path, this.#api);
    for (const [k, v] of Object.entries(params ?? {})) url.searchParams.set(k, v);
    return url;
  }

  /** One request: always with an AbortSignal (the caller's, else one of its own). */
  async #call(path: string, options: CallOptions): Promise<unknown> {
    const url = this.#url(path, options.params);
    const signal = options.signal ?? new AbortController().signal;
    const { what } = options;
    if (signal.aborted) throw new SourceError('aborted', `${what}: the request to ${url.href} was cancelled.`, { location: url.href, cause: signal.reason });
    let response: Response;
    let text: string;
    try {
      const init: RequestInit = {
        method: options.method ?? 'GET',
        headers: await this.#headers(options.body !== undefined),
        credentials: this.#init.credentials ?? 'same-origin',
        signal,
      };
      if (options.body !== undefined) init.body = JSON.stringify(options.body);
      response = await this.#fetch(url.href, init);
      if (!response.ok) throw this.#httpError(response.status, url, what, await errorDetail(response));
      text = await response.text();
    } catch (err) {
      if (err instanceof SourceError) throw err;
      if (signal.aborted) throw new SourceError('aborted', `${what}: the request to ${url.href} was cancelled.`, { location: url.href, cause: err });
      throw new SourceError(
        'network',
        `Could not reach the MLflow server at ${this.#root.href} (${(err as Error)?.message ?? String(err)}). Check the address, that the server is running and, from a web page, that it allows this page's origin (CORS).`,
        { location: url.href, cause: err },
      );
    }
    if (text.trim() === '') return {};
    try {
      return parseJsonText(text);
    } catch (err) {
      const page = text.trimStart().startsWith('<') ? ' It sent a web page: check that the address is the MLflow tracking server itself, not a login page in front of it.' : '';
      throw new SourceError('parse', `${what}: the answer of ${url.href} is not valid JSON (${(err as Error).message}).${page}`, { location: url.href, cause: err });
    }
  }

  // ---- experiments ----

  /** Every active experiment (id -> name), following `page_token`. */
  async #listExperiments(signal: AbortSignal | undefined): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const body: Record<string, unknown> = { max_results: EXPERIMENTS_PAGE_SIZE };
      if (token) body.page_token = token;
      const answer = await this.#call('experiments/search', { method: 'POST', body, signal, what: 'The experiment list' });
      const list = isObject(answer) && Array.isArray(answer.experiments) ? answer.experiments : [];
      for (const x of list) if (isObject(x) && x.experiment_id !== undefined && x.lifecycle_stage !== 'deleted') names.set(String(x.experiment_id), typeof x.name === 'string' ? x.name : String(x.experiment_id));
      const next = isObject(answer) && nonEmpty(answer.next_page_token) ? answer.next_page_token : undefined;
      if (!next || seen.has(next)) break;
      seen.add(next);
      token = next;
    }
    this.#experimentNames = names;
    return names;
  }

  /** The experiment ids to search: the given ids, the named experiments, or every active one. */
  async #experimentIds(signal: AbortSignal | undefined): Promise<string[]> {
    const ids = (this.#init.experimentIds ?? []).map(String);
    const wanted = this.#init.experimentNames ?? [];
    if (wanted.length === 0 && ids.length > 0) {
      // The names only label the groups: a server that will not list experiments still serves runs.
      try {
        await this.#listExperiments(signal);
      } catch (err) {
        if (err instanceof SourceError && err.kind === 'aborted') throw err;
      }
      return ids;
    }
    const names = await this.#listExperiments(signal);
    if (wanted.length === 0) return [...names.keys()];
    const byName = new Map([...names].map(([id, name]) => [name, id]));
    const missing = wanted.filter((n) => !byName.has(n));
    if (missing.length > 0) {
      throw new SourceError(
        'not-found',
        `The MLflow server at ${this.#root.href} has no active experiment named ${missing.map((n) => JSON.stringify(n)).join(', ')}. Names are case-sensitive; the MLflow UI lists the experiments there are.`,
        { location: this.#url('experiments/search').href },
      );
    }
    return [...new Set([...ids, ...wanted.map((n) => byName.get(n) as string)])];
  }

  // ---- runs ----

  /** Every run matching the query: MLflow narrows what it sends, the query decides exactly. */
  async load(query: Query = {}, signal?: AbortSignal): Promise<Page> {
    const experimentIds = await this.#experimentIds(signal);
    const now = Date.now();
    if (experimentIds.length === 0) return { experiments: [], total: 0 };
    const search = toMlflowSearch(query);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(this.#init.pageSize ?? DEFAULT_PAGE_SIZE)));
    const experiments: Experiment[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    let offset = 0;
    let token: string | undefined;
    for (;;) {
      const body: Record<string, unknown> = { experiment_ids: experimentIds, run_view_type: 'ACTIVE_ONLY', max_results: size };
      if (search.filter) body.filter = search.filter;
      if (search.orderBy.length > 0) body.order_by = search.orderBy;
      if (token) body.page_token = token;
      const answer = await this.#call('runs/search', { method: 'POST', body, signal, what: 'The run list' });
      if (!isObject(answer) || (answer.runs !== undefined && !Array.isArray(answer.runs))) {
        const where = this.#url('runs/search').href;
        throw new SourceError('parse', `${where} did not answer with runs: expected {"runs": [...], "next_page_token": ...}. Check that the address is the MLflow tracking server.`, { location: where });
      }
      const runs = Array.isArray(answer.runs) ? answer.runs : [];
      const result = importMlflowSearchResponse(answer, { now });
      for (const e of result.experiments) experiments.push(this.#finish(e));
      for (const p of result.problems) {
        // A deleted run is hidden on purpose, as MLflow hides it: nothing for the user to fix.
        if (p.severity === 'warning' && p.path.endsWith('.info.lifecycle_stage')) continue;
        problems.push(p.index === undefined ? p : { ...p, index: p.index + offset, path: p.path.replace(/^\$\.runs\[(\d+)\]/, (_m, i: string) => `$.runs[${Number(i) + offset}]`) });
      }
      offset += runs.length;
      const next = result.nextPageToken;
      if (!next) break;
      if (seen.has(next)) {
        const where = this.#url('runs/search').href;
        throw new SourceError('parse', `${where} sent the same page_token twice (${JSON.stringify(next)}); reading would never end. The server's paging is broken.`, { location: where });
      }
      seen.add(next);
      token = next;
    }
    await prepareQuery(query); // the pattern engine, when a filter uses `matches`
    const matched = applyQuery(experiments, query);
    const page: Page = { experiments: matched.experiments, total: matched.total };
    if (matched.nextToken) page.nextToken = matched.nextToken;
    if (problems.length > 0) page.problems = problems;
    return page;
  }

  /** Group names from the experiment list; a history reference on every metric whose points stayed on the server. */
  #finish(e: Experiment): Experiment {
    const out: Experiment = { ...e };
    const groupId = e.group?.id;
    const name = groupId !== undefined ? this.#experimentNames.get(groupId) : undefined;
    if (groupId !== undefined && name !== undefined && e.group?.name === undefined) out.group = { ...e.group, name };
    if (e.metrics) {
      out.metrics = Object.fromEntries(
        Object.entries(e.metrics).map(([key, m]) => [
          key,
          m.history || m.historyRef ? m : { ...m, historyRef: `metrics/get-history?run_id=${encodeURIComponent(e.id)}&metric_key=${encodeURIComponent(key)}` },
        ]),
      );
    }
    return out;
  }

  /** The full run (`runs/get`) with its artifact listing (`artifacts/list`). */
  async get(id: string, signal?: AbortSignal): Promise<Experiment> {
    const what = `Run ${JSON.stringify(id)}`;
    const answer = await this.#call('runs/get', { params: { run_id: id }, signal, what });
    const where = this.#url('runs/get', { run_id: id }).href;
    const result = importMlflowRun(answer, { now: Date.now() });
    if (result.hidden) throw new SourceError('not-found', `Run ${JSON.stringify(id)} is deleted in MLflow (${where}).`, { location: where });
    if (!result.experiment) {
      const why = result.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new SourceError('schema', `${where} did not answer with a usable MLflow run: ${why}.`, { location: where });
    }
    const e = this.#finish(result.experiment);
    let listing: { root?: string; files: ArtifactFile[] } | undefined;
    try {
      listing = await this.#listArtifacts(id, signal);
    } catch (err) {
      // The run is still worth showing when its artifact store cannot be listed.
      if (err instanceof SourceError && err.kind === 'aborted') throw err;
    }
    if (listing) {
      const artifacts = this.#mergeArtifacts(e, listing.root, listing.files);
      if (artifacts.length > 0) e.artifacts = artifacts;
      else delete e.artifacts;
    }
    return e;
  }

  /** Files under the run's artifact root, folders listed breadth-first within a request budget. */
  async #listArtifacts(runId: string, signal: AbortSignal | undefined): Promise<{ root?: string; files: ArtifactFile[] }> {
    const files: ArtifactFile[] = [];
    const queue: { path?: string; token?: string }[] = [{}];
    let root: string | undefined;
    let requests = 0;
    while (queue.length > 0 && requests < MAX_ARTIFACT_LISTINGS) {
      const item = queue.shift() as { path?: string; token?: string };
      const params: Record<string, string> = { run_id: runId };
      if (item.path) params.path = item.path;
      if (item.token) params.page_token = item.token;
      requests++;
      const answer = await this.#call('artifacts/list', { params, signal, what: `The artifact list of run ${JSON.stringify(runId)}` });
      if (!isObject(answer)) continue;
      if (root === undefined && nonEmpty(answer.root_uri)) root = answer.root_uri;
      for (const f of Array.isArray(answer.files) ? answer.files : []) {
        if (!isObject(f) || !nonEmpty(f.path)) continue;
        const entry: ArtifactFile = { path: f.path, isDir: f.is_dir === true };
        const size = typeof f.file_size === 'number' ? f.file_size : typeof f.file_size === 'string' && /^\d+$/.test(f.file_size) ? Number(f.file_size) : undefined;
        if (size !== undefined) entry.size = size;
        if (entry.isDir) queue.push({ path: f.path });
        else files.push(entry);
      }
      if (nonEmpty(answer.next_page_token)) queue.unshift({ ...(item.path ? { path: item.path } : {}), token: answer.next_page_token });
    }
    // Folders the budget did not reach are still named, so nothing is silently missing.
    for (const q of queue) if (q.path && !q.token) files.push({ path: q.path, isDir: true });
    return root === undefined ? { files } : { root, files };
  }

  #mergeArtifacts(e: Experiment, root: string | undefined, files: ArtifactFile[]): Artifact[] {
    const mlflow = isObject(e.extensions?.mlflow) ? e.extensions.mlflow : {};
    const models = (Array.isArray(mlflow.loggedModels) ? mlflow.loggedModels : []).flatMap((m) => (isObject(m) && nonEmpty(m.artifact_path) ? [m.artifact_path] : []));
    const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);
    const hasScheme = root !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(root);
    const listed: Artifact[] = files.map((f) => {
      const a: Artifact = { name: f.isDir ? `${f.path}/` : f.path, role: models.some((m) => under(f.path, m)) ? 'model' : 'output' };
      if (root !== undefined) {
        const at = `${root.replace(/\/+$/, '')}/${f.path}`;
        // A scheme-less root is a path on the tracking server's disk, not something to fetch.
        if (hasScheme) a.uri = at;
        else a.path = at;
      }
      if (f.size !== undefined) a.sizeBytes = f.size;
      if (f.isDir) a.mediaType = 'inode/directory';
      return a;
    });
    // Datasets, and logged models whose files were not listed, come from the run itself.
    const kept = (e.artifacts ?? []).filter((a) => a.role === 'dataset' || (a.role === 'model' && !files.some((f) => under(f.path, a.name))));
    return [...listed, ...kept];
  }

  /** A metric's full history (`metrics/get-history`), following `page_token`. */
  async history(id: string, metric: string, signal?: AbortSignal): Promise<Series> {
    const what = `The history of metric ${JSON.stringify(metric)} of run ${JSON.stringify(id)}`;
    const points: { step: number; timestamp?: number; value: number; i: number }[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const params: Record<string, string> = { run_id: id, metric_key: metric, max_results: String(HISTORY_PAGE_SIZE) };
      if (token) params.page_token = token;
      const answer = await this.#call('metrics/get-history', { params, signal, what });
      const list = isObject(answer) && Array.isArray(answer.metrics) ? answer.metrics : [];
      for (const p of list) {
        if (!isObject(p)) continue;
        const value = toMetricNumber(typeof p.value === 'string' && NUMERIC.test(p.value) ? Number(p.value) : p.value);
        if (value === undefined) continue;
        const step = Number(p.step ?? 0);
        const timestamp = p.timestamp === undefined ? undefined : Number(p.timestamp);
        points.push({ step: Number.isFinite(step) ? step : 0, ...(timestamp !== undefined && Number.isFinite(timestamp) ? { timestamp } : {}), value, i: points.length });
      }
      const next = isObject(answer) && nonEmpty(answer.next_page_token) ? answer.next_page_token : undefined;
      if (!next || seen.has(next)) break;
      seen.add(next);
      token = next;
    }
    if (points.length === 0) {
      const where = this.#url('metrics/get-history', { run_id: id, metric_key: metric }).href;
      throw new SourceError('not-found', `Run ${JSON.stringify(id)} has no values of metric ${JSON.stringify(metric)} (${where}).`, { location: where });
    }
    points.sort((a, b) => a.step - b.step || (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.i - b.i);
    const series: Series = { steps: points.map((p) => p.step), values: points.map((p) => p.value) };
    if (points.every((p) => p.timestamp !== undefined)) series.timestamps = points.map((p) => new Date(p.timestamp as number).toISOString());
    return series;
  }

  /**
   * An artifact's download: its own http(s) address, else the tracking server's `get-artifact`
   * download (a URL the browser fetches itself, or the file as a Blob when custom headers are needed).
   */
  async artifact(id: string, artifact: Artifact, signal?: AbortSignal): Promise<Blob | URL> {
    if (artifact.uri && /^https?:/i.test(artifact.uri)) return new URL(artifact.uri);
    const url = new URL('get-artifact', this.#root);
    url.searchParams.set('path', artifact.name.replace(/\/$/, ''));
    url.searchParams.set('run_uuid', id);
    if (!this.#init.headers) return url;
    const what = `The artifact ${JSON.stringify(artifact.name)}`;
    const own = signal ?? new AbortController().signal;
    let response: Response;
    try {
      response = await this.#fetch(url.href, { headers: await this.#headers(false), credentials: this.#init.credentials ?? 'same-origin', signal: own });
    } catch (err) {
      if (own.aborted) throw new SourceError('aborted', `${what}: the download was cancelled.`, { location: url.href, cause: err });
      throw new SourceError('network', `Could not reach the MLflow server at ${this.#root.href} (${(err as Error)?.message ?? String(err)}).`, { location: url.href, cause: err });
    }
    if (!response.ok) throw this.#httpError(response.status, url, what, await errorDetail(response));
    return response.blob();
  }

  /**
   * Deletes runs (`runs/delete`, MLflow's soft delete: they can be restored from the MLflow UI).
   * Resolves once every one is deleted; otherwise rejects with an {@link MlflowDeleteError}
   * naming which were deleted and which failed, and why.
   */
  async delete(ids: string[], signal?: AbortSignal): Promise<void> {
    const deleted: string[] = [];
    const failed: { id: string; error: SourceError }[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        try {
          await this.#call('runs/delete', { method: 'POST', body: { run_id: id }, signal, what: `Deleting run ${JSON.stringify(id)}` });
          deleted.push(id);
        } catch (err) {
          failed.push({ id, error: err instanceof SourceError ? err : new SourceError('http', String(err), { cause: err }) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, ids.length) }, worker));
    if (failed.length === 0) return;
    const first = failed[0] as { id: string; error: SourceError };
    const kind: SourceErrorKind = failed.every((f) => f.error.kind === first.error.kind) ? first.error.kind : 'http';
    const list = failed.map((f) => `${JSON.stringify(f.id)} (${f.error.message})`).join('; ');
    const done = deleted.length > 0 ? `${deleted.length} of ${ids.length} runs were deleted; ` : '';
    throw new MlflowDeleteError(kind, `${done}${failed.length === 1 ? 'this run was' : `these ${failed.length} runs were`} not deleted: ${list}`, deleted, failed, this.#url('runs/delete').href);
  }
}
