// What `npm publish` would ship, from `npm pack --dry-run --json` (no tarball is written): the
// entry points and their types, the bundle, schema and manifest, and none of the development files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const BUILT = ['dist/index.js', 'dist/index.d.ts', 'dist/define.js', 'dist/define.d.ts', 'dist/experiment-dashboard.bundle.js'];

/** Paths in the package, relative to its root. */
let files;

before(() => {
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  assert.deepEqual(missing, [], `dist is not built (${missing.join(', ')} missing): run npm run build`);
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
  assert.equal(result.status, 0, `npm pack failed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout);
  files = new Set(report.files.map((f) => f.path));
});

/** Every file an `exports` entry can resolve to, with its condition. */
function exportTargets(value, key = '') {
  if (typeof value === 'string') return [{ key, target: value }];
  return Object.entries(value).flatMap(([k, v]) => exportTargets(v, key ? `${key} ${k}` : k));
}

describe('npm package', () => {
  it('ships the entry points, their types, the bundle, schema and manifest', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'custom-elements.json',
      'schema/experiment-collection.v1.schema.json',
      ...BUILT,
    ]) {
      assert.ok(files.has(f), `${f} is not in the package`);
    }
  });

  it('ships every file that exports, bin, types and customElements name', () => {
    const targets = [
      ...exportTargets(pkg.exports),
      ...Object.entries(pkg.bin ?? {}).map(([key, target]) => ({ key: `bin ${key}`, target })),
      { key: 'types', target: pkg.types },
      { key: 'module', target: pkg.module },
      { key: 'customElements', target: pkg.customElements },
    ];
    for (const { key, target } of targets) {
      assert.ok(files.has(target.replace(/^\.\//, '')), `${key}: ${target} is not in the package`);
    }
    for (const entry of ['.', './define.js']) {
      assert.ok(pkg.exports[entry]?.types && pkg.exports[entry]?.import, `exports["${entry}"] needs "types" and "import"`);
      assert.equal(Object.keys(pkg.exports[entry])[0], 'types', `exports["${entry}"]: "types" must come first`);
    }
    for (const [key, target] of Object.entries({ './bundle.js': 'dist/experiment-dashboard.bundle.js', './schema.json': 'schema/experiment-collection.v1.schema.json', './custom-elements.json': 'custom-elements.json' })) {
      assert.equal(pkg.exports[key]?.replace(/^\.\//, ''), target, `exports["${key}"]`);
    }
  });

  it('builds dist/ before packing, so a package packed from a fresh clone is complete', () => {
    // npm runs `prepack` before `npm pack` and `npm publish` (and when installing from git).
    assert.match(pkg.scripts?.prepack ?? '', /\bnpm run build\b/, 'package.json needs "prepack": "npm run build"');
  });

  it('ships the reference server the CLI starts, not the test runner plugin', () => {
    assert.ok(files.has('server/reference-server.mjs'), 'server/reference-server.mjs is not in the package');
    assert.ok(!files.has('server/web-test-runner-plugin.mjs'), 'server/web-test-runner-plugin.mjs (test only) must not be in the package');
    assert.ok(!files.has('server/mlflow-replay.mjs'), 'server/mlflow-replay.mjs (replays recorded MLflow answers for tests) must not be in the package');
  });

  it('declares the define modules as its only side effects, and ships them', () => {
    assert.ok(pkg.sideEffects.includes('./dist/define.js'));
    assert.ok(pkg.sideEffects.includes('./dist/experiment-dashboard.bundle.js'));
    for (const f of pkg.sideEffects) assert.ok(files.has(f.replace(/^\.\//, '')), `sideEffects: ${f} is not in the package`);
    assert.ok(!pkg.sideEffects.includes('./dist/index.js'), 'dist/index.js registers nothing: it must stay free of side effects');
  });

  it('ships no tests, fixtures, stories, demo, benchmarks, sources or dependencies', () => {
    const forbidden = [
      [/^test\//, 'test/ (and test/fixtures)'],
      [/^stories\//, 'stories/'],
      [/^demo\//, 'demo/'],
      [/^\.storybook\//, '.storybook/'],
      [/^bench\//, 'bench/'],
      [/^examples\//, 'examples/'],
      [/^src\//, 'src/ (the TypeScript sources)'],
      [/(^|\/)[^/]+\.(test|spec|stories)\.[cm]?[jt]sx?$/, 'test or story files'],
      [/^\.(ci|cache|git)\//, 'CI and cache folders'],
      // Rollup writes modules it took from node_modules (the CSS of Tabulator and uPlot) under
      // dist/node_modules/: rename them in rollup.config.mjs (output.entryFileNames).
      [/(^|\/)node_modules\//, 'node_modules'],
    ];
    for (const [pattern, what] of forbidden) {
      const shipped = [...files].filter((f) => pattern.test(f));
      assert.deepEqual(shipped, [], `${what} must not be in the package`);
    }
  });
});
