// The validator (src/data/parse.ts, what the dashboard and `validate` use) and the shipped JSON
// Schema (what producers in other languages check against) must agree: a rich valid record has
// every one of its values, at every depth, replaced by each other JSON type (and an unknown field
// added to every object), and
// - every record the schema rejects gets a problem from parseCollection naming that path;
// - every record the schema accepts is kept, with no problem about that path and the value kept.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import * as esbuild from 'esbuild';

const ROOT = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/experiment-collection.v1.schema.json', ROOT), 'utf8'));

/** src/data/parse.ts bundled in memory, as bin/load-data-logic.mjs does for the command line. */
async function loadParser() {
  const out = await esbuild.build({
    stdin: { contents: "export * from './parse.ts';", resolveDir: fileURLToPath(new URL('src/data/', ROOT)), loader: 'ts', sourcefile: 'parse-entry.ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'node20',
    logLevel: 'silent',
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

// RFC 3339 date-time, as the JSON Schema `date-time` format means it (ajv ships no formats).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
function isDateTime(s) {
  const m = RFC3339.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, se] = m.map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && se <= 60;
}

const T = ['2024-05-01T09:58:00.000Z', '2024-05-01T10:00:00.000Z', '2024-05-01T12:03:05.000Z', '2024-05-01T12:03:00.000Z', '2024-05-01T12:03:01.000Z'];

/** Every field of format v1 (schema/experiment-collection.v1.schema.json, src/data/types.ts). */
function richRecord() {
  return {
    id: 'run-1',
    name: 'baseline',
    group: { id: 'g-1', name: 'lr sweep' },
    parent: 'sweep-1',
    status: 'completed',
    statusDetail: { raw: 'COMPLETED', derived: false, reason: 'finished' },
    times: { queued: T[0], started: T[1], stopped: T[2], heartbeat: T[3], updated: T[4] },
    operator: 'ada',
    command: 'python train.py',
    notes: 'first try',
    tags: ['baseline', 'gpu'],
    labels: { team: 'vision', owner: 'ada' },
    mainMetric: { key: 'acc', value: 0.9, goal: 'maximize' },
    metrics: {
      acc: {
        last: 0.9,
        min: 0.1,
        max: 0.9,
        count: 3,
        lastStep: 2,
        history: { steps: [0, 1, 2], timestamps: [T[1], T[2], T[3]], values: [0.1, 0.5, 0.9] },
        historyRef: 'metrics/acc.json',
      },
    },
    params: { lr: 0.01, optimizer: { name: 'adam', betas: [0.9, 0.999] }, augment: true, crop: null },
    dependencies: [{ name: 'numpy', version: '1.26.4', manager: 'pip' }],
    artifacts: [{ name: 'model.pt', role: 'model', uri: 'https://example.org/model.pt', path: 'out/model.pt', sizeBytes: 1024, mediaType: 'application/octet-stream', digest: 'sha256:ab12' }],
    host: {
      hostname: 'gpu-3',
      os: { system: 'Linux', platform: 'Linux-5.15' },
      cpu: { model: 'Xeon', cores: 16 },
      memoryBytes: 68719476736,
      python: { version: '3.11.4', implementation: 'CPython' },
      workspaceVersion: '1.2.0',
      gpus: { count: 1, driverVersion: '535.54', devices: [{ model: 'A100', memoryBytes: 42949672960 }] },
      env: { CUDA_VISIBLE_DEVICES: '0' },
    },
    git: [{ url: 'https://example.org/repo.git', commit: 'abc123', branch: 'main', dirty: false }],
    error: { message: 'none', trace: 'Traceback' },
    output: { stdout: 'epoch 1', stdoutRef: 'stdout.txt' },
    source: { type: 'sacred', nativeId: '42', producer: 'sacred 0.8.5' },
    extensions: { sacred: { captured: ['x'] } },
  };
}

function richCollection() {
  return {
    schemaVersion: '1.0',
    kind: 'ExperimentCollection',
    generatedAt: T[4],
    source: { type: 'sacred', producer: 'converter 1.0' },
    defaults: { mainMetric: { key: 'acc', goal: 'maximize' }, deadAfterMs: 120000 },
    experiments: [richRecord()],
  };
}

/** Each other JSON type a value can be replaced by. */
const MUTATIONS = [null, 5, 'text', true, {}, [], '', '2024-02-30T25:61:00Z'];

/** Every path of a JSON value (arrays by index), parents before children; not the root. */
function* paths(value, at = []) {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const p = [...at, Array.isArray(value) ? Number(k) : k];
    yield p;
    yield* paths(v, p);
  }
}

const getAt = (obj, p) => p.reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
function setAt(obj, p, value) {
  const parent = getAt(obj, p.slice(0, -1));
  parent[p.at(-1)] = value;
}

/** A path as the parser writes it: `$.experiments[0].metrics.acc.history.values[2]`. */
const pathText = (p) => `$${p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
/** The parser quotes keys in brackets where needed (`.metrics["acc"]`): compare in one spelling. */
const canonical = (path) => path.replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, k) => `.${JSON.parse(`"${k}"`)}`);

/** True when the problem is about the path: the path, a part of its value, or a part holding it (not the whole record). */
function touches(problemPath, mutated) {
  const pp = canonical(problemPath);
  if (pp === mutated || pp.startsWith(`${mutated}.`) || pp.startsWith(`${mutated}[`)) return true;
  return !/^\$\.experiments\[\d+\]$/.test(pp) && pp !== '$' && (mutated.startsWith(`${pp}.`) || mutated.startsWith(`${pp}[`));
}

function cases() {
  const out = [];
  const base = richCollection();
  for (const p of paths(base)) {
    const original = getAt(base, p);
    for (const m of MUTATIONS) {
      if (JSON.stringify(m) === JSON.stringify(original)) continue;
      const doc = richCollection();
      setAt(doc, p, structuredClone(m));
      out.push({ path: pathText(p), p, value: m, doc });
    }
    // An unknown field in any object: the format keeps those.
    if (original !== null && typeof original === 'object' && !Array.isArray(original)) {
      const doc = richCollection();
      getAt(doc, p)['x-extra'] = 1;
      out.push({ path: pathText([...p, 'x-extra']), p: [...p, 'x-extra'], value: 1, doc });
    }
  }
  return out;
}

const show = (c) => `${c.path} = ${JSON.stringify(c.value)}`;

describe('the validator agrees with the JSON Schema', () => {
  let parser;
  let validateSchema;
  const all = cases();

  before(async () => {
    parser = await loadParser();
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
    validateSchema = ajv.compile(schema);
  });

  it('the rich record is valid to both, without a problem', () => {
    assert.equal(validateSchema(richCollection()), true, JSON.stringify(validateSchema.errors));
    const r = parser.parseCollection(richCollection());
    assert.deepEqual(r.problems, []);
    assert.equal(r.experiments.length, 1);
    assert.ok(all.length > 1000, `${all.length} mutated records`);
    const rejected = all.filter((c) => !validateSchema(c.doc)).length;
    // Both kinds are many: the test says something about each reader.
    assert.ok(rejected > 300 && all.length - rejected > 300, `${rejected} of ${all.length} rejected by the schema`);
  });

  it('every record the schema rejects gets a problem naming the path', () => {
    const silent = [];
    for (const c of all) {
      if (validateSchema(c.doc)) continue;
      const { problems } = parser.parseCollection(structuredClone(c.doc));
      if (!problems.some((pr) => touches(pr.path, c.path))) silent.push(`${show(c)}: ${problems.length ? problems.map((pr) => `${pr.path}: ${pr.message}`).join(' | ') : 'no problem'}`);
    }
    assert.equal(silent.length, 0, `${silent.length} records the schema rejects pass without a problem about the path:\n${silent.join('\n')}`);
  });

  it('every record the schema accepts is kept, its value too, without a problem about it', () => {
    const lost = [];
    for (const c of all) {
      if (!validateSchema(c.doc)) continue;
      const { experiments, problems } = parser.parseCollection(structuredClone(c.doc));
      const about = problems.filter((pr) => touches(pr.path, c.path));
      if (about.length > 0) {
        lost.push(`${show(c)}: ${about.map((pr) => `${pr.path}: ${pr.message}`).join(' | ')}`);
        continue;
      }
      if (c.p[0] !== 'experiments' || c.p.length < 2) continue;
      if (experiments.length !== 1) {
        lost.push(`${show(c)}: the record was left out`);
        continue;
      }
      // null is "not set": it may be left out; any other value stays (times may be normalised).
      const kept = getAt(experiments[0], c.p.slice(2));
      if (c.value !== null && kept === undefined) lost.push(`${show(c)}: the value was dropped`);
    }
    assert.equal(lost.length, 0, `${lost.length} records the schema accepts lose something:\n${lost.join('\n')}`);
  });
});
