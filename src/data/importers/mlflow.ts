import { isObject } from '../../shared/guards.js';
import { parseExperiment, toMetricNumber } from '../parse.js';
import { PARENT_LABEL } from '../parent.js';
import { DEFAULT_DEAD_AFTER_MS } from '../types.js';
import type { Artifact, Experiment, GitInfo, Metric, Problem, Status, Times } from '../types.js';

/**
 * MLflow -> record format v1, from the shapes MLflow data travels in: the REST API
 * (`runs/get`, `runs/search`), mlflow-export-import's `run.json`, and the `mlruns` file store.
 * Pure functions over parsed JSON or file contents (no `fs`): they run in the browser and in Node.
 *
 * Choices:
 * - Params stay the strings MLflow stores (`"5"`, `"None"`, `"1e-3"`): MLflow has no types, and
 *   guessing would turn `"None"` or `"007"` into something the user never logged.
 * - `info.run_name` names the run; the `mlflow.runName` tag is the fallback (MLflow before 2.0).
 *   When the two disagree the tag stays in `labels` so nothing is hidden.
 * - `mlflow.user` is the operator; the deprecated `info.user_id` is the fallback.
 * - Tags become `labels`, except those mapped to fields, the logged-model history (it becomes
 *   `model` artifacts; the parsed list is kept in `extensions.mlflow.loggedModels`) and
 *   mlflow-export-import's bookkeeping copies (`mlflow_export_import.*`, `mlflow_exim.*`), which are
 *   kept in `extensions.mlflow.exportTags` rather than flooding the column chooser.
 * - The user's tags (not `mlflow.*`) are also the record's `tags`, as MLflow's UI shows them:
 *   `key: value`, or the key alone when the value is empty.
 * - A nested run's `mlflow.parentRunId` tag is its `parent`; the label of that name stays too, so
 *   a reader of older files (which knew only the label) still finds it.
 * - A deleted run (lifecycle_stage `deleted`) is hidden: no experiment, `hidden: 'deleted'` and a
 *   warning, never an error.
 */

export interface MlflowImportOptions {
  /** Group name for the run's experiment (the REST run and `meta.yaml` carry only its id). */
  experimentName?: string;
  /**
   * Full metric histories by key (points as `metrics/get-history` returns them). The REST run
   * shapes hold only the latest value of each metric.
   */
  histories?: Record<string, unknown[]>;
  /** The instant a `RUNNING` run is judged against (epoch ms); without it the run stays `running`. */
  now?: number;
  /** A `RUNNING` run with no sign of life (start, metric) for longer than this is `dead`. Default 120000. */
  deadAfterMs?: number;
}

export interface MlflowRunResult {
  experiment?: Experiment;
  problems: Problem[];
  /** Set when the run was skipped on purpose: MLflow marks it deleted. */
  hidden?: 'deleted';
}

export interface MlflowSearchResult {
  experiments: Experiment[];
  problems: Problem[];
  /** Pass back to `runs/search` as `page_token` for the next page. */
  nextPageToken?: string;
  /** How many runs were skipped as deleted. */
  hiddenCount: number;
}

/** The files of one run folder of an `mlruns` file store, as text. */
export interface MlrunsRunFiles {
  'meta.yaml': string;
  /** By metric key (the path under `metrics/`): lines of `timestamp value step`. */
  metrics: Record<string, string>;
  /** By param key: the file's whole content is the value. */
  params: Record<string, string>;
  /** By tag key: the file's whole content is the value. */
  tags: Record<string, string>;
  /** Paths of the files under `artifacts/`, relative to it, e.g. `model/MLmodel`. */
  artifacts?: string[];
}

type Json = Record<string, unknown>;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `a ${typeof v}`;

const STATUS_MAP: Record<string, Status> = {
  FINISHED: 'completed',
  FAILED: 'failed',
  RUNNING: 'running',
  SCHEDULED: 'queued',
  KILLED: 'interrupted',
};
// The file store writes the RunStatus enum's number.
const STATUS_BY_NUMBER: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

const EXPORT_TAG_PREFIXES = ['mlflow_export_import.', 'mlflow_exim.'];
const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

interface Point {
  value: number;
  timestamp?: number;
  step: number;
}

/** One run in a shape common to all inputs, before mapping. */
interface NormalizedRun {
  info: Json;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, Point[]>;
  /** True when each metric holds only its latest value (REST shapes without histories). */
  latestOnly: Set<string>;
  inputs?: unknown;
  artifactFiles?: string[];
  extensions: Json;
  producer?: string;
  /** Where `info` fields and tags live in the input, for problem paths, e.g. `run.json:$.mlflow.info`. */
  infoPath: string;
  tagPath: (key: string) => string;
}

class Reporter {
  id: string | undefined;
  constructor(
    readonly problems: Problem[],
    readonly base: string,
    private readonly index?: number,
  ) {}
  warn(field: string, message: string): void {
    this.report('warning', field, message);
  }
  error(field: string, message: string): void {
    this.report('error', field, message);
  }
  report(severity: Problem['severity'], field: string, message: string, relative = true): void {
    const p: Problem = { severity, path: relative ? `${this.base}${field}` : field, message };
    if (this.index !== undefined) p.index = this.index;
    if (this.id !== undefined) p.id = this.id;
    this.problems.push(p);
  }
}

/** Epoch ms from a number or the numeric text protobuf JSON uses for int64. */
function epochMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** `NaN`/`Infinity` in protobuf JSON, `nan`/`inf` as Python writes them in the file store. */
function metricValue(v: unknown): number | undefined {
  const direct = toMetricNumber(v);
  if (direct !== undefined) return direct;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return Number.NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Number.POSITIVE_INFINITY;
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY;
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function readPoint(raw: unknown, field: string, r: Reporter): Point | undefined {
  if (!isObject(raw)) {
    r.warn(field, `expected a metric point {value, timestamp, step}, found ${describe(raw)}; it was dropped`);
    return undefined;
  }
  const value = metricValue(raw.value);
  if (value === undefined) {
    r.warn(`${field}.value`, `expected a number, found ${describe(raw.value)}; the point was dropped`);
    return undefined;
  }
  const p: Point = { value, step: epochMs(raw.step) ?? 0 };
  const ts = epochMs(raw.timestamp);
  if (ts !== undefined) p.timestamp = ts;
  return p;
}

/** Points -> metric. MLflow's "latest" is the point with the highest step, then timestamp. */
function summarize(points: Point[], latestOnly: boolean): Metric {
  const sorted = points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.step - b.p.step || (a.p.timestamp ?? 0) - (b.p.timestamp ?? 0) || a.i - b.i)
    .map((x) => x.p);
  const last = sorted[sorted.length - 1];
  if (!last) return {};
  if (latestOnly) {
    // Only the latest value is known: count, min and max of the whole history are not.
    return { last: last.value, lastStep: last.step };
  }
  const history: NonNullable<Metric['history']> = { steps: sorted.map((p) => p.step), values: sorted.map((p) => p.value) };
  if (sorted.every((p) => p.timestamp !== undefined)) history.timestamps = sorted.map((p) => new Date(p.timestamp as number).toISOString());
  const m: Metric = { last: last.value, lastStep: last.step, count: sorted.length, history };
  // A loop, not Math.min(...values): long histories would overflow the argument list.
  let lo = Infinity;
  let hi = -Infinity;
  let any = false;
  for (const p of sorted) {
    if (Number.isNaN(p.value)) continue;
    any = true;
    if (p.value < lo) lo = p.value;
    if (p.value > hi) hi = p.value;
  }
  if (any) {
    m.min = lo;
    m.max = hi;
  }
  return m;
}

const hasScheme = (s: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(s);

function artifactAt(base: string | undefined, rel: string, artifact: Artifact): Artifact {
  if (!base) return { ...artifact, path: rel };
  const joined = `${base.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`;
  // A scheme-less artifact_uri is a path on the tracking server's disk, not something to fetch.
  return hasScheme(base) ? { ...artifact, uri: joined } : { ...artifact, path: joined };
}

function parseLoggedModels(text: string, r: Reporter, field: string): Json[] | undefined {
  try {
    const doc: unknown = JSON.parse(text);
    if (Array.isArray(doc)) return doc.filter(isObject);
  } catch {
    // fall through to the warning
  }
  r.report('warning', field, 'the logged-model history is not a JSON list; it was kept as a label', false);
  return undefined;
}

function datasetArtifacts(inputs: unknown): Artifact[] {
  const out: Artifact[] = [];
  const list = isObject(inputs) && Array.isArray(inputs.dataset_inputs) ? inputs.dataset_inputs : [];
  for (const di of list) {
    const ds = isObject(di) && isObject(di.dataset) ? di.dataset : undefined;
    if (!ds || !nonEmpty(ds.name)) continue;
    const a: Artifact = { name: ds.name, role: 'dataset' };
    if (nonEmpty(ds.digest)) a.digest = ds.digest;
    // `source` is a JSON document describing where the data came from, e.g. {"uri": "s3://..."}.
    if (typeof ds.source === 'string') {
      try {
        const src: unknown = JSON.parse(ds.source);
        const loc = isObject(src) ? (src.uri ?? src.url ?? src.path) : undefined;
        if (nonEmpty(loc)) {
          if (hasScheme(loc)) a.uri = loc;
          else a.path = loc;
        }
      } catch {
        // Not JSON: the raw inputs are kept under extensions.mlflow.inputs.
      }
    }
    out.push(a);
  }
  return out;
}

function convert(n: NormalizedRun, r: Reporter, options: MlflowImportOptions): MlflowRunResult {
  const info = n.info;
  const rawId = info.run_id ?? info.run_uuid;
  const id = typeof rawId === 'string' && rawId !== '' ? rawId : typeof rawId === 'number' ? String(rawId) : undefined;
  if (id === undefined) {
    r.report('error', `${n.infoPath}.run_id`, `the run has no usable "run_id" (found ${describe(rawId)}); it was left out`, false);
    return { problems: r.problems };
  }
  r.id = id;
  if (info.lifecycle_stage === 'deleted') {
    r.report('warning', `${n.infoPath}.lifecycle_stage`, `run ${id} is deleted in MLflow; it was skipped, as MLflow hides it too`, false);
    return { problems: r.problems, hidden: 'deleted' };
  }
  const rawStatus = typeof info.status === 'number' ? STATUS_BY_NUMBER[info.status] : typeof info.status === 'string' ? info.status.trim().toUpperCase() : undefined;
  const status = rawStatus ? STATUS_MAP[rawStatus] : undefined;
  if (!status || !rawStatus) {
    r.report('error', `${n.infoPath}.status`, `unknown status ${describe(info.status)}; expected FINISHED, FAILED, RUNNING, SCHEDULED or KILLED (or 1-5); the run was left out`, false);
    return { problems: r.problems };
  }

  const e: Experiment = { id, status, statusDetail: { raw: rawStatus } };
  const tags = { ...n.tags };
  const take = (key: string): string | undefined => {
    const v = tags[key];
    delete tags[key];
    return v;
  };

  const runName = nonEmpty(info.run_name) ? info.run_name : nonEmpty(info.name) ? info.name : undefined;
  const tagName = take('mlflow.runName');
  e.name = runName ?? tagName;
  if (tagName !== undefined && runName !== undefined && tagName !== runName) tags['mlflow.runName'] = tagName;
  if (e.name === undefined || e.name === '') delete e.name;

  const user = take('mlflow.user');
  const operator = nonEmpty(user) ? user : nonEmpty(info.user_id) ? info.user_id : undefined;
  if (operator) e.operator = operator;

  const expName = options.experimentName ?? tags['mlflow_export_import.metadata.experiment_name'];
  if (info.experiment_id !== undefined && info.experiment_id !== null) {
    e.group = { id: String(info.experiment_id) };
    if (nonEmpty(expName)) e.group.name = expName;
  } else if (nonEmpty(expName)) e.group = { name: expName };

  const times: Times = {};
  for (const [from, to] of [
    ['start_time', 'started'],
    ['end_time', 'stopped'],
  ] as const) {
    const v = info[from];
    if (v === undefined || v === null) continue;
    const ms = epochMs(v);
    const iso = ms !== undefined ? new Date(ms).toISOString() : undefined;
    if (iso) times[to] = iso;
    else r.report('warning', `${n.infoPath}.${from}`, `expected epoch milliseconds, found ${describe(v)}; the time was dropped`, false);
  }

  const command = take('mlflow.source.name');
  if (nonEmpty(command)) e.command = command;
  const note = take('mlflow.note.content');
  if (nonEmpty(note)) e.notes = note;

  const git: GitInfo = {};
  const commit = take('mlflow.source.git.commit');
  const branch = take('mlflow.source.git.branch');
  const url = take('mlflow.source.git.repoURL') ?? take('mlflow.gitRepoURL');
  if (nonEmpty(url)) git.url = url;
  if (nonEmpty(commit)) git.commit = commit;
  if (nonEmpty(branch)) git.branch = branch;
  if (Object.keys(git).length > 0) e.git = [git];

  const mlflow: Json = { ...n.extensions };
  const artifactBase = nonEmpty(info.artifact_uri) ? info.artifact_uri : undefined;
  const artifacts: Artifact[] = [];
  const modelTag = take(LOGGED_MODELS_TAG);
  const modelPaths: string[] = [];
  if (modelTag !== undefined) {
    const models = parseLoggedModels(modelTag, r, n.tagPath(LOGGED_MODELS_TAG));
    if (models) {
      mlflow.loggedModels = models;
      for (const m of models) if (nonEmpty(m.artifact_path)) modelPaths.push(m.artifact_path);
    } else tags[LOGGED_MODELS_TAG] = modelTag;
  }
  const underModel = (rel: string): boolean => modelPaths.some((p) => rel === p || rel.startsWith(`${p}/`));
  if (n.artifactFiles && n.artifactFiles.length > 0) {
    for (const rel of n.artifactFiles) artifacts.push(artifactAt(artifactBase, rel, { name: rel, role: underModel(rel) ? 'model' : 'output' }));
    // A logged model whose files were not listed still deserves a row.
    for (const p of modelPaths) if (!n.artifactFiles.some((f) => f === p || f.startsWith(`${p}/`))) artifacts.push(artifactAt(artifactBase, p, { name: p, role: 'model' }));
  } else {
    for (const p of new Set(modelPaths)) artifacts.push(artifactAt(artifactBase, p, { name: p, role: 'model' }));
  }
  artifacts.push(...datasetArtifacts(n.inputs));
  if (artifacts.length > 0) e.artifacts = artifacts;
  if (n.inputs !== undefined && n.inputs !== null && !(isObject(n.inputs) && Object.keys(n.inputs).length === 0)) mlflow.inputs = n.inputs;

  const exportTags: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (EXPORT_TAG_PREFIXES.some((p) => k.startsWith(p))) exportTags[k] = v;
    else labels[k] = v;
  }
  if (Object.keys(labels).length > 0) e.labels = labels;
  const parent = labels[PARENT_LABEL];
  if (parent !== undefined && parent !== '' && parent !== id) e.parent = parent;
  // The user's own tags, as MLflow's UI shows them ("key: value", the key alone when empty);
  // MLflow's system tags (`mlflow.*`) are not the user's words.
  const userTags = Object.entries(labels)
    .filter(([k]) => !k.startsWith('mlflow.'))
    .map(([k, v]) => (v === '' ? k : `${k}: ${v}`));
  if (userTags.length > 0) e.tags = userTags;
  if (Object.keys(exportTags).length > 0) mlflow.exportTags = exportTags;

  if (Object.keys(n.params).length > 0) e.params = { ...n.params };

  const metrics: Record<string, Metric> = {};
  let lastLogged = -Infinity;
  for (const [key, points] of Object.entries(n.metrics)) {
    if (points.length === 0) continue;
    metrics[key] = summarize(points, n.latestOnly.has(key));
    for (const p of points) if (p.timestamp !== undefined && p.timestamp > lastLogged) lastLogged = p.timestamp;
  }
  if (Object.keys(metrics).length > 0) e.metrics = metrics;
  // The last metric logged is MLflow's only sign of life between start and end.
  if (Number.isFinite(lastLogged)) times.updated = new Date(lastLogged).toISOString();
  if (Object.keys(times).length > 0) e.times = times;

  const infoRest = Object.fromEntries(
    Object.entries(info).filter(
      ([k, v]) =>
        !['run_id', 'run_name', 'status', 'start_time', 'end_time', 'experiment_id'].includes(k) &&
        !(k === 'run_uuid' && v === id) &&
        !(k === 'name' && v === runName) &&
        // The file store writes empty leftovers of long-gone fields (`source_version: ''`, `tags: []`).
        v !== '' &&
        !(Array.isArray(v) && v.length === 0),
    ),
  );
  if (Object.keys(infoRest).length > 0) mlflow.info = infoRest;
  if (Object.keys(mlflow).length > 0) e.extensions = { mlflow };
  e.source = { type: 'mlflow', nativeId: id, producer: n.producer ?? 'mlflow' };

  const checked = parseExperiment(e, 0, 'converted record');
  for (const p of checked.problems) r.report(p.severity, p.path, p.message, false);
  let out = checked.experiment;
  if (out?.status === 'running' && options.now !== undefined) out = judgeMlflowRun(out, options.now, options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS);
  return out ? { experiment: out, problems: r.problems } : { problems: r.problems };
}

/**
 * A `running` MLflow run silent for longer than `deadAfterMs` at `now` becomes `dead`. MLflow has
 * no heartbeat: the start and the last metric logged are the signs of life. `limitReason` says
 * where the limit came from, for the status's explanation.
 */
export function judgeMlflowRun(e: Experiment, now: number, deadAfterMs: number, limitReason?: string): Experiment {
  const signs = [e.times?.started, e.times?.updated].map((t) => (t ? Date.parse(t) : Number.NaN)).filter((t) => !Number.isNaN(t));
  if (signs.length === 0) return e;
  const last = Math.max(...signs);
  if (now - last <= deadAfterMs) return e;
  return {
    ...e,
    status: 'dead',
    statusDetail: {
      ...e.statusDetail,
      derived: true,
      reason: `MLflow says RUNNING, but nothing was logged for ${Math.round((now - last) / 1000)} s (limit ${Math.round(deadAfterMs / 1000)} s${limitReason ? `: ${limitReason}` : ''}).`,
    },
  };
}

function keyValueList(raw: unknown, field: string, r: Reporter): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw === null) return out;
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) out[k] = v === null || v === undefined ? '' : String(v);
    return out;
  }
  if (!Array.isArray(raw)) {
    r.warn(field, `expected a list of {key, value}, found ${describe(raw)}; it was dropped`);
    return out;
  }
  raw.forEach((x, i) => {
    if (isObject(x) && typeof x.key === 'string') out[x.key] = x.value === null || x.value === undefined ? '' : String(x.value);
    else r.warn(`${field}[${i}]`, `expected {key, value}, found ${describe(x)}; it was dropped`);
  });
  return out;
}

function restRun(run: unknown, r: Reporter, options: MlflowImportOptions): NormalizedRun | undefined {
  // runs/get answers {run: {...}}; runs/search items are the run itself.
  const doc = isObject(run) && isObject(run.run) && !isObject(run.info) ? run.run : run;
  if (!isObject(doc) || !isObject(doc.info)) {
    r.error('', `expected an MLflow run {info, data}, found ${describe(doc)}; it was left out`);
    return undefined;
  }
  const data = isObject(doc.data) ? doc.data : {};
  const metrics: Record<string, Point[]> = {};
  const latestOnly = new Set<string>();
  if (Array.isArray(data.metrics)) {
    data.metrics.forEach((m, i) => {
      const key = isObject(m) && typeof m.key === 'string' ? m.key : undefined;
      if (key === undefined) {
        r.warn(`.data.metrics[${i}]`, `expected {key, value, timestamp, step}, found ${describe(m)}; it was dropped`);
        return;
      }
      const p = readPoint(m, `.data.metrics[${i}]`, r);
      if (!p) return;
      (metrics[key] ??= []).push(p);
      latestOnly.add(key);
    });
  } else if (data.metrics !== undefined) r.warn('.data.metrics', `expected a list of {key, value, timestamp, step}, found ${describe(data.metrics)}; it was dropped`);
  for (const [key, points] of Object.entries(options.histories ?? {})) {
    if (!Array.isArray(points)) continue;
    metrics[key] = points.map((p, i) => readPoint(p, `(histories)[${JSON.stringify(key)}][${i}]`, r)).filter((p): p is Point => p !== undefined);
    latestOnly.delete(key);
  }
  const extensions: Json = {};
  for (const [k, v] of Object.entries(doc)) if (!['info', 'data', 'inputs'].includes(k)) extensions[k] = v;
  const n: NormalizedRun = {
    info: doc.info,
    params: keyValueList(data.params, '.data.params', r),
    tags: keyValueList(data.tags, '.data.tags', r),
    metrics,
    latestOnly,
    inputs: doc.inputs,
    extensions,
    infoPath: `${r.base}.info`,
    tagPath: (key) => `${r.base}.data.tags[key=${JSON.stringify(key)}]`,
  };
  return n;
}

/** Problems found before the run's id was known get it too (single-run imports only). */
function labelled(r: Reporter, out: MlflowRunResult): MlflowRunResult {
  if (r.id !== undefined) for (const p of out.problems) p.id ??= r.id;
  return out;
}

/** One run from the REST API: a `runs/search` item or the `runs/get` answer. */
export function importMlflowRun(run: unknown, options: MlflowImportOptions = {}): MlflowRunResult {
  const r = new Reporter([], 'run');
  const n = restRun(run, r, options);
  return labelled(r, n ? convert(n, r, options) : { problems: r.problems });
}

/** A `runs/search` answer `{runs, next_page_token}`. Problems carry the run's index in `runs`. */
export function importMlflowSearchResponse(json: unknown, options: MlflowImportOptions = {}): MlflowSearchResult {
  const result: MlflowSearchResult = { experiments: [], problems: [], hiddenCount: 0 };
  if (!isObject(json)) {
    result.problems.push({ severity: 'error', path: '$', message: `expected a runs/search answer {runs, next_page_token}, found ${describe(json)}` });
    return result;
  }
  // MLflow leaves `runs` out entirely when nothing matched.
  const runs = json.runs === undefined ? [] : json.runs;
  if (!Array.isArray(runs)) {
    result.problems.push({ severity: 'error', path: '$.runs', message: `expected a list of runs, found ${describe(runs)}` });
    return result;
  }
  runs.forEach((run, i) => {
    const r = new Reporter(result.problems, `$.runs[${i}]`, i);
    const n = restRun(run, r, { ...options, histories: undefined });
    if (!n) return;
    const out = convert(n, r, options);
    if (out.experiment) result.experiments.push(out.experiment);
    if (out.hidden) result.hiddenCount++;
  });
  if (nonEmpty(json.next_page_token)) result.nextPageToken = json.next_page_token;
  return result;
}

/**
 * mlflow-export-import's `run.json`: `{system, mlflow: {info, params, metrics, tags, inputs?}}`,
 * params and tags as objects, metrics as full histories `{key: [{value, timestamp, step}]}`.
 */
export function importMlflowExportRun(json: unknown, options: MlflowImportOptions = {}): MlflowRunResult {
  const r = new Reporter([], 'run.json:$');
  if (!isObject(json)) {
    r.error('', `expected an exported run {system, mlflow}, found ${describe(json)}; it was left out`);
    return { problems: r.problems };
  }
  // Older exports put info/params/metrics/tags at the top level.
  const doc = isObject(json.mlflow) ? json.mlflow : json;
  const at = doc === json ? '' : '.mlflow';
  if (!isObject(doc.info)) {
    r.error(`${at}.info`, `expected the run's info, found ${describe(doc.info)}; the run was left out`);
    return { problems: r.problems };
  }
  const metrics: Record<string, Point[]> = {};
  const latestOnly = new Set<string>();
  if (isObject(doc.metrics)) {
    for (const [key, v] of Object.entries(doc.metrics)) {
      const field = `${at}.metrics[${JSON.stringify(key)}]`;
      if (Array.isArray(v)) metrics[key] = v.map((p, i) => readPoint(p, `${field}[${i}]`, r)).filter((p): p is Point => p !== undefined);
      else {
        // A bare value: only the latest is known.
        const value = metricValue(v);
        if (value === undefined) r.warn(field, `expected a list of points or a number, found ${describe(v)}; the metric was dropped`);
        else {
          metrics[key] = [{ value, step: 0 }];
          latestOnly.add(key);
        }
      }
    }
  } else if (doc.metrics !== undefined) r.warn(`${at}.metrics`, `expected metrics by key, found ${describe(doc.metrics)}; they were dropped`);
  const extensions: Json = {};
  if (isObject(json.system)) extensions.export = json.system;
  for (const [k, v] of Object.entries(doc)) if (!['info', 'params', 'metrics', 'tags', 'inputs'].includes(k)) extensions[k] = v;
  const version = isObject(json.system) && nonEmpty(json.system.mlflow_version) ? json.system.mlflow_version : undefined;
  const n: NormalizedRun = {
    info: doc.info,
    params: keyValueList(doc.params, `${at}.params`, r),
    tags: keyValueList(doc.tags, `${at}.tags`, r),
    metrics,
    latestOnly,
    inputs: doc.inputs,
    extensions,
    producer: version ? `mlflow ${version}` : 'mlflow',
    infoPath: `run.json:$${at}.info`,
    tagPath: (key) => `run.json:$${at}.tags[${JSON.stringify(key)}]`,
  };
  return labelled(r, convert(n, r, options));
}

function parseMetricFile(text: string, key: string, r: Reporter): Point[] {
  const points: Point[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    // `timestamp value step`; files from MLflow before 1.0 have no step.
    const [ts, value, step] = line.split(/\s+/);
    const p = { timestamp: epochMs(ts), value: metricValue(value), step: step === undefined ? 0 : epochMs(step) };
    if (p.timestamp === undefined || p.value === undefined || p.step === undefined) {
      r.warn(`metrics/${key}:${i + 1}`, `expected "timestamp value step", found ${JSON.stringify(line.slice(0, 60))}; the line was dropped`);
      continue;
    }
    points.push(p as Point);
  }
  return points;
}

/**
 * One run folder of an `mlruns` file store, its `meta.yaml` already parsed (or the parse error):
 * see `importMlrunsRun` in mlruns.ts, which keeps the YAML parser out of browser bundles that
 * only talk to the REST API.
 */
export function importMlrunsParsed(meta: unknown, yamlError: Error | undefined, files: MlrunsRunFiles, options: MlflowImportOptions = {}): MlflowRunResult {
  const r = new Reporter([], '');
  if (yamlError) {
    r.error('meta.yaml', `meta.yaml is not valid YAML (${yamlError.message}); the run was left out`);
    return { problems: r.problems };
  }
  if (!isObject(meta)) {
    r.error('meta.yaml', `expected "key: value" lines, found ${describe(meta)}; the run was left out`);
    return { problems: r.problems };
  }
  const metrics: Record<string, Point[]> = {};
  for (const [key, text] of Object.entries(files.metrics ?? {})) metrics[key] = parseMetricFile(text, key, r);
  const n: NormalizedRun = {
    info: meta,
    params: { ...(files.params ?? {}) },
    tags: { ...(files.tags ?? {}) },
    metrics,
    latestOnly: new Set(),
    artifactFiles: files.artifacts ?? [],
    extensions: {},
    producer: 'mlflow file store',
    infoPath: 'meta.yaml:$',
    tagPath: (key) => `tags/${key}`,
  };
  return labelled(r, convert(n, r, options));
}
