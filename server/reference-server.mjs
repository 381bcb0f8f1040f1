// The reference backend of openapi/experiment-dashboard.openapi.yaml: plain Node `http`, no
// framework. It filters, sorts and pages with the very code the browser uses
// (src/data/query.ts), bundled in memory by esbuild at start-up, so it runs without a build.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';

const MAX_PAGE_SIZE = 5000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_BODY_BYTES = 50 * 1024 * 1024;
const CHANGE_LOG_LENGTH = 1000;
const KEEP_ALIVE_MS = 15_000;
const SSE_RETRY_MS = 2000;

let dataLogic;

/**
 * query.ts + parse.ts as one module: bundled from the TypeScript source when it is there (no
 * build step, tests), else the compiled files of the published package.
 */
export function loadDataLogic() {
  dataLogic ??= (async () => {
    const srcDir = fileURLToPath(new URL('../src/data/', import.meta.url));
    if (existsSync(`${srcDir}query.ts`)) {
      const { build } = await import('esbuild');
      const out = await build({
        stdin: { contents: "export * from './query.ts';\nexport * from './parse.ts';", resolveDir: srcDir, loader: 'ts', sourcefile: 'data-logic.ts' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        target: 'node20',
        logLevel: 'silent',
      });
      const code = out.outputFiles[0].text;
      return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    }
    const [query, parse] = await Promise.all([import('../dist/data/query.js'), import('../dist/data/parse.js')]);
    return { ...query, ...parse };
  })();
  return dataLogic;
}

/** JSON with non-finite numbers as the strings of format v1. */
const toJson = (value) => JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Starts the reference server.
 * @param {object} options
 * @param {unknown} [options.data] a format-v1 collection (object or JSON text) or an array of experiments
 * @param {string} [options.dataFile] read the collection from this file (and write deletions back when writable)
 * @param {number} [options.port] 0 (default) picks a free port
 * @param {string} [options.host] default 127.0.0.1
 * @param {boolean} [options.writable] allow POST /experiments/delete (default false)
 * @param {string} [options.artifactRoot] folder that artifacts with a relative `path` are served from
 * @param {'*' | string[]} [options.cors] allowed browser origins; `*` (default) allows any origin without cookies
 * @param {boolean} [options.testHooks] enable /__test/* (upsert, reset, faults, requests, drop-streams); never in production
 * @returns {Promise<{url: string, port: number, problems: object[], close(): Promise<void>, upsert(experiments: unknown[]): Promise<object>}>}
 */
export async function startServer(options = {}) {
  const logic = await loadDataLogic();
  // The linear-time engine of `matches` patterns (loaded lazily in browsers): here once, up front.
  await logic.prepareQuery();
  const { writable = false, testHooks = false, host = '127.0.0.1', port = 0, cors = '*', dataFile } = options;
  const artifactRoot = options.artifactRoot ? resolvePath(options.artifactRoot) : undefined;

  let input = options.data;
  if (input === undefined && dataFile) input = await readFile(dataFile, 'utf8');
  const initial = logic.parseCollection(input ?? [], { origin: dataFile ?? 'the server data' });
  const defaults = initial.defaults;
  const generatedAt = initial.generatedAt;

  /** @type {Map<string, object>} */
  let records = new Map(initial.experiments.map((e) => [e.id, e]));
  let list;
  const all = () => (list ??= [...records.values()]);
  const summaries = new WeakMap();
  let seq = 0;
  const changes = [];
  const streams = new Set();
  let faults = [];
  const requestLog = [];
  let writing = Promise.resolve();

  // List answers leave histories out and point at the history endpoint.
  const summary = (e) => {
    if (!e.metrics) return e;
    let s = summaries.get(e);
    if (!s) {
      const metrics = {};
      for (const [key, m] of Object.entries(e.metrics)) {
        if (!m.history) metrics[key] = m;
        else {
          const { history: _h, ...rest } = m;
          metrics[key] = { ...rest, historyRef: `experiments/${encodeURIComponent(e.id)}/metrics/${encodeURIComponent(key)}/history` };
        }
      }
      s = { ...e, metrics };
      summaries.set(e, s);
    }
    return s;
  };

  function publish(type, payload) {
    seq += 1;
    const change = { seq, type, ...payload };
    changes.push(change);
    if (changes.length > CHANGE_LOG_LENGTH) changes.shift();
    for (const res of streams) writeEvent(res, change);
  }

  function writeEvent(res, change) {
    const { seq: id, type, ...data } = change;
    res.write(`id: ${id}\nevent: ${type}\ndata: ${toJson(data)}\n\n`);
  }

  /** The changes after `since`, or null when they are no longer kept. */
  function changesSince(since) {
    if (since >= seq) return [];
    const oldest = changes[0]?.seq ?? seq + 1;
    if (since < oldest - 1) return null;
    return changes.filter((c) => c.seq > since);
  }

  async function persist() {
    if (!dataFile || !writable) return;
    const collection = { schemaVersion: '1.0', kind: 'ExperimentCollection', defaults, experiments: all() };
    if (generatedAt) collection.generatedAt = generatedAt;
    const text = toJson(collection);
    // Write-then-rename: a crash leaves the old file or the new one, never half of one.
    writing = writing.catch(() => undefined).then(async () => {
      const tmp = `${dataFile}.${process.pid}.tmp`;
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, dataFile);
    });
    await writing;
  }

  async function upsert(raw) {
    const parsed = logic.parseCollection({ defaults, experiments: raw }, { origin: 'the update' });
    for (const e of parsed.experiments) records.set(e.id, e);
    list = undefined;
    if (parsed.experiments.length > 0) {
      await persist();
      publish('upsert', { experiments: parsed.experiments.map(summary) });
    }
    return { upserted: parsed.experiments.length, problems: parsed.problems };
  }

  function corsHeaders(req) {
    const origin = req.headers.origin;
    if (!origin) return {};
    if (cors === '*') return { 'access-control-allow-origin': '*' };
    if (Array.isArray(cors) && cors.includes(origin)) return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
    return {};
  }

  function send(req, res, status, body, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    const text = body === undefined ? '' : toJson(body);
    res.writeHead(status, { ...corsHeaders(req), 'cache-control': 'no-store', ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers });
    res.end(text);
  }

  async function readJson(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return logic.parseJsonText(text);
    } catch (err) {
      throw new HttpError(400, `The request body is not valid JSON (${err.message}).`);
    }
  }

  function findExperiment(id) {
    const e = records.get(id);
    if (!e) throw new HttpError(404, `No experiment with id ${JSON.stringify(id)}; it may have been deleted.`);
    return e;
  }

  // ---- routes ----

  function listExperiments(req, res, url) {
    const { query, problems } = logic.queryFromSearchParams(url.searchParams, DEFAULT_PAGE_SIZE);
    if (query.page && query.page.size > MAX_PAGE_SIZE) problems.push(`the page size must be at most ${MAX_PAGE_SIZE}, found ${query.page.size}`);
    if (problems.length > 0) throw new HttpError(400, `The query is not valid: ${problems.join('; ')}.`);
    const result = logic.applyQuery(all(), query);
    const body = { experiments: result.experiments.map(summary), total: result.total, nextToken: result.nextToken ?? null, changeSeq: seq, defaults };
    if (generatedAt) body.generatedAt = generatedAt;
    send(req, res, 200, body);
  }

  function history(req, res, id, metric) {
    const e = findExperiment(id);
    const m = e.metrics?.[metric];
    if (!m) throw new HttpError(404, `Experiment ${JSON.stringify(id)} has no metric ${JSON.stringify(metric)}.`);
    if (!m.history) throw new HttpError(404, `Experiment ${JSON.stringify(id)} has no history for metric ${JSON.stringify(metric)}, only its summary.`);
    send(req, res, 200, m.history);
  }

  async function artifact(req, res, id, ref) {
    const e = findExperiment(id);
    const list = e.artifacts ?? [];
    const a = list.find((x) => x.name === ref) ?? (/^\d+$/.test(ref) ? list[Number(ref)] : undefined);
    if (!a) throw new HttpError(404, `Experiment ${JSON.stringify(id)} has no artifact ${JSON.stringify(ref)}.`);
    const fileName = a.name.split(/[\\/]/).pop() || 'artifact';
    const disposition = `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
    const type = a.mediaType ?? 'application/octet-stream';
    const uri = a.uri ?? '';
    if (/^https?:/i.test(uri)) {
      send(req, res, 302, undefined, { location: uri });
      return;
    }
    const dataUri = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(uri);
    if (dataUri) {
      const bytes = dataUri[2] ? Buffer.from(dataUri[3], 'base64') : Buffer.from(decodeURIComponent(dataUri[3]), 'utf8');
      res.writeHead(200, { ...corsHeaders(req), 'content-type': a.mediaType ?? (dataUri[1] || 'text/plain'), 'content-length': bytes.length, 'content-disposition': disposition });
      res.end(bytes);
      return;
    }
    if (a.path && artifactRoot) {
      const file = resolvePath(artifactRoot, a.path);
      const rel = relative(artifactRoot, file);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new HttpError(404, `The artifact ${JSON.stringify(a.name)} lies outside the artifact folder; it is not served.`);
      let info;
      try {
        info = await stat(file);
      } catch {
        throw new HttpError(404, `The file of artifact ${JSON.stringify(a.name)} is missing on the server.`);
      }
      res.writeHead(200, { ...corsHeaders(req), 'content-type': type, 'content-length': info.size, 'content-disposition': disposition });
      createReadStream(file).pipe(res);
      return;
    }
    throw new HttpError(404, `The artifact ${JSON.stringify(a.name)} has no file this server can serve (only its description is known).`);
  }

  async function deleteExperiments(req, res) {
    if (!writable) throw new HttpError(405, 'This server is read-only: deleting is not allowed. Start it with writable: true (--writable) to allow it.');
    const body = await readJson(req);
    const ids = body?.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10000 || !ids.every((x) => typeof x === 'string' && x !== '')) {
      throw new HttpError(400, 'The body must be {"ids": [...]}: 1 to 10000 experiment ids as text.');
    }
    const deleted = [];
    const notFound = [];
    const before = records;
    records = new Map(records);
    for (const id of ids) (records.delete(id) ? deleted : notFound).push(id);
    if (deleted.length > 0) {
      list = undefined;
      // Durable before the answer: the client removes rows only once we confirm.
      try {
        await persist();
      } catch (err) {
        records = before;
        list = undefined;
        throw new HttpError(500, `The data file could not be written (${err.message}); nothing was deleted. Check the disk and try again.`);
      }
      publish('delete', { ids: deleted });
    }
    send(req, res, 200, { deleted, notFound });
  }

  function parseSince(value) {
    if (value === null || value === undefined || value === '') return undefined;
    if (!/^\d+$/.test(value)) throw new HttpError(400, `since must be a whole number (a change sequence number), found ${JSON.stringify(value)}.`);
    return Number(value);
  }

  function changeFeed(req, res, url) {
    const wantsStream = (req.headers.accept ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const since = parseSince(url.searchParams.get('since'));
      if (since === undefined) return send(req, res, 200, { changes: [], seq });
      const found = changesSince(since);
      return send(req, res, 200, found === null ? { changes: [], seq, reset: true } : { changes: found, seq });
    }
    const since = parseSince(url.searchParams.get('since') ?? req.headers['last-event-id']) ?? seq;
    res.writeHead(200, { ...corsHeaders(req), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    const missed = changesSince(since);
    if (missed === null) writeEvent(res, { seq, type: 'reload' });
    else for (const c of missed) writeEvent(res, c);
    streams.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
  }

  async function testHook(req, res, name) {
    if (req.method !== 'POST' && !(req.method === 'GET' && name === 'requests')) throw new HttpError(405, 'Test hooks take POST (GET for /__test/requests).');
    switch (name) {
      case 'upsert': {
        const body = await readJson(req);
        const raw = Array.isArray(body) ? body : body?.experiments;
        if (!Array.isArray(raw)) throw new HttpError(400, 'The body must be {"experiments": [...]}.');
        return send(req, res, 200, await upsert(raw));
      }
      case 'reset':
        records = new Map(initial.experiments.map((e) => [e.id, e]));
        list = undefined;
        faults = [];
        requestLog.length = 0;
        publish('reload', {});
        return send(req, res, 200, { total: records.size, changeSeq: seq });
      case 'faults': {
        // [{method, path, status, delayMs, count}]: the next `count` matching requests are delayed and/or fail.
        const body = await readJson(req);
        faults = (Array.isArray(body) ? body : [body]).map((f) => ({ method: f.method ?? 'GET', path: f.path ?? '/', status: f.status, delayMs: f.delayMs ?? 0, count: f.count ?? 1 }));
        return send(req, res, 200, { faults: faults.length });
      }
      case 'requests':
        return send(req, res, 200, { requests: requestLog });
      case 'drop-streams': {
        // Ends every change stream, as a proxy timeout or a server restart would.
        const dropped = streams.size;
        for (const stream of streams) stream.destroy();
        streams.clear();
        return send(req, res, 200, { dropped });
      }
      default:
        throw new HttpError(404, `No test hook ${JSON.stringify(name)}.`);
    }
  }

  async function applyFaults(req, res, pathname) {
    const fault = faults.find((f) => f.count > 0 && f.method === req.method && pathname.startsWith(f.path));
    if (!fault) return false;
    fault.count -= 1;
    if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return true;
    if (fault.status) {
      send(req, res, fault.status, { error: `Injected failure (HTTP ${fault.status}).` });
      return true;
    }
    return false;
  }

  async function route(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, authorization, last-event-id',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    let parts;
    try {
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new HttpError(400, 'The path is not valid percent-encoding.');
    }
    if (testHooks && parts[0] === '__test') return testHook(req, res, parts[1]);
    if (testHooks) {
      requestLog.push(`${req.method} ${url.pathname}`);
      if (await applyFaults(req, res, url.pathname)) return;
    }
    const [head, id, sub, key, tail, ...rest] = parts;
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (rest.length === 0) {
      if (head === 'capabilities' && !id && get) return send(req, res, 200, { serverQuery: true, live: true, delete: writable, history: true, maxPageSize: MAX_PAGE_SIZE, formatVersion: '1.0' });
      if (head === 'changes' && !id && get) return changeFeed(req, res, url);
      if (head === 'experiments') {
        if (!id && get) return listExperiments(req, res, url);
        if (id === 'delete' && !sub && req.method === 'POST') return deleteExperiments(req, res);
        if (id && !sub && get) return send(req, res, 200, findExperiment(id));
        if (id && sub === 'metrics' && key && tail === 'history' && get) return history(req, res, id, key);
        if (id && sub === 'artifacts' && key && !tail && get) return artifact(req, res, id, key);
      }
    }
    throw new HttpError(404, `No such endpoint: ${req.method} ${url.pathname}. See openapi/experiment-dashboard.openapi.yaml.`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      if (err instanceof HttpError) send(req, res, err.status, { error: err.message });
      else send(req, res, 500, { error: `The server failed: ${err?.message ?? err}` });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}/`;

  return {
    url,
    port: address.port,
    problems: initial.problems,
    upsert,
    close: () =>
      new Promise((resolve) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
