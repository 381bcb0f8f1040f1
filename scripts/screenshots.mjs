#!/usr/bin/env node
// @ts-check
// `npm run screenshots`: pictures of the key states of the UI, for a person to look over after a
// change (layout, wrapping, contrast), at 360, 1280 and 1920 px wide, light and dark. Written to
// screenshots/ (ignored by git). Builds nothing: run `npm run build` first.
//
// Every state is reached the way a user reaches it, through the element's public API and the
// accessible names of its controls. A state that cannot be reached is logged and skipped.
//
//   node scripts/screenshots.mjs [--only table,detail] [--widths 360,1280] [--themes dark]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'screenshots');
const BUNDLE = join(ROOT, 'dist/experiment-dashboard.bundle.js');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
/** @type {Record<string, string>} */
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };

const { values: args } = parseArgs({ options: { only: { type: 'string' }, widths: { type: 'string' }, themes: { type: 'string' } } });
/** @type {(value: string | undefined, fallback: string[]) => string[]} */
const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : fallback);
const WIDTHS = list(args.widths, ['360', '1280', '1920']).map(Number);
const THEMES = list(args.themes, ['light', 'dark']);

if (!existsSync(BUNDLE)) {
  console.error(`screenshots: ${BUNDLE} is missing: run "npm run build" first.`);
  process.exit(1);
}
if (!existsSync(CHROME)) {
  console.error(`screenshots: no Chromium at ${CHROME}: install it (apt-get install chromium) or set CHROME_PATH.`);
  process.exit(1);
}

/** The page every state starts from: the bundle, one dashboard filling the window. */
/** @param {string} theme */
function pageHtml(theme) {
  return `<!doctype html>
<html lang="en" style="color-scheme: ${theme}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>screenshot</title><link rel="icon" href="data:,">
<style>
  html, body { margin: 0; height: 100%; background: ${theme === 'dark' ? '#14181f' : '#ffffff'}; }
  body { display: flex; flex-direction: column; padding: 8px; box-sizing: border-box; }
  experiment-dashboard, experiment-compare { flex: 1 1 auto; min-height: 0; }
</style>
<script src="/dist/experiment-dashboard.bundle.js"></script>
</head>
<body></body>
</html>`;
}

/** A static server for the repository, plus the start page. */
async function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/start.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(pageHtml(url.searchParams.get('theme') ?? 'light'));
      return;
    }
    const path = resolve(ROOT, `.${decodeURIComponent(url.pathname)}`);
    if (!path.startsWith(ROOT) || path.includes(`${sep}node_modules${sep}`) || !existsSync(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await /** @type {Promise<void>} */ (new Promise((ok) => server.listen(0, '127.0.0.1', ok)));
  return { url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Puts a dashboard on the start page with `n` sample experiments (or `setup` of its own) and waits for it.
 * @param {import('playwright-core').Page} page
 * @param {string} theme
 * @param {{ n?: number, attrs?: Record<string, string>, setup?: 'empty' | 'deletable' | 'error' | 'nested' }} [options]
 */
async function dashboard(page, theme, { n = 120, attrs = {}, setup } = {}) {
  await page.evaluate(
    ({ theme, n, attrs, setup }) =>
      new Promise(/** @param {(value?: undefined) => void} done @param {(reason: unknown) => void} fail */ (done, fail) => {
        // The page's own element and bundle (window.ExperimentDashboard), not typed here.
        const el = /** @type {any} */ (document.createElement('experiment-dashboard'));
        el.setAttribute('theme', theme);
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        const timer = setTimeout(() => done(), 8000);
        el.addEventListener('experiments-loaded', () => (clearTimeout(timer), setTimeout(done, 400)), { once: true });
        el.addEventListener('source-error', () => (clearTimeout(timer), setTimeout(done, 400)), { once: true });
        try {
          if (setup === 'empty') el.experiments = [];
          else if (setup === 'deletable') {
            // A source that may delete (an array of records may not): the delete controls show.
            const { experiments } = /** @type {any} */ (window).ExperimentDashboard.generateCollection({ n, seed: 7 });
            el.source = {
              capabilities: { delete: true, live: false, serverQuery: false, history: false },
              load: async () => ({ experiments, total: experiments.length }),
              delete: async () => {},
            };
          }
          else if (setup === 'error') el.setAttribute('src', '/no-such-file.json');
          else if (setup === 'nested') el.setAttribute('src', '/test/data/nested-runs.json');
          else el.experiments = /** @type {any} */ (window).ExperimentDashboard.generateCollection({ n, seed: 7 });
        } catch (e) {
          fail(e);
        }
        document.body.append(el);
      }),
    { theme, n, attrs, setup },
  );
}

const firstName = (/** @type {import('playwright-core').Page} */ page) =>
  page.evaluate(() => /** @type {any} */ (window).ExperimentDashboard.generateCollection({ n: 120, seed: 7 }).experiments[0].name ?? 'run-000001');

/**
 * Each state: a name and how to reach it from a fresh start page. Return extra shots by name.
 * @type {Record<string, (page: import('playwright-core').Page, theme: string, shot: (name: string) => Promise<void>) => Promise<unknown>>}
 */
const STATES = {
  table: async (page, theme) => dashboard(page, theme),
  grouped: async (page, theme) => dashboard(page, theme, { attrs: { 'group-by': 'group,status' } }),
  'group-by-control': async (page, theme) => {
    await dashboard(page, theme);
    await page.getByRole('combobox', { name: 'Group by' }).or(page.getByRole('button', { name: 'Group by' })).first().click({ timeout: 3000 });
  },
  search: async (page, theme) => {
    await dashboard(page, theme);
    await page.getByRole('searchbox', { name: 'Search experiments' }).fill('adamw');
    await page.waitForTimeout(600);
  },
  'filter-editor': async (page, theme) => {
    await dashboard(page, theme);
    await page.getByRole('button', { name: /^Filter / }).nth(1).click({ timeout: 3000 });
    await page.waitForTimeout(400);
  },
  'column-chooser': async (page, theme) => {
    await dashboard(page, theme);
    await page.getByRole('button', { name: 'Columns', exact: true }).click({ timeout: 3000 });
    await page.waitForTimeout(400);
  },
  detail: async (page, theme, shot) => {
    await dashboard(page, theme);
    const name = await firstName(page);
    await page.getByRole('button', { name: `Details ${name}` }).first().click({ timeout: 3000 });
    await page.getByRole('tab').first().waitFor({ timeout: 5000 });
    const tabs = await page.getByRole('tab').allInnerTexts();
    for (const [i, label] of tabs.entries()) {
      await page.getByRole('tab').nth(i).click();
      await page.waitForTimeout(label.startsWith('Metrics') ? 900 : 250);
      await shot(`detail-${label.replace(/\d+/g, '').trim().toLowerCase()}`);
    }
    return 'done';
  },
  compare: async (page, theme) => {
    await dashboard(page, theme);
    const boxes = page.getByRole('checkbox', { name: /^Select (?!all)/ });
    for (const i of [0, 1, 2]) await boxes.nth(i).check({ timeout: 3000 });
    await page.getByRole('button', { name: /^Compare/ }).first().click({ timeout: 3000 });
    await page.waitForTimeout(1200);
  },
  'delete-dialog': async (page, theme) => {
    await dashboard(page, theme, { setup: 'deletable' });
    const name = await firstName(page);
    const perRow = page.getByRole('button', { name: `Delete ${name}` }).first();
    if (await perRow.count()) await perRow.click({ timeout: 3000 });
    else {
      // No per-row button: select the row and use the toolbar's Delete.
      await page.getByRole('checkbox', { name: `Select ${name}` }).check({ timeout: 3000 });
      await page.getByRole('button', { name: /^Delete/ }).first().click({ timeout: 3000 });
    }
    await page.getByRole('dialog').first().waitFor({ timeout: 3000 });
  },
  'child-runs': async (page, theme) => {
    await dashboard(page, theme, { setup: 'nested' });
    await page.getByRole('button', { name: /child runs of sweep-A/ }).first().click({ timeout: 3000 });
    await page.waitForTimeout(400);
  },
  empty: async (page, theme) => dashboard(page, theme, { setup: 'empty' }),
  error: async (page, theme) => dashboard(page, theme, { setup: 'error' }),
};

/** The offline HTML report from the command line, of the real fixture runs. */
function buildReport() {
  const file = join(OUT, 'report.html');
  const fixtures = ['test/fixtures/sacred-manuel-rhdt-ml-pws/runs', 'test/fixtures/mlflow-mlruns-konradmalik-mlfix/mlruns'].map((p) => join(ROOT, p));
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/experiment-dashboard.mjs'), 'report', ...fixtures, '-o', file, '--title', 'Screenshot report'], { encoding: 'utf8' });
  if (result.status !== 0 && !existsSync(file)) throw new Error(`report failed: ${result.stderr}`);
  return pathToFileURL(file).href;
}

const only = args.only ? new Set(list(args.only, [])) : undefined;
mkdirSync(OUT, { recursive: true });
const server = await serve();
const browser = await chromium.launch({
  executablePath: CHROME,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
/** @type {string[]} */
const skipped = [];
let written = 0;
try {
  let reportUrl;
  if (!only || only.has('report')) {
    try {
      reportUrl = buildReport();
    } catch (e) {
      skipped.push(`report: ${/** @type {Error} */ (e).message}`);
    }
  }
  for (const theme of THEMES) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 780 : 900 }, colorScheme: /** @type {'light' | 'dark'} */ (theme) });
      /** @type {string[]} */
      const errors = [];
      const shotOf = (/** @type {import('playwright-core').Page} */ page) => async (/** @type {string} */ name) => {
        await page.screenshot({ path: join(OUT, `${name}-${width}-${theme}.png`) });
        written += 1;
      };
      for (const [name, reach] of Object.entries(STATES)) {
        if (only && !only.has(name)) continue;
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
        try {
          await page.goto(`${server.url}/start.html?theme=${theme}`);
          const done = await reach(page, theme, shotOf(page));
          if (done !== 'done') await shotOf(page)(name);
        } catch (e) {
          skipped.push(`${name} at ${width} px ${theme}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
        } finally {
          await page.close();
        }
      }
      if (reportUrl) {
        const page = await context.newPage();
        try {
          await page.goto(reportUrl);
          await page.waitForTimeout(1500);
          await shotOf(page)('report');
        } catch (e) {
          skipped.push(`report at ${width} px ${theme}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
        } finally {
          await page.close();
        }
      }
      for (const e of errors) skipped.push(`page error, ${e}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
writeFileSync(join(OUT, 'skipped.txt'), skipped.join('\n') + (skipped.length ? '\n' : ''));
console.log(`screenshots: ${written} images in ${OUT}`);
if (skipped.length) console.log(`not reached (also in screenshots/skipped.txt):\n  ${skipped.join('\n  ')}`);
