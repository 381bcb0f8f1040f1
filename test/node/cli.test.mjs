// The command line on the real fixtures: convert, validate, report (opened in headless Chromium
// from file://, offline), serve, help and usage errors.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/experiment-dashboard.mjs');
const FIXTURES = join(ROOT, 'test/fixtures');
const SACRED = join(FIXTURES, 'sacred-manuel-rhdt-ml-pws/runs');
const MLRUNS = join(FIXTURES, 'mlflow-mlruns-konradmalik-mlfix/mlruns');
const EXPORT = join(FIXTURES, 'mlflow-export-import/oss_mlflow');
const BUNDLE = join(ROOT, 'dist/experiment-dashboard.bundle.js');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Every fixture run: id -> what the converted record must say. */
const RUNS = {
  1: { status: 'completed', raw: 'COMPLETED', name: 'model-size-sweep #1' },
  3: { status: 'failed', raw: 'FAILED', name: 'model-size-sweep #3' },
  4: { status: 'completed', raw: 'COMPLETED', name: 'model-size-sweep #4' },
  '6e6280f331a94bf388fa9d0de0ecee99': { status: 'completed', raw: 'FINISHED', name: undefined },
  a83cebbccbca41299360c695c5ea72f3: { status: 'completed', raw: 'FINISHED', name: 'train.sh 2.0.1 2022-12-15 02:17:43' },
  '5397ae67ee0c49139bf64834b4d27fab': { status: 'completed', raw: 'FINISHED', name: 'glamorous-fish-47' },
  '8a6af43e756f433da7a90fd6b4e49c3a': { status: 'completed', raw: 'FINISHED', name: 'silent-dog-788' },
  eb66c160957d4a28b11d3f1b968df9cd: { status: 'completed', raw: 'FINISHED', name: 'eb66c160957d4a28b11d3f1b968df9cd' },
  '4b0ce88fd34e45fc8ca08876127299ce': { status: 'completed', raw: 'FINISHED', name: 'wine run' },
};
const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let tmp;

function cli(args, options = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ed-cli-'));
});

after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('convert', () => {
  let collection;
  let byId;

  before(() => {
    const out = join(tmp, 'fixtures.json');
    const r = cli(['convert', SACRED, MLRUNS, EXPORT, '-o', out, '--main-metric', 'rmse:min']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /error:/);
    collection = JSON.parse(readFileSync(out, 'utf8'));
    byId = new Map(collection.experiments.map((e) => [e.id, e]));
  });

  it('writes a format-v1 collection of every run', () => {
    assert.equal(collection.schemaVersion, '1.0');
    assert.equal(collection.kind, 'ExperimentCollection');
    assert.match(collection.generatedAt, UTC);
    assert.deepEqual(collection.defaults.mainMetric, { key: 'rmse', goal: 'minimize' });
    assert.deepEqual([...byId.keys()].sort(), Object.keys(RUNS).sort());
  });

  it('maps every status and keeps the source word', () => {
    for (const [id, want] of Object.entries(RUNS)) {
      const e = byId.get(id);
      assert.equal(e.status, want.status, id);
      assert.equal(e.statusDetail.raw, want.raw, id);
      assert.equal(e.name, want.name, id);
    }
  });

  it('writes every time in UTC with Z', () => {
    for (const e of collection.experiments) {
      for (const [k, t] of Object.entries(e.times ?? {})) assert.match(t, UTC, `${e.id} times.${k}`);
      for (const m of Object.values(e.metrics ?? {})) for (const t of m.history?.timestamps ?? []) assert.match(t, UTC, e.id);
    }
  });

  it('Sacred run 1: times, metric history, params, host, git, dependencies, sources', () => {
    const e = byId.get('1');
    // run.json has naive UTC times: "2024-02-08T23:02:14.620335".
    assert.deepEqual(e.times, { started: '2024-02-08T23:02:14.620Z', stopped: '2024-02-08T23:03:12.616Z', heartbeat: '2024-02-08T23:03:12.618Z' });
    assert.deepEqual(e.group, { id: 'model-size-sweep', name: 'model-size-sweep' });
    const loss = e.metrics['training.loss'];
    assert.equal(loss.count, 400);
    assert.equal(loss.last, -0.6781838181495666);
    assert.equal(loss.min, -0.6781838181495666);
    assert.equal(loss.max, 0.2630771433830261);
    assert.equal(loss.lastStep, 400);
    assert.equal(loss.history.values.length, 400);
    assert.deepEqual(loss.history.steps.slice(0, 3), [1, 2, 3]);
    assert.equal(loss.history.timestamps[0], '2024-02-08T23:02:17.744Z');
    assert.equal(e.params.seed, 594583207);
    assert.equal(e.params.lr, 0.0001);
    assert.deepEqual(e.params.dataset, { device: 'cuda', filename: 'data/gaussian_data.pt' });
    assert.equal(e.host.hostname, 'jupyternoteboo.data-driveninfo.src.surf-hosted.nl');
    assert.deepEqual(e.host.os, { system: 'Linux', platform: 'Linux-5.4.0-170-generic-x86_64-with-glibc2.31' });
    assert.equal(e.host.cpu.model, 'Intel(R) Xeon(R) Gold 6226 CPU @ 2.70GHz');
    assert.equal(e.host.python.version, '3.12.1');
    assert.equal(e.host.gpus.count, 1);
    assert.equal(e.host.gpus.driverVersion, '515.43.04');
    // 11264 MiB as Sacred records it.
    assert.deepEqual(e.host.gpus.devices, [{ model: 'NVIDIA GeForce RTX 2080 Ti', memoryBytes: 11264 * 1024 * 1024 }]);
    assert.deepEqual(e.git, [{ url: 'git@github.com:manuel-rhdt/ml-pws.git', commit: '34c5ea6bebc779115962365252593cd77b67fbec', dirty: true }]);
    assert.deepEqual(
      e.dependencies.map((d) => `${d.name}==${d.version}`),
      ['numpy==1.26.3', 'sacred==0.8.5', 'src==0.1.0', 'torch==2.2.0'],
    );
    assert.equal(e.command, 'my_main');
    assert.match(e.output.stdout, /Completed after 0:00:58/);
    assert.deepEqual(e.source, { type: 'sacred', nativeId: '1', producer: 'sacred 0.8.5' });
    assert.equal(e.artifacts[0].role, 'source');
  });

  it('Sacred run 3: the failure and its trace', () => {
    const e = byId.get('3');
    assert.equal(e.error.message, "AttributeError: expected 'f' to be string, path, or a file-like object with a 'write' attribute");
    assert.match(e.error.trace, /^Traceback \(most recent call last\)/);
    assert.equal(e.times.stopped, '2024-02-08T23:13:32.327Z');
    assert.equal(e.params.output_name, 'stochseq_model=LSTM_layers=1_hidden=8.pt');
    assert.ok(e.artifacts.some((a) => a.name === 'gaussian_data.pt' && a.role === 'input'));
  });

  it('mlruns run: meta.yaml, metric files, params, tags, artifacts', () => {
    const e = byId.get('6e6280f331a94bf388fa9d0de0ecee99');
    assert.deepEqual(e.group, { id: '0', name: 'Default' });
    assert.deepEqual(e.times, { started: '2020-08-20T20:32:05.771Z', stopped: '2020-08-20T20:32:05.819Z', updated: '2020-08-20T20:32:05.803Z' });
    assert.equal(e.operator, 'konrad');
    assert.equal(e.command, 'testmodel.py');
    // MLflow params are text: "0.5" stays "0.5".
    assert.deepEqual(e.params, { alpha: '0.5', l1_ratio: '0.5' });
    assert.deepEqual(e.metrics.rmse, {
      last: 0.24901379434298318,
      min: 0.24901379434298318,
      max: 0.24901379434298318,
      count: 1,
      lastStep: 0,
      history: { steps: [0], values: [0.24901379434298318], timestamps: ['2020-08-20T20:32:05.799Z'] },
    });
    assert.deepEqual(e.git, [{ commit: 'f8db0b09fb5ca2c6ffcb6989e5cb910f7ed6cc83' }]);
    assert.deepEqual(e.labels, { 'mlflow.source.type': 'LOCAL' });
    assert.deepEqual(e.artifacts.map((a) => [a.name, a.role]), [
      ['model/conda.yaml', 'model'],
      ['model/MLmodel', 'model'],
    ]);
    assert.equal(e.source.producer, 'mlflow file store');
  });

  it('mlflow-export-import runs: experiment names, params, metric histories, git, operator', () => {
    const eb = byId.get('eb66c160957d4a28b11d3f1b968df9cd');
    assert.deepEqual(eb.group, { id: '1', name: 'sklearn_wine' });
    assert.deepEqual(eb.times, { started: '2023-05-20T23:04:09.419Z', stopped: '2023-05-20T23:04:13.222Z', updated: '2023-05-20T23:04:09.585Z' });
    assert.equal(eb.operator, 'andre');
    assert.deepEqual(eb.params, { max_depth: '4', max_leaf_nodes: '32' });
    assert.equal(eb.metrics.rmse.last, 0.7367947360663162);
    assert.deepEqual(eb.metrics.rmse.history, { steps: [0], values: [0.7367947360663162], timestamps: ['2023-05-20T23:04:09.570Z'] });
    assert.equal(eb.git[0].commit, '1f76cec7520dbc05dc93f8d3faea757fa3a4f703');
    assert.equal(eb.command, '/Users/andre/git/andre/mlflow-examples/python/sklearn/wine_quality/train.py');
    assert.deepEqual(eb.artifacts.map((a) => a.name), ['model', 'onnx-model']);
    assert.equal(eb.source.producer, 'mlflow 2.3.2');
    // The main metric named on the command line is filled from each run's metrics.
    assert.equal(collection.defaults.mainMetric.key, 'rmse');

    const fish = byId.get('5397ae67ee0c49139bf64834b4d27fab');
    assert.deepEqual(fish.group, { id: '2', name: 'sklearn_iris' });
    assert.deepEqual(fish.params, { max_depth: '5' });
    assert.equal(fish.metrics.accuracy_score.last, 0.9333333333333333);
    assert.deepEqual(fish.labels, { algorithm: 'sklearn-iris', int: '123', 'mlflow.source.type': 'LOCAL', mlflow_version: '2.0.1' });
    // The run in bulk/experiments/1/runs/d057.../ is another run id than its folder's name.
    assert.equal(byId.get('a83cebbccbca41299360c695c5ea72f3').params.max_depth, 'None');
  });

  it('reads single files and folders of one run too', () => {
    const out = join(tmp, 'single.json');
    const r = cli(['convert', join(SACRED, '4', 'run.json'), join(MLRUNS, '0', '6e6280f331a94bf388fa9d0de0ecee99'), join(EXPORT, 'single/experiments/basic/runs/eb66c160957d4a28b11d3f1b968df9cd/run.json'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(c.experiments.map((e) => e.id), ['4', '6e6280f331a94bf388fa9d0de0ecee99', 'eb66c160957d4a28b11d3f1b968df9cd']);
    // Names found next to the run: mlruns/0/meta.yaml, the export's experiment.json.
    assert.equal(c.experiments[1].group.name, 'Default');
    assert.equal(c.experiments[2].group.name, 'sklearn_wine');
  });

  it('names the file and the field of each problem, keeps the good runs and exits 1', () => {
    const runs = join(tmp, 'bad-sacred', 'runs');
    cpSync(join(SACRED, '1'), join(runs, '1'), { recursive: true });
    cpSync(join(SACRED, '1'), join(runs, '2'), { recursive: true });
    const runJson = join(runs, '2', 'run.json');
    writeFileSync(runJson, readFileSync(runJson, 'utf8').replace(/"start_time": "[^"]*"/, '"start_time": "not a time"'));
    mkdirSync(join(runs, '5'));
    writeFileSync(join(runs, '5', 'run.json'), '{"experiment": {"name": "x"}, "status": ');
    const out = join(tmp, 'bad-sacred.json');
    const r = cli(['convert', runs, '-o', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${join('runs', '2', 'run.json').replace(/[\\/]/g, '[\\\\/]')}:\\$\\.start_time: warning: .*"not a time"`));
    assert.match(r.stderr, new RegExp(`${join('runs', '5', 'run.json').replace(/[\\/]/g, '[\\\\/]')}: error: not valid JSON`));
    const c = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(c.experiments.map((e) => e.id), ['1', '2']);
    assert.equal(c.experiments[1].times.started, undefined);
  });

  it('says what it could not read', () => {
    const empty = join(tmp, 'empty-folder');
    mkdirSync(empty);
    const unknown = join(tmp, 'unknown.json');
    writeFileSync(unknown, '{"hello": "world"}');
    const r = cli(['convert', empty, unknown, join(tmp, 'missing.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /empty-folder: no runs found/);
    assert.match(r.stderr, /unknown\.json: not a format this command reads/);
    assert.match(r.stderr, /missing\.json: cannot read it \(no such file\)/);
    assert.equal(r.stdout, '');
  });

  it('reports progress every 1000 runs on large inputs', () => {
    const big = join(tmp, 'big.json');
    const experiments = Array.from({ length: 2500 }, (_, i) => ({ id: `r${i}`, status: 'completed', metrics: { acc: { last: i / 2500 } } }));
    writeFileSync(big, JSON.stringify({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments }));
    const r = cli(['convert', big, '-o', join(tmp, 'big-out.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.match(/[\d,]+ runs read/g), ['1,000 runs read', '2,000 runs read']);
  });

  it('warns, naming the metrics there are, when no run has the --main-metric', () => {
    const r = cli(['convert', SACRED, '--main-metric', 'val_loss:min']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: no run has the main metric "val_loss" \(--main-metric\); the metrics are training\.loss\./);
    assert.equal(JSON.parse(r.stdout).defaults.mainMetric.key, 'val_loss');
    const known = cli(['convert', SACRED, '--main-metric', 'training.loss:min']);
    assert.doesNotMatch(known.stderr, /main metric/);
  });

  it('stops quietly when the reader of its output goes away (convert | head)', async () => {
    const big = join(tmp, 'epipe.json');
    // Far more than a pipe's buffer, so the write is still going when the reader leaves.
    const experiments = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, status: 'completed', params: { note: 'x'.repeat(200) } }));
    writeFileSync(big, JSON.stringify({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments }));
    const child = spawn(process.execPath, [CLI, 'convert', big, '--pretty'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolveExit) => child.on('close', (c) => resolveExit(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error|at /);
    assert.equal(code, 0);
  });
});

describe('validate', () => {
  it('exits 0 on a good file', () => {
    const good = join(tmp, 'good.json');
    writeFileSync(good, JSON.stringify({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [{ id: 'a', status: 'completed', metrics: { loss: { last: 'NaN' } } }] }));
    const r = cli(['validate', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid format v1: 1 valid experiment, 0 errors, 0 warnings/);
    assert.equal(r.stderr, '');
  });

  it('accepts a parent run named by the field parent; a run naming itself is a warning, the run kept', () => {
    const file = join(tmp, 'parent.json');
    const experiments = [
      { id: 'sweep', status: 'completed' },
      { id: 'trial-1', status: 'completed', parent: 'sweep' },
      { id: 'trial-2', status: 'failed', parent: null },
    ];
    writeFileSync(file, JSON.stringify({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments }));
    const r = cli(['validate', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid format v1: 3 valid experiments, 0 errors, 0 warnings/);
    assert.equal(r.stderr, '');
    writeFileSync(file, JSON.stringify({ schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [...experiments, { id: 'loop', status: 'completed', parent: 'loop' }] }));
    const self = cli(['validate', file]);
    assert.equal(self.code, 0, self.stderr);
    assert.match(self.stderr, /warning: record 3 \(id "loop"\), \$\.experiments\[3\]\.parent: the run names itself \("loop"\) as its parent run; the field was dropped/);
  });

  it('exits 1 and names every problem on a bad file, warnings included', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        schemaVersion: '1.0',
        kind: 'ExperimentCollection',
        experiments: [
          { id: 'ok', status: 'completed' },
          { id: 'weird', status: 'exploded' },
          { id: 'late', status: 'completed', times: { started: 'yesterday' } },
          { status: 'completed' },
          { id: 'ok', status: 'failed' },
        ],
      }),
    );
    const r = cli(['validate', bad]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.some((l) => l.includes('bad.json: error: record 1 (id "weird"), $.experiments[1].status: unknown status')), r.stderr);
    assert.ok(lines.some((l) => l.includes('bad.json: warning: record 2 (id "late"), $.experiments[2].times.started:')), r.stderr);
    assert.ok(lines.some((l) => l.includes('bad.json: error: record 3, $.experiments[3].id: the required "id" is missing')), r.stderr);
    assert.ok(lines.some((l) => l.includes('$.experiments[4].id: duplicate id')), r.stderr);
    assert.match(lines.at(-1), /invalid: 2 valid experiments, 3 errors, 1 warning/);
  });

  it('exits 0 with warnings only, and 1 on a file that is not JSON', () => {
    const warn = join(tmp, 'warn.json');
    writeFileSync(warn, JSON.stringify([{ id: 'a', status: 'completed', tags: 'not-a-list' }]));
    const r = cli(['validate', warn]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: collection, \$: a bare array/);
    assert.match(r.stderr, /warning: record 0 \(id "a"\), \$\.experiments\[0\]\.tags:/);

    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{"experiments": [');
    const b = cli(['validate', broken]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /broken\.json: error: not valid JSON/);
  });
});

describe('usage', () => {
  it('--help of every command', () => {
    for (const args of [['--help'], ['report', '--help'], ['convert', '-h'], ['validate', '--help'], ['serve', '--help']]) {
      const r = cli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: experiment-dashboard/, args.join(' '));
    }
  });

  it('exit code 2 on wrong usage, with a hint', () => {
    const html = join(tmp, 'never.html');
    for (const args of [[], ['frobnicate'], ['report', SACRED], ['convert'], ['validate'], ['report', SACRED, '-o', html, '--main-metric', ':max'], ['convert', SACRED, '--bogus'], ['serve', '--port', 'abc']]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      if (args.length > 0) assert.match(r.stderr, /--help" for usage/);
    }
    assert.equal(existsSync(html), false);
  });

  it('a command or help topic named like an object property is unknown, not a crash', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const r = cli([name]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`unknown command "${name}"; the commands are report, convert, validate, serve\\.`));
      const help = cli(['help', name]);
      assert.equal(help.code, 0, `help ${name}`);
      assert.match(help.stdout, /^Usage: experiment-dashboard <command>/, `help ${name}`);
    }
  });
});

describe('report', { skip: !existsSync(BUNDLE) && 'dist/experiment-dashboard.bundle.js is missing: run "npm run build" (npm test does) first' }, () => {
  let file;
  let html;

  before(() => {
    file = join(tmp, 'report dir', 'report.html');
    const r = cli(['report', SACRED, MLRUNS, EXPORT, '-o', file, '--title', 'Fixture runs <all>', '--main-metric', 'rmse:min', '--inline-artifacts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*report\.html \(9 experiments/);
    html = readFileSync(file, 'utf8');
  });

  it('warns when no run has the --main-metric, and still writes the report', () => {
    const out = join(tmp, 'no-such-metric.html');
    const r = cli(['report', SACRED, '-o', out, '--main-metric', 'val_loss:min']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: no run has the main metric "val_loss" \(--main-metric\); the metrics are training\.loss\./);
    assert.ok(existsSync(out));
  });

  it('writes one self-contained HTML file with every run', () => {
    assert.match(html, /^<!doctype html>/);
    // The inlined bundle can itself write reports, so its text is left out of the markup checks.
    const markup = html.replace(/(<script type="module"[^>]*>)[\s\S]*?(<\/script>)/, '$1$2');
    assert.equal(markup.match(/<html/g).length, 1);
    assert.match(html, /<title>Fixture runs &lt;all&gt;<\/title>/);
    for (const id of Object.keys(RUNS)) assert.ok(html.includes(`"id":"${id}"`), id);
    // Nothing is loaded from anywhere: no external script, style sheet, image or frame.
    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /\s(?:src|href|srcset|poster|data)=["']?\s*(?:https?:)?\/\//i);
    assert.equal(markup.match(/<script type="module"[^>]*>/g).length, 1);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
    assert.ok(csp, 'a CSP meta element');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:|\*/);
    // Small local artifacts were inlined (the mlruns model files).
    assert.match(html, /"name":"model\/MLmodel","role":"model","uri":"data:/);
  });

  it('opens from file:// offline: every run shown, details open, no request leaves, no console error', { skip: !existsSync(CHROME) && `no Chromium at ${CHROME}` }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROME,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const url = pathToFileURL(file).href;
      const left = [];
      const errors = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (req) => {
        if (req.url() !== url && !/^(data|blob):/.test(req.url())) left.push(req.url());
      });
      await page.route('**/*', (route) => {
        if (route.request().url() === url) return route.continue();
        left.push(route.request().url());
        return route.abort();
      });
      await page.goto(url);
      const dashboard = page.locator('experiment-dashboard');
      await page.locator('experiment-dashboard .tabulator-row').first().waitFor();
      const rows = await page.evaluate(() => [...document.querySelector('experiment-dashboard').shadowRoot.querySelectorAll('.tabulator-row')].map((r) => r.textContent));
      assert.equal(rows.length, Object.keys(RUNS).length);
      for (const [id, want] of Object.entries(RUNS)) assert.ok(rows.some((t) => t.includes(want.name ?? id)), `${want.name ?? id} is shown`);

      const details = dashboard.getByRole('button', { name: /^Details / });
      assert.equal(await details.count(), Object.keys(RUNS).length);
      await details.first().click();
      const detail = page.locator('experiment-dashboard experiment-row-detail').first();
      await detail.waitFor({ state: 'visible' });
      await detail.getByRole('tab', { name: /Overview/ }).waitFor();
      await page.waitForTimeout(300);
      assert.deepEqual(left, [], 'no request left the file');
      assert.deepEqual(errors, [], 'no console error');
    } finally {
      await browser.close();
    }
  });
});

/** The address a started `serve` prints in its "Serving … at http://…/" line. */
function servingUrl(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "Serving" line: ${out}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

describe('serve', () => {
  it('serves a collection over the reference API and stops on SIGTERM', async () => {
    const data = join(tmp, 'serve.json');
    const r = cli(['convert', SACRED, '-o', data]);
    assert.equal(r.code, 0, r.stderr);
    const child = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await servingUrl(child);
      const body = await (await fetch(`${url}experiments`)).json();
      assert.equal(body.total, 3);
      assert.deepEqual(body.experiments.map((e) => e.id).sort(), ['1', '3', '4']);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});

// ---- MLflow tracking servers, replayed (server/mlflow-replay.mjs answers what real MLflow 3.3 answered) ----

const SACRED87 = join(FIXTURES, 'sacred-0.8.7-filestorage/runs');

/** The command line without blocking this process (the replay server answers from it). */
function cliAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('convert from an MLflow tracking server', () => {
  let replay;
  let session = 0;
  const server = () => `${replay.url}/3.3/cli-${++session}/`;

  before(async () => {
    const { startMlflowReplay } = await import('../../server/mlflow-replay.mjs');
    replay = await startMlflowReplay();
  });
  after(async () => {
    await replay?.close();
  });

  it('reads every active run of the experiments named by id, with names and metric histories', async () => {
    const out = join(tmp, 'server.json');
    const r = await cliAsync(['convert', server(), '--experiment', '2,1', '--experiment', '0', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const collection = JSON.parse(readFileSync(out, 'utf8'));
    const truth = JSON.parse(readFileSync(join(FIXTURES, 'mlflow-rest-recorded/truth.json'), 'utf8')).runs.filter((x) => x.info.lifecycle_stage === 'active');
    assert.deepEqual(collection.experiments.map((e) => e.id).sort(), truth.map((x) => x.info.run_id).sort());
    const e = collection.experiments.find((x) => x.id === '74c45e0fe62847be863dc4a4009b49e9');
    assert.deepEqual(e.group, { id: '1', name: 'cifar-sweep' });
    // The recorded history of its loss: 50 points, and the summary computed from them.
    assert.equal(e.metrics.loss.count, 50);
    assert.equal(e.metrics.loss.history.values.length, 50);
    assert.equal(e.metrics.loss.min, Math.min(...e.metrics.loss.history.values));
    assert.equal(e.metrics.loss.historyRef, undefined);
    const runSearches = replay.requests.filter((q) => q.session === `cli-${session}` && q.path.endsWith('runs/search'));
    assert.deepEqual(runSearches.map((q) => q.seq), [2]);
    // The nested runs name their parent run in the field `parent`, keeping MLflow's label too;
    // `validate` reads the written file without a problem.
    const sweep = collection.experiments.find((x) => x.name === 'hpo-parent');
    const nested = collection.experiments.filter((x) => x.parent !== undefined);
    assert.deepEqual(nested.map((x) => x.name).sort(), ['hpo-trial-0', 'hpo-trial-1']);
    for (const x of nested) {
      assert.equal(x.parent, sweep.id);
      assert.equal(x.labels['mlflow.parentRunId'], sweep.id);
    }
    const v = cli(['validate', out]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /valid format v1: 37 valid experiments, 0 errors, 0 warnings/);
  });

  it('reads experiments by name, and names one the server does not have', async () => {
    const out = join(tmp, 'server-names.json');
    const r = await cliAsync(['convert', server(), '--experiment', 'bert-finetune', '--experiment', 'cifar-sweep,Default', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).experiments.length, 37);
    const missing = await cliAsync(['convert', server(), '--experiment', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no active experiment named "nope"/);
  });

  it('a saved runs/search answer: named from a saved experiments/search answer, else the command says how to get the names', () => {
    const lines = readFileSync(join(FIXTURES, 'mlflow-rest-recorded/exchanges-3.3.jsonl'), 'utf8').split('\n');
    const file = join(tmp, 'search.json');
    writeFileSync(file, JSON.stringify(JSON.parse(lines[34]).responseBody));
    const r = cli(['convert', file, '-o', join(tmp, 'search-out.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /names its experiments by id only \(1\)/);
    assert.match(r.stderr, /Give the experiments\/search answer too/);
    assert.equal(JSON.parse(readFileSync(join(tmp, 'search-out.json'), 'utf8')).experiments[0].group.name, undefined);
    // With MLflow's experiments/search answer beside it, the groups have their names.
    const experiments = join(tmp, 'experiments.json');
    writeFileSync(experiments, JSON.stringify(JSON.parse(lines[8]).responseBody));
    const named = cli(['convert', file, experiments, '-o', join(tmp, 'search-named.json')]);
    assert.equal(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stderr, /by id only/);
    const groups = new Set(JSON.parse(readFileSync(join(tmp, 'search-named.json'), 'utf8')).experiments.map((e) => e.group.name));
    assert.deepEqual([...groups], ['cifar-sweep']);
  });
});

describe('--dead-after', () => {
  it('sets how long a running run may be silent, in the records and the collection defaults', () => {
    const killed = join(SACRED87, '1');
    // Run 1 was killed: its heartbeat stopped long ago.
    const dflt = JSON.parse(cli(['convert', killed]).stdout);
    assert.equal(dflt.experiments[0].status, 'dead');
    const r = cli(['convert', killed, '--dead-after', '100000h']);
    assert.equal(r.code, 0, r.stderr);
    const collection = JSON.parse(r.stdout);
    assert.equal(collection.experiments[0].status, 'running');
    assert.equal(collection.defaults.deadAfterMs, 100000 * 3_600_000);
    const bad = cli(['convert', killed, '--dead-after', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--dead-after must be a duration like 90s, 10m or 1h/);
  });
});

describe('artifacts of Sacred 0.8.7 runs', () => {
  const readRuns = async () => {
    const { loadDataLogic } = await import('../../bin/load-data-logic.mjs');
    const { readInputs } = await import('../../bin/read-inputs.mjs');
    return readInputs([SACRED87], await loadDataLogic());
  };

  it('--inline-artifacts embeds Sacred\'s stored copy of a resource whose original is gone, keeping the path', async () => {
    const { inlineArtifacts } = await import('../../bin/read-inputs.mjs');
    const read = await readRuns();
    await inlineArtifacts(read.entries);
    const run2 = read.entries.find((x) => x.experiment.id === '2').experiment;
    const input = run2.artifacts.find((a) => a.role === 'input');
    assert.equal(input.path, '/home/ada/work/proj/data/input.csv');
    assert.equal(existsSync(input.path), false);
    const stored = readFileSync(join(SACRED87, '_resources/input_178ba85707470c41cf680fb37ff99f7f.csv'));
    assert.equal(input.uri, `data:text/csv;base64,${stored.toString('base64')}`);
    const summary = run2.artifacts.find((a) => a.name === 'model_summary.txt');
    assert.equal(summary.path, 'model_summary.txt');
    assert.match(summary.uri, /^data:text\/plain;base64,/);
    const source = run2.artifacts.find((a) => a.role === 'source');
    assert.match(source.uri, /^data:text\/plain;base64,/);
  });

  it('without --inline-artifacts every artifact says why the report has no copy', async () => {
    const { markNotCarried } = await import('../../bin/read-inputs.mjs');
    const read = await readRuns();
    markNotCarried(read.entries);
    const all = read.entries.flatMap((x) => x.experiment.artifacts ?? []);
    assert.ok(all.length > 0);
    for (const a of all) assert.match(a.unavailable, /make it with --inline-artifacts/);
  });

  it('serve --data runs/ serves the files in the run folders', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--data', SACRED87, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await servingUrl(child);
      const summary = await fetch(`${url}experiments/2/artifacts/model_summary.txt`);
      assert.equal(summary.status, 200);
      assert.equal(await summary.text(), readFileSync(join(SACRED87, '2/model_summary.txt'), 'utf8'));
      const source = await fetch(`${url}experiments/2/artifacts/train.py`);
      assert.equal(source.status, 200);
      assert.equal(await source.text(), readFileSync(join(SACRED87, '_sources/train_11dc6be7b93cd03bb820f23b6ad0719d.py'), 'utf8'));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
