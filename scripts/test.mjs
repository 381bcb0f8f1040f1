#!/usr/bin/env node
// @ts-check
// `npm test`: type-check, lint, build, node tests, the browser suite in headless Chromium, then every
// Storybook story. Ends with the plain
// line `N passed, N failed` (browser tests plus one per failed check) that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const countsFile = join(mkdtempSync(join(tmpdir(), 'ed-test-')), 'counts.json');
let passed = 0;
let failed = 0;

/**
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
function step(name, command, args, env = {}) {
  console.log(`\n> ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

for (const [name, cmd, args] of /** @type {[string, string, string[]][]} */ ([
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['type-check (bin, server, scripts)', 'npx', ['tsc', '-p', 'tsconfig.node.json']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  // The bundle and package tests use dist/ exactly as a user's page or npm would.
  ['build', 'npm', ['run', 'build', '--silent']],
])) {
  if (step(name, cmd, args)) passed += 1;
  else {
    failed += 1;
    console.error(`${name} failed`);
  }
}

// Node-side tests (command line, servers, importers on real folders) when there are any.
if (existsSync('test/node')) {
  console.log('\n> node tests: node --test test/node/');
  const files = readdirSync('test/node').filter((f) => f.endsWith('.test.mjs')).map((f) => join('test/node', f));
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { encoding: 'utf8', env: process.env });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  const count = (/** @type {string} */ name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(result.stdout ?? '')?.[1] ?? 0);
  const nodePassed = count('pass');
  const nodeFailed = count('fail') + count('cancelled');
  passed += nodePassed;
  failed += nodeFailed;
  if (result.status !== 0 && nodeFailed === 0) failed += 1;
}

const extra = process.argv.slice(2);
const browserOk = step('browser tests', 'npx', ['web-test-runner', ...extra], { ED_COUNTS_FILE: countsFile });
try {
  const totals = JSON.parse(readFileSync(countsFile, 'utf8'));
  passed += totals.passed;
  failed += totals.failed + totals.sessionErrors;
  if (!browserOk && totals.failed + totals.sessionErrors === 0) failed += 1;
} catch {
  console.error('The browser test runner did not report any result.');
  failed += 1;
}
rmSync(countsFile, { force: true });

// The Storybook catalogue: every story built, rendered, its play function run and checked with axe.
const storyCounts = countsFile.replace(/counts\.json$/, 'stories.json');
const storiesOk = step('stories', process.execPath, ['scripts/check-stories.mjs'], { ED_COUNTS_FILE: storyCounts });
try {
  const totals = JSON.parse(readFileSync(storyCounts, 'utf8'));
  passed += totals.passed;
  failed += totals.failed;
  if (!storiesOk && totals.failed === 0) failed += 1;
} catch {
  console.error('The story check did not report any result.');
  failed += 1;
}
rmSync(storyCounts, { force: true });

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
