// @ts-check
// Reads what users already have into format-v1 records: collection files, Sacred run folders
// (or their parent), MLflow `mlruns` stores, MLflow JSON (runs/search and runs/get answers,
// mlflow-export-import run.json), Sacred `mongoexport` dumps and MLflow tracking servers (an
// http(s) address). Each input's kind is detected.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_DEPTH = 8;
const SACRED_FILES = ['config.json', 'metrics.json', 'info.json', 'cout.txt'];
/** Artifacts inlined into a report as data: URLs must be smaller than this. */
export const MAX_INLINE_ARTIFACT_BYTES = 256 * 1024;

/** @type {(v: unknown) => v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const collator = new Intl.Collator('en', { numeric: true });

/** A usage or input failure that names the file; the command prints it and exits 1. */
export class InputError extends Error {}

/** @param {string} file */
async function readText(file) {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const failure = /** @type {NodeJS.ErrnoException} */ (err);
    throw new InputError(`${file}: cannot read it (${failure.code === 'ENOENT' ? 'no such file' : failure.message})`);
  }
}

/** @param {string} file */
async function optionalText(file) {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** @param {string} path */
async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What a parsed JSON document is, by its shape.
 * @param {unknown} doc
 */
export function classifyJson(doc) {
  if (Array.isArray(doc)) {
    const sample = doc.slice(0, 20);
    if (sample.length > 0 && sample.every((x) => isObject(x) && x._id !== undefined && (isObject(x.experiment) || 'heartbeat' in x || 'start_time' in x))) return 'sacred-mongo';
    if (sample.length > 0 && sample.every((x) => isObject(x) && isObject(x.info) && !('status' in x && 'id' in x))) return 'mlflow-runs';
    return 'collection';
  }
  if (!isObject(doc)) return undefined;
  // An experiments/search answer: MLflow's experiment names, for saved runs/search answers.
  if (doc.kind === undefined && Array.isArray(doc.experiments) && doc.experiments.length > 0 && doc.experiments.every((/** @type {unknown} */ x) => isObject(x) && x.experiment_id !== undefined && typeof x.name === 'string' && x.id === undefined)) return 'mlflow-experiments';
  if (doc.kind === 'ExperimentCollection' || Array.isArray(doc.experiments)) return 'collection';
  if (isObject(doc.mlflow) && isObject(doc.mlflow.info)) return 'mlflow-export-run';
  if (Array.isArray(doc.runs) || typeof doc.next_page_token === 'string') return 'mlflow-search';
  if (isObject(doc.run) && isObject(doc.run.info)) return 'mlflow-run';
  if (isObject(doc.info) && isObject(doc.data)) return 'mlflow-run';
  if (isObject(doc.info) && (isObject(doc.params) || isObject(doc.metrics) || isObject(doc.tags))) return 'mlflow-export-run';
  if (isObject(doc.experiment) && typeof doc.status === 'string') return 'sacred-run';
  return undefined;
}

const KINDS_READ =
  'a format-v1 collection, an MLflow runs/search or runs/get answer, an mlflow-export-import run.json, a Sacred run.json or a Sacred mongoexport dump';

/**
 * Reads inputs into records. Returns `{ entries: [{experiment, origin}], problems: [{location,
 * severity, message, id?}], defaults, hidden, failures }`. `origin` is `{kind, dir, file}`: where
 * the record came from, to find its artifact files. `onProgress(count)` is called every 1000 runs.
 * `deadAfterMs`: a running run silent for longer is dead (default: each source's own rule).
 * `experiments`: for a tracking server, the experiments to read (names or ids; default all).
 */
/**
 * @typedef {import('../src/data/types.js').Experiment} Experiment
 * @typedef {import('../src/data/types.js').Artifact} Artifact
 * @typedef {{ kind: string, dir: string, file: string }} Origin
 * @typedef {{ experiment: Experiment, origin: Origin }} ReadEntry
 * @typedef {{ location: string, severity: 'error' | 'warning', message: string, id?: string }} InputProblem
 * @typedef {(p: { path: string }) => string} Locate where a problem of an importer is, for people
 * @typedef {{ experimentName?: string }} WalkContext what the folders above a run say about it
 * @typedef {import('../src/data/importers/index.js').MlflowRunResult} RunResult
 * @typedef {Experiment & { metrics: NonNullable<Experiment['metrics']> }} WithMetrics
 * @typedef {{ onProgress?: (count: number) => void, now?: number, deadAfterMs?: number, experiments?: string[] }} ReadOptions
 * @typedef {{
 *   logic: import('./load-data-logic.mjs').DataLogic, now: number, deadAfterMs: number | undefined, experiments: string[],
 *   experimentNames: Map<string, string>, entries: ReadEntry[], problems: InputProblem[],
 *   defaults: import('../src/data/types.js').CollectionDefaults | undefined, generatedAt: string | undefined,
 *   hidden: number, failures: string[], onProgress: ((count: number) => void) | undefined, count: number,
 * }} ReadState
 */

/**
 * @param {string[]} paths
 * @param {import('./load-data-logic.mjs').DataLogic} logic
 * @param {ReadOptions} [options]
 * @returns {Promise<ReadState>}
 */
export async function readInputs(paths, logic, { onProgress, now = Date.now(), deadAfterMs, experiments = [] } = {}) {
  /** @type {ReadState} */
  const state = { logic, now, deadAfterMs, experiments, experimentNames: new Map(), entries: [], problems: [], defaults: undefined, generatedAt: undefined, hidden: 0, failures: [], onProgress, count: 0 };
  for (const p of paths) {
    try {
      if (/^https?:\/\//i.test(p)) await readTrackingServer(state, p);
      else if (await isDirectory(p)) await walk(state, p, {}, 0, true);
      else await readFileInput(state, p);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      state.failures.push(err.message);
    }
  }
  nameMlflowGroups(state);
  dedupe(state);
  return state;
}

/**
 * A saved runs/search or runs/get answer names experiments by id only: named from an
 * experiments/search answer given too, else said so, once per file.
 * @param {ReadState} state
 */
function nameMlflowGroups(state) {
  /** @type {Map<string, Set<string>>} */
  const bare = new Map();
  for (const entry of state.entries) {
    const g = entry.experiment.group;
    if (entry.origin.kind !== 'mlflow-json' || g?.id === undefined || g.name !== undefined) continue;
    const name = state.experimentNames.get(g.id);
    if (name !== undefined) entry.experiment = { ...entry.experiment, group: { ...g, name } };
    else bare.set(entry.origin.file, new Set([...(bare.get(entry.origin.file) ?? []), g.id]));
  }
  for (const [file, ids] of bare) {
    state.problems.push({
      location: file,
      severity: 'warning',
      message: `this MLflow answer names its experiments by id only (${[...ids].join(', ')}), so the groups show ids, not names. Give the experiments/search answer too (curl -X POST <server>/api/2.0/mlflow/experiments/search -d '{"max_results": 1000}'), or read the tracking server itself (convert http://host:5000).`,
    });
  }
}

/**
 * What every importer is given: the instant running runs are judged at, and the dead limit.
 * @param {ReadState} state
 * @returns {{ now: number, deadAfterMs?: number, experimentName?: string }}
 */
function importOptions(state) {
  return state.deadAfterMs === undefined ? { now: state.now } : { now: state.now, deadAfterMs: state.deadAfterMs };
}

/** Metric histories read from a tracking server at once. */
const HISTORY_CONCURRENCY = 6;

/**
 * An MLflow tracking server: every active run of the chosen experiments (`runs/search`, every
 * page), with the full history of each metric (`metrics/get-history`), through the same
 * MlflowSource the dashboard uses.
 * @param {ReadState} state
 * @param {string} address
 */
async function readTrackingServer(state, address) {
  const ids = state.experiments.filter((x) => /^\d+$/.test(x));
  const names = state.experiments.filter((x) => !/^\d+$/.test(x));
  /** @type {ConstructorParameters<typeof state.logic.MlflowSource>[0]} */
  const init = { baseUrl: address, experimentIds: ids, experimentNames: names };
  if (state.deadAfterMs !== undefined) init.deadAfterMs = state.deadAfterMs;
  const source = new state.logic.MlflowSource(init);
  let page;
  try {
    page = await source.load({});
  } catch (err) {
    throw new InputError(`${address}: ${/** @type {Error} */ (err).message}`);
  }
  report(state, inFile(address), page.problems ?? []);
  /** @type {{ e: WithMetrics, key: string }[]} */
  const jobs = [];
  for (const e of page.experiments) for (const key of Object.keys(e.metrics ?? {})) jobs.push({ e: /** @type {WithMetrics} */ (e), key });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { e, key } = jobs[next++];
      try {
        const history = await source.history(e.id, key);
        const { historyRef: _ref, ...latest } = e.metrics[key];
        e.metrics[key] = { ...latest, ...state.logic.summarizeSeries(history), history };
      } catch (err) {
        state.problems.push({ location: address, severity: 'warning', id: e.id, message: `the history of metric ${JSON.stringify(key)} could not be read (${/** @type {Error} */ (err).message}); its latest value is kept` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, jobs.length) }, worker));
  for (const e of page.experiments) {
    // A reference only the server resolves means nothing in a file.
    for (const m of Object.values(e.metrics ?? {})) delete m.historyRef;
    add(state, e, { kind: 'mlflow-server', dir: process.cwd(), file: address });
  }
}

/** @param {ReadState} state @param {Experiment} experiment @param {Origin} origin */
function add(state, experiment, origin) {
  state.entries.push({ experiment, origin });
  state.count += 1;
  if (state.onProgress && state.count % 1000 === 0) state.onProgress(state.count);
}

/**
 * @param {ReadState} state
 * @param {Locate} location
 * @param {import('../src/data/types.js').Problem[]} problems
 * @param {string} [id]
 */
function report(state, location, problems, id) {
  for (const p of problems) {
    /** @type {InputProblem} */
    const entry = { location: location(p), severity: p.severity, message: p.message };
    const pid = p.id ?? id;
    if (pid !== undefined) entry.id = pid;
    state.problems.push(entry);
  }
}

/** Problem location inside a folder run: `<folder>/run.json:$.host`. */
const inFolder = (/** @type {string} */ dir) => /** @type {Locate} */ (p) => `${dir}${sep}${p.path}`;
/** Problem location inside a file: `<file>: $.runs[3].info.status`. */
const inFile = (/** @type {string} */ file) => /** @type {Locate} */ (p) => `${file}: ${p.path}`;

/** @param {ReadState} state @param {string} file */
async function readFileInput(state, file) {
  const name = basename(file);
  if (name === 'meta.yaml') {
    if (!(await readMlrunsRun(state, dirname(file), {}))) throw new InputError(`${file}: not the meta.yaml of an MLflow run (it has no run_id and experiment_id)`);
    return;
  }
  const text = await readText(file);
  /** @type {any} JSON of any shape: classifyJson says which */
  let doc;
  try {
    doc = state.logic.parseJsonText(text);
  } catch (err) {
    // mongoexport writes one document per line unless --jsonArray is given.
    const docs = tryJsonLines(state, text);
    if (docs && classifyJson(docs) === 'sacred-mongo') return readSacredMongo(state, file, docs);
    throw new InputError(`${file}: not valid JSON (${/** @type {Error} */ (err).message}); expected ${KINDS_READ}`);
  }
  const kind = classifyJson(doc);
  switch (kind) {
    case 'collection':
      return readCollection(state, file, doc);
    case 'sacred-mongo':
      return readSacredMongo(state, file, doc);
    case 'sacred-run':
      // A Sacred run.json: the run is its folder (config.json, metrics.json and cout.txt beside it).
      return readSacredRun(state, dirname(file), text);
    case 'mlflow-export-run':
      return readExportRun(state, file, doc, {});
    case 'mlflow-experiments':
      for (const x of doc.experiments) state.experimentNames.set(String(x.experiment_id), x.name);
      return undefined;
    case 'mlflow-search':
      return readSearchResponse(state, file, doc, {});
    case 'mlflow-runs':
      return readSearchResponse(state, file, { runs: doc }, {});
    case 'mlflow-run': {
      const result = state.logic.importMlflowRun(doc, importOptions(state));
      return finishRun(state, result, inFile(file), { kind: 'mlflow-json', dir: dirname(file), file });
    }
    default:
      throw new InputError(`${file}: not a format this command reads; expected ${KINDS_READ}`);
  }
}

/** @param {ReadState} state @param {string} text */
function tryJsonLines(state, text) {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (!first) return undefined;
  try {
    if (!isObject(JSON.parse(first))) return undefined;
    return state.logic.parseMongoExportText(text);
  } catch {
    return undefined;
  }
}

/** @param {ReadState} state @param {string} file @param {unknown} doc */
function readCollection(state, file, doc) {
  let parsed;
  try {
    parsed = state.logic.parseCollection(doc, { origin: file, now: state.now });
  } catch (err) {
    throw new InputError(`${file}: ${/** @type {Error} */ (err).message}`);
  }
  report(state, inFile(file), parsed.problems);
  if (!state.defaults && Object.keys(parsed.defaults).length > 0) state.defaults = parsed.defaults;
  for (const e of parsed.experiments) add(state, e, { kind: 'collection', dir: dirname(file), file });
}

/** @param {ReadState} state @param {string} file @param {unknown[]} docs */
function readSacredMongo(state, file, docs) {
  const result = state.logic.importSacredMongo(docs, [], importOptions(state));
  report(state, inFile(file), result.problems);
  for (const e of result.experiments) add(state, e, { kind: 'sacred-mongo', dir: dirname(file), file });
}

/** @param {string} dir */
async function experimentNameNear(dir) {
  // mlflow-export-import: experiments/<exp>/experiment.json beside runs/<run>/run.json.
  for (const candidate of [join(dir, '..', '..', 'experiment.json'), join(dir, '..', 'experiment.json')]) {
    const text = await optionalText(candidate);
    if (!text) continue;
    try {
      const doc = JSON.parse(text);
      const name = doc?.mlflow?.experiment?.name ?? doc?.experiment?.name;
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // not an export file
    }
  }
  return undefined;
}

/** @param {ReadState} state @param {string} file @param {unknown} doc @param {WalkContext} ctx */
async function readExportRun(state, file, doc, ctx) {
  const experimentName = ctx.experimentName ?? (await experimentNameNear(dirname(file)));
  const options = importOptions(state);
  if (experimentName) options.experimentName = experimentName;
  const result = state.logic.importMlflowExportRun(doc, options);
  const dir = dirname(file);
  finishRun(state, result, (p) => `${dir}${sep}${p.path}`, { kind: 'mlflow-json', dir, file });
}

/** @param {ReadState} state @param {string} file @param {unknown} doc @param {WalkContext} ctx */
function readSearchResponse(state, file, doc, ctx) {
  const options = importOptions(state);
  if (ctx.experimentName) options.experimentName = ctx.experimentName;
  const result = state.logic.importMlflowSearchResponse(doc, options);
  state.hidden += result.hiddenCount;
  report(state, inFile(file), result.problems.filter((p) => !(p.severity === 'warning' && p.path.endsWith('.info.lifecycle_stage'))));
  for (const e of result.experiments) add(state, e, { kind: 'mlflow-json', dir: dirname(file), file });
}

/** @param {ReadState} state @param {RunResult} result @param {Locate} location @param {Origin} origin */
function finishRun(state, result, location, origin) {
  if (result.hidden) {
    state.hidden += 1;
    return;
  }
  report(state, location, result.problems);
  if (result.experiment) add(state, result.experiment, origin);
}

/** @param {ReadState} state @param {string} dir @param {string} [runText] */
async function readSacredRun(state, dir, runText) {
  /** @type {import('../src/data/importers/index.js').SacredRunFiles} */
  const files = { 'run.json': runText ?? (await readText(join(dir, 'run.json'))) };
  for (const name of SACRED_FILES) {
    const t = await optionalText(join(dir, name));
    if (t !== undefined) files[/** @type {keyof typeof files} */ (name)] = t;
  }
  const result = state.logic.importSacredRun(files, { ...importOptions(state), runId: basename(resolve(dir)) });
  report(state, inFolder(dir), result.problems);
  if (result.experiment) add(state, result.experiment, { kind: 'sacred', dir, file: join(dir, 'run.json') });
}

/**
 * Every file under `dir`, as paths relative to it with `/` separators.
 * @param {string} dir
 */
async function listFiles(dir, limit = 100_000) {
  /** @type {string[]} */
  const out = [];
  const queue = [''];
  while (queue.length > 0 && out.length < limit) {
    const rel = /** @type {string} */ (queue.shift());
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => collator.compare(a.name, b.name));
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) queue.push(path);
      else if (e.isFile()) out.push(path);
    }
  }
  return out;
}

/** @param {string} dir */
async function readFilesUnder(dir) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const rel of await listFiles(dir)) out[rel] = await readFile(join(dir, rel), 'utf8');
  return out;
}

const isRunMeta = (/** @type {string} */ text) => /^experiment_id:/m.test(text) && /^run_(?:id|uuid):/m.test(text);

/**
 * One `mlruns/<experiment>/<run>/` folder; false when `meta.yaml` is not a run's.
 * @param {ReadState} state
 * @param {string} dir
 * @param {WalkContext} ctx
 * @param {string} [metaText]
 */
async function readMlrunsRun(state, dir, ctx, metaText) {
  const meta = metaText ?? (await readText(join(dir, 'meta.yaml')));
  if (!isRunMeta(meta)) return false;
  const files = {
    'meta.yaml': meta,
    metrics: await readFilesUnder(join(dir, 'metrics')),
    params: await readFilesUnder(join(dir, 'params')),
    tags: await readFilesUnder(join(dir, 'tags')),
    artifacts: await listFiles(join(dir, 'artifacts')),
  };
  let experimentName = ctx.experimentName;
  if (experimentName === undefined) experimentName = (await experimentMeta(state, join(dir, '..')))?.name;
  const options = importOptions(state);
  if (experimentName) options.experimentName = experimentName;
  finishRun(state, state.logic.importMlrunsRun(files, options), inFolder(dir), { kind: 'mlruns', dir, file: join(dir, 'meta.yaml') });
  return true;
}

/**
 * The `meta.yaml` of an mlruns experiment folder: `{name, deleted}`, or undefined.
 * @param {ReadState} state
 * @param {string} dir
 */
async function experimentMeta(state, dir) {
  const text = await optionalText(join(dir, 'meta.yaml'));
  if (!text || isRunMeta(text) || !/^experiment_id:/m.test(text)) return undefined;
  try {
    const doc = state.logic.parseYaml(text, { version: '1.1' });
    return { name: typeof doc?.name === 'string' ? doc.name : undefined, deleted: doc?.lifecycle_stage === 'deleted' };
  } catch {
    return undefined;
  }
}

/**
 * A folder: a run folder (Sacred, mlruns, mlflow-export-import) is read; anything else is
 * searched for run folders, skipping hidden and `_`-prefixed folders (`.trash`, `_sources`).
 * @param {ReadState} state
 * @param {string} dir
 * @param {WalkContext} ctx
 * @param {number} depth
 * @param {boolean} explicit the folder was given on the command line
 */
async function walk(state, dir, ctx, depth, explicit) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`${dir}: cannot read the folder (${/** @type {Error} */ (err).message})`);
  }
  const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  const before = state.entries.length + state.hidden + state.problems.length;
  if (names.has('run.json')) {
    const file = join(dir, 'run.json');
    const text = await readText(file);
    let doc;
    try {
      doc = state.logic.parseJsonText(text);
    } catch (err) {
      // One broken run must not hide the others: name it and go on.
      state.problems.push({ location: file, severity: 'error', message: `not valid JSON (${/** @type {Error} */ (err).message}); the run was left out` });
      return;
    }
    const kind = classifyJson(doc);
    if (kind === 'sacred-run') return readSacredRun(state, dir, text);
    if (kind === 'mlflow-export-run') return readExportRun(state, file, doc, ctx);
  }
  if (names.has('meta.yaml')) {
    const text = await readText(join(dir, 'meta.yaml'));
    if (await readMlrunsRun(state, dir, ctx, text)) return;
    const exp = await experimentMeta(state, dir);
    if (exp?.deleted) return;
    if (exp?.name) ctx = { ...ctx, experimentName: exp.name };
  }
  if (names.has('experiment.json')) {
    const name = await experimentNameNear(join(dir, 'x', 'y'));
    if (name) ctx = { ...ctx, experimentName: name };
  }
  if (depth >= MAX_DEPTH) return;
  const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_')).map((e) => e.name);
  subdirs.sort((a, b) => collator.compare(a, b));
  for (const name of subdirs) await walk(state, join(dir, name), ctx, depth + 1, false);
  if (explicit && state.entries.length + state.hidden + state.problems.length === before) {
    throw new InputError(`${dir}: no runs found; expected a Sacred run folder (run.json) or their parent, an MLflow mlruns folder (<experiment>/<run>/meta.yaml) or an mlflow-export-import export`);
  }
}

/**
 * Ids must be unique in a collection: a later duplicate is renamed after its folder, and said so.
 * @param {ReadState} state
 */
function dedupe(state) {
  /** @type {Map<string, ReadEntry>} */
  const seen = new Map();
  for (const entry of state.entries) {
    const e = entry.experiment;
    const first = seen.get(e.id);
    if (first === undefined) {
      seen.set(e.id, entry);
      continue;
    }
    let id = `${basename(dirname(resolve(entry.origin.dir)))}/${e.id}`;
    for (let n = 2; seen.has(id); n++) id = `${basename(dirname(resolve(entry.origin.dir)))}/${e.id}~${n}`;
    state.problems.push({
      location: entry.origin.file,
      severity: 'warning',
      id: e.id,
      message: `the id ${JSON.stringify(e.id)} is already used by the run from ${first.origin.file}; this one was renamed ${JSON.stringify(id)}`,
    });
    entry.experiment = { ...e, id };
    seen.set(id, entry);
  }
}

// ---- artifacts inlined as data: URLs ----

/** @type {Record<string, string>} */
const MEDIA_TYPES = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/plain',
  '.py': 'text/plain',
  '.yaml': 'text/plain',
  '.yml': 'text/plain',
  '.cfg': 'text/plain',
  '.ini': 'text/plain',
  '.toml': 'text/plain',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
};

/** @param {string} file */
function mediaTypeOf(file) {
  // Anything a browser would run or render as a page (HTML, SVG, scripts) downloads as bytes.
  return MEDIA_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Sacred's stored copy of a resource (`_resources/<name>_<md5>.<ext>` beside the run folders). */
/** @param {Artifact} a @param {Experiment} e @param {Origin} origin */
function sacredStoredCopy(a, e, origin) {
  const raw = /** @type {{ sacred?: { resources?: unknown } } | undefined} */ (e.extensions)?.sacred?.resources;
  if (origin.kind !== 'sacred' || a.role !== 'input' || !Array.isArray(raw)) return undefined;
  const pair = raw.find((x) => Array.isArray(x) && x[0] === a.path && typeof x[1] === 'string');
  return pair ? join(origin.dir, '..', '_resources', basename(pair[1].replaceAll('\\', '/'))) : undefined;
}

/** Where an artifact may be on this disk, most specific first. * @param {Artifact} a @param {Experiment} e @param {Origin} origin */
function candidates(a, e, origin) {
  /** @type {string[]} */
  const out = [];
  if (a.uri?.startsWith('file:')) {
    try {
      out.push(fileURLToPath(a.uri));
    } catch {
      // not a local file URL
    }
  }
  if (origin.kind === 'mlruns') out.push(join(origin.dir, 'artifacts', a.name));
  if (a.path) {
    if (isAbsolute(a.path)) out.push(a.path);
    else out.push(join(origin.dir, a.path), join(origin.dir, '..', a.path));
  }
  if (origin.kind === 'sacred') out.push(join(origin.dir, a.name));
  // The original of a resource is often gone (another machine); Sacred kept a copy.
  const stored = sacredStoredCopy(a, e, origin);
  if (stored) out.push(stored);
  return out;
}

/** The first candidate that is a file on this disk, with its size. * @param {Artifact} a @param {Experiment} e @param {Origin} origin */
async function findLocal(a, e, origin) {
  for (const file of candidates(a, e, origin)) {
    try {
      const info = await stat(file);
      if (info.isFile()) return { file, size: info.size };
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Artifacts a page can download by themselves: web addresses and data: URLs. */
const downloadable = (/** @type {Artifact} */ a) => /^(?:https?|data):/i.test(a.uri ?? '');

/**
 * Replaces the address of small local artifact files (< 256 KB) with a data: URL, so the report
 * carries them; the path the run recorded stays in `path`. Returns how many were inlined. Every
 * other artifact without a web address says why the report has no copy (`unavailable`).
 * @param {ReadEntry[]} entries
 */
export async function inlineArtifacts(entries) {
  let inlined = 0;
  for (const entry of entries) {
    const list = entry.experiment.artifacts;
    if (!list || list.length === 0) continue;
    const next = [];
    for (const a of list) {
      let done = a;
      if (!downloadable(a)) {
        const found = await findLocal(a, entry.experiment, entry.origin);
        if (!found) done = { ...a, unavailable: `The report carries no copy: the file was not found on the machine that made it${a.path ? ` (looked for ${a.path})` : ''}.` };
        else if (found.size >= MAX_INLINE_ARTIFACT_BYTES) done = { ...a, unavailable: `The report carries no copy: the file is ${Math.round(found.size / 1024)} KB, over the ${MAX_INLINE_ARTIFACT_BYTES / 1024} KB a report embeds.` };
        else {
          const type = a.mediaType && !/html|xml|svg|javascript|ecmascript/i.test(a.mediaType) ? a.mediaType : mediaTypeOf(found.file);
          const bytes = await readFile(found.file);
          done = { ...a, uri: `data:${type};base64,${bytes.toString('base64')}`, sizeBytes: found.size };
          if (!a.mediaType) done.mediaType = type;
          inlined += 1;
        }
      }
      next.push(done);
    }
    entry.experiment = { ...entry.experiment, artifacts: next };
  }
  return inlined;
}

/** A report made without --inline-artifacts: each artifact without a web address says why it has no download. */
/** @param {ReadEntry[]} entries */
export function markNotCarried(entries) {
  for (const entry of entries) {
    const list = entry.experiment.artifacts;
    if (!list?.some((a) => !downloadable(a))) continue;
    const why = `The report carries no copy of this file: make it with --inline-artifacts to embed files under ${MAX_INLINE_ARTIFACT_BYTES / 1024} KB.`;
    entry.experiment = { ...entry.experiment, artifacts: list.map((a) => (downloadable(a) ? a : { ...a, unavailable: why })) };
  }
}

/**
 * For `serve`: every artifact whose file is under `root` gets its path relative to it, so the
 * server finds it (a Sacred artifact's path is only its name inside its run folder). Returns the records.
 * @param {ReadEntry[]} entries
 * @param {string} root
 */
export async function servableArtifacts(entries, root) {
  for (const entry of entries) {
    const list = entry.experiment.artifacts;
    if (!list || list.length === 0) continue;
    const next = [];
    for (const a of list) {
      const found = downloadable(a) ? undefined : await findLocal(a, entry.experiment, entry.origin);
      const rel = found ? relative(root, found.file) : undefined;
      next.push(rel && !rel.startsWith('..') && !isAbsolute(rel) ? { ...a, path: rel.split(sep).join('/') } : a);
    }
    entry.experiment = { ...entry.experiment, artifacts: next };
  }
  return entries.map((e) => e.experiment);
}

/** A path as shown in messages: relative to the working folder when inside it. */
/** @param {string} path */
export function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
