import { isObject } from '../../shared/guards.js';
import { normalizeTime, parseExperiment, parseJsonText, toMetricNumber, deriveStatus } from '../parse.js';
import { DEFAULT_DEAD_AFTER_MS } from '../types.js';
import type { Artifact, Dependency, Experiment, GitInfo, Host, Metric, ParamValue, Problem, Status, Times } from '../types.js';

/**
 * Sacred -> record format v1.
 *
 * Pure functions over file contents and parsed documents (no `fs`), so the same code runs in
 * the browser (drag-and-drop a run folder) and in Node (the `convert` command).
 * Everything Sacred records that has no place in format v1 is kept under `extensions.sacred`.
 */

/** The files of one FileStorageObserver run folder, as text. Only `run.json` is required. */
export interface SacredRunFiles {
  'run.json': string;
  'config.json'?: string;
  'metrics.json'?: string;
  'info.json'?: string;
  'cout.txt'?: string;
}

export interface SacredImportOptions {
  /** The run's id: the run folder's name for the FileStorageObserver (Sacred writes it nowhere else). */
  runId?: string;
  /** Prepended to the record id, so runs from several Sacred folders or databases can share a collection. */
  idPrefix?: string;
  /**
   * The instant a `RUNNING` run is judged against (epoch ms). Without it the run stays `running`
   * and the dashboard decides when it reads the collection.
   */
  now?: number;
  /** A `RUNNING` run silent for longer than this is `dead`. Default 120000. */
  deadAfterMs?: number;
}

export interface SacredRunResult {
  experiment?: Experiment;
  problems: Problem[];
}

export interface SacredMongoResult {
  experiments: Experiment[];
  problems: Problem[];
}

type Json = Record<string, unknown>;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const STATUS_MAP: Record<string, { status: Status; reason?: string }> = {
  COMPLETED: { status: 'completed' },
  FAILED: { status: 'failed' },
  RUNNING: { status: 'running' },
  QUEUED: { status: 'queued' },
  INTERRUPTED: { status: 'interrupted' },
  TIMEOUT: { status: 'interrupted', reason: 'Sacred stopped the run because it hit its time limit (TIMEOUT).' },
  // Omniboard and sacredboard write this word for a run whose heartbeats stopped.
  PROBABLY_DEAD: { status: 'dead', reason: 'The run stopped sending heartbeats without reporting an end (PROBABLY_DEAD).' },
};

/** Reports problems with a path prefix that names the file or document, e.g. `run.json:$`. */
class Reporter {
  constructor(
    readonly problems: Problem[],
    private readonly base: string,
    private readonly index: number | undefined,
    public id: string | undefined,
  ) {}
  at(field: string): string {
    return `${this.base}${field}`;
  }
  warn(field: string, message: string): void {
    this.report('warning', field, message);
  }
  error(field: string, message: string): void {
    this.report('error', field, message);
  }
  /** `relative`: the field is inside this reporter's document (prefix it); else the path is used as is. */
  report(severity: Problem['severity'], field: string, message: string, relative = true): void {
    const p: Problem = { severity, path: relative ? this.at(field) : field, message };
    if (this.index !== undefined) p.index = this.index;
    if (this.id !== undefined) p.id = this.id;
    this.problems.push(p);
  }
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `a ${typeof v}`;

// ---- MongoDB extended JSON ----

/**
 * Turns MongoDB extended JSON (as `mongoexport` or `bson.json_util` write it) into plain values:
 * `{$date}` -> ISO text, `{$oid}` -> hex text, `{$numberInt|Long|Double|Decimal}` -> number.
 * Non-finite doubles become the format v1 strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
 */
export function fromExtendedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromExtendedJson);
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const k = keys[0] as string;
    const x = v[k];
    switch (k) {
      case '$oid':
        if (typeof x === 'string') return x;
        break;
      case '$date': {
        const inner = isObject(x) && typeof x.$numberLong === 'string' ? Number(x.$numberLong) : x;
        const iso = normalizeTime(inner);
        if (iso) return iso;
        break;
      }
      case '$numberInt':
      case '$numberLong':
      case '$numberDecimal':
      case '$numberDouble':
        if (typeof x === 'string') {
          const t = toMetricNumber(x);
          if (t !== undefined) return x; // keep the non-finite spelling of format v1
          const n = Number(x);
          if (x.trim() !== '' && !Number.isNaN(n)) return n;
        }
        break;
    }
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = fromExtendedJson(x);
  return out;
}

/**
 * Reads a `mongoexport` dump: a JSON array (`--jsonArray`) or one document per line.
 * Accepts Python's bare `NaN` tokens too. Throws a SyntaxError naming the line that is not JSON.
 */
export function parseMongoExportText(text: string, origin = 'the export'): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    try {
      const doc = parseJsonText(trimmed);
      if (Array.isArray(doc)) return doc;
    } catch (err) {
      throw new SyntaxError(`${origin} is not a JSON array: ${(err as Error).message}`, { cause: err });
    }
  }
  const docs: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      docs.push(parseJsonText(line));
    } catch (err) {
      throw new SyntaxError(`${origin}, line ${i + 1}, is not a JSON document: ${(err as Error).message}`, { cause: err });
    }
  }
  return docs;
}

// ---- pieces of a run ----

function parseJsonFile(text: string, file: string, r: Reporter, required: boolean): unknown {
  try {
    return parseJsonText(text);
  } catch (err) {
    const what = required ? 'the run was left out' : 'its contents were left out';
    (required ? r.error.bind(r) : r.warn.bind(r))(`${file}:$`, `${file} is not valid JSON (${(err as Error).message}); ${what}`);
    return undefined;
  }
}

/**
 * A `datetime.datetime` as jsonpickle writes it (Sacred's `meta.queue_time` of a queued run):
 * `{"py/object": "datetime.datetime", "__reduce__": [{"py/type": ...}, ["<base64>"]]}`, the
 * base64 being the pickle state: year (2 bytes), month, day, hour, minute, second, microsecond
 * (3 bytes), big-endian. Sacred takes `datetime.utcnow()`, so the time is UTC.
 */
export function decodePickledDatetime(v: unknown): string | undefined {
  if (!isObject(v) || v['py/object'] !== 'datetime.datetime' || !Array.isArray(v.__reduce__)) return undefined;
  const args: unknown = v.__reduce__[1];
  const b64: unknown = Array.isArray(args) ? args[0] : undefined;
  if (typeof b64 !== 'string') return undefined;
  let bytes: number[];
  try {
    bytes = Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  if (bytes.length < 10) return undefined;
  const [y1, y2, month, day, hour, minute, second, u1, u2, u3] = bytes as [number, number, number, number, number, number, number, number, number, number];
  const micro = (u1 << 16) | (u2 << 8) | u3;
  const ms = Date.UTC((y1 << 8) | y2, month - 1, day, hour, minute, second, Math.floor(micro / 1000));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Sacred's heartbeat interval when `--beat-interval` is not given, in seconds. */
const DEFAULT_BEAT_S = 10;
/** Heartbeats a run may miss before it counts as dead. */
const MISSED_BEATS = 3;

/** The run's own heartbeat interval (`--beat-interval`), in ms, when it was set. */
function beatIntervalMs(meta: Json | undefined): number | undefined {
  const options = isObject(meta?.options) ? meta.options : undefined;
  const raw = options?.['--beat-interval'];
  const s = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

function mapTimes(run: Json, r: Reporter): Times {
  const times: Times = {};
  const fields = [
    ['queue_time', 'queued'],
    ['start_time', 'started'],
    ['stop_time', 'stopped'],
    ['heartbeat', 'heartbeat'],
  ] as const;
  for (const [from, to] of fields) {
    const v = run[from];
    if (v === undefined || v === null) continue;
    const iso = normalizeTime(v);
    // Sacred writes naive UTC (`datetime.utcnow().isoformat()`); normalizeTime reads it as UTC.
    if (iso) times[to] = iso;
    else r.warn(`.${from}`, `expected a time like 2024-02-08T23:02:14.620335, found ${describe(v)}; the time was dropped`);
  }
  return times;
}

function mapHost(raw: unknown, r: Reporter): { host?: Host; rest?: Json } {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) {
    r.warn('.host', `expected an object, found ${describe(raw)}; the host was dropped`);
    return {};
  }
  const host: Host = {};
  const rest: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    switch (k) {
      case 'hostname':
        if (typeof v === 'string') host.hostname = v;
        else rest[k] = v;
        break;
      case 'os':
        // Sacred: [platform.system(), platform.platform()]
        if (Array.isArray(v)) {
          const os: NonNullable<Host['os']> = {};
          if (typeof v[0] === 'string') os.system = v[0];
          if (typeof v[1] === 'string') os.platform = v[1];
          host.os = os;
          if (v.length > 2) rest[k] = v;
        } else if (typeof v === 'string') host.os = { system: v };
        else rest[k] = v;
        break;
      case 'cpu':
        if (typeof v === 'string') host.cpu = { model: v };
        else rest[k] = v;
        break;
      case 'python_version':
        if (typeof v === 'string') host.python = { version: v };
        else rest[k] = v;
        break;
      case 'ENV':
        if (isObject(v)) {
          const env = Object.fromEntries(Object.entries(v).map(([name, value]) => [name, String(value)]));
          if (Object.keys(env).length > 0) host.env = env;
        } else rest[k] = v;
        break;
      case 'gpus': {
        if (!isObject(v)) {
          rest[k] = v;
          break;
        }
        const gpus: NonNullable<Host['gpus']> = {};
        const gpuRest: Json = {};
        for (const [gk, gv] of Object.entries(v)) {
          if (gk === 'driver_version' && typeof gv === 'string') gpus.driverVersion = gv;
          else if (gk === 'gpus' && Array.isArray(gv)) {
            gpus.count = gv.length;
            const deviceRest: Json[] = [];
            gpus.devices = gv.map((d) => {
              const device: { model?: string; memoryBytes?: number } = {};
              const dr: Json = {};
              if (isObject(d)) {
                for (const [dk, dv] of Object.entries(d)) {
                  if (dk === 'model' && typeof dv === 'string') device.model = dv;
                  // nvidia-smi reports total memory in MiB.
                  else if (dk === 'total_memory' && typeof dv === 'number') device.memoryBytes = dv * 1024 * 1024;
                  else dr[dk] = dv;
                }
              }
              deviceRest.push(dr);
              return device;
            });
            if (deviceRest.some((d) => Object.keys(d).length > 0)) gpuRest.gpus = deviceRest;
          } else gpuRest[gk] = gv;
        }
        host.gpus = gpus;
        if (Object.keys(gpuRest).length > 0) rest.gpus = gpuRest;
        break;
      }
      default:
        rest[k] = v;
    }
  }
  return Object.keys(rest).length > 0 ? { host, rest } : { host };
}

function mapDependencies(raw: unknown, r: Reporter): Dependency[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    r.warn('.experiment.dependencies', `expected an array of "name==version", found ${describe(raw)}; the dependencies were dropped`);
    return undefined;
  }
  const deps: Dependency[] = [];
  raw.forEach((d, i) => {
    if (typeof d !== 'string' || d.trim() === '') {
      r.warn(`.experiment.dependencies[${i}]`, `expected "name==version", found ${describe(d)}; the dependency was dropped`);
      return;
    }
    const at = d.indexOf('==');
    const name = (at < 0 ? d : d.slice(0, at)).trim();
    const version = at < 0 ? '' : d.slice(at + 2).trim();
    const dep: Dependency = { name, manager: 'pip' };
    // Sacred writes `<unknown>` when it could not find a version.
    if (version !== '' && version !== '<unknown>') dep.version = version;
    deps.push(dep);
  });
  return deps;
}

function mapRepositories(raw: unknown, r: Reporter): GitInfo[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    r.warn('.experiment.repositories', `expected an array of {url, commit, dirty}, found ${describe(raw)}; the repositories were dropped`);
    return undefined;
  }
  // Sacred lists the repository once per source file that lives in it.
  const seen = new Set<string>();
  const out: GitInfo[] = [];
  raw.forEach((x, i) => {
    if (!isObject(x)) {
      r.warn(`.experiment.repositories[${i}]`, `expected {url, commit, dirty}, found ${describe(x)}; the entry was dropped`);
      return;
    }
    const g: GitInfo = {};
    if (typeof x.url === 'string') g.url = x.url;
    if (typeof x.commit === 'string') g.commit = x.commit;
    if (typeof x.dirty === 'boolean') g.dirty = x.dirty;
    const key = JSON.stringify([g.url, g.commit, g.dirty]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(g);
  });
  return out;
}

const MD5_IN_NAME = /_([0-9a-f]{32})(?:\.[^./\\]*)?$/i;
const MD5 = /^[0-9a-f]{32}$/i;
const baseName = (p: string): string => p.split(/[\\/]/).pop() || p;

/** `[original path, stored path or md5]`: FileStorage stores a copy, Mongo the md5 of the GridFS copy. */
function mapResources(raw: unknown, r: Reporter): { artifacts: Artifact[]; keepRaw: boolean } {
  const artifacts: Artifact[] = [];
  let keepRaw = false;
  if (raw === undefined || raw === null) return { artifacts, keepRaw };
  if (!Array.isArray(raw)) {
    r.warn('.resources', `expected an array of [path, copy], found ${describe(raw)}; the resources were dropped`);
    return { artifacts, keepRaw };
  }
  raw.forEach((x, i) => {
    const path = Array.isArray(x) ? x[0] : x;
    if (typeof path !== 'string') {
      r.warn(`.resources[${i}]`, `expected [path, copy], found ${describe(x)}; the resource was dropped`);
      return;
    }
    const a: Artifact = { name: baseName(path), role: 'input', path };
    const second: unknown = Array.isArray(x) ? x[1] : undefined;
    if (typeof second === 'string') {
      if (MD5.test(second)) a.digest = `md5:${second.toLowerCase()}`;
      else {
        // The stored copy's path is only in the raw list, kept under extensions.
        keepRaw = true;
        const m = MD5_IN_NAME.exec(second);
        if (m?.[1]) a.digest = `md5:${m[1].toLowerCase()}`;
      }
    }
    artifacts.push(a);
  });
  return { artifacts, keepRaw };
}

/** FileStorage: names of files in the run folder. Mongo: `{name, file_id}` in GridFS. */
function mapArtifacts(raw: unknown, r: Reporter, gridfs: Json): Artifact[] {
  const out: Artifact[] = [];
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    r.warn('.artifacts', `expected an array of artifact names, found ${describe(raw)}; the artifacts were dropped`);
    return out;
  }
  raw.forEach((x, i) => {
    if (typeof x === 'string') out.push({ name: x, role: 'output', path: x });
    else if (isObject(x) && typeof x.name === 'string') {
      out.push({ name: x.name, role: 'output' });
      if (x.file_id !== undefined) gridfs[x.name] = x.file_id;
    } else r.warn(`.artifacts[${i}]`, `expected an artifact name, found ${describe(x)}; the artifact was dropped`);
  });
  return out;
}

/** `[name, stored path]` (FileStorage) or `[name, GridFS id]` (Mongo). */
function mapSources(raw: unknown, gridfs: Json, r: Reporter): Artifact[] {
  const out: Artifact[] = [];
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    r.warn('.experiment.sources', `expected an array of [name, stored copy], found ${describe(raw)}; the sources were dropped`);
    return out;
  }
  raw.forEach((item, i) => {
    // A queued run was never started: its sources are still jsonpickled tuples of [name, md5].
    const x: unknown = isObject(item) && Array.isArray(item['py/tuple']) ? item['py/tuple'] : item;
    if (!Array.isArray(x) || typeof x[0] !== 'string') {
      r.warn(`.experiment.sources[${i}]`, `expected [name, stored copy], found ${describe(item)}; the source was dropped`);
      return;
    }
    const a: Artifact = { name: x[0], role: 'source' };
    const stored: unknown = x[1];
    if (typeof stored === 'string' && /[\\/]/.test(stored)) {
      a.path = stored;
      const m = MD5_IN_NAME.exec(stored);
      if (m?.[1]) a.digest = `md5:${m[1].toLowerCase()}`;
    } else if (typeof stored === 'string' && MD5.test(stored) && x !== item) a.digest = `md5:${stored.toLowerCase()}`;
    else if (stored !== undefined) gridfs[x[0]] = stored;
    out.push(a);
  });
  return out;
}

function mapFailTrace(raw: unknown): Experiment['error'] | undefined {
  const trace = Array.isArray(raw) ? raw.map(String).join('') : typeof raw === 'string' ? raw : undefined;
  if (!trace?.trim()) return undefined;
  const lines = trace.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { message: lines[lines.length - 1] ?? trace.trim(), trace };
}

interface RawSeries {
  steps?: unknown;
  timestamps?: unknown;
  values?: unknown;
}

/** `{steps, timestamps, values}` -> a metric with its history and summary. */
function mapMetric(raw: RawSeries, field: string, r: Reporter): Metric | undefined {
  if (!Array.isArray(raw.values)) {
    r.warn(`${field}.values`, `expected an array of numbers, found ${describe(raw.values)}; the metric was dropped`);
    return undefined;
  }
  const values = raw.values;
  const steps = Array.isArray(raw.steps) ? raw.steps : undefined;
  const stamps = Array.isArray(raw.timestamps) ? raw.timestamps : undefined;
  if ((steps && steps.length !== values.length) || (stamps && stamps.length !== values.length)) {
    r.warn(field, `steps, timestamps and values differ in length (${steps?.length ?? '-'}, ${stamps?.length ?? '-'}, ${values.length}); only the points present in all were kept`);
  }
  const n = Math.min(values.length, steps?.length ?? Infinity, stamps?.length ?? Infinity);
  const history = { steps: [] as number[], timestamps: [] as string[], values: [] as number[] };
  let timesOk = stamps !== undefined;
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const value = toMetricNumber(values[i]);
    const step = steps ? toMetricNumber(steps[i]) : i;
    if (value === undefined || step === undefined || !Number.isFinite(step)) {
      if (dropped++ === 0) r.warn(`${field}.values[${i}]`, `expected a number, found ${describe(value === undefined ? values[i] : steps?.[i])}; the point was dropped`);
      continue;
    }
    history.values.push(value);
    history.steps.push(step);
    if (timesOk) {
      const t = normalizeTime(stamps?.[i]);
      if (t) history.timestamps.push(t);
      else timesOk = false;
    }
  }
  if (dropped > 1) r.warn(`${field}.values`, `${dropped} points in all were not numbers and were dropped`);
  if (stamps && !timesOk && n > 0) r.warn(`${field}.timestamps`, 'timestamps are not times, one per value; they were dropped');
  return summarize({ steps: history.steps, values: history.values, ...(timesOk ? { timestamps: history.timestamps } : {}) });
}

/** last/lastStep are the last point logged; min/max ignore NaN (undefined when every value is NaN). */
function summarize(history: { steps: number[]; values: number[]; timestamps?: string[] }): Metric {
  const m: Metric = { count: history.values.length, history };
  const n = history.values.length;
  if (n === 0) return m;
  m.last = history.values[n - 1] as number;
  m.lastStep = history.steps[n - 1] as number;
  let lo = Infinity;
  let hi = -Infinity;
  let any = false;
  for (const x of history.values) {
    if (Number.isNaN(x)) continue;
    any = true;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (any) {
    m.min = lo;
    m.max = hi;
  }
  return m;
}

function mapMetricsFile(doc: unknown, r: Reporter): Record<string, Metric> | undefined {
  if (!isObject(doc)) {
    r.warn('metrics.json:$', `expected an object of metrics by name, found ${describe(doc)}; the metrics were dropped`);
    return undefined;
  }
  const metrics: Record<string, Metric> = {};
  for (const [name, raw] of Object.entries(doc)) {
    const field = `metrics.json:$[${JSON.stringify(name)}]`;
    if (!isObject(raw)) {
      r.warn(field, `expected {steps, timestamps, values}, found ${describe(raw)}; the metric was dropped`);
      continue;
    }
    const m = mapMetric(raw, field, r);
    if (m) metrics[name] = m;
  }
  return metrics;
}

// ---- one run ----

interface RunExtras {
  config?: unknown;
  configField?: string;
  metrics?: Record<string, Metric>;
  info?: unknown;
  stdout?: string;
}

/** Keys of a Sacred run document that land in first-class fields. */
const MAPPED_KEYS = new Set([
  '_id',
  'status',
  'start_time',
  'stop_time',
  'heartbeat',
  'queue_time',
  'command',
  'host',
  'experiment',
  'fail_trace',
  'artifacts',
  'resources',
  'config',
  'captured_out',
  'info',
  'meta',
  'omniboard',
]);

function convertRun(run: Json, runId: string, extras: RunExtras, r: Reporter, options: SacredImportOptions): Experiment | undefined {
  const id = `${options.idPrefix ?? ''}${runId}`;
  r.id = id;
  const rawStatus = run.status;
  if (!nonEmpty(rawStatus)) {
    r.error('.status', rawStatus === undefined ? 'the run has no "status"; it was left out' : `expected a status word like COMPLETED, found ${describe(rawStatus)}; the run was left out`);
    return undefined;
  }
  const word = rawStatus.trim().toUpperCase();
  const known = STATUS_MAP[word];
  // Sacred writes any other word only through `interrupted_event`: custom SacredInterrupt statuses.
  const mapped = known ?? { status: 'interrupted' as const, reason: `Sacred custom interrupt status ${rawStatus}.` };

  const sacred: Json = {};
  const experiment = isObject(run.experiment) ? run.experiment : {};
  if (run.experiment !== undefined && !isObject(run.experiment)) r.warn('.experiment', `expected an object, found ${describe(run.experiment)}; it was ignored`);
  const exName = nonEmpty(experiment.name) ? experiment.name : undefined;
  const dependencies = mapDependencies(experiment.dependencies, r);
  const git = mapRepositories(experiment.repositories, r);
  const gridfs = { artifacts: {} as Json, sources: {} as Json };
  const resources = mapResources(run.resources, r);
  const artifacts = [...mapSources(experiment.sources, gridfs.sources, r), ...resources.artifacts, ...mapArtifacts(run.artifacts, r, gridfs.artifacts)];
  if (resources.keepRaw) sacred.resources = run.resources;
  const exRest = Object.fromEntries(Object.entries(experiment).filter(([k]) => !['name', 'dependencies', 'repositories'].includes(k)));
  // Sources become artifacts (FileStorage: name and stored path; Mongo: name, GridFS id below).
  if (Array.isArray(exRest.sources)) delete exRest.sources;
  if (Object.keys(exRest).length > 0) sacred.experiment = exRest;
  if (Object.keys(gridfs.artifacts).length > 0 || Object.keys(gridfs.sources).length > 0) {
    sacred.gridfs = Object.fromEntries(Object.entries(gridfs).filter(([, v]) => Object.keys(v).length > 0));
  }

  const e: Experiment = { id, status: mapped.status };
  e.statusDetail = mapped.reason ? { raw: rawStatus, reason: mapped.reason } : { raw: rawStatus };
  if (exName) {
    e.name = `${exName} #${runId}`;
    e.group = { id: exName, name: exName };
  } else e.name = `#${runId}`;
  const times = mapTimes(run, r);
  if (nonEmpty(run.command)) e.command = run.command;
  const meta = isObject(run.meta) ? run.meta : undefined;
  if (run.meta !== undefined && !meta) r.warn('.meta', `expected an object, found ${describe(run.meta)}; it was ignored`);
  // A queued run's only time: `meta.queue_time`, a jsonpickled datetime.
  if (times.queued === undefined && meta?.queue_time !== undefined) {
    const queued = normalizeTime(meta.queue_time) ?? decodePickledDatetime(meta.queue_time);
    if (queued) times.queued = queued;
    else r.warn('.meta.queue_time', `expected a time (or a jsonpickled datetime), found ${describe(meta.queue_time)}; the queue time was dropped`);
  }
  if (Object.keys(times).length > 0) e.times = times;
  const omniboard = isObject(run.omniboard) ? run.omniboard : undefined;
  // `--comment` lands in meta.comment; Omniboard keeps its own notes and tags in the run document.
  const notes = [meta?.comment, omniboard?.notes].filter(nonEmpty);
  if (notes.length > 0) e.notes = notes.join('\n\n');
  if (Array.isArray(omniboard?.tags)) e.tags = omniboard.tags.filter((t): t is string => typeof t === 'string');
  if (meta) {
    const metaRest = Object.fromEntries(Object.entries(meta).filter(([k]) => k !== 'comment'));
    if (Object.keys(metaRest).length > 0) sacred.meta = metaRest;
  }
  if (omniboard) {
    const rest = Object.fromEntries(Object.entries(omniboard).filter(([k]) => k !== 'notes' && k !== 'tags'));
    if (Object.keys(rest).length > 0) sacred.omniboard = rest;
  }

  const { host, rest: hostRest } = mapHost(run.host, r);
  if (host) e.host = host;
  if (hostRest) sacred.host = hostRest;
  if (dependencies) e.dependencies = dependencies;
  if (git && git.length > 0) e.git = git;
  if (artifacts.length > 0) e.artifacts = artifacts;
  const error = mapFailTrace(run.fail_trace);
  if (error) e.error = error;

  if (extras.config !== undefined) {
    if (isObject(extras.config)) e.params = extras.config as Record<string, ParamValue>;
    else r.warn(extras.configField ?? 'config.json:$', `expected an object of configuration values, found ${describe(extras.config)}; the parameters were dropped`);
  }
  if (extras.metrics && Object.keys(extras.metrics).length > 0) e.metrics = extras.metrics;
  if (extras.info !== undefined && extras.info !== null && !(isObject(extras.info) && Object.keys(extras.info).length === 0)) sacred.info = extras.info;
  if (extras.stdout) e.output = { stdout: extras.stdout };

  for (const [k, v] of Object.entries(run)) if (!MAPPED_KEYS.has(k)) sacred[k] = v;
  if (Object.keys(sacred).length > 0) e.extensions = { sacred };
  ownDeadAfter(e, meta);

  const sacredDep = dependencies?.find((d) => d.name.toLowerCase() === 'sacred');
  const version = nonEmpty(meta?.sacred_version) ? meta.sacred_version : sacredDep?.version;
  e.source = { type: 'sacred', nativeId: runId, producer: version ? `sacred ${version}` : 'sacred' };

  const checked = finish(e, r);
  if (!checked) return undefined;
  // deriveStatus honours the run's own limit (extensions.deadAfterMs) when it is longer.
  if (checked.status === 'running' && options.now !== undefined) return deriveStatus(checked, options.now, options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS);
  return checked;
}

/**
 * How long the run may stay silent before it is dead: a few missed heartbeats at its own
 * `--beat-interval`, kept on the record (`extensions.deadAfterMs`, which the dashboard's status
 * derivation reads) when that is longer than the usual 2 minutes.
 */
function ownDeadAfter(e: Experiment, meta: Json | undefined): void {
  const beat = beatIntervalMs(meta);
  if (beat === undefined || beat === DEFAULT_BEAT_S * 1000) return;
  const limit = MISSED_BEATS * beat;
  if (limit > DEFAULT_DEAD_AFTER_MS) e.extensions = { ...e.extensions, deadAfterMs: limit };
}

/** Runs the record through the format v1 validator so what leaves here is always valid. */
function finish(e: Experiment, r: Reporter): Experiment | undefined {
  // Anything reported here is a gap in this importer, not in the input: name the converted field.
  const checked = parseExperiment(e, 0, 'converted record');
  for (const p of checked.problems) r.report(p.severity, p.path, p.message, false);
  return checked.experiment;
}

/**
 * Converts one FileStorageObserver run folder (`runs/<id>/`) to a format v1 experiment.
 * `options.runId` should be the folder's name: Sacred does not write the id into the files.
 */
export function importSacredRun(files: SacredRunFiles, options: SacredImportOptions = {}): SacredRunResult {
  const problems: Problem[] = [];
  const r = new Reporter(problems, '', undefined, undefined);
  const run = typeof files['run.json'] === 'string' ? parseJsonFile(files['run.json'], 'run.json', r, true) : undefined;
  if (typeof files['run.json'] !== 'string') r.error('run.json:$', 'run.json is missing; it is the one file a Sacred run folder must have');
  if (run === undefined) return { problems };
  if (!isObject(run)) {
    r.error('run.json:$', `expected a run object, found ${describe(run)}; the run was left out`);
    return { problems };
  }
  const runId = options.runId ?? (run._id !== undefined && run._id !== null ? String(run._id) : undefined);
  if (!nonEmpty(runId)) {
    r.error('run.json:$', 'the run has no id: pass the run folder\'s name as options.runId');
    return { problems };
  }
  const extras: RunExtras = {};
  if (files['config.json'] !== undefined) extras.config = parseJsonFile(files['config.json'], 'config.json', r, false);
  if (files['metrics.json'] !== undefined) {
    const doc = parseJsonFile(files['metrics.json'], 'metrics.json', r, false);
    if (doc !== undefined) extras.metrics = mapMetricsFile(doc, r);
  }
  if (files['info.json'] !== undefined) extras.info = parseJsonFile(files['info.json'], 'info.json', r, false);
  if (files['cout.txt']) extras.stdout = files['cout.txt'];
  const fileReporter = new Reporter(problems, 'run.json:$', undefined, undefined);
  const experiment = convertRun(run, runId, extras, fileReporter, options);
  for (const p of problems) p.id ??= fileReporter.id;
  return experiment ? { experiment, problems } : { problems };
}

/**
 * Converts Sacred MongoObserver documents: the `runs` collection and, optionally, the `metrics`
 * collection (each `{run_id, name, steps, timestamps, values}`), as exported JSON. Extended JSON
 * (`{$date}`, `{$oid}`, `{$numberLong}`) is accepted. Problems carry the run's index in `runs`.
 */
export function importSacredMongo(runs: unknown[], metrics: unknown[] = [], options: SacredImportOptions = {}): SacredMongoResult {
  const problems: Problem[] = [];
  const byRun = new Map<string, { doc: Json; index: number }[]>();
  metrics.forEach((raw, i) => {
    const doc = fromExtendedJson(raw);
    if (!isObject(doc) || doc.run_id === undefined || doc.run_id === null || typeof doc.name !== 'string') {
      problems.push({ severity: 'warning', path: `metrics[${i}]`, message: `expected a metrics document {run_id, name, steps, timestamps, values}, found ${describe(doc)}; it was ignored` });
      return;
    }
    const key = String(doc.run_id);
    const list = byRun.get(key) ?? [];
    list.push({ doc, index: i });
    byRun.set(key, list);
  });

  const experiments: Experiment[] = [];
  const seen = new Map<string, number>();
  runs.forEach((raw, index) => {
    const run = fromExtendedJson(raw);
    const r = new Reporter(problems, `runs[${index}]`, index, undefined);
    if (!isObject(run)) {
      r.error('', `expected a run document, found ${describe(run)}; it was left out`);
      return;
    }
    if (run._id === undefined || run._id === null || run._id === '') {
      r.error('._id', 'the run document has no "_id"; it was left out');
      return;
    }
    const runId = String(run._id);
    const docs = byRun.get(runId) ?? [];
    byRun.delete(runId);
    const m: Record<string, Metric> = {};
    for (const { doc, index: mi } of docs) {
      const field = `metrics[${mi}]`;
      const mr = new Reporter(problems, '', index, `${options.idPrefix ?? ''}${runId}`);
      const metric = mapMetric(doc, field, mr);
      if (!metric) continue;
      const prev = m[doc.name as string];
      // The observer upserts one document per (run, name); merge duplicates rather than lose points.
      m[doc.name as string] = prev?.history && metric.history ? summarize(concatSeries(prev.history, metric.history)) : metric;
    }
    const extras: RunExtras = { metrics: m, configField: `runs[${index}].config` };
    if (run.config !== undefined) extras.config = run.config;
    if (run.info !== undefined) extras.info = run.info;
    if (typeof run.captured_out === 'string' && run.captured_out !== '') extras.stdout = run.captured_out;
    const e = convertRun(run, runId, extras, r, options);
    if (!e) return;
    const prev = seen.get(e.id);
    if (prev !== undefined) {
      r.error('._id', `duplicate _id: runs[${prev}] has the same; this run was left out`);
      return;
    }
    seen.set(e.id, index);
    experiments.push(e);
  });
  for (const [runId, docs] of byRun) {
    for (const { index } of docs) {
      problems.push({ severity: 'warning', path: `metrics[${index}].run_id`, message: `no run with _id ${runId} in the runs given; the metric was ignored` });
    }
  }
  return { experiments, problems };
}

function concatSeries(a: NonNullable<Metric['history']>, b: NonNullable<Metric['history']>): { steps: number[]; values: number[]; timestamps?: string[] } {
  const s = { steps: [...a.steps, ...b.steps], values: [...a.values, ...b.values] };
  return a.timestamps && b.timestamps ? { ...s, timestamps: [...a.timestamps, ...b.timestamps] } : s;
}
