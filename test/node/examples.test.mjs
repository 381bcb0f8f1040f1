// The framework examples, as a user would run them: examples/plain-html (the self-contained
// bundle from a script tag) and examples/react (a React 19 app bundled by esbuild from the
// package's ESM entry points), each served over HTTP and opened in headless Chromium.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildReactExample } from '../../examples/react/build.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = ['dist/experiment-dashboard.bundle.js', 'dist/define.js', 'dist/index.js'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };

/** A static file server on 127.0.0.1 for `dir`; resolves to its base URL and a close function. */
async function serve(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = resolve(root, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
    try {
      if (path !== root && !path.startsWith(root + sep)) throw new Error('outside');
      const file = (await stat(path)).isDirectory() ? join(path, 'index.html') : path;
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

let tmp;
let browser;
const servers = [];

before(async () => {
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  assert.deepEqual(missing, [], `dist is not built (${missing.join(', ')} missing): run npm run build`);
  tmp = mkdtempSync(join(tmpdir(), 'ed-examples-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Opens `url` in a fresh page; `problems` collects console errors, page errors and failed requests. */
async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(url);
  return { page, problems };
}

/** Number of table rows rendered inside the dashboard's shadow root, once there are any. */
async function renderedRows(page) {
  await page.waitForFunction(() => (document.querySelector('experiment-dashboard')?.shadowRoot?.querySelectorAll('.tabulator-row').length ?? 0) > 0, null, { timeout: 20_000 });
  return page.evaluate(() => document.querySelector('experiment-dashboard').shadowRoot.querySelectorAll('.tabulator-row').length);
}

/** Clicks the first "Details <name>" button and returns that name. */
async function openFirstDetails(page) {
  const button = page.locator('experiment-dashboard').getByRole('button', { name: /^Details / }).first();
  const name = (await button.getAttribute('aria-label')).replace(/^Details /, '');
  await button.click();
  return name;
}

describe('examples', { timeout: 55_000 }, () => {
  it('plain-html: the bundle from a script tag, data from src, events in the page', async () => {
    const server = await serve(ROOT);
    servers.push(server);
    const { page, problems } = await open(`${server.url}/examples/plain-html/index.html`);
    try {
      assert.equal(await renderedRows(page), 4);
      await page.locator('#last-event', { hasText: 'experiments-loaded: 4 experiments' }).waitFor({ timeout: 10_000 });
      await openFirstDetails(page);
      await page.locator('#last-event', { hasText: /^experiment-toggle: run-\d opened$/ }).waitFor({ timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('react: experiments as a property, events shown by React', async () => {
    const { warnings } = await buildReactExample({ outdir: join(tmp, 'build'), minify: false, logLevel: 'silent' });
    // e.g. "Ignoring this import because ... was marked as having no side effects": the element
    // would never be registered.
    assert.deepEqual(
      warnings.map((w) => `${w.text} (${w.location?.file})`),
      [],
      'esbuild warned while bundling the package',
    );
    copyFileSync(join(ROOT, 'examples/react/index.html'), join(tmp, 'index.html'));
    const server = await serve(tmp);
    servers.push(server);
    const { page, problems } = await open(`${server.url}/index.html`);
    try {
      await page.locator('#last-event').waitFor({ timeout: 10_000 });
      assert.ok(await page.evaluate(() => customElements.get('experiment-dashboard') !== undefined), "importing 'experiment-dashboard/define.js' registered no <experiment-dashboard>: does dist/define.js still import the element modules?");
      assert.ok((await renderedRows(page)) > 0);
      // Set through React 19's property support: the element holds the generated collection.
      assert.equal(await page.evaluate(() => document.querySelector('experiment-dashboard').loadedExperiments.length), 40);
      assert.equal(await page.evaluate(() => document.querySelector('experiment-dashboard').getAttribute('main-metric')), 'val_accuracy:max');
      // `onexperiments-loaded` prop.
      await page.locator('#last-event', { hasText: 'experiments-loaded: 40 experiments' }).waitFor({ timeout: 10_000 });
      // addEventListener in an effect.
      const name = await openFirstDetails(page);
      await page.locator('#last-event', { hasText: `experiment-toggle: ${name} opened` }).waitFor({ timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
