#!/usr/bin/env node
// @ts-check
// Visits every story of the built Storybook in headless Chromium and fails a story on a console
// error, a page error, a failed render or play function, a request that leaves 127.0.0.1, or an
// axe violation (axe-core sees inside shadow roots).
//
//   node scripts/check-stories.mjs               builds into a temporary folder first
//   node scripts/check-stories.mjs --no-build    checks the existing storybook-static/
//   --dir <folder>                                with --no-build: check this build instead
//   --only <text>                                 only the stories whose id contains <text>
//   --jobs <n>                                    pages checked at once (default 2)
//   --docs                                        also load every docs page (console and page errors only:
//                                                 axe would judge Storybook's own docs UI there)
//
// One line per story (`ok <id>` / `FAIL <id>: <reasons>`); with ED_COUNTS_FILE set, writes
// {passed, failed} there for `npm test`. Exit code 1 on any failure.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const option = (/** @type {string} */ name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = option('--only');
const jobs = Math.max(1, Number(option('--jobs') ?? 2) || 1);
const STORY_TIMEOUT_MS = 30_000;
/** After the story finished (render, play function): time for the last paints and late errors. */
const SETTLE_MS = 300;

/** @param {number} passed @param {number} failed */
function report(passed, failed) {
  if (process.env.ED_COUNTS_FILE) writeFileSync(process.env.ED_COUNTS_FILE, JSON.stringify({ passed, failed }));
}

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
let root = resolve(option('--dir') ?? 'storybook-static');
let temporary;
if (!argv.includes('--no-build')) {
  temporary = mkdtempSync(join(tmpdir(), 'ed-storybook-'));
  root = temporary;
  const bin = join(createRequire(import.meta.url).resolve('storybook/package.json'), '..', 'dist', 'bin', 'dispatcher.js');
  console.log(`> storybook build -o ${root}`);
  const built = spawnSync(process.execPath, [bin, 'build', '-o', root, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' } });
  if (built.status !== 0) {
    console.error('FAIL storybook build: the build failed (run `npm run build-storybook` to see why).');
    rmSync(temporary, { recursive: true, force: true });
    report(0, 1);
    process.exit(1);
  }
  console.log(`built in ${seconds()}`);
}
if (!existsSync(join(root, 'index.json'))) {
  console.error(`FAIL storybook build: ${join(root, 'index.json')} is missing; run \`npm run build-storybook\` first or leave out --no-build.`);
  report(0, 1);
  process.exit(1);
}

// ---- a tiny static server for the built Storybook ----

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const server = createServer((req, res) => {
  let path;
  try {
    path = resolve(root, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)}`);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (path !== root && !path.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  // Chromium asks every origin for /favicon.ico by itself; the build ships favicon.svg.
  if (path === join(root, 'favicon.ico')) path = join(root, 'favicon.svg');
  try {
    if (statSync(path).isDirectory()) path = join(path, 'index.html');
    const { size } = statSync(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': size });
    createReadStream(path).pipe(res);
  } catch {
    res.writeHead(404).end();
  }
});
await /** @type {Promise<void>} */ (new Promise((done) => server.listen(0, '127.0.0.1', done)));
const origin = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

// ---- the stories ----

const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8'));
const withDocs = argv.includes('--docs');
const stories = Object.values(index.entries)
  .filter((e) => (e.type === 'story' || (withDocs && e.type === 'docs')) && (!only || e.id.includes(only)))
  .map((e) => ({ id: e.id, docs: e.type === 'docs' }));
if (stories.length === 0) {
  console.error(`FAIL index.json: no story${only ? ` matches "${only}"` : ''}.`);
  server.close();
  report(0, 1);
  process.exit(1);
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/**
 * @typedef {{ type: string, status?: string, message?: string }} StoryEvent
 * @typedef {Window & { __edStoryEvents?: StoryEvent[] }} StoryWindow
 */
/**
 * Storybook announces on its channel when a story finished (render, play function, afterEach) and
 * when a render or play function threw; recorded from the moment the preview creates the channel.
 */
const recordStorybookEvents = () => {
  /** @type {StoryEvent[]} */
  const events = [];
  /** @type {StoryWindow} */ (window).__edStoryEvents = events;
  /** @type {{ on(type: string, listener: (detail: any) => void): void } | undefined} Storybook's channel */
  let channel;
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value) {
      channel = value;
      const describe = (/** @type {any} */ x) => (x && typeof x === 'object' ? [x.name, x.message].filter(Boolean).join(': ') || JSON.stringify(x).slice(0, 500) : String(x));
      for (const type of ['storyFinished', 'docsRendered', 'storyErrored', 'storyMissing', 'storyThrewException', 'playFunctionThrewException', 'unhandledErrorsWhilePlaying']) {
        value.on(type, (/** @type {any} */ detail) => events.push({ type, status: detail?.status, message: type === 'storyFinished' || type === 'docsRendered' ? undefined : Array.isArray(detail) ? detail.map(describe).join('; ') : describe(detail) }));
      }
    },
  });
};

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/**
 * The reasons the story fails; empty when it passes.
 * @param {{ id: string, docs: boolean }} story
 * @returns {Promise<string[]>}
 */
async function check({ id, docs }) {
  /** @type {string[]} */
  const problems = [];
  // A context per story: its own localStorage and IndexedDB, as on a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`request outside 127.0.0.1: ${r.method()} ${url}`);
    });
    await page.addInitScript(recordStorybookEvents);
    // The a11y addon's own run is skipped (a11y.manual): axe runs once, below, on the whole document.
    await page.goto(`${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=${docs ? 'docs' : 'story'}&globals=a11y.manual:!true`);
    try {
      await page.waitForFunction(() => /** @type {StoryWindow} */ (window).__edStoryEvents?.some((e) => ['storyFinished', 'docsRendered', 'storyMissing', 'storyErrored'].includes(e.type)), null, { timeout: STORY_TIMEOUT_MS });
    } catch {
      problems.push(`the ${docs ? 'docs page did not render' : 'story did not finish'} within ${STORY_TIMEOUT_MS / 1000} s (render, loaders or play function hang)`);
    }
    for (const e of await page.evaluate(() => /** @type {StoryWindow} */ (window).__edStoryEvents ?? [])) {
      if (e.type === 'storyFinished' && e.status === 'error' && !problems.some((p) => p.startsWith('play function'))) problems.push('Storybook reports the story as failed');
      else if (e.type === 'playFunctionThrewException') problems.push(`play function: ${e.message}`);
      else if (e.type !== 'storyFinished' && e.type !== 'docsRendered') problems.push(`${e.type}: ${e.message}`);
    }
    await page.waitForTimeout(SETTLE_MS);
    if (docs) return problems;
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const result = await /** @type {Window & { axe: typeof import('axe-core') }} */ (/** @type {unknown} */ (window)).axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => {
        const where = v.nodes.slice(0, 3).map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >>> '));
        return `${v.id} (${v.impact}): ${v.help} [${where.join(' | ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}]`;
      });
    });
    for (const v of violations) problems.push(`axe ${v}`);
  } catch (err) {
    problems.push(`check failed: ${String(/** @type {Error} */ (err)?.message ?? err).split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return problems;
}

/** Stack traces and long messages are cut: the line names the story and what went wrong. */
const clip = (/** @type {string} */ text) => (text.length > 600 ? `${text.slice(0, 600)}…` : text);

let passed = 0;
let failed = 0;
try {
  const queue = [...stories];
  const worker = async () => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      const { id } = entry;
      const problems = await check(entry);
      if (problems.length === 0) {
        passed += 1;
        console.log(`ok ${id}`);
      } else {
        failed += 1;
        console.log(`FAIL ${id}: ${[...new Set(problems.map((p) => clip(p.replace(/\s+/g, ' '))))].join(' || ')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, stories.length) }, worker));
} finally {
  await browser.close();
  server.close();
  if (temporary) rmSync(temporary, { recursive: true, force: true });
}

console.log(`stories: ${passed} passed, ${failed} failed (${seconds()})`);
report(passed, failed);
process.exit(failed === 0 ? 0 : 1);
