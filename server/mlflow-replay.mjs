// @ts-check
// A replay of real MLflow tracking servers, for tests: it answers the requests recorded in
// test/fixtures/mlflow-rest-recorded/*.jsonl (MLflow 3.3.2 and 3.6.1, see its README) with the
// answers the real servers gave, and anything else with a 501 naming the request. Nothing here
// is a hand-written MLflow answer: a test that passes talks to MLflow the way MLflow was seen
// to answer.
//
// Addresses: http://127.0.0.1:<port>/<scenario>/<session>/api/2.0/mlflow/... where
// - <scenario> picks the recording and how cross-origin requests are treated:
//   `3.3`          MLflow 3.3.2 behind a reverse proxy that allows the page's origin (what a
//                  same-origin deployment looks like to the page); every 3.3 exchange.
//   `3.3-direct`   MLflow 3.3.2 as it is: no CORS headers at all (a browser page on another
//                  origin cannot read any answer).
//   `3.6-blocked`  MLflow 3.6.1 without --cors-allowed-origins, the page's origin standing for
//                  the recorded disallowed origin http://127.0.0.2:8093 (lines 1-11).
//   `3.6-allowed`  MLflow 3.6.1 started with --cors-allowed-origins naming that origin (12-22).
// - <session> is any name: a request recorded several times (a run read before and after a
//   delete) is answered in recorded order, per session, so each test starts from the beginning.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/mlflow-rest-recorded/', import.meta.url));

/** @typedef {{seq: number, case: string, method: string, path: string, requestHeaders: Record<string, string>, requestBody: unknown, status: number, responseHeaders: Record<string, string>, responseBody: unknown}} Exchange */

/** @param {string} file */
function readExchanges(file) {
  return /** @type {Exchange[]} */ (
    readFileSync(FIXTURES + file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l))
  );
}

/** @type {Record<string, {file: string, from?: number, to?: number, cors: 'proxy' | 'none' | 'recorded', asOrigin?: string}>} */
const SCENARIOS = {
  '3.3': { file: 'exchanges-3.3.jsonl', cors: 'proxy' },
  '3.3-direct': { file: 'exchanges-3.3.jsonl', cors: 'none' },
  '3.6-blocked': { file: 'exchanges-3.6-cors.jsonl', from: 1, to: 11, cors: 'recorded', asOrigin: 'http://127.0.0.2:8093' },
  '3.6-allowed': { file: 'exchanges-3.6-cors.jsonl', from: 12, to: 22, cors: 'recorded', asOrigin: 'http://127.0.0.2:8093' },
};

/**
 * Equal as JSON values, object keys in any order.
 * @param {any} a
 * @param {any} b
 * @returns {boolean}
 */
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

const mediaType = (/** @type {string | undefined} */ v) => (v ?? '').split(';')[0].trim().toLowerCase();

/**
 * @param {Exchange} x
 * @param {{method: string, path: string, body: string, contentType: string, origin: string | undefined}} req
 * @param {{cors: string, asOrigin?: string}} scenario
 */
function matches(x, req, scenario) {
  if (x.method !== req.method || x.path !== req.path) return false;
  if (scenario.cors === 'recorded') {
    // The browser's own origin plays the recorded one; a request without Origin matches one recorded without.
    const recorded = x.requestHeaders.origin;
    if ((req.origin === undefined) !== (recorded === undefined)) return false;
    if (req.origin !== undefined && recorded !== scenario.asOrigin) return false;
  }
  if (req.method === 'OPTIONS') return true;
  if (x.requestHeaders['content-type'] !== undefined && mediaType(x.requestHeaders['content-type']) !== mediaType(req.contentType)) return false;
  if (x.requestBody === null || x.requestBody === undefined) return req.body === '';
  if (typeof x.requestBody === 'string' && (/** @type {any} */ (x).requestBodyNotJson || mediaType(req.contentType) !== 'application/json')) return x.requestBody === req.body;
  try {
    return sameJson(JSON.parse(req.body), x.requestBody);
  } catch {
    return false;
  }
}

/**
 * Starts the replay on a free loopback port.
 * @param {{port?: number}} [options]
 * @returns {Promise<{url: string, close: () => Promise<void>, requests: {scenario: string, session: string, method: string, path: string, body: string, seq?: number}[]}>}
 */
export async function startMlflowReplay(options = {}) {
  /** @type {Map<string, Exchange[]>} */
  const byFile = new Map();
  const exchangesOf = (/** @type {string} */ name) => {
    const s = SCENARIOS[name];
    if (!byFile.has(s.file)) byFile.set(s.file, readExchanges(s.file));
    return /** @type {Exchange[]} */ (byFile.get(s.file)).filter((x) => (s.from === undefined || x.seq >= s.from) && (s.to === undefined || x.seq <= s.to));
  };
  /** Per session and request, how many of its recorded answers were given. */
  const cursors = new Map();
  /** @type {{scenario: string, session: string, method: string, path: string, body: string, seq?: number}[]} */
  const requests = [];

  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const m = /^\/([^/]+)\/([^/]+)(\/.*)$/.exec(request.url ?? '');
      const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
      const scenarioName = m?.[1] ?? '';
      const scenario = SCENARIOS[scenarioName];
      /** @param {number} status @param {Record<string, string>} headers @param {string} text */
      const send = (status, headers, text) => {
        const out = { ...headers };
        delete out['content-length'];
        if (scenario?.cors === 'recorded' && out['access-control-allow-origin'] && origin) out['access-control-allow-origin'] = origin;
        if (scenario?.cors === 'proxy' && origin) {
          out['access-control-allow-origin'] = origin;
          out['access-control-allow-credentials'] = 'true';
        }
        out['content-length'] = String(Buffer.byteLength(text));
        response.writeHead(status, out);
        response.end(text);
      };
      if (!m || !scenario) {
        send(404, { 'content-type': 'text/plain' }, `Use /<scenario>/<session>/..., scenario one of ${Object.keys(SCENARIOS).join(', ')}`);
        return;
      }
      const [, , session, path] = m;
      const req = { method: request.method ?? 'GET', path, body, contentType: String(request.headers['content-type'] ?? ''), origin };
      requests.push({ scenario: scenarioName, session, method: req.method, path, body });
      if (req.method === 'OPTIONS' && scenario.cors !== 'recorded') {
        // Not recorded for 3.3: the proxy allows the page; MLflow 3.3 itself sends no CORS headers.
        /** @type {Record<string, string>} */
        const allow = scenario.cors === 'proxy' ? { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': String(request.headers['access-control-request-headers'] ?? ''), 'access-control-max-age': '600' } : {};
        send(200, { 'content-type': 'text/plain; charset=utf-8', ...allow }, 'OK');
        return;
      }
      const candidates = exchangesOf(scenarioName).filter((x) => matches(x, req, scenario));
      if (candidates.length === 0) {
        send(501, { 'content-type': 'application/json' }, JSON.stringify({ error_code: 'NOT_RECORDED', message: `No recorded exchange for ${req.method} ${path} ${body}` }));
        return;
      }
      const key = `${scenarioName}\n${session}\n${req.method}\n${path}\n${body}`;
      const n = cursors.get(key) ?? 0;
      cursors.set(key, n + 1);
      const x = /** @type {Exchange} */ (candidates[Math.min(n, candidates.length - 1)]);
      /** @type {any} */ (requests.at(-1)).seq = x.seq;
      const text = x.responseBody === null || x.responseBody === undefined ? '' : typeof x.responseBody === 'string' ? x.responseBody : JSON.stringify(x.responseBody, null, 2);
      send(x.status, x.responseHeaders, text);
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * @web/test-runner plugin: starts the replay on first use; GET /__mlflow-replay on the test
 * page's origin answers {url}. GET /__mlflow-replay/requests?session=x lists what a session sent.
 */
export function mlflowReplayPlugin() {
  /** @type {ReturnType<typeof startMlflowReplay> | undefined} */
  let replay;
  return {
    name: 'mlflow-replay',
    /** @param {{path: string, query?: Record<string, string>, url: string}} context */
    async serve(context) {
      if (context.path !== '/__mlflow-replay' && context.path !== '/__mlflow-replay/requests') return undefined;
      replay ??= startMlflowReplay();
      const r = await replay;
      const session = new URL(context.url, 'http://x').searchParams.get('session');
      const body = context.path === '/__mlflow-replay' ? { url: r.url } : r.requests.filter((q) => q.session === session);
      return { body: JSON.stringify(body), type: 'application/json', headers: { 'cache-control': 'no-store' } };
    },
    async serverStop() {
      if (replay) await (await replay).close();
    },
  };
}
