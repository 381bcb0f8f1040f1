// @ts-check
// The reference backend of openapi/experiment-dashboard.openapi.yaml: plain Node `http`, no
// framework. It filters, sorts and pages with the very code the browser uses
// (src/data/query.ts), loaded by bin/load-data-logic.mjs, so it runs without a build.
//
// Safe by default (see README "Security"): no CORS headers unless origins are named, writes only
// as JSON and never from a page whose origin was not named, a Host check against DNS rebinding
// on loopback, an optional bearer token for writes, and deletions kept in a trash file beside the
// data so they can be restored. One file because every route shares the same state.
import { createServer } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, writeFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { loadDataLogic } from '../bin/load-data-logic.mjs';

export { loadDataLogic };

/**
 * @typedef {import('../src/data/types.js').Experiment} Experiment
 * @typedef {import('node:http').IncomingMessage} Request
 * @typedef {import('node:http').ServerResponse} Response
 * @typedef {{ raw: unknown, experiment?: Experiment }} Entry a record as the file has it, and what parseCollection made of it (none: it was left out)
 * @typedef {Entry & { experiment: Experiment }} KeptEntry
 * @typedef {{ id: string, raw: unknown, experiment: Experiment, index: number, deletedAt: string }} TrashItem a deleted record; `index`: its place in the file
 * @typedef {{ seq: number, frame: string, json: string, bytes: number }} Change a kept change, serialised once: `frame` for SSE, `json` for polling
 * @typedef {{ epoch?: string, seq: number }} Cursor
 * @typedef {{ method: string, path: string, status?: number, delayMs: number, count: number }} Fault
 */

const MAX_PAGE_SIZE = 5000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_BODY_BYTES = 50 * 1024 * 1024;
const CHANGE_LOG_LENGTH = 1000;
/** The change log is also bounded in bytes: a few large upserts must not hold the memory. */
const CHANGE_LOG_BYTES = 8 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;
const SSE_RETRY_MS = 2000;
/** An event stream whose client leaves more than this unread is dropped (it reconnects and catches up). */
const STREAM_BUFFER_BYTES = 1024 * 1024;
/** How long a dropped stream may take to flush its last words before its connection is cut. */
const DROP_GRACE_MS = 10_000;
/** Shorter tokens can be guessed by a patient script on a network: refuse them. */
const MIN_TOKEN_LENGTH = 16;
const ALLOWED_HEADERS = 'content-type, authorization, last-event-id';

/** JSON with non-finite numbers as the strings of format v1. */
/** @type {(value: unknown, space?: string | number) => string} */
const toJson = (value, space) => JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space);

/** @type {(v: unknown) => v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {Record<string, string>} [headers]
   */
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** A configuration the server refuses to start with; `message` says why and what to do. */
export class UnsafeConfigError extends Error {
  name = 'UnsafeConfigError';
}

/** True for an interface only this machine can reach. */
/** @param {string} host */
export function isLoopback(host) {
  return /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i.test(host);
}

/** Constant-time comparison of two secrets of any length (hashes first, so lengths leak nothing). */
/** @param {string} given @param {string} expected */
function sameSecret(given, expected) {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** `runs.json` -> `runs.trash.json`: deleted records wait there until restored. */
/** @param {string} dataFile */
export function trashPathOf(dataFile) {
  return dataFile.replace(/(\.json)?$/i, '.trash.json');
}

/** Write-then-rename: a crash leaves the old file or the new one, never half of one. */
const tmpPathOf = (/** @type {string} */ file) => `${file}.${process.pid}.tmp`;

/** @param {number} pid */
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * Removes what an interrupted write left beside these files (`<file>.<pid>.tmp` of a process that
 * is gone); a live process's file is its write in progress and stays. Returns the removed paths.
 * @param {string[]} files
 */
export async function removeStrayTemporaryFiles(files) {
  /** @type {string[]} */
  const removed = [];
  for (const file of files) {
    const prefix = `${basename(file)}.`;
    let names;
    try {
      names = await readdir(dirname(file));
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? name.slice(prefix.length, -4) : '';
      if (!/^\d+$/.test(pid) || processAlive(Number(pid))) continue;
      const path = join(dirname(file), name);
      if (await unlink(path).then(() => true, () => false)) removed.push(path);
    }
  }
  return removed;
}

/** The indentation and final newline of a JSON text, so rewriting it changes only what changed. */
/** @param {string | undefined} text */
function layoutOf(text) {
  const m = typeof text === 'string' ? /^[[{]\r?\n([ \t]+)\S/.exec(text) : null;
  return { indent: m ? m[1] : undefined, eol: typeof text === 'string' && text.endsWith('\n') ? '\n' : '' };
}

/**
 * Pairs the raw records of a document with what parseCollection made of them: records it left
 * out keep their raw form (they stay in the file untouched), and every kept record is checked to
 * be the raw record with the same id. Null when the pairing cannot be proven.
 * @param {unknown[]} rawList
 * @param {import('../src/data/parse.js').ParseResult} parsed
 * @returns {Entry[] | null}
 */
function pairRecords(rawList, parsed) {
  /** @type {Set<number>} */
  const rejected = new Set();
  for (const p of parsed.problems) if (p.severity === 'error' && p.index !== undefined) rejected.add(p.index);
  let k = 0;
  const entries = rawList.map((raw, i) => (rejected.has(i) ? { raw } : { raw, experiment: parsed.experiments[k++] }));
  const proven = k === parsed.experiments.length && entries.every((en) => !en.experiment || (isObject(en.raw) && String(en.raw.id) === en.experiment.id));
  return proven ? entries : null;
}

/**
 * @param {unknown} cors
 * @returns {'*' | Set<string>}
 */
function checkOrigins(cors) {
  if (cors === '*') return '*';
  const list = cors === undefined || cors === null ? [] : Array.isArray(cors) ? cors : [cors];
  for (const origin of list) {
    let parsed;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new UnsafeConfigError(`${JSON.stringify(origin)} is not an origin: give scheme, host and port only, e.g. http://localhost:8000 (no path, no trailing slash).`);
    }
  }
  return new Set(list);
}

/**
 * What startServer takes.
 * @typedef {object} ServerOptions
 * @property {unknown} [data] a format-v1 collection (object or JSON text) or an array of experiments
 * @property {string} [dataFile] read the collection from this file (and write deletions back when writable; deleted records go to `<name>.trash.json`)
 * @property {number} [port] 0 (default) picks a free port
 * @property {string} [host] default 127.0.0.1
 * @property {boolean} [writable] allow POST /experiments/delete and /experiments/restore (default false)
 * @property {string} [artifactRoot] folder that artifacts with a relative `path` are served from
 * @property {string[] | '*'} [cors] browser origins (e.g. `http://localhost:8000`) allowed to read; they may also write
 *   when a `token` is set and sent. Default none: no CORS headers at all. `*` lets any page read and is refused with `writable`.
 * @property {string} [token] writes need `Authorization: Bearer <token>` (at least 16 characters). Required with `writable` on a non-loopback host.
 * @property {number} [streamBufferBytes] an event stream with more than this waiting unread is dropped (default 1 MB)
 * @property {number} [dropGraceMs] a dropped stream's connection is cut when it has not taken its last words after this long (default 10 s)
 * @property {boolean} [testHooks] enable /__test/* (upsert, reset, faults, requests, drop-streams, restart, memory); never in production
 */

/**
 * Starts the reference server.
 * @param {ServerOptions} [options]
 * @returns {Promise<{url: string, port: number, problems: import('../src/data/types.js').Problem[], removedTemporaryFiles: string[], trashFile?: string, close(): Promise<void>, upsert(experiments: unknown[]): Promise<object>}>}
 */
export async function startServer(options = {}) {
  const { writable = false, testHooks = false, host = '127.0.0.1', port = 0, dataFile, token, streamBufferBytes = STREAM_BUFFER_BYTES, dropGraceMs = DROP_GRACE_MS } = options;
  const allowedOrigins = checkOrigins(options.cors);
  if (writable && allowedOrigins === '*') {
    throw new UnsafeConfigError('A writable server never lets every web page in (cors "*"): name the origins that may use it (--cors-origin https://dashboard.example.com) and set a token (--token).');
  }
  if (token !== undefined && (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH)) {
    throw new UnsafeConfigError(`The token must be at least ${MIN_TOKEN_LENGTH} characters, so it cannot be guessed; make one with "openssl rand -hex 32".`);
  }
  const loopback = isLoopback(host);
  if (writable && !token && !loopback) {
    throw new UnsafeConfigError(
      `Refusing to start: a writable server on ${host} can be reached by other machines, and without a token anyone who reaches it could delete experiments. ` +
        'Set a token (--token or the EXPERIMENT_DASHBOARD_TOKEN environment variable), or listen on 127.0.0.1 only.',
    );
  }
  const logic = await loadDataLogic();
  // The linear-time engine of `matches` patterns (loaded lazily in browsers): here once, up front.
  await logic.prepareQuery();
  const artifactRoot = options.artifactRoot ? resolvePath(options.artifactRoot) : undefined;
  const origin = dataFile ?? 'the server data';

  let input = options.data;
  if (input === undefined && dataFile) input = await readFile(dataFile, 'utf8');
  input ??= [];
  /** @type {any} JSON of any shape until parseCollection has judged it */
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = logic.parseJsonText(input);
    } catch {
      logic.parseCollection(input, { origin }); // throws the collection reader's message
    }
  }
  const initial = logic.parseCollection(doc, { origin });
  const defaults = initial.defaults;
  const generatedAt = initial.generatedAt;
  const layout = layoutOf(typeof input === 'string' ? input : undefined);
  const rawList = Array.isArray(doc) ? doc : Array.isArray(doc?.experiments) ? doc.experiments : [];
  // The file as it is, records in file order; when pairing fails the valid records stand for it.
  const initialEntries = pairRecords(rawList, initial) ?? initial.experiments.map((e) => ({ raw: e, experiment: e }));
  let entries = initialEntries;

  const trashFile = dataFile && writable ? trashPathOf(dataFile) : undefined;
  const strayFiles = trashFile ? await removeStrayTemporaryFiles([/** @type {string} */ (dataFile), trashFile]) /* a trash file only beside a data file */ : [];
  /** Deleted records, oldest first: {id, raw, experiment, index (its place in the file), deletedAt}. */
  let trash = trashFile ? await readTrash(trashFile) : [];

  /**
   * @param {string} file
   * @returns {Promise<TrashItem[]>}
   */
  async function readTrash(file) {
    let text;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code === 'ENOENT') return [];
      throw err;
    }
    /** @type {any} the trash file's JSON: `ok` below checks its shape */
    let t;
    try {
      t = logic.parseJsonText(text);
    } catch {
      t = undefined;
    }
    const ok = isObject(t) && Array.isArray(t.experiments) && Array.isArray(t.deleted) && t.deleted.length === t.experiments.length;
    const parsed = ok ? logic.parseCollection({ defaults, experiments: t.experiments }, { origin: file }) : undefined;
    const paired = parsed ? pairRecords(t.experiments, parsed) : null;
    if (!paired || paired.some((en, i) => !en.experiment || !isObject(t.deleted[i]) || t.deleted[i].id !== en.experiment.id)) {
      throw new UnsafeConfigError(`The trash file ${file} (deleted experiments kept for restoring) is not one this server wrote or is damaged: move it aside and start again. Nothing was changed.`);
    }
    // Every one was kept: checked just above.
    return /** @type {KeptEntry[]} */ (paired).map((en, i) => ({ id: en.experiment.id, raw: en.raw, experiment: en.experiment, index: Number(t.deleted[i].index) || 0, deletedAt: String(t.deleted[i].deletedAt ?? '') }));
  }

  /** @type {Map<string, Experiment>} */
  let records = new Map();
  /** @type {Experiment[] | undefined} */
  let list;
  const reindex = () => {
    records = new Map();
    for (const en of entries) if (en.experiment) records.set(en.experiment.id, en.experiment);
    list = undefined;
  };
  reindex();
  const all = () => (list ??= [...records.values()]);
  /** @type {WeakMap<Experiment, Experiment>} */
  const summaries = new WeakMap();
  // Change positions are `<epoch>:<seq>`: the epoch is new at every start, so a client holding a
  // position from before a restart is told to reload instead of being told nothing changed.
  let epoch = randomBytes(6).toString('base64url');
  let seq = 0;
  /**
   * The kept changes, oldest first, serialised once: {seq, frame (SSE), json (poll), bytes}.
   * @type {Change[]}
   */
  const changes = [];
  let changeBytes = 0;
  /** @type {Set<Response>} */
  const streams = new Set();
  /** @type {Fault[]} */
  let faults = [];
  /** @type {string[]} */
  const requestLog = [];
  /** Changes run one at a time: each computes from the state the previous one left. @type {Promise<unknown>} */
  let mutating = Promise.resolve();
  /** @type {<T>(fn: () => Promise<T>) => Promise<T>} */
  const exclusive = (fn) => {
    const run = mutating.then(fn);
    mutating = run.catch(() => undefined);
    return run;
  };
  /** Filled in once listening (the port is known then). @type {Set<string>} */
  const allowedHosts = new Set();

  // List answers leave histories out and point at the history endpoint.
  const summary = (/** @type {Experiment} */ e) => {
    if (!e.metrics) return e;
    let s = summaries.get(e);
    if (!s) {
      /** @type {Record<string, import('../src/data/types.js').Metric>} */
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

  const position = (n = seq) => `${epoch}:${n}`;
  /** @type {(id: string | undefined, type: string, data: unknown) => string} */
  const sseFrame = (id, type, data) => `${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${toJson(data)}\n\n`;

  /** @param {string} type @param {Record<string, unknown>} payload */
  function publish(type, payload) {
    seq += 1;
    const json = toJson({ seq, type, ...payload });
    const frame = sseFrame(position(), type, payload);
    const bytes = json.length + frame.length;
    changes.push({ seq, frame, json, bytes });
    changeBytes += bytes;
    while (changes.length > 1 && (changes.length > CHANGE_LOG_LENGTH || changeBytes > CHANGE_LOG_BYTES)) changeBytes -= /** @type {Change} */ (changes.shift()).bytes;
    for (const res of streams) deliver(res, frame);
  }

  /** Writes to one event stream; a client that leaves too much unread is dropped, not buffered for. */
  /** @param {Response} res @param {string} text */
  function deliver(res, text) {
    res.write(text);
    if (res.writableLength > streamBufferBytes) {
      dropStream(res, `This client left more than ${Math.round(streamBufferBytes / 1024)} KB of changes unread, so the server stopped sending. Reconnect with Last-Event-ID to catch up.`);
    }
  }

  /** @param {Response} res @param {string} message */
  function dropStream(res, message) {
    if (!streams.delete(res)) return;
    // No id: the client's Last-Event-ID stays the last change it got, which is where it resumes.
    res.end(sseFrame(undefined, 'dropped', { reason: 'slow-client', message }));
    // A client that reads nothing would keep the buffer forever: cut it after a grace period.
    const cut = setTimeout(() => res.destroy(), dropGraceMs);
    cut.unref?.();
    res.once('close', () => clearTimeout(cut));
  }

  /**
   * Where a client resumes from: the changes after its position, or why it must reload
   * (`restarted`: the position is from another run of the server; `expired`: no longer kept).
   * @param {Cursor} cursor
   * @returns {{changes: {seq: number, frame: string, json: string}[]} | {reload: string, message: string}}
   */
  function catchUp(cursor) {
    if ((cursor.epoch !== undefined && cursor.epoch !== epoch) || cursor.seq > seq) {
      return { reload: 'restarted', message: 'The server restarted since this client last heard from it: changes from before are gone. Load everything again.' };
    }
    const oldest = changes[0]?.seq ?? seq + 1;
    if (cursor.seq < oldest - 1) return { reload: 'expired', message: 'The changes since this client last heard from the server are no longer kept. Load everything again.' };
    return { changes: changes.filter((c) => c.seq > cursor.seq) };
  }

  const dataText = (/** @type {Entry[]} */ list_) => {
    const experiments = list_.map((en) => en.raw);
    return toJson(Array.isArray(doc) ? experiments : { ...doc, experiments }, layout.indent) + layout.eol;
  };
  const trashText = (/** @type {TrashItem[]} */ items) =>
    toJson(
      {
        schemaVersion: '1.0',
        kind: 'ExperimentCollection',
        source: { type: 'experiment-dashboard-trash', note: `Experiments deleted from ${dataFile}; POST /experiments/restore {"ids": [...]} brings them back.` },
        experiments: items.map((t) => t.raw),
        deleted: items.map((t) => ({ id: t.id, index: t.index, deletedAt: t.deletedAt })),
      },
      layout.indent,
    ) + layout.eol;

  /** @param {string} file @param {string} text */
  async function writeAtomic(file, text) {
    const tmp = tmpPathOf(file);
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Writes the data file and the trash file together: the one that gains records first, so a
   * crash in between leaves a record in both, never in neither. When the second write fails the
   * first is put back: a failed change leaves both files as they were.
   * @param {{file: string, text: string, undo: () => string}[]} steps
   */
  async function saveFiles(steps) {
    if (!dataFile || !writable) return;
    /** @type {typeof steps} */
    const done = [];
    try {
      for (const step of steps) {
        await writeAtomic(step.file, step.text);
        done.push(step);
      }
    } catch (err) {
      for (const step of done.reverse()) await writeAtomic(step.file, step.undo()).catch(() => undefined);
      throw err;
    }
  }

  // saveFiles writes only when there is a data file.
  /** @type {(next: Entry[], before: Entry[]) => { file: string, text: string, undo: () => string }} */
  const dataStep = (next, before) => ({ file: /** @type {string} */ (dataFile), text: dataText(next), undo: () => dataText(before) });
  /** @type {(next: TrashItem[], before: TrashItem[]) => { file: string, text: string, undo: () => string }} */
  const trashStep = (next, before) => ({ file: /** @type {string} */ (trashFile), text: trashText(next), undo: () => trashText(before) });

  /** @param {unknown[]} raw */
  function upsert(raw) {
    return exclusive(async () => {
      const parsed = logic.parseCollection({ defaults, experiments: raw }, { origin: 'the update' });
      if (parsed.experiments.length > 0) {
        const next = [...entries];
        const at = new Map(next.map((en, i) => [en.experiment?.id, i]));
        for (const e of parsed.experiments) {
          const i = at.get(e.id);
          if (i === undefined) next.push({ raw: e, experiment: e });
          else next[i] = { raw: e, experiment: e };
        }
        await saveFiles([dataStep(next, entries)]);
        entries = next;
        reindex();
        publish('upsert', { experiments: parsed.experiments.map(summary) });
      }
      return { upserted: parsed.experiments.length, problems: parsed.problems };
    });
  }

  /** May a request from this page (its Origin header) change data? Why not, when not. */
  /** @param {Request} req */
  function writeRefusal(req) {
    const pageOrigin = req.headers.origin;
    if (pageOrigin === undefined) return undefined;
    if (!(allowedOrigins instanceof Set && allowedOrigins.has(pageOrigin))) {
      return `Changes from the web page at ${pageOrigin} are not allowed: this server accepts them only from origins it was started with (--cors-origin), together with a token (--token).`;
    }
    if (!token) return `Changes from the web page at ${pageOrigin} need a token: start the server with --token (or EXPERIMENT_DASHBOARD_TOKEN) and give the page that token.`;
    return undefined;
  }

  /** Every write passes here before its body is read: refusals change nothing. */
  /** @param {Request} req */
  function guardWrite(req) {
    if (!writable) throw new HttpError(405, 'This server is read-only: changing data is not allowed. Start it with writable: true (--writable) to allow it.');
    const refusal = writeRefusal(req);
    if (refusal) throw new HttpError(403, `${refusal} Nothing was changed.`);
    if (token) {
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
      if (!m || !sameSecret(m[1], token)) {
        const why = m ? 'The access token is wrong' : 'This server needs an access token to change data';
        throw new HttpError(401, `${why}: send "Authorization: Bearer <token>" with the token the server was started with (--token). Nothing was changed.`, {
          'www-authenticate': 'Bearer realm="experiment-dashboard"',
        });
      }
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(415, `Changes must be sent as JSON (content-type: application/json), found ${type ? JSON.stringify(type) : 'no content type'}. Nothing was changed.`);
    }
  }

  /**
   * @param {Request} req
   * @returns {Record<string, string>}
   */
  function corsHeaders(req) {
    const pageOrigin = req.headers.origin;
    if (!pageOrigin) return {};
    if (allowedOrigins === '*') return { 'access-control-allow-origin': '*' };
    if (allowedOrigins.has(pageOrigin)) return { 'access-control-allow-origin': pageOrigin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
    return { vary: 'Origin' };
  }

  /**
   * @param {Request} req
   * @param {Response} res
   * @param {number} status
   * @param {unknown} body
   * @param {Record<string, string>} [headers]
   */
  function send(req, res, status, body, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    const text = body === undefined ? '' : toJson(body);
    res.writeHead(status, { ...corsHeaders(req), 'cache-control': 'no-store', ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers });
    res.end(text);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @returns {Promise<any>} JSON of any shape: each caller checks what it needs
   */
  async function readJson(req) {
    /** @type {Buffer[]} */
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
      throw new HttpError(400, `The request body is not valid JSON (${/** @type {Error} */ (err).message}).`);
    }
  }

  /** @param {string} id */
  function findExperiment(id) {
    const e = records.get(id);
    if (!e) throw new HttpError(404, `No experiment with id ${JSON.stringify(id)}; it may have been deleted.`);
    return e;
  }

  // ---- routes ----

  /** @param {Request} req @param {Response} res @param {URL} url */
  function listExperiments(req, res, url) {
    const { query, problems } = logic.queryFromSearchParams(url.searchParams, DEFAULT_PAGE_SIZE);
    if (query.page && query.page.size > MAX_PAGE_SIZE) problems.push(`the page size must be at most ${MAX_PAGE_SIZE}, found ${query.page.size}`);
    if (problems.length > 0) throw new HttpError(400, `The query is not valid: ${problems.join('; ')}.`);
    const result = logic.applyQuery(all(), query);
    /** @type {Record<string, unknown>} */
    const body = { experiments: result.experiments.map(summary), total: result.total, nextToken: result.nextToken ?? null, changeSeq: seq, changeEpoch: epoch, defaults };
    if (generatedAt) body.generatedAt = generatedAt;
    send(req, res, 200, body);
  }

  /** @param {Request} req @param {Response} res @param {string} id @param {string} metric */
  function history(req, res, id, metric) {
    const e = findExperiment(id);
    const m = e.metrics?.[metric];
    if (!m) throw new HttpError(404, `Experiment ${JSON.stringify(id)} has no metric ${JSON.stringify(metric)}.`);
    if (!m.history) throw new HttpError(404, `Experiment ${JSON.stringify(id)} has no history for metric ${JSON.stringify(metric)}, only its summary.`);
    send(req, res, 200, m.history);
  }

  /** @param {Request} req @param {Response} res @param {string} id @param {string} ref */
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

  /**
   * @param {Request} req
   * @returns {Promise<string[]>}
   */
  async function readIds(req) {
    const body = await readJson(req);
    const ids = body?.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10000 || !ids.every((x) => typeof x === 'string' && x !== '')) {
      throw new HttpError(400, 'The body must be {"ids": [...]}: 1 to 10000 experiment ids as text.');
    }
    return ids;
  }

  /** @param {Request} req @param {Response} res */
  async function deleteExperiments(req, res) {
    guardWrite(req);
    const ids = await readIds(req);
    const result = await exclusive(async () => {
      const wanted = new Set(ids);
      const deletedAt = new Date().toISOString();
      /** @type {Entry[]} */
      const keep = [];
      /** @type {TrashItem[]} */
      const removed = [];
      entries.forEach((en, index) => {
        if (en.experiment && wanted.has(en.experiment.id)) removed.push({ id: en.experiment.id, raw: en.raw, experiment: en.experiment, index, deletedAt });
        else keep.push(en);
      });
      const deleted = removed.map((t) => t.id);
      const gone = new Set(deleted);
      const notFound = [...wanted].filter((id) => !gone.has(id));
      if (removed.length > 0) {
        const nextTrash = [...trash, ...removed];
        // Durable before the answer: the client removes rows only once we confirm.
        try {
          await saveFiles([trashStep(nextTrash, trash), dataStep(keep, entries)]);
        } catch (err) {
          throw new HttpError(500, `The data file could not be written (${/** @type {Error} */ (err).message}); nothing was deleted. Check the disk and try again.`);
        }
        entries = keep;
        trash = nextTrash;
        reindex();
        publish('delete', { ids: deleted });
      }
      return { deleted, notFound };
    });
    send(req, res, 200, result);
  }

  /** @param {Request} req @param {Response} res */
  async function restoreExperiments(req, res) {
    guardWrite(req);
    const ids = await readIds(req);
    const result = await exclusive(async () => {
      const wanted = new Set(ids);
      const alreadyPresent = [...wanted].filter((id) => records.has(id));
      // The latest deletion of each id comes back; an id deleted twice keeps its older copy in the trash.
      /** @type {Map<string, TrashItem>} */
      const picked = new Map();
      for (const t of trash) if (wanted.has(t.id) && !records.has(t.id)) picked.set(t.id, t);
      const notFound = [...wanted].filter((id) => !picked.has(id) && !records.has(id));
      const back = [...picked.values()].sort((x, y) => x.index - y.index);
      if (back.length > 0) {
        const next = [...entries];
        // Ascending places: each record goes back where it was, so delete + restore is a no-op.
        for (const t of back) next.splice(Math.min(t.index, next.length), 0, { raw: t.raw, experiment: t.experiment });
        const chosen = new Set(back);
        const nextTrash = trash.filter((t) => !chosen.has(t));
        try {
          await saveFiles([dataStep(next, entries), trashStep(nextTrash, trash)]);
        } catch (err) {
          throw new HttpError(500, `The data file could not be written (${/** @type {Error} */ (err).message}); nothing was restored. Check the disk and try again.`);
        }
        entries = next;
        trash = nextTrash;
        reindex();
        publish('upsert', { experiments: back.map((t) => summary(t.experiment)) });
      }
      return { restored: back.map((t) => t.id), notFound, alreadyPresent };
    });
    send(req, res, 200, result);
  }

  /** `since` / `Last-Event-ID`: `<epoch>:<seq>`, or a bare sequence number (then `epoch` may come apart). */
  /**
   * @param {string | null | undefined} value
   * @param {string | null} epochParam
   * @returns {Cursor | undefined}
   */
  function parseCursor(value, epochParam) {
    if (value === null || value === undefined || value === '') return undefined;
    const m = /^(?:([A-Za-z0-9_-]{1,64}):)?(\d{1,15})$/.exec(value);
    if (!m) throw new HttpError(400, `since must be a change position (as in changeEpoch:changeSeq, or a whole number), found ${JSON.stringify(value)}.`);
    const e = m[1] ?? (epochParam || undefined);
    return { epoch: e, seq: Number(m[2]) };
  }

  /** @param {Request} req @param {Response} res @param {URL} url */
  function changeFeed(req, res, url) {
    const wantsStream = (req.headers.accept ?? '').includes('text/event-stream');
    const epochParam = url.searchParams.get('epoch');
    if (!wantsStream) {
      const cursor = parseCursor(url.searchParams.get('since'), epochParam);
      const found = cursor === undefined ? { changes: [] } : catchUp(cursor);
      if ('reload' in found) return send(req, res, 410, { error: found.message, reload: true, reason: found.reload, seq, epoch });
      res.writeHead(200, { ...corsHeaders(req), 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' });
      res.end(`{"changes":[${found.changes.map((c) => c.json).join(',')}],"seq":${seq},"epoch":${JSON.stringify(epoch)}}`);
      return undefined;
    }
    const cursor = parseCursor(url.searchParams.get('since') ?? /** @type {string | undefined} one string: Node joins repeats of a header it does not know */ (req.headers['last-event-id']), epochParam) ?? { epoch, seq };
    res.writeHead(200, { ...corsHeaders(req), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    streams.add(res);
    deliver(res, `retry: ${SSE_RETRY_MS}\n\n`);
    const found = catchUp(cursor);
    if ('reload' in found) deliver(res, sseFrame(position(), 'reload', { reason: found.reload, message: found.message }));
    else for (const c of found.changes) if (streams.has(res)) deliver(res, c.frame);
    const keepAlive = setInterval(() => streams.has(res) && deliver(res, ': keep-alive\n\n'), KEEP_ALIVE_MS);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
    return undefined;
  }

  /** @param {Request} req @param {Response} res @param {string | undefined} name */
  async function testHook(req, res, name) {
    if (req.method !== 'POST' && !(req.method === 'GET' && (name === 'requests' || name === 'memory'))) throw new HttpError(405, 'Test hooks take POST (GET for /__test/requests and /__test/memory).');
    switch (name) {
      case 'upsert': {
        const body = await readJson(req);
        const raw = Array.isArray(body) ? body : body?.experiments;
        if (!Array.isArray(raw)) throw new HttpError(400, 'The body must be {"experiments": [...]}.');
        return send(req, res, 200, await upsert(raw));
      }
      case 'reset':
        entries = initialEntries;
        trash = [];
        reindex();
        faults = [];
        requestLog.length = 0;
        publish('reload', {});
        return send(req, res, 200, { total: records.size, changeSeq: seq, changeEpoch: epoch });
      case 'faults': {
        // [{method, path, status, delayMs, count}]: the next `count` matching requests are delayed and/or fail.
        const body = await readJson(req);
        faults = (Array.isArray(body) ? body : [body]).map((/** @type {any} */ f) => ({ method: f.method ?? 'GET', path: f.path ?? '/', status: f.status, delayMs: f.delayMs ?? 0, count: f.count ?? 1 }));
        return send(req, res, 200, { faults: faults.length });
      }
      case 'requests':
        return send(req, res, 200, { requests: requestLog });
      case 'restart': {
        // What a restart does to the change feed: a new epoch, an empty log, every stream cut.
        epoch = randomBytes(6).toString('base64url');
        seq = 0;
        changes.length = 0;
        changeBytes = 0;
        for (const stream of streams) stream.destroy();
        streams.clear();
        return send(req, res, 200, { changeEpoch: epoch, changeSeq: seq });
      }
      case 'drop-streams': {
        // Ends every change stream, as a proxy timeout or a server restart would.
        const dropped = streams.size;
        for (const stream of streams) stream.destroy();
        streams.clear();
        return send(req, res, 200, { dropped });
      }
      case 'memory': {
        // After a full collection when the process allows it (node --expose-gc), for memory tests.
        globalThis.gc?.();
        const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
        return send(req, res, 200, { rss, heapUsed, external, arrayBuffers, streams: streams.size, changes: changes.length, changeBytes });
      }
      default:
        throw new HttpError(404, `No test hook ${JSON.stringify(name)}.`);
    }
  }

  /** @param {Request} req @param {Response} res @param {string} pathname */
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

  /** @param {Request} req @param {Response} res */
  async function route(req, res) {
    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 reaches this
    // server as same-origin, but its requests still say Host: evil.example.
    if (loopback && req.headers.host !== undefined && !allowedHosts.has(req.headers.host.toLowerCase())) {
      throw new HttpError(421, `This server answers only to ${[...allowedHosts][0]} (this request was addressed to ${JSON.stringify(req.headers.host)}). Use its own address.`);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      const cors = corsHeaders(req);
      if (req.headers.origin !== undefined && !cors['access-control-allow-origin']) {
        throw new HttpError(403, `The web page at ${req.headers.origin} may not use this server: start it with --cors-origin ${req.headers.origin} to allow it.`);
      }
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        // The page is one the operator named: it may send what headers it needs (auth proxies).
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? ALLOWED_HEADERS,
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
      if (head === 'capabilities' && !id && get) {
        // What this page can do: a page whose origin may not write is not offered deleting.
        const canWrite = writable && !writeRefusal(req);
        return send(req, res, 200, { serverQuery: true, live: true, delete: canWrite, restore: canWrite, writeToken: Boolean(token), history: true, maxPageSize: MAX_PAGE_SIZE, formatVersion: '1.0' });
      }
      if (head === 'trash' && !id && get) return send(req, res, 200, { deleted: trash.map((t) => ({ id: t.id, deletedAt: t.deletedAt })) });
      if (head === 'changes' && !id && get) return changeFeed(req, res, url);
      if (head === 'experiments') {
        if (!id && get) return listExperiments(req, res, url);
        if (id === 'delete' && !sub && req.method === 'POST') return deleteExperiments(req, res);
        if (id === 'restore' && !sub && req.method === 'POST') return restoreExperiments(req, res);
        if (id && !sub && get) return send(req, res, 200, findExperiment(id));
        if (id && sub === 'metrics' && key && tail === 'history' && get) return history(req, res, id, key);
        if (id && sub === 'artifacts' && key && !tail && get) return artifact(req, res, id, key);
      }
    }
    throw new HttpError(404, `No such endpoint: ${req.method} ${url.pathname}. See openapi/experiment-dashboard.openapi.yaml.`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      if (err instanceof HttpError) send(req, res, err.status, { error: err.message }, err.headers);
      else send(req, res, 500, { error: `The server failed: ${/** @type {Error | undefined} */ (err)?.message ?? err}` });
    });
  });
  await /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  }));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address()); // TCP: never a pipe name or null once listening
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}/`;
  for (const name of new Set([shownHost.toLowerCase(), 'localhost', '127.0.0.1', '[::1]'])) {
    allowedHosts.add(`${name}:${address.port}`);
    if (address.port === 80) allowedHosts.add(name);
  }

  return {
    url,
    port: address.port,
    problems: initial.problems,
    removedTemporaryFiles: strayFiles,
    /** Where deleted records are kept (writable servers on a data file). */
    trashFile,
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
