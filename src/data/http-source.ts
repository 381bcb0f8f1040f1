// The HTTP adapter: one class, because requests, record validation and the live feed share its
// state (capabilities, the change position, the retry policy, the token).
import { isObject } from '../shared/guards.js';
import { readErrorDetail } from '../shared/http-error.js';
import { formatProblem, parseCollection, parseExperiment, parseJsonText, type ParseResult } from './parse.js';
import { queryToSearchParams } from './query.js';
import {
  SourceError,
  type Artifact,
  type Change,
  type ConnectionState,
  type CollectionDefaults,
  type Experiment,
  type ExperimentSource,
  type Page,
  type Problem,
  type Query,
  type Series,
  type SourceCapabilities,
} from './types.js';

/**
 * The dashboard's client of the REST contract in `openapi/experiment-dashboard.openapi.yaml`
 * (reference backend: `server/reference-server.mjs`).
 */
export interface HttpSourceInit {
  /** The API root, e.g. `https://ml.example.com/api/` (relative URLs resolve against the page). */
  baseUrl: string | URL;
  /**
   * The server's access token for changes (`serve --token`): sent as `Authorization: Bearer …`
   * with deletes and restores only, so reads and live updates (EventSource) need nothing. Keep
   * it out of the page's markup: set it from script. A function is asked before every change.
   */
  token?: string | (() => string | Promise<string>);
  /** Extra request headers (e.g. `Authorization`), or a function returning them per request (token refresh). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** `include` sends cookies to another origin (the server must allow it). Default `same-origin`. */
  credentials?: RequestCredentials;
  /** A replacement for `fetch` (tests, auth wrappers). */
  fetch?: typeof fetch;
  /** Time limit per request attempt, in ms. Default 30000. */
  timeoutMs?: number;
  /**
   * `server`: the backend filters, sorts and pages (`load()` returns one page).
   * `client`: `load()` fetches every page; the table filters. `auto` (default): ask `/capabilities`.
   */
  mode?: 'auto' | 'client' | 'server';
  /** Retries of a GET after a network error or HTTP 502/503/504. Default 3. Never for POST. */
  retries?: number;
  /** First retry delay in ms, doubled each time (with jitter). Default 300. */
  retryDelayMs?: number;
  /** Records per request when loading everything (client mode). Default: the server's `maxPageSize` up to 5000, else 2000. */
  pageSize?: number;
  /**
   * Live updates: `sse` (EventSource on `/changes`; polling when it keeps failing, and the stream
   * again after six answered polls), `poll`, or
   * `auto` (default: SSE unless custom `headers` are set, which EventSource cannot send).
   */
  live?: 'auto' | 'sse' | 'poll';
  /** Polling interval in ms. Default 5000. */
  pollIntervalMs?: number;
  /** EventSource implementation (tests); default the browser's. */
  EventSource?: typeof EventSource;
  /** How the source is named in messages; default the base URL. */
  label?: string;
}

/** Defined with the contract (`types.ts`); exported here too for code that imported it from here. */
export type { ConnectionState };

/** After this many EventSource failures in a row, live updates switch to polling. */
const SSE_FAILURES_BEFORE_POLLING = 3;
/** The longest wait between two reconnection attempts. */
const MAX_RECONNECT_MS = 30_000;
/** While polling because the stream failed, the stream is tried again after this many answered polls (30 s at the default interval). */
const SSE_RETRY_AFTER_POLLS = 6;
const RETRY_STATUSES = new Set([502, 503, 504]);
const DEFAULT_PAGE_SIZE = 100;

interface RequestOptions {
  method?: 'GET' | 'POST';
  /** Error statuses whose body the caller reads itself (e.g. 410 of `/changes`). */
  okStatuses?: readonly number[];
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** What is being fetched, for messages: "The experiment list", `Experiment "x"`. */
  what: string;
}

interface TimedSignal {
  signal: AbortSignal;
  timedOut: () => boolean;
  done: () => void;
}

/** The caller's signal combined with a per-attempt time limit. */
function withTimeout(outer: AbortSignal | undefined, ms: number): TimedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    ms > 0 && Number.isFinite(ms)
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError'));
        }, ms)
      : undefined;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After in ms (seconds or an HTTP date), capped; undefined when absent. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 30_000) : undefined;
}

/** Shifts problem positions of one page so they count from the start of the whole list. */
function shiftProblems(problems: Problem[], offset: number): Problem[] {
  if (offset === 0) return problems;
  return problems.map((p) =>
    p.index === undefined ? p : { ...p, index: p.index + offset, path: p.path.replace(/^\$\.experiments\[(\d+)\]/, (_m, i: string) => `$.experiments[${Number(i) + offset}]`) },
  );
}

/**
 * An experiment source backed by an HTTP API. Every request carries an `AbortSignal` (the
 * caller's, combined with `timeoutMs`); GETs are retried with exponential backoff on network
 * errors and 502/503/504, POSTs never. Every record from the server is validated with
 * `parseCollection`: valid ones are returned, the others named in `problems`.
 *
 * In `auto` mode `capabilities` is a guess until `ready()` (or the first `load()`) has asked
 * `/capabilities`; await `ready()` before deciding how to query.
 *
 * @fires connectionchange - the live connection's state (`connection`) changed: online, offline, how.
 */
export class HttpSource extends EventTarget implements ExperimentSource {
  readonly label: string;
  readonly #base: URL;
  readonly #init: HttpSourceInit;
  readonly #fetch: typeof fetch;
  #capabilities: SourceCapabilities;
  /** The largest page the server accepts (its `/capabilities` `maxPageSize`), if it said. */
  #maxPageSize: number | undefined;
  #ready: Promise<SourceCapabilities> | undefined;
  #defaults: CollectionDefaults | undefined;
  #generatedAt: string | undefined;
  /** The last change position seen (from a list answer or the change feed): the server's run, and a number in it. */
  #epoch: string | undefined;
  #seq: number | undefined;
  #connection: ConnectionState = { status: 'connecting', transport: 'sse' };
  readonly #listeners = new Set<(change: Change) => void>();
  #stopFeed: (() => void) | undefined;

  constructor(init: HttpSourceInit) {
    super();
    const raw = String(init.baseUrl);
    let base: URL;
    try {
      base = new URL(raw, globalThis.location?.href);
    } catch (err) {
      throw new TypeError(`The experiment API address ${JSON.stringify(raw)} is not a valid URL: give a full address such as https://ml.example.com/api/.`, { cause: err });
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.#base = base;
    this.#init = init;
    this.label = init.label ?? base.href;
    this.#fetch = init.fetch ?? globalThis.fetch.bind(globalThis);
    this.#capabilities = { delete: false, restore: false, live: true, serverQuery: init.mode === 'server', history: true };
  }

  get capabilities(): SourceCapabilities {
    return this.#capabilities;
  }

  /** The live connection's state (meaningful while subscribed); `connectionchange` tells when it changes. */
  get connection(): ConnectionState {
    return this.#connection;
  }

  #setConnection(next: ConnectionState): void {
    const was = this.#connection;
    this.#connection = next;
    if (was.status !== next.status || was.transport !== next.transport || was.reason !== next.reason || was.retryAt !== next.retryAt) {
      this.dispatchEvent(new Event('connectionchange'));
    }
  }

  /** Takes a change position; one from another run of the server replaces ours instead of being compared. */
  #setPosition(epoch: unknown, seq: unknown): void {
    if (typeof seq !== 'number' || !Number.isFinite(seq)) return;
    if (typeof epoch === 'string' && epoch !== this.#epoch) {
      this.#epoch = epoch;
      this.#seq = seq;
    } else this.#seq = Math.max(this.#seq ?? 0, seq);
  }

  /** The position to resume from, as `since`: `epoch:seq` (or the bare number from a server without epochs). */
  #since(): string | undefined {
    if (this.#seq === undefined) return undefined;
    return this.#epoch === undefined ? String(this.#seq) : `${this.#epoch}:${this.#seq}`;
  }

  /**
   * Asks `/capabilities` once; a backend without it is a plain list (client mode, read-only).
   * The one request serves every caller and is tied to none of their signals: a load the element
   * cancels (the view changed) must not cancel the answer the next load is waiting for.
   */
  ready(signal?: AbortSignal): Promise<SourceCapabilities> {
    this.#ready ??= this.#probe().catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    if (!signal) return this.#ready;
    const what = 'The list of what the server can do';
    const url = this.#url('capabilities');
    if (signal.aborted) return Promise.reject(this.#aborted(what, url, signal.reason));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(this.#aborted(what, url, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#ready!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #probe(): Promise<SourceCapabilities> {
    const mode = this.#init.mode ?? 'auto';
    let body: unknown;
    try {
      body = await this.#getJson('capabilities', { what: 'The list of what the server can do' });
    } catch (err) {
      if (!(err instanceof SourceError && err.kind === 'not-found')) throw err;
      body = {};
    }
    const caps = isObject(body) ? body : {};
    if (typeof caps.maxPageSize === 'number' && Number.isInteger(caps.maxPageSize) && caps.maxPageSize > 0) this.#maxPageSize = caps.maxPageSize;
    // A server that wants a token for changes is not offered changes without one: no button
    // that could only fail (custom headers may carry the credentials).
    const canAuthorize = caps.writeToken !== true || this.#init.token !== undefined || this.#init.headers !== undefined;
    this.#capabilities = {
      serverQuery: mode === 'auto' ? caps.serverQuery === true : mode === 'server',
      live: caps.live === true,
      delete: caps.delete === true && canAuthorize,
      restore: caps.restore === true && canAuthorize,
      history: caps.history !== false,
    };
    return this.#capabilities;
  }

  // ---- requests ----

  #url(path: string, params?: URLSearchParams): URL {
    const url = new URL(path, this.#base);
    if (params) for (const [k, v] of params) url.searchParams.append(k, v);
    return url;
  }

  async #headers(accept: string, hasBody: boolean, write: boolean): Promise<Headers> {
    const extra = typeof this.#init.headers === 'function' ? await this.#init.headers() : this.#init.headers;
    const headers = new Headers(extra);
    if (!headers.has('accept')) headers.set('accept', accept);
    if (hasBody) headers.set('content-type', 'application/json');
    if (write && this.#init.token !== undefined) {
      const token = typeof this.#init.token === 'function' ? await this.#init.token() : this.#init.token;
      if (token) headers.set('authorization', `Bearer ${token}`);
    }
    return headers;
  }

  #aborted(what: string, url: URL, cause: unknown): SourceError {
    return new SourceError('aborted', `${what}: the request to ${url.href} was cancelled.`, { location: url.href, cause });
  }

  #httpError(status: number, url: URL, what: string, detail: string | undefined, write: boolean): SourceError {
    const opts = { location: url.href, status };
    const said = detail ? ` The server said: ${detail}` : '';
    if (write && status === 401) {
      const has = this.#init.token !== undefined;
      return new SourceError(
        'not-allowed',
        `${what} was refused: ${url.origin} needs ${has ? 'a different' : 'an'} access token for changes (HTTP 401). ` +
          `Give the source the token the server was started with (new HttpSource({ baseUrl, token })); nothing was changed.${said}`,
        opts,
      );
    }
    if (write && status === 403) {
      return new SourceError(
        'not-allowed',
        `${what} was refused: ${url.origin} does not accept changes from this page (HTTP 403). ` +
          `Whoever runs the server must allow this page's origin (serve --cors-origin ${globalThis.location?.origin ?? 'ORIGIN'}) and set a token; nothing was changed.${said}`,
        opts,
      );
    }
    if (status === 401 || status === 403) {
      return new SourceError('not-allowed', `You are not allowed to see these experiments: sign in or ask for access (${url.origin} answered HTTP ${status}).${said}`, opts);
    }
    if (status === 404) return new SourceError('not-found', `${what} was not found at ${url.href} (HTTP 404).${said || ' Check the endpoint address.'}`, opts);
    if (status >= 500) {
      return new SourceError('http', `The server at ${url.origin} failed (HTTP ${status}) while answering for ${what.toLowerCase()}.${said} Try again later; if it keeps failing, tell whoever runs the server.`, opts);
    }
    return new SourceError('http', `The server at ${url.origin} refused the request for ${what.toLowerCase()} (HTTP ${status}).${said}`, opts);
  }

  /**
   * One request with timeout, abort and (GET only) retries; resolves with the body read by
   * `read`, so the time limit covers the whole answer, not just its headers.
   */
  async #request<T>(url: URL, options: RequestOptions, accept: string, read: (r: Response) => Promise<T>): Promise<{ body: T; response: Response }> {
    const method = options.method ?? 'GET';
    const idempotent = method === 'GET';
    const retries = idempotent ? Math.max(0, this.#init.retries ?? 3) : 0;
    const timeoutMs = this.#init.timeoutMs ?? 30_000;
    const { signal, what } = options;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw this.#aborted(what, url, signal.reason);
      const timed = withTimeout(signal, timeoutMs);
      let response: Response;
      let retryWait: number | undefined;
      try {
        const init: RequestInit = {
          method,
          headers: await this.#headers(accept, options.body !== undefined, !idempotent),
          credentials: this.#init.credentials ?? 'same-origin',
          signal: timed.signal,
        };
        if (options.body !== undefined) init.body = JSON.stringify(options.body);
        response = await this.#fetch(url.href, init);
        if (!(idempotent && RETRY_STATUSES.has(response.status) && attempt < retries)) {
          if (!response.ok && !options.okStatuses?.includes(response.status)) throw this.#httpError(response.status, url, what, await readErrorDetail(response), !idempotent);
          return { body: await read(response), response };
        }
        retryWait = retryAfterMs(response);
        await response.body?.cancel().catch(() => undefined);
      } catch (err) {
        if (err instanceof SourceError) throw err;
        if (signal?.aborted) throw this.#aborted(what, url, err);
        if (timed.timedOut()) {
          throw new SourceError('timeout', `${what}: ${url.origin} did not answer within ${Math.round(timeoutMs / 100) / 10} s. The server may be busy: try again, or narrow the search.`, {
            location: url.href,
            cause: err,
          });
        }
        if (!(idempotent && attempt < retries)) {
          throw new SourceError('network', `Could not reach ${url.origin} for ${what.toLowerCase()} (${(err as Error)?.message ?? err}). Check the address and your connection, then try again.`, {
            location: url.href,
            cause: err,
          });
        }
      } finally {
        timed.done();
      }
      const base = this.#init.retryDelayMs ?? 300;
      const backoff = Math.min(base * 2 ** attempt, 10_000) * (0.75 + Math.random() / 2);
      try {
        await sleep(retryWait ?? backoff, signal);
      } catch (err) {
        throw this.#aborted(what, url, err);
      }
    }
  }

  async #getJson(path: string, options: RequestOptions, params?: URLSearchParams): Promise<unknown> {
    const url = this.#url(path, params);
    const { body } = await this.#request(url, options, 'application/json', (r) => r.text());
    if (body.trim() === '') return undefined;
    try {
      return parseJsonText(body);
    } catch (err) {
      const page = body.trimStart().startsWith('<') ? ' It sent a web page: check that the address points to the experiment API.' : '';
      throw new SourceError('parse', `${options.what}: the answer of ${url.href} is not valid JSON (${(err as Error).message}).${page}`, { location: url.href, cause: err });
    }
  }

  // ---- records ----

  #parseList(body: unknown, where: string, offset: number): ParseResult & { total?: number; nextToken?: string } {
    if (!isObject(body) && !Array.isArray(body)) {
      throw new SourceError('schema', `${where} did not answer with experiments: expected {"experiments": [...], "total": n}, got ${body === undefined ? 'nothing' : typeof body}.`, { location: where });
    }
    let parsed: ParseResult;
    try {
      parsed = parseCollection(body, { origin: where });
    } catch (err) {
      throw new SourceError('schema', (err as Error).message, { location: where, cause: err });
    }
    const fatal = parsed.problems.find((p) => p.index === undefined && p.severity === 'error');
    if (fatal && parsed.experiments.length === 0) throw new SourceError('schema', `${where} did not answer with experiments: ${formatProblem(fatal)}.`, { location: where });
    const result: ParseResult & { total?: number; nextToken?: string } = { ...parsed, problems: shiftProblems(parsed.problems, offset) };
    if (isObject(body)) {
      if (typeof body.total === 'number') result.total = body.total;
      if (typeof body.nextToken === 'string' && body.nextToken !== '') result.nextToken = body.nextToken;
      this.#setPosition(body.changeEpoch, body.changeSeq);
    }
    if (Object.keys(parsed.defaults).length > 0) this.#defaults = parsed.defaults;
    if (parsed.generatedAt) this.#generatedAt = parsed.generatedAt;
    return result;
  }

  /** Validates records from outside a list (one record, change events) like the list's. */
  #parseRecords(records: unknown[], where: string): ParseResult {
    const collection: Record<string, unknown> = { experiments: records };
    if (this.#defaults) collection.defaults = this.#defaults;
    if (this.#generatedAt) collection.generatedAt = this.#generatedAt;
    return parseCollection(collection, { origin: where });
  }

  #page(parsed: ParseResult, extra: { total?: number; nextToken?: string }): Page {
    const page: Page = { experiments: parsed.experiments, total: extra.total ?? parsed.experiments.length };
    if (extra.nextToken) page.nextToken = extra.nextToken;
    if (parsed.problems.length > 0) page.problems = parsed.problems;
    if (Object.keys(parsed.defaults).length > 0) page.defaults = parsed.defaults;
    if (parsed.generatedAt) page.generatedAt = parsed.generatedAt;
    return page;
  }

  /**
   * Server-query mode: the one page the query asks for, with `total` and `nextToken`.
   * Client mode: every record (all pages), for the table to filter.
   */
  async load(query: Query = {}, signal?: AbortSignal, onPartial?: (first: Experiment[]) => void): Promise<Page> {
    const caps = await this.ready(signal);
    if (caps.serverQuery) {
      const q: Query = { ...query, page: query.page ?? { size: DEFAULT_PAGE_SIZE } };
      const where = this.#url('experiments').href;
      const body = await this.#getJson('experiments', { signal, what: 'The experiment list' }, queryToSearchParams(q));
      const parsed = this.#parseList(body, where, (q.page?.index ?? 0) * (q.page?.size ?? 0));
      return this.#page(parsed, parsed);
    }
    return this.#loadAll(signal, onPartial);
  }

  async #loadAll(signal: AbortSignal | undefined, onPartial?: (first: Experiment[]) => void): Promise<Page> {
    // Client mode reads every page: the fewer round trips the better, so pages are as large as
    // the server allows (the reference server: 5,000), capped at 5,000 so one page stays a short
    // task to parse; the first page is handed over early for a first screen of rows.
    const size = this.#init.pageSize ?? Math.min(this.#maxPageSize ?? 2000, 5000);
    const experiments: Experiment[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    let first: ParseResult | undefined;
    for (;;) {
      const params = queryToSearchParams({ page: token === undefined ? { size } : { size, token } });
      const where = this.#url('experiments').href;
      const body = await this.#getJson('experiments', { signal, what: 'The experiment list' }, params);
      const parsed = this.#parseList(body, where, experiments.length);
      for (const e of parsed.experiments) experiments.push(e);
      for (const p of parsed.problems) problems.push(p);
      if (!first) {
        first = parsed;
        if (parsed.nextToken && experiments.length > 0) onPartial?.(experiments.slice());
      }
      if (!parsed.nextToken) break;
      if (seen.has(parsed.nextToken)) {
        throw new SourceError('schema', `${where} sent the same nextToken twice (${JSON.stringify(parsed.nextToken)}); paging would never end. The server's paging is broken.`, { location: where });
      }
      seen.add(parsed.nextToken);
      token = parsed.nextToken;
    }
    const page: Page = { experiments, total: experiments.length };
    if (problems.length > 0) page.problems = problems;
    if (first && Object.keys(first.defaults).length > 0) page.defaults = first.defaults;
    if (first?.generatedAt) page.generatedAt = first.generatedAt;
    return page;
  }

  /** The full record (histories inline where the server has them). */
  async get(id: string, signal?: AbortSignal): Promise<Experiment> {
    const path = `experiments/${encodeURIComponent(id)}`;
    const what = `Experiment ${JSON.stringify(id)}`;
    const body = await this.#getJson(path, { signal, what });
    const where = this.#url(path).href;
    const parsed = this.#parseRecords([body], where);
    const e = parsed.experiments[0];
    if (!e) {
      const why = parsed.problems.map(formatProblem).join('; ');
      throw new SourceError('schema', `${where} did not answer with a usable experiment: ${why}.`, { location: where });
    }
    return e;
  }

  async history(id: string, metric: string, signal?: AbortSignal): Promise<Series> {
    const path = `experiments/${encodeURIComponent(id)}/metrics/${encodeURIComponent(metric)}/history`;
    const body = await this.#getJson(path, { signal, what: `The history of metric ${JSON.stringify(metric)} of experiment ${JSON.stringify(id)}` });
    const where = this.#url(path).href;
    const { experiment, problems } = parseExperiment({ id, status: 'completed', metrics: { [metric]: { history: body } } }, 0, '$');
    const series = experiment?.metrics?.[metric]?.history;
    if (!series) {
      const why = problems.map((p) => `${p.path.replace(/^\$\.metrics\[[^\]]*\]\.history/, '$')}: ${p.message}`).join('; ');
      throw new SourceError('schema', `${where} did not answer with a metric history {steps, values}: ${why}.`, { location: where });
    }
    return series;
  }

  /**
   * The artifact's download: a URL the browser downloads itself (cookies apply), or, when the
   * source sends custom headers the browser could not add to a link, the file as a Blob.
   */
  async artifact(id: string, artifact: Artifact, signal?: AbortSignal): Promise<Blob | URL> {
    const url = this.#url(`experiments/${encodeURIComponent(id)}/artifacts/${encodeURIComponent(artifact.name)}`);
    if (!this.#init.headers) return url;
    const { body } = await this.#request(url, { signal, what: `The artifact ${JSON.stringify(artifact.name)}` }, '*/*', (r) => r.blob());
    return body;
  }

  /** Asks the server to delete; resolves once it confirms (the server answers only when durable). Never retried. */
  async delete(ids: string[], signal?: AbortSignal): Promise<void> {
    if (ids.length === 0) return;
    await this.#write('experiments/delete', ids, signal, `Deleting ${ids.length === 1 ? `experiment ${JSON.stringify(ids[0])}` : `${ids.length} experiments`}`);
  }

  /**
   * Brings deleted records back (the server keeps them in its trash); resolves once that is
   * durable. Ids the server no longer holds are skipped. Never retried. The restored records
   * arrive as an `upsert` change.
   */
  async restore(ids: string[], signal?: AbortSignal): Promise<void> {
    if (ids.length === 0) return;
    await this.#write('experiments/restore', ids, signal, `Restoring ${ids.length === 1 ? `experiment ${JSON.stringify(ids[0])}` : `${ids.length} experiments`}`);
  }

  async #write(path: string, ids: string[], signal: AbortSignal | undefined, what: string): Promise<void> {
    await this.#request(this.#url(path), { method: 'POST', body: { ids }, signal, what }, 'application/json', (r) => r.text());
  }

  // ---- live updates ----

  /**
   * Live changes from `/changes`: Server-Sent Events, reconnecting with backoff (at most 30 s
   * apart) and catching up from the last change seen; polling when EventSource is missing,
   * cannot authenticate, or keeps failing, and back to the stream once it works again. When the
   * server cannot tell what was missed (it restarted, or the changes are no longer kept) the
   * change is a `reload` with the reason. `onConnection` (or `connection` and the
   * `connectionchange` event) tells whether it is online: called at once, then on every change.
   */
  subscribe(onChange: (change: Change) => void, onConnection?: (state: ConnectionState) => void): () => void {
    this.#listeners.add(onChange);
    this.#stopFeed ??= this.#startFeed();
    const forward = onConnection && (() => onConnection(this.#connection));
    if (forward) {
      this.addEventListener('connectionchange', forward);
      forward();
    }
    return () => {
      if (forward) this.removeEventListener('connectionchange', forward);
      this.#listeners.delete(onChange);
      if (this.#listeners.size === 0) {
        this.#stopFeed?.();
        this.#stopFeed = undefined;
      }
    };
  }

  #emit(change: Change): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        globalThis.reportError?.(err);
      }
    }
  }

  #onChangeData(type: string, data: unknown): void {
    if (type === 'reload') {
      const reason = isObject(data) && typeof data.message === 'string' ? data.message : undefined;
      this.#emit(reason ? { type: 'reload', reason } : { type: 'reload' });
    } else if (type === 'delete' && isObject(data) && Array.isArray(data.ids)) {
      const ids = data.ids.filter((x): x is string => typeof x === 'string');
      if (ids.length > 0) this.#emit({ type: 'delete', ids });
    } else if (type === 'upsert' && isObject(data) && Array.isArray(data.experiments)) {
      const { experiments } = this.#parseRecords(data.experiments, this.#url('changes').href);
      if (experiments.length > 0) this.#emit({ type: 'upsert', experiments });
    }
  }

  #startFeed(): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | undefined;
    let poller: AbortController | undefined;
    let failures = 0;
    /** Answered polls since live updates fell back from the stream to polling (undefined: not fallen back). */
    let pollsSinceFallBack: number | undefined;
    const ES = this.#init.EventSource ?? globalThis.EventSource;
    const live = this.#init.live ?? 'auto';
    const useSse = live !== 'poll' && typeof ES === 'function' && !(live === 'auto' && this.#init.headers);
    const base = this.#init.retryDelayMs ?? 300;
    const interval = this.#init.pollIntervalMs ?? 5000;
    const backoff = (first: number, n: number) => Math.min(first * 2 ** n, MAX_RECONNECT_MS) * (0.75 + Math.random() / 4);

    const online = (transport: 'sse' | 'poll') => this.#setConnection({ status: 'online', transport, lastUpdated: Date.now() });
    const offline = (transport: 'sse' | 'poll', reason: string, wait: number) => {
      const was = this.#connection;
      // Everything up to the moment the connection was lost had arrived.
      const lastUpdated = was.status === 'online' ? Date.now() : was.lastUpdated;
      const next: ConnectionState = { status: 'offline', transport, reason, retryAt: Date.now() + wait };
      if (lastUpdated !== undefined) next.lastUpdated = lastUpdated;
      this.#setConnection(next);
    };

    const openStream = () => {
      if (stopped) return;
      const url = this.#url('changes');
      const since = this.#since();
      if (since !== undefined) url.searchParams.set('since', since);
      const es = new ES(url.href, { withCredentials: this.#init.credentials === 'include' });
      source = es;
      let dropped = false;
      es.onopen = () => {
        failures = 0;
        pollsSinceFallBack = undefined;
        online('sse');
      };
      for (const type of ['upsert', 'delete', 'reload', 'dropped']) {
        es.addEventListener(type, (event) => {
          const message = event as MessageEvent<string>;
          let data: unknown;
          try {
            data = message.data ? parseJsonText(message.data) : {};
          } catch {
            return; // A garbled event is skipped; the next reload or upsert brings the state back.
          }
          const m = /^(?:([\w-]+):)?(\d+)$/.exec(message.lastEventId ?? '');
          if (m) this.#setPosition(m[1] ?? this.#epoch, Number(m[2]));
          if (this.#connection.status === 'online') this.#connection = { ...this.#connection, lastUpdated: Date.now() };
          // The server dropped this stream (the client fell behind): reconnect at once and catch up.
          if (type === 'dropped') dropped = true;
          else this.#onChangeData(type, data);
        });
      }
      es.onerror = () => {
        // Our own backoff instead of the browser's fixed retry; reconnect replays from the last position.
        es.close();
        source = undefined;
        if (stopped) return;
        if (dropped) {
          timer = setTimeout(openStream, base);
          return;
        }
        failures += 1;
        if (failures >= SSE_FAILURES_BEFORE_POLLING) {
          failures = 0;
          pollsSinceFallBack = 0;
          poll();
        } else {
          const wait = backoff(base, failures);
          offline('sse', `The live connection to ${this.#base.origin} was lost; reconnecting.`, wait);
          timer = setTimeout(openStream, wait);
        }
      };
    };

    const poll = () => {
      if (stopped) return;
      poller = new AbortController();
      const params = new URLSearchParams();
      const since = this.#since();
      if (since !== undefined) params.set('since', since);
      const url = this.#url('changes', params);
      this.#request(url, { signal: poller.signal, what: 'The list of changes', okStatuses: [410] }, 'application/json', async (r) => ({ status: r.status, text: await r.text() }))
        .then(({ body: answer }) => {
          failures = 0;
          if (pollsSinceFallBack !== undefined) pollsSinceFallBack += 1;
          online('poll');
          let body: unknown;
          try {
            body = parseJsonText(answer.text);
          } catch {
            return;
          }
          if (!isObject(body)) return;
          // 410 (or `reset: true`, from servers of the first contract version).
          if (answer.status === 410 || body.reset === true) {
            // The server cannot say what was missed: start over from where it stands now.
            this.#epoch = undefined;
            this.#seq = undefined;
            this.#setPosition(body.epoch, body.seq);
            this.#onChangeData('reload', { message: typeof body.error === 'string' ? body.error : 'The server cannot tell what changed: load everything again.' });
            return;
          }
          if (Array.isArray(body.changes)) for (const c of body.changes) if (isObject(c) && typeof c.type === 'string') this.#onChangeData(c.type, c);
          this.#setPosition(body.epoch ?? this.#epoch, body.seq);
        })
        .catch((err: unknown) => {
          failures += 1;
          if (!stopped) offline('poll', err instanceof Error ? err.message : String(err), backoff(interval, failures));
        })
        .finally(() => {
          if (stopped) return;
          if (failures === 0 && pollsSinceFallBack !== undefined && pollsSinceFallBack >= SSE_RETRY_AFTER_POLLS) {
            // The stream may work again (a proxy restarted): it is cheaper and immediate.
            pollsSinceFallBack = undefined;
            openStream();
          } else timer = setTimeout(poll, failures === 0 ? interval : backoff(interval, failures));
        });
    };

    this.#setConnection({ ...this.#connection, status: 'connecting', transport: useSse ? 'sse' : 'poll' });
    if (useSse) openStream();
    else poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
      poller?.abort();
    };
  }
}
