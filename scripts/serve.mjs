#!/usr/bin/env node
// The demo (`npm start`): a small static file server for the project folder on
// http://localhost:8000 (PORT overrides; / goes to the demo page), and the reference HTTP
// experiment service on http://localhost:8010 (API_PORT overrides) for the demo's HTTP mode.
import { createServer, request } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? 'localhost';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.yaml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// The demo's sample collection, generated here (seeded, so always the same) rather than in the
// page: the page then loads it the way a user's file loads, through the static JSON source.
const samples = new Map();
async function sample(n, seed) {
  const key = `${n}:${seed}`;
  if (!samples.has(key)) {
    const { generateCollection, collectionToJson } = await import('../dist/data/sample-data.js');
    samples.set(key, collectionToJson(generateCollection({ n, seed, historyPoints: n > 20000 ? 0 : n > 2000 ? 8 : 30 })));
    if (samples.size > 4) samples.delete(samples.keys().next().value);
  }
  return samples.get(key);
}

// The demo's HTTP mode at the count and seed the page chose: /demo/api/<n>/<seed>/<path> goes to a
// reference server holding that sample (started on first use, on a free port; a few are kept).
// Same origin as the page, so the demo needs no CORS.
const apis = new Map();
async function apiFor(n, seed) {
  const key = `${n}:${seed}`;
  if (!apis.has(key)) {
    const { startServer } = await import('../server/reference-server.mjs');
    const { generateCollection } = await import('../dist/data/sample-data.js');
    const data = generateCollection({ n, seed, historyPoints: n > 20000 ? 0 : 20 });
    apis.set(key, startServer({ data, port: 0, host: '127.0.0.1', writable: true }));
    if (apis.size > 3) {
      const [oldest, started] = apis.entries().next().value;
      apis.delete(oldest);
      started.then((api) => api.close()).catch(() => {});
    }
  }
  return apis.get(key);
}

function proxyToApi(req, res, api, path) {
  const target = new URL(path, api.url);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (e) => res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end(`The demo's reference server did not answer (${e.message}).`));
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const apiPath = /^\/demo\/api\/(\d+)\/(\d+)\/(.*)$/.exec(url.pathname);
  if (apiPath) {
    const api = await apiFor(Math.min(200000, Number(apiPath[1])), Number(apiPath[2]) || 42);
    proxyToApi(req, res, api, `${apiPath[3]}${url.search}`);
    return;
  }
  if (url.pathname === '/') {
    res.writeHead(302, { location: '/demo/' }).end();
    return;
  }
  if (url.pathname === '/demo/sample.json') {
    const n = Math.max(0, Math.min(200000, Number(url.searchParams.get('n') ?? 500) || 0));
    const seed = Number(url.searchParams.get('seed') ?? 42) || 42;
    const body = await sample(n, seed);
    res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-cache' }).end(body);
    return;
  }
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!path.startsWith(root)) {
    res.writeHead(403).end('Forbidden');
    return;
  }
  try {
    if (statSync(path).isDirectory()) path = join(path, 'index.html');
    const size = statSync(path).size;
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-cache' });
    createReadStream(path).pipe(res);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: ${url.pathname}`);
  }
});

server.listen(port, host, () => {
  console.log(`Experiment Dashboard demo: http://${host}:${port}/demo/`);
});

// The reference server on a fixed port, for clients other than the demo page (`?api=` points the
// demo at any other server).
const apiPort = Number(process.env.API_PORT ?? 8010);
const { startServer } = await import('../server/reference-server.mjs');
const { generateCollection } = await import('../dist/data/sample-data.js');
const api = await startServer({ data: generateCollection({ n: 2000, historyPoints: 20 }), port: apiPort, host, writable: true });
console.log(`Reference experiment service (demo HTTP mode): ${api.url}`);
