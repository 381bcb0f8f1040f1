// Runs inside the benchmark pages served by bench/run.mjs (never shipped). Every function on
// `window.bench` does one measured step and returns plain numbers; run.mjs drives them, one
// fresh browser context per run. Times are performance.now() in the page; "painted" means the
// next animation frame after the DOM change, plus one task (the frame has been produced then).

const DEFAULT_COLUMNS = ['status', 'name', 'mainMetric', 'operator', 'times.started', 'duration', 'group', 'tags'];
const EXTRA_COLUMN = 'params.batch_size';
const SEARCH = 'adamw';
const FILTER_MIN = 0.7;
const TABULATOR_URL = '/node_modules/tabulator-tables/dist/js/tabulator_esm.min.mjs';
/** Plain Tabulator's modules for what the dashboard does (it has small modules of its own for cells, filtering and clicks: src/components/experiment-dashboard/table/tabulator.ts). */
const TABULATOR_MODULES = ['FilterModule', 'FormatModule', 'GroupRowsModule', 'InteractionModule', 'MoveColumnsModule', 'ResizeColumnsModule', 'ResizeTableModule', 'SortModule'];

// ---- timing helpers ----

/** Resolves with performance.now() once the next frame has been produced. */
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => afterThisFrame(resolve)));
}

/** Called inside a rAF callback: resolves after the frame being produced now. */
function afterThisFrame(resolve) {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(performance.now());
  channel.port2.postMessage(null);
}

/** Resolves with the first truthy check(), re-checked on every DOM change under root. */
function waitFor(root, check, what, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const hit = check();
    if (hit) {
      resolve(hit);
      return;
    }
    const observer = new MutationObserver(() => {
      const h = check();
      if (!h) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(h);
    });
    observer.observe(root, { childList: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
}

/** An event's time of dispatch. */
function eventTime(target, name) {
  return new Promise((resolve) => target.addEventListener(name, () => resolve(performance.now()), { once: true }));
}

const ping = new MessageChannel();
let pong;
ping.port1.onmessage = () => pong?.();

/**
 * Waits until the main thread is quiet: two 50 ms windows in a row in which other tasks delayed
 * a message ping by less than 15 ms in total. (requestIdleCallback is no good here: it still gets
 * idle time between the 8 ms slices of the dashboard's background search preparation.)
 */
async function settle(timeoutMs = 15_000) {
  const until = performance.now() + timeoutMs;
  for (let quiet = 0; quiet < 2 && performance.now() < until; ) {
    const start = performance.now();
    let busy = 0;
    while (performance.now() - start < 50) {
      const before = performance.now();
      await new Promise((resolve) => {
        pong = resolve;
        ping.port2.postMessage(null);
      });
      const gap = performance.now() - before;
      if (gap > 1) busy += gap;
    }
    // Background slices (8 ms each) keep `busy` above 25 ms; other processes on the machine add a few ms.
    quiet = busy < 15 ? quiet + 1 : 0;
  }
  await afterPaint();
}

// ---- long tasks ----

const longTasks = { from: Infinity, until: Infinity, max: 0, maxAt: 0, count: 0, supported: false, over100: [] };
/** The timed part of each operation, to say in which one the longest task happened. */
const opWindows = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.startTime < longTasks.from || e.startTime > longTasks.until) continue;
      if (e.duration > longTasks.max) Object.assign(longTasks, { max: e.duration, maxAt: e.startTime });
      if (e.duration > 100) longTasks.over100.push([e.startTime, e.duration]);
      longTasks.count += 1;
    }
  }).observe({ type: 'longtask', buffered: true });
  longTasks.supported = true;
} catch {
  // No Long Tasks API: reported as unsupported.
}

function trackLongTasks(from) {
  Object.assign(longTasks, { from, until: Infinity, max: 0, maxAt: 0, count: 0, over100: [] });
  opWindows.length = 0;
}

/**
 * The operation a task overlaps (it may start a little before the window: the task that ends the
 * wait for a quiet page also starts the operation), or the background work after one.
 */
function operationAt(start, duration) {
  let previous = 'load';
  for (const w of opWindows) {
    if (start <= w.to && start + duration >= w.from) return w.name;
    if (start > w.to) previous = w.name;
  }
  return `background work after ${previous}`;
}

async function timedOp(name, op) {
  const from = performance.now();
  const result = await op();
  opWindows.push({ name, from, to: performance.now() });
  return result;
}

async function longTaskReport() {
  longTasks.until = performance.now();
  // Entries are delivered asynchronously after the task ended.
  await new Promise((r) => setTimeout(r, 100));
  await afterPaint();
  return {
    supported: longTasks.supported,
    max: longTasks.max,
    count: longTasks.count,
    during: longTasks.max > 0 ? operationAt(longTasks.maxAt, longTasks.max) : undefined,
    // Every task over 100 ms and where it happened (the long-task entry's details; bench/profile.mjs).
    over100: longTasks.over100.map(([start, duration]) => `${Math.round(duration)} ms in ${operationAt(start, duration)}`),
  };
}

/** Paints a row at the vertical middle of the scroll holder (checked in each frame after scrolling). */
function scrollToMiddle(root, holder) {
  const t0 = performance.now();
  holder.scrollTop = Math.floor(holder.scrollHeight / 2);
  const box = holder.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 300);
  const y = box.top + box.height / 2;
  return new Promise((resolve, reject) => {
    let frames = 0;
    const check = () => {
      const hit = root.elementFromPoint(x, y)?.closest?.('.tabulator-row');
      if (hit) {
        afterThisFrame((t1) => resolve({ ms: t1 - t0, scrollTop: holder.scrollTop, scrollHeight: holder.scrollHeight, rowIndex: Number(hit.getAttribute('aria-rowindex')) || undefined }));
        return;
      }
      if (++frames > 1200) reject(new Error('no row painted at the middle after 1200 frames'));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

async function fetchText(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

// ---- the dashboard ----

let dash;

function dashRoot() {
  if (!dash?.shadowRoot) throw new Error('no dashboard on the page');
  return dash.shadowRoot;
}

const firstRow = (root) => root.querySelector('.tabulator-row');

/**
 * Appends a dashboard configured by `configure` and measures from `t0()` (default: the append)
 * to the shell painted, `experiments-loaded` and the first row painted.
 */
async function mountDashboard(configure, { textAvailable } = {}) {
  document.querySelector('#host')?.replaceChildren();
  const el = document.createElement('experiment-dashboard');
  el.style.height = '100%';
  dash = el;
  let failed;
  const failure = new Promise((_, reject) => {
    failed = reject;
  });
  el.addEventListener('source-error', (ev) => failed(new Error(`source-error: ${ev.detail?.error?.message}`)), { once: true });
  const loaded = eventTime(el, 'experiments-loaded');
  configure(el);
  const appendedAt = performance.now();
  document.querySelector('#host').append(el);
  const root = el.shadowRoot;
  const shellPainted = waitFor(root, () => root.querySelector('[part="toolbar"]'), 'the toolbar').then(() => afterPaint());
  const rowsPainted = waitFor(root, () => firstRow(root), 'the first row').then(() => afterPaint());
  const shell = await Promise.race([shellPainted, failure]);
  const rowsAt = await Promise.race([rowsPainted, failure]);
  trackLongTasks(rowsAt);
  const loadedAt = await loaded;
  const t0 = textAvailable ? textAvailable() : appendedAt;
  if (t0 === undefined) throw new Error('the JSON text was never handed to the dashboard');
  const holder = root.querySelector('.tabulator-tableholder');
  return {
    firstScreenMs: shell - appendedAt,
    firstRowsMs: rowsAt - t0,
    loadedMs: loadedAt - t0,
    rows: el.loadedExperiments.length,
    tableHeight: holder?.clientHeight,
  };
}

/** Measured from the moment the JSON text is available to the dashboard's own fetch. */
async function dashStatic({ url }) {
  let textAt;
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    if (String(input instanceof Request ? input.url : input).endsWith(url)) {
      const text = response.text.bind(response);
      response.text = async () => {
        const t = await text();
        textAt = performance.now();
        return t;
      };
    }
    return response;
  };
  try {
    return await mountDashboard((el) => el.setAttribute('src', url), { textAvailable: () => textAt });
  } finally {
    window.fetch = original;
  }
}

/** Imports the collection into IndexedDB (untimed set-up step). */
async function fillDatabase({ url, name }) {
  const text = await fetchText(url);
  const source = new window.ExperimentDashboard.IndexedDbSource(name);
  const t0 = performance.now();
  const report = await source.importCollection(text);
  const ms = performance.now() - t0;
  source.close();
  return { ms, added: report.added, updated: report.updated, rejected: report.rejected };
}

const dashDatabase = ({ name }) => mountDashboard((el) => el.setAttribute('database', name));

async function dashHttp({ baseUrl, mode }) {
  return mountDashboard((el) => {
    if (mode === 'client') el.source = new window.ExperimentDashboard.HttpSource({ baseUrl, mode: 'client' });
    else el.setAttribute('endpoint', baseUrl);
  });
}

/** setViewState, then the view-change event and the next painted frame. */
async function view(patch) {
  const el = dash;
  const changed = eventTime(el, 'view-change');
  const t0 = performance.now();
  el.setViewState(patch);
  await changed;
  return { ms: (await afterPaint()) - t0 };
}

async function withShown(result) {
  return { ...result, shown: dash.shownExperiments.length };
}

async function expandFirst() {
  const root = dashRoot();
  const button = root.querySelector('button.details-button');
  if (!button) throw new Error('no "Details" button');
  const toggled = eventTime(dash, 'experiment-toggle');
  const t0 = performance.now();
  button.click();
  const detail = await waitFor(root, () => root.querySelector('experiment-row-detail'), 'experiment-row-detail');
  await customElements.whenDefined('experiment-row-detail');
  await detail.updateComplete;
  const t1 = await afterPaint();
  await toggled;
  return { ms: t1 - t0, rendered: Boolean(detail.shadowRoot?.childElementCount) };
}

async function collapseAll() {
  const root = dashRoot();
  for (const b of root.querySelectorAll('button.details-button[aria-expanded="true"]')) b.click();
  await afterPaint();
  return { ms: 0 };
}

const DASH_OPS = {
  'search:early': () => view({ search: SEARCH }).then(withShown),
  search: () => view({ search: SEARCH }).then(withShown),
  'search:clear': () => view({ search: '' }),
  filter: () => view({ filters: [{ attribute: 'mainMetric', op: 'ge', value: FILTER_MIN }] }).then(withShown),
  'filter:clear': () => view({ filters: [] }),
  'sort:number': () => view({ sort: [{ attribute: 'mainMetric', dir: 'desc' }] }),
  'sort:text': () => view({ sort: [{ attribute: 'name', dir: 'asc' }] }),
  'sort:clear': () => view({ sort: [] }),
  'group:1': () => view({ groupBy: ['operator'] }),
  'group:2': () => view({ groupBy: ['operator', 'status'] }),
  ungroup: () => view({ groupBy: [] }),
  expand: expandFirst,
  'expand:clear': collapseAll,
  'column:show': () => view({ columns: [...DEFAULT_COLUMNS, EXTRA_COLUMN] }),
  'column:hide': () => view({ columns: [...DEFAULT_COLUMNS] }),
  scroll: () => {
    const root = dashRoot();
    return scrollToMiddle(root, root.querySelector('.tabulator-tableholder'));
  },
};

/** One operation, by default once the page is quiet; `settle: false` runs it right away. */
async function dashOp({ name, settle: quietFirst = true }) {
  const op = DASH_OPS[name];
  if (!op) throw new Error(`unknown operation ${name}`);
  const t0 = performance.now();
  if (quietFirst) await settle();
  const settleMs = performance.now() - t0;
  return { ...(await timedOp(name, op)), settleMs };
}

// ---- baselines: JSON.parse and plain Tabulator ----

/** JSON.parse of the text (kept alive on window for the heap measurement). */
async function parseText({ url }) {
  const text = await fetchText(url);
  const t0 = performance.now();
  const data = JSON.parse(text);
  const ms = performance.now() - t0;
  window.__benchParsed = data;
  return { ms, chars: text.length, records: data.experiments?.length };
}

let table;

const durationOf = (d) => {
  const start = Date.parse(d.times?.started ?? '');
  const stop = Date.parse(d.times?.stopped ?? '');
  return Number.isFinite(start) && Number.isFinite(stop) ? stop - start : undefined;
};

/** The dashboard's default columns, read straight from the records (no mutators). */
const baselineColumns = () => [
  { title: 'Status', field: 'status', width: 130 },
  { title: 'Name', field: 'name', width: 260, sorter: 'string' },
  { title: 'val_accuracy', field: 'metrics.val_accuracy.last', width: 130, hozAlign: 'right', sorter: 'number' },
  { title: 'Operator', field: 'operator', width: 150 },
  { title: 'Started', field: 'times.started', width: 160 },
  { title: 'Duration', field: 'times.stopped', width: 110, hozAlign: 'right', formatter: (cell) => String(Math.round((durationOf(cell.getData()) ?? 0) / 60000)) + ' min' },
  { title: 'Group', field: 'group.name', width: 220 },
  { title: 'Tags', field: 'tags', width: 180, formatter: (cell) => (cell.getValue() ?? []).join(', ') },
  { title: 'Batch size', field: EXTRA_COLUMN, width: 120, visible: false },
];

/** A naive search text: the shown values joined, built on every call. */
const naiveText = (d) => [d.status, d.name, d.metrics?.val_accuracy?.last, d.operator, d.times?.started, durationOf(d), d.group?.name, (d.tags ?? []).join(', ')].join(' ').toLowerCase();

async function baselineTable() {
  const mod = await import(TABULATOR_URL);
  mod.Tabulator.registerModule(TABULATOR_MODULES.map((m) => mod[m]));
  const el = document.querySelector('#table');
  table = new mod.Tabulator(el, { height: '600px', layout: 'fitData', index: 'id', data: [], columns: baselineColumns() });
  await new Promise((resolve) => table.on('tableBuilt', resolve));
  return { ms: 0 };
}

/** From the JSON text available to plain Tabulator's first rows: JSON.parse + setData. */
async function baselineLoad({ url }) {
  const text = await fetchText(url);
  const t0 = performance.now();
  const data = JSON.parse(text);
  const parsedAt = performance.now();
  await table.setData(data.experiments);
  await waitFor(document, () => firstRow(document), 'the first row');
  const t1 = await afterPaint();
  trackLongTasks(t1);
  return { firstRowsMs: t1 - t0, parseMs: parsedAt - t0, tableHeight: document.querySelector('.tabulator-tableholder')?.clientHeight };
}

async function tableCall(fn) {
  const t0 = performance.now();
  await fn();
  const ms = (await afterPaint()) - t0;
  return { ms, shown: table.getDataCount('active') };
}

const BASELINE_OPS = {
  search: () => tableCall(() => table.setFilter((d) => naiveText(d).includes(SEARCH))),
  'search:clear': () => tableCall(() => table.clearFilter(true)),
  filter: () => tableCall(() => table.setFilter('metrics.val_accuracy.last', '>=', FILTER_MIN)),
  'filter:clear': () => tableCall(() => table.clearFilter(true)),
  'sort:number': () => tableCall(() => table.setSort('metrics.val_accuracy.last', 'desc')),
  'sort:text': () => tableCall(() => table.setSort('name', 'asc')),
  'sort:clear': () => tableCall(() => table.clearSort()),
  'group:1': () => tableCall(() => table.setGroupBy('operator')),
  'group:2': () => tableCall(() => table.setGroupBy(['operator', 'status'])),
  ungroup: () => tableCall(() => table.setGroupBy(false)),
  'column:show': () => tableCall(() => table.showColumn(EXTRA_COLUMN)),
  'column:hide': () => tableCall(() => table.hideColumn(EXTRA_COLUMN)),
  scroll: () => scrollToMiddle(document, document.querySelector('.tabulator-tableholder')),
};

async function baselineOp({ name, settle: quietFirst = true }) {
  const op = BASELINE_OPS[name];
  if (!op) throw new Error(`unknown operation ${name}`);
  const t0 = performance.now();
  if (quietFirst) await settle();
  const settleMs = performance.now() - t0;
  return { ...(await timedOp(name, op)), settleMs };
}

window.bench = {
  ready: true,
  parseText,
  dropParsed: () => {
    delete window.__benchParsed;
    return true;
  },
  fillDatabase,
  dashStatic,
  dashDatabase,
  dashHttp,
  dashOp,
  baselineTable,
  baselineLoad,
  baselineOp,
  longTaskReport,
  settle,
};
