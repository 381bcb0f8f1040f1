#!/usr/bin/env node
// The benchmark of issue 8: the dashboard at 1k/10k/100k experiments against plain Tabulator and
// JSON.parse on the same data, in headless Chromium. `npm run bench` (builds first);
// `node bench/run.mjs --sizes 1000,10000 --runs 3`. Writes bench/results/latest.{json,md}.
// What is measured and how to read it: bench/README.md.
import { createReadStream, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS = join(ROOT, 'bench', 'results');
const SEED = 42;
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'];
const CONTEXT_OPTIONS = { viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 };
const KB = 1024;

// ---- options ----

function parseArgs(argv) {
  const opts = { sizes: [1000, 10000, 100000], runs: undefined, warmup: 1, maxMinutes: 13 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--sizes') opts.sizes = value().split(',').map((s) => Number(s.trim().replace(/k$/i, '000'))).filter((n) => Number.isInteger(n) && n > 0);
    else if (flag === '--runs') opts.runs = Math.max(1, Number(value()));
    else if (flag === '--warmup') opts.warmup = Math.max(0, Number(value()));
    else if (flag === '--max-minutes') opts.maxMinutes = Math.max(1, Number(value()));
    else if (flag === '--bundle-only') opts.bundleOnly = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('node bench/run.mjs [--sizes 1000,10000,100000] [--runs N] [--warmup N] [--max-minutes M] [--bundle-only (print the bundle sizes, write nothing)]');
      process.exit(0);
    } else throw new Error(`Unknown option ${argv[i]} (try --help).`);
  }
  if (opts.sizes.length === 0) throw new Error('--sizes needs positive integers, e.g. --sizes 1000,10000');
  return opts;
}

const runsFor = (opts, n) => opts.runs ?? (n >= 100_000 ? 3 : 5);
const loadTimeout = (n) => Math.max(60_000, n * 2);
const opTimeout = (n) => Math.max(30_000, n * 0.9);

// ---- operations and budgets (budgets from issue 8, checked at 100k) ----

const ms = (limit) => ({ kind: 'ms', limit, text: `≤ ${limit} ms` });
const ratio = (limit) => ({ kind: 'ratio', limit, text: `≤ ${limit}× baseline` });
const BUDGET_SIZE = 100_000;

/** The table operations, in the order they run; entries without a label only reset the view. */
const TABLE_OPS = [
  // Right after the first rows, before the dashboard's background search preparation is done.
  { id: 'search:early', label: 'search "adamw" right after first rows (no pause)', dashboardOnly: true, noSettle: true },
  { id: 'search:clear' },
  { id: 'search', label: 'search "adamw"', budget: ms(150) },
  { id: 'search:clear' },
  { id: 'filter', label: 'header filter (main metric ≥ 0.7)', budget: ms(150) },
  { id: 'filter:clear' },
  { id: 'sort:number', label: 'sort: numeric column (main metric)', budget: ms(200) },
  { id: 'sort:text', label: 'sort: text column (name)', budget: ms(200) },
  { id: 'sort:clear' },
  { id: 'group:1', label: 'group by 1 attribute (operator)', budget: ms(150) },
  { id: 'group:2', label: 'group by 2 attributes (operator, status)', budget: ms(200) },
  { id: 'ungroup', label: 'ungroup' },
  { id: 'expand', label: 'expand a row detail', budget: ms(50), dashboardOnly: true },
  { id: 'expand:clear', dashboardOnly: true },
  { id: 'column:show', label: 'show a column', budget: ms(50) },
  { id: 'column:hide', label: 'hide a column', budget: ms(50) },
  { id: 'scroll', label: 'scroll to the middle' },
];

const OPS = {
  staticRows: { label: 'load → first rows', source: 'static JSON', baseline: 'JSON.parse', budget: ratio(1.8) },
  staticRowsVsTable: { label: 'load → first rows (vs plain Tabulator)', source: 'static JSON', baseline: 'JSON.parse + plain Tabulator setData → first rows' },
  staticLoaded: { label: 'load → experiments-loaded', source: 'static JSON', baseline: 'JSON.parse' },
  idbScreen: { label: 'load → first screen (toolbar painted)', source: 'IndexedDB', budget: ms(150) },
  idbRows: { label: 'load → first rows', source: 'IndexedDB', baseline: 'JSON.parse', budget: ms(1500) },
  idbLoaded: { label: 'load → experiments-loaded', source: 'IndexedDB', baseline: 'JSON.parse' },
  httpServerRows: { label: 'load → first page rows (server query)', source: 'HTTP server-query', baseline: 'JSON.parse' },
  httpServerLoaded: { label: 'load → experiments-loaded (first page)', source: 'HTTP server-query', baseline: 'JSON.parse' },
  httpClientRows: { label: 'load → first rows', source: 'HTTP client mode', baseline: 'JSON.parse' },
  httpClientLoaded: { label: 'load → experiments-loaded', source: 'HTTP client mode', baseline: 'JSON.parse' },
  ...Object.fromEntries(TABLE_OPS.filter((o) => o.label).map((o) => [o.id, { label: o.label, baseline: o.dashboardOnly ? undefined : 'plain Tabulator', budget: o.budget }])),
  'search:early': { label: TABLE_OPS[0].label, baseline: 'plain Tabulator (naive search needs no preparation)' },
  longTask: { label: 'longest long task after first paint', baseline: 'plain Tabulator', budget: ms(200) },
  heap: { label: 'JS heap after GC − empty page', unit: 'bytes', baseline: 'JSON.parse result kept alive', budget: ratio(1.5) },
  heapTable: { label: 'JS heap after GC − empty page, plain Tabulator (info)', unit: 'bytes', baseline: 'JSON.parse result kept alive' },
};

// ---- results ----

const results = new Map();

function sample(size, key) {
  const id = `${size}|${key}`;
  let s = results.get(id);
  if (!s) {
    const def = OPS[key] ?? { label: key };
    s = { size, key, def, runs: [], baselineRuns: [], errors: [], details: [], baselineDetails: [] };
    results.set(id, s);
  }
  return s;
}

const record = (size, key, value, detail) => {
  const s = sample(size, key);
  s.runs.push(value);
  if (detail) s.details.push(detail);
};
const recordBaseline = (size, key, value) => sample(size, key).baselineRuns.push(value);
const recordError = (size, key, message) => sample(size, key).errors.push(message);

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function summarize(s) {
  const { def } = s;
  const m = median(s.runs);
  const b = median(s.baselineRuns);
  const r = m !== null && b !== null && b > 0 ? m / b : null;
  const entry = { size: s.size, operation: def.label };
  if (def.source) entry.source = def.source;
  entry.unit = def.unit ?? 'ms';
  entry.median = round(m);
  entry.runs = s.runs.map(round);
  if (def.baseline) entry.baseline = def.baseline;
  entry.baselineMedian = round(b);
  entry.baselineRuns = s.baselineRuns.map(round);
  entry.ratio = r === null ? null : Math.round(r * 100) / 100;
  const budget = def.budget && (s.size === BUDGET_SIZE || s.size === null) ? def.budget : undefined;
  if (budget) {
    entry.budget = budget.text;
    const value = budget.kind === 'ratio' ? r : m;
    entry.withinBudget = value === null ? null : value <= budget.limit;
  }
  if (s.errors.length > 0) entry.errors = s.errors;
  if (s.details.length > 0) entry.details = s.details;
  if (s.baselineDetails.length > 0) entry.baselineDetails = s.baselineDetails;
  return entry;
}

const round = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10) / 10 : null);

function formatValue(v, unit) {
  if (v === null || v === undefined) return '—';
  if (unit === 'bytes') return v >= 1024 * KB ? `${(v / (1024 * KB)).toFixed(1)} MB` : `${(v / KB).toFixed(1)} KB`;
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`;
}

const verdict = (e) => (e.withinBudget === true ? 'ok' : e.withinBudget === false ? 'OVER' : e.budget ? 'n/a' : '');

function line(e) {
  const what = `${e.operation}${e.source ? ` [${e.source}]` : ''}`;
  const base = e.baselineMedian === null ? '' : ` | baseline ${formatValue(e.baselineMedian, e.unit)} (${e.baseline}) | ratio ${e.ratio ?? '—'}`;
  const budget = e.budget ? ` | budget ${e.budget}: ${verdict(e)}` : '';
  const errors = e.errors ? ` | ${e.errors.length} error(s): ${e.errors[0]}` : '';
  const where = (d) => (d?.during ? ` in ${d.during}` : '');
  const runs = e.runs.map((x, i) => formatValue(x, e.unit) + where(e.details?.[i])).join(', ') || 'none';
  return `  ${what}: ${formatValue(e.median, e.unit)} (runs ${runs})${base}${budget}${errors}`;
}

/** By size (bundle last), then in the order of OPS. */
function ordered(samples, sizes) {
  const keys = Object.keys(OPS);
  const sizeOrder = (s) => (s === null ? Infinity : sizes.indexOf(s));
  return samples.filter((s) => s.size === null || sizes.includes(s.size)).sort((a, b) => sizeOrder(a.size) - sizeOrder(b.size) || keys.indexOf(a.key) - keys.indexOf(b.key));
}

// ---- static file server (the repository, the data files, the bench pages) ----

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json' };

const PAGES = {
  'empty.html': '<!doctype html><meta charset="utf-8"><title>empty</title><script type="module" src="/bench/browser.mjs"></script>',
  'dashboard.html': `<!doctype html><meta charset="utf-8"><title>dashboard</title>
<style>body{margin:0;font:13px system-ui}#host{width:1380px;height:700px}</style>
<script type="module" src="/dist/experiment-dashboard.bundle.js"></script>
<script type="module" src="/bench/browser.mjs"></script>
<div id="host"></div>`,
  'baseline.html': `<!doctype html><meta charset="utf-8"><title>plain Tabulator</title>
<link rel="stylesheet" href="/node_modules/tabulator-tables/dist/css/tabulator.min.css">
<style>body{margin:0;font:13px system-ui}#table{width:1380px}</style>
<script type="module" src="/bench/browser.mjs"></script>
<div id="table"></div>`,
};

function startStaticServer(dataDir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status, type, body) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url.pathname.startsWith('/__bench/')) {
      const page = PAGES[url.pathname.slice('/__bench/'.length)];
      if (page) send(200, TYPES['.html'], page);
      else send(404, 'text/plain', 'no such page');
      return;
    }
    const [base, rel] = url.pathname.startsWith('/__data/') ? [dataDir, url.pathname.slice('/__data/'.length)] : [ROOT, url.pathname];
    const path = normalize(join(base, decodeURIComponent(rel)));
    if (path !== base && !path.startsWith(base + sep)) {
      send(403, 'text/plain', 'forbidden');
      return;
    }
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' });
      createReadStream(path).pipe(res);
    } catch {
      send(404, 'text/plain', `not found: ${url.pathname}`);
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    const close = () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}`, close }));
  });
}

// ---- browser helpers ----

class OpTimeout extends Error {}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new OpTimeout(`${what}: no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Calls window.bench[fn](arg) in the page. */
function call(page, fn, arg, timeoutMs) {
  return withTimeout(
    page.evaluate(([f, a]) => window.bench[f](a), [fn, arg]),
    timeoutMs,
    fn,
  );
}

async function openPage(context, base, name) {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.warn(`    page error (${name}): ${err.message}`));
  // A busy machine (a browser still writing a large database to disk) can make a start slow: one retry.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${base}/__bench/${name}`, { timeout: 90_000 });
      await page.waitForFunction(() => window.bench?.ready && (!document.querySelector('script[src*="experiment-dashboard.bundle"]') || customElements.get('experiment-dashboard')), undefined, { timeout: 90_000 });
      return page;
    } catch (err) {
      if (attempt >= 2) throw err;
      console.warn(`    opening ${name} failed (${err.message.split('\n')[0]}); retrying`);
    }
  }
}

/** JS heap in use after a full GC (CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage). */
async function heapUsed(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) await withTimeout(cdp.send('HeapProfiler.collectGarbage'), 60_000, 'collectGarbage');
    const usage = await withTimeout(cdp.send('Runtime.getHeapUsage'), 30_000, 'getHeapUsage');
    return usage.usedSize;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function closeQuietly(closable) {
  await withTimeout(closable.close(), 30_000, 'close').catch((err) => console.warn(`    could not close cleanly: ${err.message}`));
  await cpuQuiet();
}

/** Busy and total jiffies of all CPUs (Linux /proc/stat); undefined elsewhere. */
async function cpuTimes() {
  try {
    const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/);
    const n = fields.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - n[3] - (n[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/**
 * Waits (up to 10 s) until the machine's CPUs are mostly idle: a closed context's renderer with a
 * few hundred MB of heap takes a while to exit, and on 2 cores it would otherwise compete with
 * the next run's first operations. (The lone 400-500 ms long tasks at 100,000 are not that: a
 * trace shows V8's major GC marking in them, see bench/README.md.)
 */
async function cpuQuiet(maxMs = 10_000) {
  const until = performance.now() + maxMs;
  let before = await cpuTimes();
  if (!before) return;
  while (performance.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await cpuTimes();
    const busy = (now.busy - before.busy) / Math.max(1, now.total - before.total);
    if (busy < 0.15) return;
    before = now;
  }
}

/**
 * Runs the table operations; a failing one is recorded as an error, a timed-out one also ends
 * the sequence (the page is presumably stuck).
 */
async function runTableOps(page, size, fn, onResult, onError) {
  for (const op of TABLE_OPS) {
    if (fn === 'baselineOp' && op.dashboardOnly) continue;
    try {
      const r = await call(page, fn, { name: op.id, settle: !op.noSettle }, opTimeout(size));
      if (op.label) onResult(op, r);
    } catch (err) {
      if (op.label) onError(op, err.message);
      if (err instanceof OpTimeout) {
        const rest = TABLE_OPS.slice(TABLE_OPS.indexOf(op) + 1).filter((o) => o.label && !(fn === 'baselineOp' && o.dashboardOnly));
        for (const o of rest) onError(o, 'skipped: an earlier operation timed out');
        return false;
      }
    }
  }
  return true;
}

// ---- one run of each kind ----

async function baselineRun(env, size, keep) {
  const { path: url } = env.data.get(size);
  const context = await env.browser.newContext(CONTEXT_OPTIONS);
  const out = {};
  try {
    const page = await openPage(context, env.base, 'empty.html');
    out.emptyHeap = await heapUsed(page);
    const parse = await call(page, 'parseText', { url }, loadTimeout(size));
    out.parseMs = parse.ms;
    out.parsedHeap = (await heapUsed(page)) - out.emptyHeap;
    await call(page, 'dropParsed', null, 30_000);
    await page.close();

    const table = await openPage(context, env.base, 'baseline.html');
    await call(table, 'baselineTable', null, 60_000);
    const load = await call(table, 'baselineLoad', { url }, loadTimeout(size));
    out.tableRowsMs = load.firstRowsMs;
    const ok = await runTableOps(
      table,
      size,
      'baselineOp',
      (op, r) => {
        if (!keep) return;
        recordBaseline(size, op.id, r.ms);
        if (op.id === 'search') recordBaseline(size, 'search:early', r.ms);
      },
      (op, message) => keep && console.warn(`    baseline ${op.label}: ${message}`),
    );
    if (ok) {
      const lt = await call(table, 'longTaskReport', null, 30_000);
      if (keep) {
        recordBaseline(size, 'longTask', lt.max);
        sample(size, 'longTask').baselineDetails.push({ longTasks: lt.count, during: lt.during });
      }
      out.tableHeap = (await heapUsed(table)) - out.emptyHeap;
    }
  } finally {
    await closeQuietly(context);
  }
  if (keep) {
    for (const key of ['staticRows', 'staticLoaded', 'idbRows', 'idbLoaded', 'httpServerRows', 'httpServerLoaded', 'httpClientRows', 'httpClientLoaded']) recordBaseline(size, key, out.parseMs);
    if (out.tableRowsMs !== undefined) recordBaseline(size, 'staticRowsVsTable', out.tableRowsMs);
    recordBaseline(size, 'heap', out.parsedHeap);
    recordBaseline(size, 'heapTable', out.parsedHeap);
    if (out.tableHeap !== undefined) record(size, 'heapTable', out.tableHeap);
  }
  return out;
}

async function dashboardStaticRun(env, size, keep) {
  const { path } = env.data.get(size);
  const context = await env.browser.newContext(CONTEXT_OPTIONS);
  const out = {};
  try {
    const empty = await openPage(context, env.base, 'empty.html');
    const emptyHeap = await heapUsed(empty);
    await empty.close();
    const page = await openPage(context, env.base, 'dashboard.html');
    const codeHeap = (await heapUsed(page)) - emptyHeap;
    let load;
    try {
      load = await call(page, 'dashStatic', { url: path }, loadTimeout(size));
    } catch (err) {
      if (keep) for (const key of ['staticRows', 'staticRowsVsTable', 'staticLoaded']) recordError(size, key, err.message);
      throw err;
    }
    out.load = load;
    if (keep) {
      record(size, 'staticRows', load.firstRowsMs, { rows: load.rows, tableHeight: load.tableHeight });
      record(size, 'staticRowsVsTable', load.firstRowsMs);
      record(size, 'staticLoaded', load.loadedMs);
    }
    const ok = await runTableOps(
      page,
      size,
      'dashOp',
      (op, r) => {
        if (!keep) return;
        const { ms: value, settleMs: _settle, ...detail } = r;
        record(size, op.id, value, Object.keys(detail).length > 0 ? detail : undefined);
      },
      (op, message) => keep && recordError(size, op.id, message),
    );
    if (ok) {
      const lt = await call(page, 'longTaskReport', null, 30_000);
      if (keep) record(size, 'longTask', lt.supported ? lt.max : null, { longTasks: lt.count, during: lt.during, over100: lt.over100 });
      await call(page, 'settle', undefined, 60_000);
      const heap = (await heapUsed(page)) - emptyHeap;
      if (keep) record(size, 'heap', heap, { codeHeap, dataHeap: heap - codeHeap });
    } else if (keep) {
      recordError(size, 'longTask', 'not measured: an operation timed out');
      recordError(size, 'heap', 'not measured: an operation timed out');
    }
  } finally {
    await closeQuietly(context);
  }
  return out;
}

function launchPersistent(env) {
  return chromium.launchPersistentContext(env.idbDir, { ...CONTEXT_OPTIONS, executablePath: env.chromePath, headless: true, args: CHROME_ARGS });
}

async function prepareDatabase(env, size) {
  const context = await launchPersistent(env);
  try {
    const page = await openPage(context, env.base, 'dashboard.html');
    return await call(page, 'fillDatabase', { url: env.data.get(size).path, name: `bench-${size}` }, Math.max(120_000, size * 3));
  } finally {
    await closeQuietly(context);
  }
}

async function dashboardDatabaseRun(env, size, keep) {
  const context = await launchPersistent(env);
  try {
    const page = await openPage(context, env.base, 'dashboard.html');
    const r = await call(page, 'dashDatabase', { name: `bench-${size}` }, loadTimeout(size));
    if (keep) {
      record(size, 'idbScreen', r.firstScreenMs);
      record(size, 'idbRows', r.firstRowsMs, { rows: r.rows });
      record(size, 'idbLoaded', r.loadedMs);
    }
    return r;
  } catch (err) {
    if (keep) for (const key of ['idbScreen', 'idbRows', 'idbLoaded']) recordError(size, key, err.message);
    throw err;
  } finally {
    await closeQuietly(context);
  }
}

async function dashboardHttpRun(env, size, keep, mode) {
  const [rowsKey, loadedKey] = mode === 'client' ? ['httpClientRows', 'httpClientLoaded'] : ['httpServerRows', 'httpServerLoaded'];
  const context = await env.browser.newContext(CONTEXT_OPTIONS);
  try {
    const page = await openPage(context, env.base, 'dashboard.html');
    const r = await call(page, 'dashHttp', { baseUrl: env.api.url, mode }, loadTimeout(size));
    if (keep) {
      record(size, rowsKey, r.firstRowsMs, { rows: r.rows });
      record(size, loadedKey, r.loadedMs);
    }
    return r;
  } catch (err) {
    if (keep) for (const key of [rowsKey, loadedKey]) recordError(size, key, err.message);
    throw err;
  } finally {
    await closeQuietly(context);
  }
}

// ---- bundle sizes ----

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Entry chunk plus everything it imports statically: what a page downloads before first use. */
function initialBytes(outputs, entry, codeOf) {
  const seen = new Set();
  let min = 0;
  let gzip = 0;
  const visit = (name) => {
    if (seen.has(name) || !outputs.has(name)) return;
    seen.add(name);
    const code = codeOf(name);
    min += code.length;
    gzip += gz(code);
    for (const dep of outputs.get(name)) visit(dep);
  };
  visit(entry);
  return { min, gzip, chunks: seen.size };
}

const isTabulator = (id) => /[\\/]tabulator-tables[\\/]/.test(id) || id === 'tabulator-tables';

/**
 * The "table bundle": what a page needs to show the table from a `src=` JSON file. That is the
 * element's own module (it registers <experiment-dashboard> and imports the component, the
 * static-JSON source, parsing, the client-side query and Tabulator with its CSS); the detail,
 * compare, column chooser, filter editor and the other sources are dynamic imports (lazy chunks,
 * not counted). dist/define.js registers every element and re-exports the whole API (sources,
 * importers' entry points, sample data): measured too, for information.
 */
const TABLE_ENTRY = 'dist/components/experiment-dashboard/experiment-dashboard.js';
const DEFINE_ENTRY = 'dist/define.js';

async function esbuildTable({ withoutTabulator = false, entryFile = TABLE_ENTRY } = {}) {
  const { build } = await import('esbuild');
  const plugins = withoutTabulator
    ? [{ name: 'no-tabulator', setup: (b) => b.onResolve({ filter: /tabulator/ }, (args) => (isTabulator(args.path) ? { path: args.path, external: true } : undefined)) }]
    : [];
  const out = await build({ entryPoints: [join(ROOT, entryFile)], bundle: true, minify: true, format: 'esm', splitting: true, outdir: join(ROOT, 'bench/results/esbuild.tmp'), absWorkingDir: ROOT, write: false, metafile: true, external: ['uplot'], platform: 'browser', legalComments: 'none', logLevel: 'silent', plugins });
  const byPath = new Map(out.outputFiles.map((f) => [f.path, f.contents]));
  const outputs = new Map();
  let entry;
  let tabulatorMin = 0;
  for (const [name, o] of Object.entries(out.metafile.outputs)) {
    if (name.endsWith('.map')) continue;
    outputs.set(name, o.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path));
    if (o.entryPoint?.endsWith(entryFile)) entry = name;
    for (const [input, v] of Object.entries(o.inputs)) if (isTabulator(input)) tabulatorMin += v.bytesInOutput;
  }
  const codeOf = (name) => byPath.get(resolve(ROOT, name));
  return { ...initialBytes(outputs, entry, codeOf), tabulatorMin };
}

const ROLLUP_TREESHAKE = { moduleSideEffects: (id) => !/[\\/]tabulator-tables[\\/]dist[\\/]js[\\/]/.test(id) };

async function rollupBuild(input, { external = [] } = {}) {
  const [{ rollup }, { default: nodeResolve }, { default: terser }] = await Promise.all([import('rollup'), import('@rollup/plugin-node-resolve'), import('@rollup/plugin-terser')]);
  const virtual = typeof input === 'object' ? input : undefined;
  const plugins = [nodeResolve({ browser: true, rootDir: ROOT }), terser({ format: { comments: false } })];
  if (virtual) plugins.unshift({ name: 'virtual', resolveId: (id) => (id === virtual.id ? id : null), load: (id) => (id === virtual.id ? virtual.code : null) });
  const bundle = await rollup({ input: virtual ? virtual.id : input, treeshake: ROLLUP_TREESHAKE, external: (id) => id === 'uplot' || external.some((f) => f(id)), plugins, onwarn: () => undefined });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const chunks = output.filter((c) => c.type === 'chunk');
  const outputs = new Map(chunks.map((c) => [c.fileName, c.imports.filter((i) => chunks.some((x) => x.fileName === i))]));
  const entry = chunks.find((c) => c.isEntry).fileName;
  return initialBytes(outputs, entry, (name) => Buffer.from(chunks.find((c) => c.fileName === name).code));
}

/** Plain Tabulator with the Tabulator modules the dashboard registers, and its CSS, on its own. */
const TABULATOR_ONLY = {
  id: '\0bench-tabulator-only',
  code: `import { Tabulator, GroupRowsModule, MoveColumnsModule, ResizeColumnsModule, ResizeTableModule, SortModule } from 'tabulator-tables';
import css from ${JSON.stringify(join(ROOT, 'dist/vendor/tabulator-tables/dist/css/tabulator.min.css.js'))};
Tabulator.registerModule([GroupRowsModule, MoveColumnsModule, ResizeColumnsModule, ResizeTableModule, SortModule]);
export { Tabulator, css };`,
};

async function measureBundles() {
  const shipped = await readFile(join(ROOT, 'dist/experiment-dashboard.bundle.js'));
  record(null, 'bundleShipped', gz(shipped), { min: shipped.length });

  const tabulatorOnly = await rollupBuild(TABULATOR_ONLY);
  const table = await esbuildTable();
  const tableNoTab = await esbuildTable({ withoutTabulator: true });
  const rolled = await rollupBuild(join(ROOT, TABLE_ENTRY));
  const rolledNoTab = await rollupBuild(join(ROOT, TABLE_ENTRY), { external: [isTabulator] });
  const everything = await esbuildTable({ entryFile: DEFINE_ENTRY });
  record(null, 'bundleDefine', everything.gzip, { min: everything.min, chunks: everything.chunks });

  record(null, 'bundleTableEsbuild', table.gzip, { min: table.min, chunks: table.chunks, tabulatorMinBytesInside: table.tabulatorMin });
  recordBaseline(null, 'bundleTableEsbuild', tabulatorOnly.gzip);
  record(null, 'bundleTabulatorEsbuild', table.gzip - tableNoTab.gzip, { min: table.min - tableNoTab.min });
  recordBaseline(null, 'bundleTabulatorEsbuild', tabulatorOnly.gzip);
  record(null, 'bundleTableRollup', rolled.gzip, { min: rolled.min, chunks: rolled.chunks });
  recordBaseline(null, 'bundleTableRollup', tabulatorOnly.gzip);
  record(null, 'bundleTabulatorRollup', rolled.gzip - rolledNoTab.gzip, { min: rolled.min - rolledNoTab.min });
  recordBaseline(null, 'bundleTabulatorRollup', tabulatorOnly.gzip);
  record(null, 'bundleTabulatorOnly', tabulatorOnly.gzip, { min: tabulatorOnly.min });
}

Object.assign(OPS, {
  bundleShipped: { label: 'bundle: dist/experiment-dashboard.bundle.js (everything, uPlot inlined), min+gzip', unit: 'bytes' },
  bundleDefine: { label: 'bundle: every element and the whole API (esbuild dist/define.js, uplot external, lazy chunks excluded; information), min+gzip', unit: 'bytes' },
  bundleTableEsbuild: { label: `bundle: table without charts (esbuild ${TABLE_ENTRY}, uplot external, lazy chunks excluded), min+gzip`, unit: 'bytes', baseline: 'plain Tabulator, same modules + CSS (rollup, tree-shaken)', budget: { kind: 'bytes', limit: 70 * KB, text: '≤ 70 KB' } },
  bundleTabulatorEsbuild: { label: 'bundle: Tabulator part of the esbuild table bundle (with − without Tabulator), min+gzip', unit: 'bytes', baseline: 'plain Tabulator, same modules + CSS (rollup, tree-shaken)' },
  bundleTableRollup: { label: `bundle: table without charts (rollup + terser as shipped, same tree-shaking, ${TABLE_ENTRY}), min+gzip`, unit: 'bytes', baseline: 'plain Tabulator, same modules + CSS (rollup, tree-shaken)', budget: { kind: 'bytes', limit: 70 * KB, text: '≤ 70 KB' } },
  bundleTabulatorRollup: { label: 'bundle: Tabulator part of the rollup table bundle (with − without Tabulator), min+gzip', unit: 'bytes', baseline: 'plain Tabulator, same modules + CSS (rollup, tree-shaken)' },
  bundleTabulatorOnly: { label: 'bundle: plain Tabulator, same modules + CSS (rollup, tree-shaken), min+gzip', unit: 'bytes' },
});

// ---- main ----

async function writeData(dir, n) {
  const { generateCollection, collectionToJson } = await import(pathToFileURL(join(ROOT, 'dist/data/sample-data.js')).href);
  const t0 = performance.now();
  const text = collectionToJson(generateCollection({ n, seed: SEED, historyPoints: 0 }));
  const file = `experiments-${n}.json`;
  await writeFile(join(dir, file), text);
  const bytes = Buffer.byteLength(text);
  return { path: `/__data/${file}`, text, bytes, perRecord: bytes / n, ms: performance.now() - t0 };
}

function machine(browserVersion) {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB (${(os.freemem() / 1024 ** 3).toFixed(1)} GiB free at start)`,
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: browserVersion,
  };
}

function markdown(meta, entries) {
  const out = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` (bench/run.mjs) on ${meta.date}. How to read this: bench/README.md.`,
    '',
    `- Machine: ${meta.machine.cpu}, ${meta.machine.memory}, load average at start ${meta.machine.loadAverage}; ${meta.machine.os}`,
    `- Chromium ${meta.machine.chromium}, Node ${meta.machine.node}, headless, viewport 1400×900`,
    `- Data: \`generateCollection({ n, seed: ${SEED}, historyPoints: 0 })\`, ${meta.data.map((d) => `${d.size.toLocaleString('en-US')}: ${(d.bytes / 1024 / 1024).toFixed(1)} MB, ${Math.round(d.bytesPerRecord)} bytes/record`).join('; ')}`,
    `- Runs: median of ${meta.sizes.map((s) => `${meta.runs[s]} at ${s.toLocaleString('en-US')}`).join(', ')}, each in a fresh browser context, after ${meta.warmup} warm-up run(s). Budgets (issue 8) are checked at 100,000 only.`,
    `- Total time ${meta.minutes.toFixed(1)} min.${meta.notes.length ? ` Notes: ${meta.notes.join(' ')}` : ''}`,
    '',
  ];
  const table = (rows) => {
    out.push('| operation | source | median | baseline | ratio | budget | verdict | runs |', '|---|---|---:|---:|---:|---|---|---|');
    for (const e of rows) {
      const where = (d) => (d?.during ? ` in ${d.during}` : '');
      const runs = e.runs.map((x, i) => formatValue(x, e.unit) + where(e.details?.[i])).join(', ') + (e.baselineDetails ? `; baseline: ${e.baselineRuns.map((x, i) => formatValue(x, e.unit) + where(e.baselineDetails[i])).join(', ')}` : '') + (e.errors ? ` — ${e.errors.length} error(s): ${e.errors[0].replaceAll('|', '/')}` : '');
      const base = e.baselineMedian === null ? '—' : `${formatValue(e.baselineMedian, e.unit)} (${e.baseline})`;
      out.push(`| ${e.operation} | ${e.source ?? ''} | ${formatValue(e.median, e.unit)} | ${base} | ${e.ratio ?? '—'} | ${e.budget ?? ''} | ${verdict(e)} | ${runs} |`);
    }
    out.push('');
  };
  for (const size of meta.sizes) {
    out.push(`## ${size.toLocaleString('en-US')} experiments`, '');
    table(entries.filter((e) => e.size === size));
  }
  out.push('## Bundle', '');
  table(entries.filter((e) => e.size === null));
  return out.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Module resolution of the bundle measurements starts from the project folder.
  process.chdir(ROOT);
  const started = performance.now();
  const deadline = started + opts.maxMinutes * 60_000;
  const notes = [];
  const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  await mkdir(RESULTS, { recursive: true });
  const tmp = await mkdtemp(join(os.tmpdir(), 'experiment-dashboard-bench-'));
  const env = { chromePath, data: new Map(), idbDir: join(tmp, 'profile') };
  let server;
  let browser;
  try {
    console.log(`Bundle sizes (min+gzip, gzip -9):`);
    try {
      await measureBundles();
    } catch (err) {
      recordError(null, 'bundleTableEsbuild', `bundle measurement failed: ${err.message}`);
    }
    for (const s of results.values()) if (s.size === null) console.log(line(summarize(s)));
    if (opts.bundleOnly) return;

    server = await startStaticServer(tmp);
    env.base = server.url;
    browser = await chromium.launch({ executablePath: chromePath, headless: true, args: CHROME_ARGS });
    env.browser = browser;
    const browserVersion = browser.version();
    const meta = { date: new Date().toISOString(), machine: machine(browserVersion), sizes: opts.sizes, runs: {}, warmup: opts.warmup, data: [], notes };
    console.log(`Chromium ${browserVersion}; ${meta.machine.cpu}; ${meta.machine.memory}; load ${meta.machine.loadAverage}`);

    for (const size of opts.sizes) {
      const sizeStart = performance.now();
      const data = await writeData(tmp, size);
      env.data.set(size, data);
      meta.data.push({ size, bytes: data.bytes, bytesPerRecord: Math.round(data.perRecord) });
      console.log(`\n== ${size.toLocaleString('en-US')} experiments: ${(data.bytes / 1024 / 1024).toFixed(1)} MB of JSON, ${Math.round(data.perRecord)} bytes/record (generated in ${(data.ms / 1000).toFixed(1)} s)`);

      const { startServer } = await import(pathToFileURL(join(ROOT, 'server/reference-server.mjs')).href);
      // The bench page is on the static server's origin: the only one the API lets read.
      env.api = await startServer({ data: data.text, cors: [new URL(env.base).origin] });
      data.text = undefined;
      let idbReady = false;
      try {
        const fill = await prepareDatabase(env, size);
        idbReady = true;
        console.log(`   IndexedDB filled (untimed set-up): ${fill.added} records in ${(fill.ms / 1000).toFixed(1)} s`);
      } catch (err) {
        for (const key of ['idbScreen', 'idbRows', 'idbLoaded']) recordError(size, key, `database set-up failed: ${err.message}`);
        console.warn(`   IndexedDB set-up failed: ${err.message}`);
      }

      const runs = runsFor(opts, size);
      let done = 0;
      let slowest = 0;
      for (let i = 0; i < opts.warmup + runs; i++) {
        const keep = i >= opts.warmup;
        const remainingSizes = opts.sizes.slice(opts.sizes.indexOf(size) + 1).length;
        if (keep && done > 0 && performance.now() + slowest * (1 + remainingSizes) > deadline) {
          notes.push(`${size.toLocaleString('en-US')}: stopped after ${done} of ${runs} runs to stay within ${opts.maxMinutes} min.`);
          console.warn(`   stopping after ${done} runs to stay within --max-minutes ${opts.maxMinutes}`);
          break;
        }
        const runStart = performance.now();
        const tag = keep ? `run ${i - opts.warmup + 1}/${runs}` : 'warm-up';
        const step = async (name, fn) => {
          try {
            return await fn();
          } catch (err) {
            console.warn(`   ${tag} ${name} failed: ${err.message}`);
            if (/Target.*closed|Browser.*closed|crash/i.test(err.message) && !browser.isConnected()) {
              browser = await chromium.launch({ executablePath: chromePath, headless: true, args: CHROME_ARGS });
              env.browser = browser;
            }
            return undefined;
          }
        };
        const base = (await step('baseline', () => baselineRun(env, size, keep))) ?? {};
        const dash = await step('dashboard (static JSON)', () => dashboardStaticRun(env, size, keep));
        // At 100k the warm-up skips the slow IndexedDB and HTTP loads (time limit); they have a warm disk cache anyway.
        const light = !keep && size >= 100_000;
        const idb = idbReady && !light ? await step('dashboard (IndexedDB)', () => dashboardDatabaseRun(env, size, keep)) : undefined;
        const sq = light ? undefined : await step('dashboard (HTTP server-query)', () => dashboardHttpRun(env, size, keep, 'server'));
        const client = light ? undefined : await step('dashboard (HTTP client mode)', () => dashboardHttpRun(env, size, keep, 'client'));
        const took = performance.now() - runStart;
        if (keep) {
          done += 1;
          slowest = Math.max(slowest, took);
        }
        const f = (x) => (typeof x === 'number' ? `${Math.round(x)} ms` : '—');
        console.log(
          `   ${tag} (${(took / 1000).toFixed(1)} s): JSON.parse ${f(base.parseMs)}, plain Tabulator rows ${f(base.tableRowsMs)}, static rows ${f(dash?.load?.firstRowsMs)}, IndexedDB rows ${f(idb?.firstRowsMs)}, HTTP server-query rows ${f(sq?.firstRowsMs)}, HTTP client rows ${f(client?.firstRowsMs)}`,
        );
      }
      meta.runs[size] = done;
      await env.api.close();
      env.api = undefined;
      console.log(`-- ${size.toLocaleString('en-US')} experiments, medians (${((performance.now() - sizeStart) / 1000).toFixed(0)} s):`);
      for (const s of ordered([...results.values()], [size])) console.log(line(summarize(s)));
    }

    meta.minutes = (performance.now() - started) / 60_000;
    const entries = ordered([...results.values()], opts.sizes).map(summarize);
    await writeFile(join(RESULTS, 'latest.json'), `${JSON.stringify({ meta, results: entries }, null, 2)}\n`);
    await writeFile(join(RESULTS, 'latest.md'), `${markdown(meta, entries)}\n`);
    const over = entries.filter((e) => e.withinBudget === false).map((e) => `${e.operation}${e.source ? ` [${e.source}]` : ''}`);
    console.log(`\nWrote bench/results/latest.json and latest.md in ${meta.minutes.toFixed(1)} min. Over budget: ${over.length ? over.join('; ') : 'nothing'}.`);
  } finally {
    await browser?.close().catch(() => undefined);
    await env.api?.close().catch(() => undefined);
    await server?.close();
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
