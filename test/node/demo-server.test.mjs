// The demo server (`npm start`, scripts/serve.mjs): its HTTP mode serves the number of sample
// experiments the page asks for, as the static mode does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const BUILT = existsSync(join(ROOT, 'dist/experiment-dashboard.bundle.js')) && existsSync(join(ROOT, 'dist/data/sample-data.js'));

async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address();
  await new Promise((ok) => probe.close(ok));
  return port;
}

describe('demo server', { skip: !BUILT && 'dist/ is missing: run "npm run build" first' }, () => {
  let child;
  let base;

  before(async () => {
    const [port, apiPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['scripts/serve.mjs'], { cwd: ROOT, env: { ...process.env, PORT: String(port), API_PORT: String(apiPort), HOST: '127.0.0.1' } });
    let output = '';
    await new Promise((ok, fail) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Reference experiment service')) ok();
      });
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => fail(new Error(`scripts/serve.mjs exited with ${code}: ${output}`)));
    });
    base = `http://127.0.0.1:${port}`;
  });

  after(() => child?.kill());

  it('serves the HTTP API on the sample of the count and seed asked for', async () => {
    for (const [n, seed] of [[300, 42], [1200, 7]]) {
      const answer = await fetch(`${base}/demo/api/${n}/${seed}/experiments?limit=1`);
      assert.equal(answer.status, 200);
      assert.equal((await answer.json()).total, n);
    }
  });

  it('the demo page in HTTP mode shows the number of experiments chosen', { skip: !existsSync(CHROME) && `no Chromium at ${CHROME}` }, async () => {
    const browser = await chromium.launch({
      executablePath: CHROME,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/demo/?source=http&n=500`);
      const summary = page.locator('experiment-dashboard [part~="summary"]');
      await summary.getByText(/^\s*500 experiments/).first().waitFor({ timeout: 30_000 });
      assert.match(await summary.innerText(), /\b500 experiments\b/);
      assert.doesNotMatch(await summary.innerText(), /2,000/);
    } finally {
      await browser.close();
    }
  });
});
