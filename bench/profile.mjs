#!/usr/bin/env node
// Where the time goes: loads the dashboard once at one size (default 100k) from an unminified
// esbuild bundle of src/bundle.ts, runs the benchmark's table operations (bench/browser.mjs) with
// the CDP sampling profiler on, and prints each operation's time and its top functions by self
// time. A development tool for bench/run.mjs's figures, not part of `npm run bench`.
//   node bench/profile.mjs [--size 100000] [--ops sort:number,sort:text] [--repeat 2] [--no-profile] [--save dir]
//     [--dist] (the shipped minified bundle) [--trace] (tasks over 150 ms broken down by trace event) [--gc]
//     [--recalcs] (each operation's style recalculations and layouts, with the JS frames that forced them)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((a) => {
      const [k, ...v] = a.split(/[ =]/);
      return [k, v.join(' ') || true];
    }),
);
const size = Number(args.size ?? 100000);
const repeat = Number(args.repeat ?? 1);
const profile = !args['no-profile'];
const OPS = String(args.ops ?? 'search:early,search:clear,search,search:clear,filter,filter:clear,sort:number,sort:text,sort:clear,group:1,group:2,ungroup,expand,expand:clear,column:show,column:hide,scroll').split(',');

const cache = join(os.tmpdir(), 'experiment-dashboard-profile');
await mkdir(cache, { recursive: true });
const dataFile = join(cache, `experiments-${size}.json`);
if (!existsSync(dataFile)) {
  const { generateCollection, collectionToJson } = await import(pathToFileURL(join(ROOT, 'dist/data/sample-data.js')).href);
  await writeFile(dataFile, collectionToJson(generateCollection({ n: size, seed: 42, historyPoints: 0 })));
}

// Unminified bundle: readable function names in the profile.
const { build } = await import('esbuild');
// --root: another checkout (e.g. `git archive HEAD src tsconfig.json package.json` unpacked, with a
// node_modules link) to compare before/after in the same sitting.
const SRC = typeof args.root === 'string' ? resolve(args.root) : ROOT;
const bundle = await build({ entryPoints: [join(SRC, 'src/bundle.ts')], bundle: true, format: 'iife', write: false, loader: { '.css': 'text' }, ignoreAnnotations: true, target: 'es2022', tsconfig: join(SRC, 'tsconfig.json'), sourcemap: false, logLevel: 'error' });
// --dist: the shipped, minified dist/experiment-dashboard.bundle.js (as `npm run bench` loads it).
const bundleCode = args.dist ? await readFile(join(ROOT, 'dist/experiment-dashboard.bundle.js')) : bundle.outputFiles[0].contents;
const browserCode = await readFile(join(ROOT, 'bench/browser.mjs'));
const data = await readFile(dataFile);

const page = `<!doctype html><meta charset="utf-8"><style>body{margin:0;font:13px system-ui}#host{width:1380px;height:700px}</style>
<script ${args.dist ? 'type="module" ' : ''}src="/bundle.js"></script><script type="module" src="/browser.mjs"></script><div id="host"></div>`;
const server = createServer((req, res) => {
  const send = (type, body) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  if (req.url === '/') send('text/html', page);
  else if (req.url === '/bundle.js') send('text/javascript', bundleCode);
  else if (req.url === '/browser.mjs') send('text/javascript', browserCode);
  else if (req.url === '/data.json') send('application/json', data);
  else res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'] });
const saveDir = typeof args.save === 'string' ? args.save : undefined;
if (saveDir) await mkdir(saveDir, { recursive: true });

function top(profileData, n = 14) {
  const self = new Map();
  const byId = new Map(profileData.nodes.map((node) => [node.id, node]));
  const dt = profileData.timeDeltas;
  const counts = new Map();
  profileData.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
  let total = 0;
  for (const [id, us] of counts) {
    const node = byId.get(id);
    const f = node.callFrame;
    const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  }
  return { total: total / 1000, rows: [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `      ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`) };
}

/** --recalcs: every style recalculation and layout of one operation, with who forced it. */
function printRecalcs(trace) {
  const events = (trace.traceEvents ?? trace).filter((e) => (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.ph === 'X');
  if (args.invalidations) {
    const seen = new Map();
    for (const e of trace.traceEvents ?? trace) {
      if (!/Invalidat|ScheduleStyle/.test(e.name)) continue;
      const d = e.args?.data ?? {};
      const key = `${e.name} ${d.reason ?? ''} ${d.nodeName ?? ''} ${d.changedClass ?? d.changedAttribute ?? d.changedId ?? d.changedPseudo ?? ''} ${(d.stackTrace ?? []).slice(0, 2).map((f) => f.functionName + ':' + f.lineNumber).join('<')}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [k, n] of [...seen].filter(([k]) => !/^LayoutInvalidationTracking/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`      ${String(n).padStart(5)}× ${k}`);
  }
  for (const e of events) {
    const data = e.args?.beginData ?? {};
    const frames = (data.stackTrace ?? []).slice(0, 3).map((f) => `${f.functionName || '(anon)'}:${f.lineNumber}`).join(' < ');
    const count = e.args?.elementCount ?? data.dirtyObjects ?? '';
    console.log(`      ${e.name === 'Layout' ? 'layout' : 'style '} ${(e.dur / 1000).toFixed(1).padStart(6)} ms ${String(count).padStart(6)} ${frames || '(not forced)'}`);
  }
}

for (let r = 0; r < repeat; r++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await context.newPage();
  p.on('pageerror', (e) => console.warn('page error', e.message));
  p.on('console', (m) => m.type() === 'warning' || m.type() === 'error' ? console.warn('console', m.text()) : undefined);
  await p.goto(base + '/');
  await p.waitForFunction(() => window.bench?.ready && customElements.get('experiment-dashboard'));
  const cdp = await context.newCDPSession(p);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const run = async (name, fn) => {
    if (profile) await cdp.send('Profiler.start');
    const m0 = await metrics();
    const result = await fn();
    const m1 = await metrics();
    const d = (k, scale = 1000) => Math.round((m1[k] - m0[k]) * scale);
    result.layout = `${d('LayoutCount', 1)} layouts ${d('LayoutDuration')} ms, ${d('RecalcStyleCount', 1)} style recalcs ${d('RecalcStyleDuration')} ms, script ${d('ScriptDuration')} ms, task ${d('TaskDuration')} ms`;
    if (profile) {
      const { profile: prof } = await cdp.send('Profiler.stop');
      const t = top(prof);
      console.log(`  ${name}: ${JSON.stringify(result)} (sampled JS ${t.total.toFixed(0)} ms)`);
      console.log(t.rows.join('\n'));
      if (saveDir) await writeFile(join(saveDir, `${r}-${name.replace(/[^\w-]/g, '_')}.cpuprofile`), JSON.stringify(prof));
    } else console.log(`  ${name}: ${JSON.stringify(result)}`);
  };
  console.log(`run ${r + 1}, ${size} experiments`);
  if (args['heap-sites']) await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16384 });
  if (args.parse) {
    const parse = await p.evaluate(() => window.bench.parseText({ url: '/data.json' }));
    await p.evaluate(() => window.bench.dropParsed());
    console.log(`  JSON.parse ${parse.ms.toFixed(0)} ms`);
  }
  await run('load', () => p.evaluate(() => window.bench.dashStatic({ url: '/data.json' })));
  // --trace: a Chrome trace of the operations; each task over 150 ms is broken down by event.
  if (args.trace) await browser.startTracing(p, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.gc', 'v8'] });
  for (const op of OPS) {
    if (op !== 'search:early') await p.evaluate(() => window.bench.settle());
    if (args.recalcs) await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', ...(args.invalidations ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
    await run(op, () => p.evaluate((name) => window.bench.dashOp({ name, settle: false }), op));
    if (args.recalcs) printRecalcs(JSON.parse(String(await browser.stopTracing())));
    if (args.gc) await cdp.send('HeapProfiler.collectGarbage');
  }
  if (args.trace) {
    const trace = JSON.parse(String(await browser.stopTracing()));
    const events = (trace.traceEvents ?? trace).filter((e) => e.ph === 'X' && e.dur);
    // The task event is "RunTask" or "ThreadControllerImpl::RunTask" depending on the Chromium version.
    const tasks = events.filter((e) => /(^|::)RunTask$/.test(e.name) && e.dur > 150_000);
    const longest = new Map();
    for (const e of events) longest.set(e.name, Math.max(longest.get(e.name) ?? 0, e.dur));
    console.log(`  trace: ${events.length} events; longest by name: ${[...longest].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`).join(', ')}`);
    for (const t of tasks) {
      const inside = new Map();
      for (const e of events) {
        if (e.tid !== t.tid || e.ts < t.ts || e.ts + e.dur > t.ts + t.dur || e === t) continue;
        inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur);
      }
      const rows = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`);
      console.log(`  task ${(t.dur / 1000).toFixed(0)} ms: ${rows.join(', ')}`);
    }
  }
  const lt = await p.evaluate(() => window.bench.longTaskReport());
  console.log(`  longest task ${lt.max} ms in ${lt.during}; over 100 ms: ${lt.over100.join(', ') || 'none'}`);
  if (args.heap) {
    await p.evaluate(() => window.bench.settle());
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    console.log(`  heap after GC ${(usedSize / 1024 / 1024).toFixed(1)} MB`);
    if (args['heap-sites']) {
      // Live memory by allocating function (sampled): what the page keeps, and who made it.
      const { profile: hp } = await cdp.send('HeapProfiler.getSamplingProfile');
      const sites = new Map();
      const walk = (node, stack) => {
        const f = node.callFrame;
        const here = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
        const path = [...stack, here];
        if (node.selfSize) {
          const key = path.slice(-3).join(' < ');
          sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
        }
        for (const c of node.children) walk(c, path);
      };
      walk(hp.head, []);
      for (const [k, v] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${(v / 1048576).toFixed(1).padStart(7)} MB  ${k}`);
    }
    if (typeof args.heap === 'string') {
      const chunks = [];
      cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      await writeFile(args.heap, chunks.join(''));
      console.log(`  snapshot written to ${args.heap}`);
    }
  }
  await context.close();
}
await browser.close();
server.close();
