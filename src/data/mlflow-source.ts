// One piece (~800 lines): every request goes through #call (signal, headers, CORS and HTTP errors
// in words), and the run list, paging, live polling and the dead-or-alive judgement share the
// experiment list and the caches of what was read. The query translation is mlflow-search.ts.
import { isObject } from '../shared/guards.js';
import { readErrorDetail } from '../shared/http-error.js';
import { importMlflowRun, importMlflowSearchResponse, judgeMlflowRun } from './importers/mlflow.js';
import { parseJsonText, toMetricNumber } from './parse.js';
import { toMlflowSearch, type MlflowSearch } from './mlflow-search.js';
import { applyQuery, prepareQuery } from './query.js';
import {
  DEFAULT_DEAD_AFTER_MS,
  SourceError,
  type Artifact,
  type Change,
  type ConnectionState,
  type Experiment,
  type ExperimentSource,
  type Page,
  type Problem,
  type Query,
  type Series,
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
  /**
   * A filter in MLflow's own search grammar (`params.model = 'bert' AND metrics.loss < 0.1`),
   * sent with every `runs/search` on top of the query's filters.
   */
  filter?: string;
  /**
   * When a query has parts MLflow cannot do (the search text, numeric comparisons of params,
   * negations, sorting by a param), they run in the browser over at most this many of the runs
   * MLflow sends; the page says so (`partial`). Default 10000. A query without `page` reads all.
   */
  localScanLimit?: number;
  /**
   * A `RUNNING` run silent for longer than this is shown as `dead`. Default: five times the
   * median gap between the run's own latest metric points, at least 2 minutes.
   */
  deadAfterMs?: number;
  /** How often `subscribe()` asks for the running runs, in ms. Default 15000. */
  pollIntervalMs?: number;
}

export { toMlflowSearch, type MlflowSearch } from './mlflow-search.js';

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

const MAX_PAGE_SIZE = 50_000;
const DEFAULT_PAGE_SIZE = 1000;
/** A filter MLflow cannot do whole is finished in the browser over at most this many runs, by default. */
const DEFAULT_LOCAL_SCAN_LIMIT = 10_000;
/** `metrics/get-history` refuses more than this per request. */
const HISTORY_PAGE_SIZE = 25_000;
const EXPERIMENTS_PAGE_SIZE = 1000;
/** Artifact folders are listed breadth-first up to this many requests per run. */
const MAX_ARTIFACT_LISTINGS = 25;
const DELETE_CONCURRENCY = 4;
/** Running runs whose logging rhythm is read (one history request each) per load. */
const MAX_RHYTHM_READS = 20;
/** How many recent gaps between a run's metric points its rhythm is the median of. */
const RHYTHM_POINTS = 20;
/** A running run is dead after this many of its own logging gaps without a sign of life. */
const RHYTHM_FACTOR = 5;
const DEFAULT_POLL_MS = 15_000;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

// ---- The source ----

interface CallOptions {
  method?: 'GET' | 'POST';
  params?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** What is being asked for, for messages: "The run list", `Run "x"`. */
  what: string;
}


interface ArtifactFile {
  path: string;
  isDir: boolean;
  size?: number;
}

interface SearchPage {
  experiments: Experiment[];
  problems: Problem[];
  /** Runs in MLflow's answer, deleted ones included (offsets count them). */
  count: number;
  next?: string;
}

/** A read of the runs MLflow narrowed a query to, kept while only the page changes. */
interface NarrowedRead {
  key: string;
  experiments: Experiment[];
  problems: Problem[];
  /** True when MLflow had more runs than the read took. */
  cut: boolean;
  /** The page last shown from it. */
  index: number;
}

/**
 * Reads runs from an MLflow tracking server (`serverQuery`). A query MLflow's search grammar can
 * express whole goes to `runs/search` as its `filter` and `order_by`, and a `page` of it is one
 * `runs/search` page (`page_token`), so a filtered view of 50,000 runs reads only what it shows.
 * The parts MLflow cannot do run in the browser over what it sends (at most `localScanLimit`
 * runs), and the page names them (`localFilters`, `partial`). MLflow does not count matches: a
 * page's `total` is exact on the last page and a lower bound before (`totalIsLowerBound`).
 * Every request carries an AbortSignal.
 */
export class MlflowSource implements ExperimentSource {
  readonly capabilities: SourceCapabilities = { delete: true, live: true, serverQuery: true, history: true, restore: true };
  readonly label: string;
  readonly restoreNote = 'MLflow keeps deleted runs: Undo brings them back.';
  readonly #root: URL;
  readonly #api: URL;
  readonly #init: MlflowSourceInit;
  readonly #fetch: typeof fetch;
  /** Experiment names by id, from the last `experiments/search`. */
  #experimentNames = new Map<string, string>();
  /** `page_token`s of server-paged queries: by query, the token of each page index. */
  #tokens = new Map<string, (string | undefined)[]>();
  #narrowed: NarrowedRead | undefined;
  /** The experiments of the last load, whose running runs `subscribe()` polls. */
  #polled: string[] | undefined;
  /** The runs last seen running, by id, with what they looked like: what a poll compares with. */
  #running: Map<string, string> | undefined;
  /** A running run's dead-after limit from its own logging rhythm, by run id. */
  #rhythms = new Map<string, number | undefined>();

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

  /** The page's origin when the server is on another one (only then can CORS be the cause). */
  #otherOrigin(): string | undefined {
    const here = globalThis.location?.origin;
    return here && here !== 'null' && here !== this.#root.origin ? here : undefined;
  }

  #httpError(status: number, url: URL, what: string, detail: string | undefined): SourceError {
    const opts = { location: url.href, status };
    const said = detail ? ` The server said: ${detail}` : '';
    if (status === 403 && detail !== undefined && /cross-origin request blocked/i.test(detail)) {
      // MLflow 3.5+ answers requests from origins it was not told to allow with this text.
      const origin = this.#otherOrigin() ?? "this page's origin";
      return new SourceError(
        'blocked',
        `The MLflow server at ${this.#root.href} blocked ${what.toLowerCase()} because it comes from another origin (${origin}): HTTP 403 "${detail}". MLflow 3.5 and newer allow only their own host by default. Start it with --cors-allowed-origins ${origin} (several origins separated by commas), or serve this page and MLflow from the same origin through a reverse proxy.`,
        opts,
      );
    }
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

  /** A request that got no answer at all: from another origin that is most likely CORS. */
  #networkError(url: URL, err: unknown): SourceError {
    const why = (err as Error)?.message ?? String(err);
    const origin = this.#otherOrigin();
    if (origin) {
      return new SourceError(
        'network',
        `The browser got no answer it may read from the MLflow server at ${this.#root.href} (${why}). This page is on another origin (${origin}), so the likely cause is that the server does not allow it (CORS): MLflow 3.4 and older send no CORS headers at all, so serve this page and MLflow from the same origin (a reverse proxy in front of both); MLflow 3.5 and newer need --cors-allowed-origins ${origin}. If that is not it, check the address and that the server is running.`,
        { location: url.href, cause: err },
      );
    }
    return new SourceError('network', `Could not reach the MLflow server at ${this.#root.href} (${why}). Check the address and that the server is running.`, { location: url.href, cause: err });
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
      if (!response.ok) throw this.#httpError(response.status, url, what, await readErrorDetail(response));
      text = await response.text();
    } catch (err) {
      if (err instanceof SourceError) throw err;
      if (signal.aborted) throw new SourceError('aborted', `${what}: the request to ${url.href} was cancelled.`, { location: url.href, cause: err });
      throw this.#networkError(url, err);
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
    let names: Map<string, string> | undefined;
    try {
      names = await this.#listExperiments(signal);
    } catch (err) {
      // The names only label the groups: a server that will not list experiments still serves runs.
      if (wanted.length > 0 || ids.length === 0 || (err instanceof SourceError && err.kind === 'aborted')) throw err;
    }
    if (!names) return ids;
    const listed = names;
    const unknownIds = ids.filter((id) => !listed.has(id));
    if (unknownIds.length > 0) {
      // runs/search answers an unknown id with no runs, which would look like an empty experiment.
      const list = unknownIds.map((id) => JSON.stringify(id)).join(', ');
      const known = [...listed].slice(0, 10).map(([id, name]) => `${id} (${JSON.stringify(name)})`).join(', ');
      throw new SourceError(
        'not-found',
        `The MLflow server at ${this.#root.href} has no active experiment with id ${list}. ${known ? `Its experiments are: ${known}${listed.size > 10 ? ', …' : ''}.` : 'It has no active experiments.'} An experiment's id is in the address of its page in the MLflow UI.`,
        { location: this.#url('experiments/search').href },
      );
    }
    if (wanted.length === 0) return ids.length > 0 ? ids : [...listed.keys()];
    const byName = new Map([...listed].map(([id, name]) => [name, id]));
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

  #pageSize(): number {
    return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(this.#init.pageSize ?? DEFAULT_PAGE_SIZE)));
  }

  #filterOf(search: MlflowSearch): string {
    return [this.#init.filter?.trim(), search.filter].filter((f): f is string => Boolean(f)).join(' AND ');
  }

  /** One `runs/search` page, converted; deleted runs are hidden without being called a problem. */
  async #searchPage(experimentIds: string[], search: MlflowSearch, size: number, token: string | undefined, offset: number, signal: AbortSignal | undefined): Promise<SearchPage> {
    const body: Record<string, unknown> = { experiment_ids: experimentIds, run_view_type: 'ACTIVE_ONLY', max_results: size };
    const filter = this.#filterOf(search);
    if (filter) body.filter = filter;
    if (search.orderBy.length > 0) body.order_by = search.orderBy;
    if (token) body.page_token = token;
    const answer = await this.#call('runs/search', { method: 'POST', body, signal, what: 'The run list' });
    if (!isObject(answer) || (answer.runs !== undefined && !Array.isArray(answer.runs))) {
      const where = this.#url('runs/search').href;
      throw new SourceError('parse', `${where} did not answer with runs: expected {"runs": [...], "next_page_token": ...}. Check that the address is the MLflow tracking server.`, { location: where });
    }
    const count = Array.isArray(answer.runs) ? answer.runs.length : 0;
    // No `now`: each running run is judged below against its own rhythm.
    const result = importMlflowSearchResponse(answer);
    const problems: Problem[] = [];
    for (const p of result.problems) {
      // A deleted run is hidden on purpose, as MLflow hides it: nothing for the user to fix.
      if (p.severity === 'warning' && p.path.endsWith('.info.lifecycle_stage')) continue;
      problems.push(p.index === undefined ? p : { ...p, index: p.index + offset, path: p.path.replace(/^\$\.runs\[(\d+)\]/, (_m, i: string) => `$.runs[${Number(i) + offset}]`) });
    }
    const experiments = await this.#judge(
      result.experiments.map((e) => this.#finish(e)),
      signal,
    );
    this.#running ??= new Map();
    for (const e of experiments) {
      if (e.status === 'running' || e.status === 'dead') this.#running.set(e.id, liveSignature(e));
      else this.#running.delete(e.id);
    }
    const out: SearchPage = { experiments, problems, count };
    if (result.nextPageToken) out.next = result.nextPageToken;
    return out;
  }

  /**
   * The runs matching the query. Without `query.page`: every one. With it: when MLflow can do
   * the whole query, that page of MLflow's answer; otherwise the query run in the browser over
   * the runs MLflow narrowed it to, at most `localScanLimit` of them.
   */
  async load(query: Query = {}, signal?: AbortSignal, onPartial?: (first: Experiment[]) => void): Promise<Page> {
    const experimentIds = await this.#experimentIds(signal);
    this.#polled = experimentIds;
    if (experimentIds.length === 0) return { experiments: [], total: 0 };
    const search = toMlflowSearch(query);
    const page = query.page;
    if (page && search.local.length === 0) return this.#serverPage(experimentIds, search, page, query, signal);
    const limit = page ? Math.max(1, this.#init.localScanLimit ?? DEFAULT_LOCAL_SCAN_LIMIT) : Infinity;
    // Early rows are shown as they come only when they need no more filtering or sorting.
    const read = await this.#readNarrowed(experimentIds, search, limit, page?.index ?? 0, signal, page || search.local.length > 0 ? undefined : onPartial);
    await prepareQuery(query);
    const matched = applyQuery(read.experiments, query);
    const out: Page = { experiments: matched.experiments, total: matched.total };
    if (matched.nextToken) out.nextToken = matched.nextToken;
    if (read.problems.length > 0) out.problems = read.problems;
    if (search.local.length > 0) out.localFilters = search.local;
    if (read.cut) {
      out.partial = true;
      out.scanned = read.experiments.length;
    }
    return out;
  }

  /**
   * Every run MLflow narrows the query to, up to `limit`. A limited read is kept while only the
   * page changes; asking for the same page again reads afresh (a reload).
   */
  async #readNarrowed(experimentIds: string[], search: MlflowSearch, limit: number, index: number, signal: AbortSignal | undefined, onPartial?: (first: Experiment[]) => void): Promise<NarrowedRead> {
    const key = JSON.stringify([experimentIds, this.#filterOf(search), search.orderBy, limit]);
    const kept = this.#narrowed;
    if (kept?.key === key && kept.index !== index && Number.isFinite(limit)) {
      kept.index = index;
      return kept;
    }
    const experiments: Experiment[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    let offset = 0;
    let token: string | undefined;
    let cut = false;
    for (;;) {
      const size = Math.min(this.#pageSize(), Number.isFinite(limit) ? Math.max(1, limit - offset) : MAX_PAGE_SIZE);
      const got = await this.#searchPage(experimentIds, search, size, token, offset, signal);
      experiments.push(...got.experiments);
      problems.push(...got.problems);
      offset += got.count;
      if (!got.next) break;
      if (offset >= limit) {
        cut = true;
        break;
      }
      if (seen.has(got.next)) {
        const where = this.#url('runs/search').href;
        throw new SourceError('parse', `${where} sent the same page_token twice (${JSON.stringify(got.next)}); reading would never end. The server's paging is broken.`, { location: where });
      }
      if (experiments.length > 0) onPartial?.(experiments.slice());
      seen.add(got.next);
      token = got.next;
    }
    const read: NarrowedRead = { key, experiments, problems, cut, index };
    if (Number.isFinite(limit)) this.#narrowed = read;
    return read;
  }

  /** One page of a query MLflow does whole: page `index` is reached through the `page_token`s of the pages before it. */
  async #serverPage(experimentIds: string[], search: MlflowSearch, page: NonNullable<Query['page']>, query: Query, signal: AbortSignal | undefined): Promise<Page> {
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(page.size)));
    const key = JSON.stringify([experimentIds, this.#filterOf(search), search.orderBy, size]);
    const tokens = this.#tokens.get(key) ?? [undefined];
    this.#tokens.set(key, tokens);
    let index = Math.max(0, Math.floor(page.index ?? 0));
    let token: string | undefined;
    if (page.token !== undefined) {
      // Our own nextToken: `<index>:<MLflow's page_token>`.
      const m = /^(\d+):(.+)$/s.exec(page.token);
      if (!m) throw new SourceError('parse', `The page token ${JSON.stringify(page.token)} was not made by this source; start again from the first page.`);
      index = Number(m[1]);
      token = m[2];
    } else {
      let known = Math.min(index, tokens.length - 1);
      while (known > 0 && tokens[known] === undefined) known--;
      token = tokens[known];
      // The pages before the one asked for are walked once; their tokens are kept for next time.
      for (let i = known; i < index; i++) {
        const skipped = await this.#searchPage(experimentIds, search, size, token, i * size, signal);
        if (!skipped.next) return { experiments: [], total: i * size + skipped.count };
        token = skipped.next;
        tokens[i + 1] = token;
      }
    }
    const got = await this.#searchPage(experimentIds, search, size, token, index * size, signal);
    if (got.next) tokens[index + 1] = got.next;
    // The filters were MLflow's and are checked again only as a guard; the order is MLflow's.
    const experiments = query.filters?.length ? applyQuery(got.experiments, { filters: query.filters }).experiments : got.experiments;
    const out: Page = { experiments, total: index * size + got.count };
    if (got.next) {
      out.nextToken = `${index + 1}:${got.next}`;
      // MLflow does not count: at least one more run follows.
      out.total = index * size + got.count + 1;
      out.totalIsLowerBound = true;
    }
    if (got.problems.length > 0) out.problems = got.problems;
    return out;
  }

  /**
   * Running runs judged alive or dead. Without `deadAfterMs` each is measured against its own
   * rhythm: the history of the metric it logged last (one request, kept per run) tells how
   * often it logs.
   */
  async #judge(experiments: Experiment[], signal: AbortSignal | undefined): Promise<Experiment[]> {
    const now = Date.now();
    let reads = 0;
    const out: Experiment[] = [];
    for (const e of experiments) {
      if (e.status !== 'running') {
        out.push(e);
        continue;
      }
      let limit = this.#init.deadAfterMs ?? this.#rhythms.get(e.id);
      let why: string | undefined;
      if (limit === undefined && !this.#rhythms.has(e.id) && reads < MAX_RHYTHM_READS) {
        reads++;
        limit = await this.#rhythm(e, signal);
        this.#rhythms.set(e.id, limit);
      }
      if (this.#init.deadAfterMs === undefined && limit !== undefined && limit > DEFAULT_DEAD_AFTER_MS) why = `${RHYTHM_FACTOR}× the run's usual gap between metric points`;
      out.push(judgeMlflowRun(e, now, limit ?? DEFAULT_DEAD_AFTER_MS, why));
    }
    return out;
  }

  async #rhythm(e: Experiment, signal: AbortSignal | undefined): Promise<number | undefined> {
    // The metric logged last is the one still being logged.
    let latest: string | undefined;
    let latestStep = -Infinity;
    for (const [key, m] of Object.entries(e.metrics ?? {})) {
      if ((m.lastStep ?? 0) >= latestStep) {
        latest = key;
        latestStep = m.lastStep ?? 0;
      }
    }
    if (latest === undefined) return undefined;
    try {
      const series = await this.history(e.id, latest, signal);
      return deadAfterFromRhythm((series.timestamps ?? []).map((t) => Date.parse(t)));
    } catch (err) {
      if (err instanceof SourceError && err.kind === 'aborted') throw err;
      // Without a history the default limit holds.
      return undefined;
    }
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
    const result = importMlflowRun(answer);
    if (result.hidden) throw new SourceError('not-found', `Run ${JSON.stringify(id)} is deleted in MLflow (${where}).`, { location: where });
    if (!result.experiment) {
      const why = result.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new SourceError('schema', `${where} did not answer with a usable MLflow run: ${why}.`, { location: where });
    }
    const [e] = (await this.#judge([this.#finish(result.experiment)], signal)) as [Experiment];
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
      throw this.#networkError(url, err);
    }
    if (!response.ok) throw this.#httpError(response.status, url, what, await readErrorDetail(response));
    return response.blob();
  }

  /** Runs through `runs/<action>` a few at a time; which succeeded and which failed, and why. */
  async #eachRun(ids: string[], action: 'delete' | 'restore', signal: AbortSignal | undefined): Promise<{ done: string[]; failed: { id: string; error: SourceError }[] }> {
    const done: string[] = [];
    const failed: { id: string; error: SourceError }[] = [];
    let next = 0;
    const verb = action === 'delete' ? 'Deleting' : 'Restoring';
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        try {
          await this.#call(`runs/${action}`, { method: 'POST', body: { run_id: id }, signal, what: `${verb} run ${JSON.stringify(id)}` });
          done.push(id);
        } catch (err) {
          failed.push({ id, error: err instanceof SourceError ? err : new SourceError('http', String(err), { cause: err }) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, ids.length) }, worker));
    // What was read before no longer holds.
    this.#narrowed = undefined;
    this.#tokens.clear();
    return { done, failed };
  }

  #batchError(action: 'delete' | 'restore', ids: string[], done: string[], failed: { id: string; error: SourceError }[]): MlflowDeleteError {
    const first = failed[0] as { id: string; error: SourceError };
    const kind: SourceErrorKind = failed.every((f) => f.error.kind === first.error.kind) ? first.error.kind : 'http';
    const list = failed.map((f) => `${JSON.stringify(f.id)} (${f.error.message})`).join('; ');
    const past = action === 'delete' ? 'deleted' : 'restored';
    const doneText = done.length > 0 ? `${done.length} of ${ids.length} runs were ${past}; ` : '';
    return new MlflowDeleteError(kind, `${doneText}${failed.length === 1 ? 'this run was' : `these ${failed.length} runs were`} not ${past}: ${list}`, done, failed, this.#url(`runs/${action}`).href);
  }

  /**
   * Deletes runs (`runs/delete`, MLflow's soft delete: `restore()` brings them back, as does the
   * MLflow UI). Resolves once every one is deleted; otherwise rejects with an
   * {@link MlflowDeleteError} naming which were deleted and which failed, and why.
   */
  async delete(ids: string[], signal?: AbortSignal): Promise<void> {
    const { done, failed } = await this.#eachRun(ids, 'delete', signal);
    if (failed.length > 0) throw this.#batchError('delete', ids, done, failed);
  }

  /**
   * Brings deleted runs back (`runs/restore`). Resolves once every one is restored; otherwise
   * rejects with an {@link MlflowDeleteError} whose `deleted` lists the runs that were restored.
   */
  async restore(ids: string[], signal?: AbortSignal): Promise<void> {
    const { done, failed } = await this.#eachRun(ids, 'restore', signal);
    if (failed.length > 0) throw this.#batchError('restore', ids, done, failed);
  }

  /**
   * Live updates: every `pollIntervalMs` (default 15 s) asks MLflow for the running runs of the
   * experiments last loaded (`runs/search` with `attributes.status = 'RUNNING'`) and reports
   * those that changed, and the runs that stopped running (read with `runs/get`), as `upsert`
   * changes; a run deleted meanwhile as a `delete`. Returns the function that stops it.
   */
  subscribe(onChange: (change: Change) => void, onConnection?: (state: ConnectionState) => void): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let abort: AbortController | undefined;
    const interval = Math.max(10, this.#init.pollIntervalMs ?? DEFAULT_POLL_MS);
    // Subscribed right after a load: what it read is current.
    let lastUpdated = Date.now();
    onConnection?.({ status: 'online', transport: 'poll', lastUpdated });
    const poll = async (): Promise<void> => {
      abort = new AbortController();
      try {
        const { upserts, deleted } = await this.#pollRunning(abort.signal);
        if (stopped) return;
        lastUpdated = Date.now();
        onConnection?.({ status: 'online', transport: 'poll', lastUpdated });
        if (upserts.length > 0 || deleted.length > 0) {
          // What was read before no longer holds.
          this.#narrowed = undefined;
          this.#tokens.clear();
        }
        if (upserts.length > 0) onChange({ type: 'upsert', experiments: upserts });
        if (deleted.length > 0) onChange({ type: 'delete', ids: deleted });
      } catch (err) {
        // A failed poll (server restarting, network gone) is tried again at the next interval.
        if (!stopped) onConnection?.({ status: 'offline', transport: 'poll', lastUpdated, reason: err instanceof Error ? err.message : String(err), retryAt: Date.now() + interval });
      }
      if (!stopped) timer = setTimeout(() => void poll(), interval);
    };
    timer = setTimeout(() => void poll(), interval);
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
    };
  }

  /** The running runs that changed since last seen (and those that stopped running), or were deleted. */
  async #pollRunning(signal: AbortSignal): Promise<{ upserts: Experiment[]; deleted: string[] }> {
    const experimentIds = this.#polled ?? (await this.#experimentIds(signal));
    const upserts: Experiment[] = [];
    const deleted: string[] = [];
    if (experimentIds.length === 0) return { upserts, deleted };
    // Without a load before, the first poll only learns what runs.
    const before = this.#running === undefined ? undefined : new Map(this.#running);
    // `run.status`, the form of the status clause the recorded MLflow servers were asked.
    const search: MlflowSearch = { filter: "run.status = 'RUNNING'", orderBy: [], local: [] };
    const now = new Set<string>();
    const seen = new Set<string>();
    let token: string | undefined;
    for (;;) {
      const got = await this.#searchPage(experimentIds, search, this.#pageSize(), token, 0, signal);
      for (const e of got.experiments) {
        now.add(e.id);
        if (before !== undefined && before.get(e.id) !== liveSignature(e)) upserts.push(e);
      }
      if (!got.next || seen.has(got.next)) break;
      seen.add(got.next);
      token = got.next;
    }
    for (const id of before?.keys() ?? []) {
      if (now.has(id)) continue;
      // It stopped running (or was deleted): read how it ended.
      try {
        upserts.push(await this.get(id, signal));
        this.#running?.delete(id);
      } catch (err) {
        if (err instanceof SourceError && err.kind === 'not-found') {
          deleted.push(id);
          this.#running?.delete(id);
        } else throw err;
      }
    }
    return { upserts, deleted };
  }
}

/** What a poll compares to tell whether a running run changed. */
const liveSignature = (e: Experiment): string => JSON.stringify([e.status, e.times, e.metrics, e.params, e.labels, e.tags, e.name]);

/**
 * How long a running run may stay silent, from the times of its latest metric points (epoch
 * ms): five times the median gap between them, at least 2 minutes; undefined with fewer than
 * two points.
 */
export function deadAfterFromRhythm(timestamps: number[]): number | undefined {
  const times = [...new Set(timestamps.filter((t) => Number.isFinite(t)))].sort((a, b) => a - b).slice(-(RHYTHM_POINTS + 1));
  if (times.length < 2) return undefined;
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number)).sort((a, b) => a - b);
  const mid = gaps.length / 2;
  const median = gaps.length % 2 === 1 ? (gaps[Math.floor(mid)] as number) : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
  return Math.max(DEFAULT_DEAD_AFTER_MS, RHYTHM_FACTOR * median);
}
