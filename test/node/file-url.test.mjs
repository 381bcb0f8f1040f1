// The bundle from a page opened from disk (file://), with one script tag and inline data: the
// case Chromium does not allow for module scripts by URL, so the bundle is a classic script too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const bundle = new URL('../../dist/experiment-dashboard.bundle.js', import.meta.url).pathname;

test('a page from file:// with <script src="experiment-dashboard.bundle.js"> shows its inline runs', async () => {
  assert.ok(existsSync(bundle), 'dist/experiment-dashboard.bundle.js is missing: run npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'ed-file-'));
  try {
    copyFileSync(bundle, join(dir, 'experiment-dashboard.bundle.js'));
    const collection = { schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [{ id: 'a', status: 'completed', name: 'from disk' }, { id: 'b', status: 'failed' }] };
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>runs</title><script src="experiment-dashboard.bundle.js"></script></head>
<body><experiment-dashboard style="height: 400px"><script type="application/json">${JSON.stringify(collection)}</script></experiment-dashboard></body></html>`,
    );
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      await page.waitForFunction(() => document.querySelector('experiment-dashboard')?.shadowRoot?.querySelectorAll('.tabulator-row').length === 2, null, { timeout: 15000 });
      const statuses = await page.evaluate(() => [...document.querySelector('experiment-dashboard').shadowRoot.querySelectorAll('.status')].map((s) => s.textContent));
      assert.ok(statuses.includes('Completed') && statuses.includes('Failed'), statuses.join());
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a page from file:// with src="runs.json" says why it cannot load it and what to do', async () => {
  assert.ok(existsSync(bundle), 'dist/experiment-dashboard.bundle.js is missing: run npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'ed-file-'));
  try {
    copyFileSync(bundle, join(dir, 'experiment-dashboard.bundle.js'));
    writeFileSync(join(dir, 'runs.json'), JSON.stringify({ experiments: [{ id: 'a', status: 'completed' }] }));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>runs</title><script src="experiment-dashboard.bundle.js"></script></head>
<body><experiment-dashboard src="runs.json" style="height: 400px"></experiment-dashboard></body></html>`,
    );
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      const errorPart = () => document.querySelector('experiment-dashboard')?.shadowRoot?.querySelector('[part="error"]')?.textContent?.replace(/\s+/g, ' ').trim();
      await page.waitForFunction(errorPart, null, { timeout: 15000 });
      assert.equal(
        await page.evaluate(errorPart),
        'Could not load the experiments. Could not load runs.json: this page was opened from disk (file://), and browsers do not let such a page fetch files. Serve the folder over HTTP (for example `npx experiment-dashboard serve` or `python3 -m http.server`), or put the data inside the element in a <script type="application/json">.',
      );
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
