// One piece (~1,100 lines): the format-v1 reader walks each record once, and every field's check
// shares the same context (lazily built paths, the problem list, the clock); the schema's
// differential test (test/node/schema-differential.test.mjs) treats it as the one reader.
import {
  ARTIFACT_ROLES,
  DEFAULT_DEAD_AFTER_MS,
  STATUSES,
  type Artifact,
  type CollectionDefaults,
  type Dependency,
  type Experiment,
  type GitInfo,
  type Metric,
  type Problem,
  type Series,
  type Times,
} from './types.js';
import { isObject } from '../shared/guards.js';
// The command line reads `--dead-after` with the same parser (it reaches src/ through this module).
export { parseDuration } from '../shared/duration.js';
export { parseMainMetricAttribute } from '../shared/main-metric.js';

/**
 * Record format v1 validation. A focused hand-written validator (no `eval`/`new Function`, so
 * it runs under a strict CSP) that keeps every valid record and names every problem:
 * - a record without a usable `id` or `status` is left out (`severity: 'error'`);
 * - a field of the wrong shape is dropped and the record kept (`severity: 'warning'`).
 */

export interface ParseOptions {
  /** Where the input came from, e.g. a URL, used in problem messages. */
  origin?: string;
  /** The instant against which heartbeats are judged; default: `generatedAt`, else now. */
  now?: number;
  /** Overrides the collection's `defaults.mainMetric`. */
  mainMetric?: { key: string; goal?: 'maximize' | 'minimize' };
  /** Overrides the collection's `defaults.deadAfterMs` (how long a running record may stay silent). */
  deadAfterMs?: number;
}

export interface ParseResult {
  experiments: Experiment[];
  problems: Problem[];
  defaults: CollectionDefaults;
  generatedAt?: string;
  source?: Record<string, unknown>;
}

const NON_FINITE = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

/**
 * `JSON.parse` that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens Python's
 * `json.dump` (and so Sacred) writes. They become the strings of format v1.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    if (!/NaN|Infinity/.test(text)) throw first;
    const quoted = text.replace(NON_FINITE, (match, token: string | undefined) => (token ? `"${token}"` : match));
    return JSON.parse(quoted);
  }
}

/**
 * A shallow copy of a record to change a field of. Not `{...e}`: V8 gives an object made by spread
 * a map of its own, and every property added to it later (the validated mark, the search text)
 * makes yet another, so 6,000 derived-dead runs had 6,000 shapes and every read of a field across
 * the rows (a filter, a sort, a group) went megamorphic. Copies made by Object.assign share shapes.
 */
const copyOf = <T extends object>(e: T): T => Object.assign({}, e);

const STATUS_SET = new Set<string>(STATUSES);
const ROLE_SET = new Set<string>(ARTIFACT_ROLES);
const TIME_KEYS = ['queued', 'started', 'stopped', 'heartbeat', 'updated'] as const;
const METRIC_NUMBER_KEYS = new Set(['last', 'min', 'max', 'count', 'lastStep']);
// ISO-8601 date-time; the offset may be missing (Sacred writes naive UTC).
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

const CANONICAL_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Normalises a timestamp to ISO-8601 UTC with `Z`. Naive times are UTC; numbers are epoch ms.
 * Returns undefined when the value is not a time.
 */
export function normalizeTime(value: unknown): string | undefined {
  // Beyond ±8.64e15 ms a Date is invalid (toISOString would throw).
  if (typeof value === 'number') return Math.abs(value) <= 8.64e15 ? new Date(value).toISOString() : undefined;
  if (typeof value !== 'string') return undefined;
  // Already canonical (what we write): no Date round trip, the same string is kept.
  if (CANONICAL_TIME.test(value)) return value;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const offset = m[3] ? (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]) : 'Z';
  const ms = Date.parse(`${m[1]}T${m[2]}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** JSON metric value -> number; `"NaN"`, `"Infinity"`, `"-Infinity"` become the JS numbers. */
export function toMetricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Duration in ms from start to stop (or to `now` while running); undefined without a start. */
export function durationMs(e: Experiment, now = Date.now()): number | undefined {
  const started = e.times?.started ? Date.parse(e.times.started) : Number.NaN;
  if (Number.isNaN(started)) return undefined;
  // A dead run's last sign of life ends it; a running one is measured up to now.
  const endIso = e.times?.stopped ?? (e.status === 'dead' ? e.times?.heartbeat : undefined);
  const end = endIso ? Date.parse(endIso) : e.status === 'running' ? now : Number.NaN;
  return Number.isNaN(end) ? undefined : Math.max(0, end - started);
}

/**
 * A `running` record whose last sign of life (heartbeat, else start) is older than `deadAfterMs`
 * at `now` becomes `dead`; the source's word stays in `statusDetail.raw`. A record that beats
 * more slowly says how long it may stay silent in `extensions.deadAfterMs` (ms); the longer
 * limit holds.
 */
export function deriveStatus(e: Experiment, now: number, deadAfterMs = DEFAULT_DEAD_AFTER_MS): Experiment {
  if (e.status !== 'running') return e;
  const own = e.extensions?.deadAfterMs;
  if (typeof own === 'number' && own > deadAfterMs) deadAfterMs = own;
  // The latest sign of life: a heartbeat, or an update (MLflow has no heartbeat but logs metrics).
  const beats = [e.times?.heartbeat, e.times?.updated].map((t) => (t ? Date.parse(t) : Number.NaN)).filter((t) => !Number.isNaN(t));
  const at = beats.length > 0 ? Math.max(...beats) : e.times?.started ? Date.parse(e.times.started) : Number.NaN;
  if (Number.isNaN(at) || now - at <= deadAfterMs) return e;
  const silentS = Math.round((now - at) / 1000);
  const dead = copyOf(e);
  dead.status = 'dead';
  dead.statusDetail = {
    ...e.statusDetail,
    raw: e.statusDetail?.raw ?? 'running',
    derived: true,
    reason: `No ${beats.length > 0 ? 'heartbeat' : 'sign of life since start'} for ${silentS} s (limit ${Math.round(deadAfterMs / 1000)} s).`,
  };
  return dead;
}

/**
 * Judges a record again with another limit: one `deriveStatus` made dead counts as running again
 * first, so a longer limit brings it back to life (the source's own word is kept).
 */
export function rejudgeStatus(e: Experiment, now: number, deadAfterMs: number): Experiment {
  let running = e;
  if (e.status === 'dead' && e.statusDetail?.derived) {
    const { derived: _d, reason: _r, ...detail } = e.statusDetail;
    running = copyOf(e);
    running.status = 'running';
    if (Object.keys(detail).length > 0) running.statusDetail = detail;
    else delete running.statusDetail;
  }
  const judged = deriveStatus(running, now, deadAfterMs);
  return judged === running && running.status === e.status ? e : judged;
}

/** `path[index]`, built only when a message needs it. */
class LazyPath {
  constructor(
    private readonly base: string,
    private readonly index: number,
  ) {}
  toString(): string {
    return `${this.base}[${this.index}]`;
  }
}

class Collector {
  readonly problems: Problem[] = [];
  constructor(
    private readonly index: number | undefined,
    private readonly id: string | undefined,
    /** The record's path; `<list>[index]` when not given (built only for a message). */
    private readonly given?: string,
    private readonly list = '$.experiments',
  ) {}
  private get base(): string {
    return this.given ?? `${this.list}[${this.index}]`;
  }
  warn(path: string, message: string): void {
    this.push('warning', path, message);
  }
  error(path: string, message: string): void {
    this.push('error', path, message);
  }
  private push(severity: Problem['severity'], path: string, message: string): void {
    const p: Problem = { severity, path: `${this.base}${path}`, message };
    if (this.index !== undefined) p.index = this.index;
    if (this.id !== undefined) p.id = this.id;
    this.problems.push(p);
  }
}

const describe = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : typeof v === 'object' ? 'an object' : `a ${typeof v}`;


/**
 * Text where text belongs. A number or boolean becomes its text, named; anything else is dropped,
 * named. `null` is "not set" in a named field (`nullable`), a problem in a list or a map.
 */
function textOf(v: unknown, path: string, c: Collector, nullable = true): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') {
    const s = String(v);
    c.warn(path, `expected text, found ${describe(v)}; it was read as the text ${JSON.stringify(s)}`);
    return s;
  }
  if (v !== undefined && !(v === null && nullable)) c.warn(path, `expected text, found ${describe(v)}; the field was dropped`);
  return undefined;
}

/** A boolean field: anything else but "not set" is dropped, named. */
function booleanOf(v: unknown, path: string, c: Collector): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v !== undefined && v !== null) c.warn(path, `expected true or false, found ${describe(v)}; the field was dropped`);
  return undefined;
}

/** A copy of the fields a rebuilt object does not check: unknown fields survive, as everywhere in the format. */
function unknownFields(x: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in x) if (!known.has(k)) setOwn(out, k, x[k]);
  return out;
}

function optNumber(v: unknown, path: string, c: Collector): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = toMetricNumber(v);
  if (n === undefined) c.warn(path, `expected a number, found ${describe(v)}; the field was dropped`);
  return n;
}

/** A path for messages: text, or an object that spells it out only when a message needs it. */
type PathLike = string | { toString(): string };

function numberArray(v: unknown, path: PathLike, key: string, c: Collector): number[] | undefined {
  if (!Array.isArray(v)) {
    c.warn(`${path}${key}`, `expected an array of numbers, found ${describe(v)}; the history was dropped`);
    return undefined;
  }
  // Already numbers (the common case): keep the array, no copy.
  let allNumbers = true;
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') {
      allNumbers = false;
      break;
    }
  }
  if (allNumbers) return v as number[];
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const n = toMetricNumber(v[i]);
    if (n === undefined) {
      c.warn(`${path}${key}[${i}]`, `expected a number, found ${describe(v[i])}; the history was dropped`);
      return undefined;
    }
    out[i] = n;
  }
  return out;
}

const SERIES_KEYS = new Set(['steps', 'values', 'timestamps']);
const isCanonicalTime = (t: unknown): boolean => typeof t === 'string' && CANONICAL_TIME.test(t);

/**
 * A metric history. Empty `steps` or `timestamps` are "not recorded" (steps: positions 0, 1, 2,
 * ...); an empty `values` is a history without points.
 */
function parseSeries(v: unknown, path: PathLike, c: Collector): Series | undefined {
  if (!isObject(v)) {
    c.warn(`${path}`, `expected an object {steps, values}, found ${describe(v)}; the history was dropped`);
    return undefined;
  }
  let values = numberArray(v.values, path, '.values', c);
  if (!values) return undefined;
  const n = values.length;
  const rawSteps = v.steps;
  let steps: number[] | undefined;
  if (rawSteps === undefined || rawSteps === null || (Array.isArray(rawSteps) && rawSteps.length === 0)) steps = n === 0 ? [] : values.map((_, i) => i);
  else {
    steps = numberArray(rawSteps, path, '.steps', c);
    if (!steps) return undefined;
    if (n === 0) steps = [];
    else if (steps.length !== n) {
      c.warn(`${path}`, `steps has ${steps.length} entries but values has ${n}; the shorter length was kept`);
      const m = Math.min(steps.length, n);
      // Copies: the arrays may be the caller's own.
      steps = steps.slice(0, m);
      values = values.slice(0, m);
    }
  }
  const ts = v.timestamps;
  const tsValid = ts === undefined || (Array.isArray(ts) && (ts.length === 0 || (ts.length === values.length && ts.every(isCanonicalTime))));
  if (steps === rawSteps && values === v.values && tsValid) {
    let known = true;
    for (const k in v) if (!SERIES_KEYS.has(k)) known = false;
    // Valid as it is: keep the object and its arrays.
    if (known) return v as unknown as Series;
  }
  const series = unknownFields(v, SERIES_KEYS) as unknown as Series;
  series.steps = steps;
  series.values = values;
  if (Array.isArray(ts)) {
    const times = ts.length === 0 ? [] : ts.map(normalizeTime);
    if (times.length === 0 || (times.length === values.length && times.every((t) => t !== undefined))) series.timestamps = times as string[];
    else c.warn(`${path}.timestamps`, 'timestamps are not ISO-8601 times, one per value; they were dropped');
  } else if (ts !== undefined && ts !== null) c.warn(`${path}.timestamps`, `expected an array of ISO-8601 times, found ${describe(ts)}; they were dropped`);
  return series;
}

/**
 * Validates a metric history given on its own (e.g. a chart line's) as a record's history is
 * validated: the series, normalised, or none when it cannot be used; every problem named, with
 * paths starting at `base`.
 */
export function parseHistory(raw: unknown, base = '$'): { series?: Series; problems: Problem[] } {
  const c = new Collector(undefined, undefined, base);
  const series = parseSeries(raw, '', c);
  return series ? { series, problems: c.problems } : { problems: c.problems };
}

/** `.metrics["key"]`, built only when a message needs it. */
class MetricPath {
  constructor(
    private readonly key: string,
    private readonly suffix = '',
  ) {}
  toString(): string {
    return `.metrics[${JSON.stringify(this.key)}]${this.suffix}`;
  }
}

const METRIC_FIELDS = new Set([...METRIC_NUMBER_KEYS, 'history', 'historyRef']);

function parseMetric(v: unknown, path: MetricPath, key: string, c: Collector): Metric | undefined {
  // A bare number is accepted as the last value: producers often write {"acc": 0.9}.
  const bare = toMetricNumber(v);
  if (bare !== undefined) return { last: bare, count: 1 };
  if (!isObject(v)) {
    c.warn(`${path}`, `expected a metric object {last, min, max, ...} or a number, found ${describe(v)}; the metric was dropped`);
    return undefined;
  }
  const rawHistory = v.history;
  const history = rawHistory === undefined || rawHistory === null ? undefined : parseSeries(rawHistory, new MetricPath(key, '.history'), c);
  // A summary of plain numbers (with a valid history, if any, and nothing left to fill in) is
  // already valid: keep the object.
  let plain = history === rawHistory;
  if (plain) {
    let numbers = 0;
    for (const k in v) {
      const x = v[k];
      if (METRIC_NUMBER_KEYS.has(k)) {
        if (typeof x !== 'number') plain = false;
        numbers++;
      } else if (k === 'historyRef' && typeof x !== 'string') plain = false;
      if (!plain) break;
    }
    if (plain && (history === undefined || numbers === METRIC_NUMBER_KEYS.size)) return v as Metric;
  }
  const m = unknownFields(v, METRIC_FIELDS) as Metric;
  for (const k of ['last', 'min', 'max', 'count', 'lastStep'] as const) {
    const n = optNumber(v[k], `${path}.${k}`, c);
    if (n !== undefined) m[k] = n;
  }
  if (history) {
    m.history = history;
    const n = history.values.length;
    if (n > 0) {
      // Fill the summary from the history where the producer left it out.
      m.last ??= history.values[n - 1];
      m.lastStep ??= history.steps[n - 1];
      m.count ??= n;
      if (m.min === undefined || m.max === undefined) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const x of history.values) {
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        m.min ??= lo;
        m.max ??= hi;
      }
    }
  }
  const ref = textOf(v.historyRef, `${path}.historyRef`, c);
  if (ref !== undefined) m.historyRef = ref;
  return m;
}

const TIME_KEY_SET = new Set<string>(TIME_KEYS);

function parseTimes(v: unknown, c: Collector): Times | undefined {
  if (!isObject(v)) {
    c.warn('.times', `expected an object of ISO-8601 times, found ${describe(v)}; the times were dropped`);
    return undefined;
  }
  let canonical = true;
  for (const k in v) {
    if (!TIME_KEY_SET.has(k) || !isCanonicalTime(v[k])) {
      canonical = false;
      break;
    }
  }
  if (canonical) return v as Times;
  const t = unknownFields(v, TIME_KEY_SET) as Times;
  for (const k of TIME_KEYS) {
    if (v[k] === undefined || v[k] === null) continue;
    const iso = normalizeTime(v[k]);
    if (iso) t[k] = iso;
    else c.warn(`.times.${k}`, `expected an ISO-8601 time like 2024-05-01T12:00:00Z, found ${describe(v[k])}; the field was dropped`);
  }
  return t;
}

function parseList<T>(v: unknown, path: string, c: Collector, item: (x: unknown, p: LazyPath) => T | undefined): T[] | undefined {
  if (!Array.isArray(v)) {
    c.warn(path, `expected an array, found ${describe(v)}; the field was dropped`);
    return undefined;
  }
  const out: T[] = [];
  let same = true;
  for (let i = 0; i < v.length; i++) {
    // Paths are only spelled out when something is wrong: this runs for every record.
    const r = item(v[i], new LazyPath(path, i));
    if (r !== v[i]) same = false;
    if (r !== undefined) out.push(r);
  }
  // Every item was valid as it was: keep the original array.
  return same ? (v as T[]) : out;
}

const DEPENDENCY_KEYS = new Set(['name', 'version', 'manager']);
const ARTIFACT_KEYS = new Set(['name', 'uri', 'path', 'mediaType', 'digest', 'unavailable']);
const GIT_KEYS = new Set(['url', 'commit', 'branch']);
const ARTIFACT_FIELDS = new Set([...ARTIFACT_KEYS, 'role', 'sizeBytes']);
const GIT_FIELDS = new Set([...GIT_KEYS, 'dirty']);

/** True when every key is known and every value text, except the `other` keys (checked by the caller). */
function onlyStrings(x: Record<string, unknown>, keys: Set<string>, other: readonly string[] = []): boolean {
  for (const k in x) {
    if (other.includes(k)) continue;
    if (!keys.has(k) || typeof x[k] !== 'string') return false;
  }
  return true;
}

function parseDependency(x: unknown, p: LazyPath, c: Collector): Dependency | undefined {
  if (typeof x === 'string') {
    // `name==version` as Sacred writes it.
    const [name, version] = x.split('==', 2);
    if (name) return version ? { name, version } : { name };
  }
  if (!isObject(x) || typeof x.name !== 'string') {
    c.warn(`${p}`, `expected {name, version} or "name==version", found ${describe(x)}; the dependency was dropped`);
    return undefined;
  }
  if (onlyStrings(x, DEPENDENCY_KEYS)) return x as unknown as Dependency;
  const d = unknownFields(x, DEPENDENCY_KEYS) as unknown as Dependency;
  d.name = x.name;
  const version = textOf(x.version, `${p}.version`, c);
  if (version !== undefined) d.version = version;
  const manager = textOf(x.manager, `${p}.manager`, c);
  if (manager !== undefined) d.manager = manager;
  return d;
}

function parseArtifact(x: unknown, p: LazyPath, c: Collector): Artifact | undefined {
  if (!isObject(x) || typeof x.name !== 'string') {
    c.warn(`${p}`, `expected an artifact {name, uri|path, ...}, found ${describe(x)}; the artifact was dropped`);
    return undefined;
  }
  if ((x.role === undefined || (typeof x.role === 'string' && ROLE_SET.has(x.role))) && (x.sizeBytes === undefined || typeof x.sizeBytes === 'number') && onlyStrings(x, ARTIFACT_KEYS, ['role', 'sizeBytes'])) {
    return x as unknown as Artifact;
  }
  const a = unknownFields(x, ARTIFACT_FIELDS) as unknown as Artifact;
  a.name = x.name;
  if (x.role !== undefined && x.role !== null) {
    if (typeof x.role === 'string' && ROLE_SET.has(x.role)) a.role = x.role as Artifact['role'];
    else c.warn(`${p}.role`, `unknown role ${describe(x.role)}; expected one of ${ARTIFACT_ROLES.join(', ')}; "other" was used`);
    a.role ??= 'other';
  }
  for (const k of ['uri', 'path', 'mediaType', 'digest', 'unavailable'] as const) {
    const t = textOf(x[k], `${p}.${k}`, c);
    if (t !== undefined) a[k] = t;
  }
  const size = optNumber(x.sizeBytes, `${p}.sizeBytes`, c);
  if (size !== undefined) a.sizeBytes = size;
  return a;
}

function parseGit(x: unknown, p: LazyPath, c: Collector): GitInfo | undefined {
  if (!isObject(x)) {
    c.warn(`${p}`, `expected {url, commit, branch, dirty}, found ${describe(x)}; the entry was dropped`);
    return undefined;
  }
  if ((x.dirty === undefined || typeof x.dirty === 'boolean') && onlyStrings(x, GIT_KEYS, ['dirty'])) return x as GitInfo;
  const g = unknownFields(x, GIT_FIELDS) as GitInfo;
  for (const k of ['url', 'commit', 'branch'] as const) {
    const t = textOf(x[k], `${p}.${k}`, c);
    if (t !== undefined) g[k] = t;
  }
  const dirty = booleanOf(x.dirty, `${p}.dirty`, c);
  if (dirty !== undefined) g.dirty = dirty;
  return g;
}

// ---- Objects that are shown as they are (host, error, output, source) ----
// Every value a view binds as text must be text here: an object reaching a template would be
// shown as "[object Object]" at best, and an object shaped like a template result (`_$litType$`)
// makes the view throw. A number or boolean where text belongs becomes text; anything else is
// dropped with a warning. Valid objects are kept as they are (no copy).

type Shape = { [key: string]: 'text' | 'number' | 'boolean' | Shape | 'texts' | ['list', Shape] };

const HOST_SHAPE: Shape = {
  hostname: 'text',
  os: { system: 'text', platform: 'text' },
  cpu: { model: 'text', cores: 'number' },
  memoryBytes: 'number',
  python: { version: 'text', implementation: 'text' },
  workspaceVersion: 'text',
  gpus: { count: 'number', driverVersion: 'text', devices: ['list', { model: 'text', memoryBytes: 'number' }] },
  env: 'texts',
};
const ERROR_SHAPE: Shape = { message: 'text', trace: 'text' };
const OUTPUT_SHAPE: Shape = { stdout: 'text', stdoutRef: 'text' };
const SOURCE_SHAPE: Shape = { type: 'text', nativeId: 'text', producer: 'text' };
const COLLECTION_SOURCE_SHAPE: Shape = { type: 'text', producer: 'text' };
const TOP_SHAPES: Record<string, Shape> = { host: HOST_SHAPE, error: ERROR_SHAPE, output: OUTPUT_SHAPE, source: SOURCE_SHAPE };

/** Sets an own property, also for the key `__proto__` (an assignment would replace the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** True when the object already has the shape (unknown keys are fine): the common case, no copy. */
function fitsShape(v: Record<string, unknown>, shape: Shape): boolean {
  for (const k in shape) {
    if (!Object.hasOwn(v, k)) continue;
    const x = v[k];
    if (x === undefined) continue;
    const want = shape[k] as Shape[string];
    if (want === 'text') {
      if (typeof x !== 'string') return false;
    } else if (want === 'number') {
      if (typeof x !== 'number') return false;
    } else if (want === 'boolean') {
      if (typeof x !== 'boolean') return false;
    } else if (want === 'texts') {
      if (!isObject(x)) return false;
      for (const ek in x) if (typeof x[ek] !== 'string') return false;
    } else if (Array.isArray(want)) {
      if (!Array.isArray(x)) return false;
      for (const item of x) if (!isObject(item) || !fitsShape(item, want[1])) return false;
    } else if (!isObject(x) || !fitsShape(x, want)) return false;
  }
  return true;
}

const keyPath = (path: string, key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)}]`);

/** A copy with the shape: text from numbers and booleans, numbers from "NaN"/"Infinity"; the rest dropped, named. */
function coerceShape(v: Record<string, unknown>, shape: Shape, path: string, c: Collector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = v[k];
    const want = Object.hasOwn(shape, k) ? shape[k] : undefined;
    const at = keyPath(path, k);
    if (want === undefined || x === undefined || x === null) {
      // Unknown fields survive, as everywhere in the format.
      if (want === undefined && x !== undefined) setOwn(out, k, x);
      continue;
    }
    if (want === 'text') {
      const t = textOf(x, at, c);
      if (t !== undefined) setOwn(out, k, t);
    } else if (want === 'number') {
      const n = toMetricNumber(x);
      if (n !== undefined) setOwn(out, k, n);
      else c.warn(at, `expected a number, found ${describe(x)}; the field was dropped`);
    } else if (want === 'boolean') {
      if (typeof x === 'boolean') setOwn(out, k, x);
      else c.warn(at, `expected true or false, found ${describe(x)}; the field was dropped`);
    } else if (want === 'texts') {
      if (!isObject(x)) {
        c.warn(at, `expected an object of text, found ${describe(x)}; the field was dropped`);
        continue;
      }
      setOwn(out, k, textMap(x, at, c));
    } else if (Array.isArray(want)) {
      if (!Array.isArray(x)) {
        c.warn(at, `expected an array, found ${describe(x)}; the field was dropped`);
        continue;
      }
      const items: Record<string, unknown>[] = [];
      x.forEach((item, i) => {
        if (isObject(item)) items.push(fitsShape(item, want[1]) ? item : coerceShape(item, want[1], `${at}[${i}]`, c));
        else c.warn(`${at}[${i}]`, `expected an object, found ${describe(item)}; the entry was dropped`);
      });
      setOwn(out, k, items);
    } else if (isObject(x)) setOwn(out, k, fitsShape(x, want) ? x : coerceShape(x, want, at, c));
    else c.warn(at, `expected an object, found ${describe(x)}; the field was dropped`);
  }
  return out;
}

/** An object of text values (labels, environment variables): the others made text or dropped, named. */
function textMap(x: Record<string, unknown>, path: string, c: Collector): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const k in x) {
    const t = typeof x[k] === 'string' ? (x[k] as string) : textOf(x[k], keyPath(path, k), c, false);
    if (t !== undefined) setOwn(texts, k, t);
  }
  return texts;
}

// ---- Nesting ----

/**
 * Deepest nesting kept in free-form values (parameters, extensions, unknown fields). A hostile
 * or broken file can nest thousands of levels: every reader walks these values recursively and
 * would overflow the stack, so the parts deeper than this are replaced by {@link NESTING_CUT}.
 */
export const MAX_NESTING = 100;
/** What replaces a value nested deeper than {@link MAX_NESTING}: a visible mark, not a silent cut. */
export const NESTING_CUT = `(nested more than ${MAX_NESTING} levels deep: not shown)`;
/** Fields validated into fixed shapes above: nothing nests in them without bound. */
const FIXED_SHAPE_KEYS = new Set(['id', 'status', 'name', 'parent', 'operator', 'command', 'notes', 'times', 'tags', 'labels', 'metrics', 'mainMetric', 'dependencies', 'artifacts', 'git']);

/** True when nothing in `v` nests deeper than {@link MAX_NESTING} (the common case: no copy, no path built). */
function withinNesting(v: object, depth: number): boolean {
  if (depth > MAX_NESTING) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && !withinNesting(x, depth + 1)) return false;
    }
    return true;
  }
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    const x = obj[k];
    if (x !== null && typeof x === 'object' && !withinNesting(x, depth + 1)) return false;
  }
  return true;
}

/** The value, or a copy cut at {@link MAX_NESTING} levels (the record's own objects are not changed). */
function capNesting(v: object, depth: number, path: () => string, c: Collector): unknown {
  if (depth > MAX_NESTING) {
    c.warn(path(), `nested more than ${MAX_NESTING} levels deep; the deeper part was cut`);
    return NESTING_CUT;
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null || typeof x !== 'object') continue;
      const y = capNesting(x, depth + 1, () => `${path()}[${i}]`, c);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const x = obj[k];
    if (x === null || typeof x !== 'object') continue;
    const y = capNesting(x, depth + 1, () => keyPath(path(), k), c);
    if (y !== x) {
      if (!out) {
        out = {};
        for (const ok in obj) setOwn(out, ok, obj[ok]);
      }
      setOwn(out, k, y);
    }
  }
  return out ?? v;
}

/** Optional fields of a record in which `null` means "not set". */
const NULL_IS_UNSET = new Set(['name', 'group', 'parent', 'statusDetail', 'times', 'operator', 'command', 'notes', 'tags', 'labels', 'mainMetric', 'metrics', 'params', 'dependencies', 'artifacts', 'host', 'git', 'error', 'output', 'source', 'extensions']);
const STATUS_DETAIL_KEYS = new Set(['raw', 'derived', 'reason']);
const GROUP_KEYS = new Set(['id', 'name']);
const MAIN_METRIC_KEYS = new Set(['key', 'value', 'goal']);

/** A goal, `maximize` or `minimize`; anything else is dropped, named. */
function goalOf(v: unknown, path: string, c: Collector): 'maximize' | 'minimize' | undefined {
  if (v === 'maximize' || v === 'minimize') return v;
  if (v !== undefined && v !== null) c.warn(path, `unknown goal ${describe(v)}; expected maximize or minimize; it was ignored`);
  return undefined;
}

/**
 * Validates one record; returns the normalised record or undefined when it must be left out.
 * Problem paths start at `base`, else at `<list>[index]` (default `$.experiments[index]`).
 */
export function parseExperiment(raw: unknown, index: number, base?: string, list?: string): { experiment?: Experiment; problems: Problem[] } {
  const rawId = isObject(raw) ? raw.id : undefined;
  const id = typeof rawId === 'string' && rawId !== '' ? rawId : typeof rawId === 'number' ? String(rawId) : undefined;
  const c = new Collector(index, id, base, list);
  if (!isObject(raw)) {
    c.error('', `expected an experiment object, found ${describe(raw)}; the record was left out`);
    return { problems: c.problems };
  }
  if (id === undefined) {
    c.error('.id', rawId === undefined ? 'the required "id" is missing; the record was left out' : `"id" must be non-empty text, found ${describe(rawId)}; the record was left out`);
  }
  const rawStatus = raw.status;
  const status = typeof rawStatus === 'string' ? rawStatus.toLowerCase() : undefined;
  if (status === undefined || !STATUS_SET.has(status)) {
    c.error(
      '.status',
      rawStatus === undefined
        ? 'the required "status" is missing; the record was left out'
        : `unknown status ${describe(rawStatus)}; expected one of ${STATUSES.join(', ')}; the record was left out`,
    );
  }
  if (id === undefined || status === undefined || !STATUS_SET.has(status)) return { problems: c.problems };

  // One pass over the record's own keys: valid parts are kept as they are (no copies), only
  // what needs normalising or dropping is rebuilt, and unknown fields survive.
  const e: Record<string, unknown> = {};
  for (const k in raw) {
    const v = raw[k];
    // `null` in a field of the format is "not set" (Python writes None so); an unknown field keeps it.
    if (v === undefined || (v === null && NULL_IS_UNSET.has(k))) continue;
    switch (k) {
      case 'id':
        e.id = id;
        break;
      case 'status':
        e.status = status;
        break;
      case 'name':
      case 'operator':
      case 'command':
      case 'notes':
        if (typeof v === 'string') e[k] = v;
        else {
          const t = textOf(v, `.${k}`, c);
          if (t !== undefined) e[k] = t;
        }
        break;
      case 'parent': {
        // It names an id, and an id may be a number (Sacred's are): read as its text, as `id` is.
        const p = typeof v === 'number' ? String(v) : textOf(v, '.parent', c);
        if (p === '') c.warn('.parent', 'the parent run\'s id is empty; the field was dropped');
        else if (p === id) c.warn('.parent', `the run names itself (${JSON.stringify(id)}) as its parent run; the field was dropped`);
        else if (p !== undefined) e.parent = p;
        break;
      }
      case 'statusDetail':
        if (isObject(v)) {
          if ((v.raw === undefined || typeof v.raw === 'string') && (v.derived === undefined || typeof v.derived === 'boolean') && (v.reason === undefined || typeof v.reason === 'string')) e.statusDetail = v;
          else {
            const sd = unknownFields(v, STATUS_DETAIL_KEYS) as NonNullable<Experiment['statusDetail']>;
            const rawWord = textOf(v.raw, '.statusDetail.raw', c);
            if (rawWord !== undefined) sd.raw = rawWord;
            const derived = booleanOf(v.derived, '.statusDetail.derived', c);
            if (derived !== undefined) sd.derived = derived;
            const reason = textOf(v.reason, '.statusDetail.reason', c);
            if (reason !== undefined) sd.reason = reason;
            e.statusDetail = sd;
          }
        } else c.warn('.statusDetail', `expected {raw, derived, reason}, found ${describe(v)}; it was dropped`);
        break;
      case 'group':
        if (isObject(v)) {
          if ((v.id === undefined || typeof v.id === 'string') && (v.name === undefined || typeof v.name === 'string')) e.group = v;
          else {
            const g = unknownFields(v, GROUP_KEYS) as NonNullable<Experiment['group']>;
            const gid = textOf(v.id, '.group.id', c);
            if (gid !== undefined) g.id = gid;
            const gname = textOf(v.name, '.group.name', c);
            if (gname !== undefined) g.name = gname;
            e.group = g;
          }
        } else if (typeof v === 'string') e.group = { id: v, name: v };
        else c.warn('.group', `expected {id, name} or text, found ${describe(v)}; it was dropped`);
        break;
      case 'times': {
        const t = parseTimes(v, c);
        if (t) e.times = t;
        break;
      }
      case 'tags':
        if (Array.isArray(v)) {
          if (v.every((t) => typeof t === 'string')) e.tags = v;
          else {
            const tags: string[] = [];
            v.forEach((t, i) => {
              const text = textOf(t, `.tags[${i}]`, c, false);
              if (text !== undefined) tags.push(text);
            });
            e.tags = tags;
          }
        } else c.warn('.tags', `expected an array of text, found ${describe(v)}; the tags were dropped`);
        break;
      case 'labels':
        if (isObject(v)) e.labels = Object.values(v).every((x) => typeof x === 'string') ? v : textMap(v, '.labels', c);
        else c.warn('.labels', `expected an object of text, found ${describe(v)}; the labels were dropped`);
        break;
      case 'metrics':
        if (isObject(v)) {
          const metrics: Record<string, Metric> = {};
          let same = true;
          for (const mk in v) {
            const m = parseMetric(v[mk], new MetricPath(mk), mk, c);
            if (m !== v[mk]) same = false;
            if (m) setOwn(metrics, mk, m);
          }
          e.metrics = same ? v : metrics;
        } else c.warn('.metrics', `expected an object of metrics by name, found ${describe(v)}; the metrics were dropped`);
        break;
      case 'mainMetric':
        if (isObject(v) && typeof v.key === 'string') {
          if ((v.value === undefined || typeof v.value === 'number') && (v.goal === undefined || v.goal === 'maximize' || v.goal === 'minimize')) {
            e.mainMetric = v;
            break;
          }
          const mm = unknownFields(v, MAIN_METRIC_KEYS) as NonNullable<Experiment['mainMetric']>;
          mm.key = v.key;
          const n = optNumber(v.value, '.mainMetric.value', c);
          if (n !== undefined) mm.value = n;
          const goal = goalOf(v.goal, '.mainMetric.goal', c);
          if (goal) mm.goal = goal;
          e.mainMetric = mm;
        } else c.warn('.mainMetric', `expected {key, value, goal}, found ${describe(v)}; it was dropped`);
        break;
      case 'params':
        if (isObject(v)) e.params = v;
        else c.warn('.params', `expected an object of parameters, found ${describe(v)}; the parameters were dropped`);
        break;
      case 'dependencies': {
        const d = parseList(v, '.dependencies', c, (x, p) => parseDependency(x, p, c));
        if (d) e.dependencies = d;
        break;
      }
      case 'artifacts': {
        const a = parseList(v, '.artifacts', c, (x, p) => parseArtifact(x, p, c));
        if (a) e.artifacts = a;
        break;
      }
      case 'git': {
        // A single object is accepted for a single repository.
        const g = parseList(isObject(v) ? [v] : v, '.git', c, (x, p) => parseGit(x, p, c));
        if (g) e.git = g;
        break;
      }
      case 'host':
      case 'error':
      case 'output':
      case 'source': {
        const shape = TOP_SHAPES[k] as Shape;
        if (isObject(v)) e[k] = fitsShape(v, shape) ? v : coerceShape(v, shape, `.${k}`, c);
        else c.warn(`.${k}`, `expected an object, found ${describe(v)}; the field was dropped`);
        break;
      }
      case 'extensions':
        if (isObject(v)) e[k] = v;
        else c.warn(`.${k}`, `expected an object, found ${describe(v)}; the field was dropped`);
        break;
      case '__proto__':
        // An own "__proto__" key (JSON.parse makes one) assigned here would replace the record's
        // prototype, handing the record fields that were never validated.
        c.warn('["__proto__"]', 'a field named "__proto__" is not allowed; it was dropped');
        break;
      default:
        e[k] = v;
    }
    // Free-form values (parameters, extensions, unknown fields) may nest without bound; every
    // reader (attributes, search, detail, export) walks them recursively.
    const kept = Object.hasOwn(e, k) ? e[k] : undefined;
    if (kept !== null && typeof kept === 'object' && !FIXED_SHAPE_KEYS.has(k) && !withinNesting(kept, 1)) e[k] = capNesting(kept, 1, () => keyPath('', k), c);
  }
  return { experiment: e as unknown as Experiment, problems: c.problems };
}

function parseDefaults(v: unknown, c: Collector): CollectionDefaults {
  const d: CollectionDefaults = {};
  if (v === undefined || v === null) return d;
  if (!isObject(v)) {
    c.warn('.defaults', `expected {mainMetric, deadAfterMs}, found ${describe(v)}; it was ignored`);
    return d;
  }
  if (v.mainMetric !== undefined && v.mainMetric !== null) {
    const mm = v.mainMetric;
    if (isObject(mm) && typeof mm.key === 'string') d.mainMetric = { key: mm.key, goal: goalOf(mm.goal, '.defaults.mainMetric.goal', c) ?? 'maximize' };
    else c.warn('.defaults.mainMetric', `expected {key, goal}, found ${describe(mm)}; it was ignored`);
  }
  if (v.deadAfterMs !== undefined && v.deadAfterMs !== null) {
    if (typeof v.deadAfterMs === 'number' && v.deadAfterMs > 0) d.deadAfterMs = v.deadAfterMs;
    else c.warn('.defaults.deadAfterMs', `expected a positive number of milliseconds, found ${describe(v.deadAfterMs)}; ${DEFAULT_DEAD_AFTER_MS} was used`);
  }
  return d;
}

/** The record's main metric with its goal and value filled in (a new object when they change). */
function mainMetricOf(e: Experiment, spec: { key: string; goal?: 'maximize' | 'minimize' } | undefined, force: boolean): Experiment['mainMetric'] | undefined {
  const key = force ? spec?.key : (e.mainMetric?.key ?? spec?.key);
  if (!key) return undefined;
  const goal = (force ? spec?.goal : e.mainMetric?.goal) ?? spec?.goal ?? 'maximize';
  const value = !force && e.mainMetric?.key === key && e.mainMetric.value !== undefined ? e.mainMetric.value : e.metrics?.[key]?.last;
  const own = e.mainMetric?.key === key ? e.mainMetric : undefined;
  if (own && own.goal === goal && own.value === value) return own;
  // The record's own fields of its main metric stay (unknown ones included).
  const mm: NonNullable<Experiment['mainMetric']> = own ? { ...own, goal } : { key, goal };
  if (value !== undefined) mm.value = value;
  else delete mm.value;
  return mm;
}

/** Fills `mainMetric.value` (and goal) from the metrics when the record names the key only. */
export function applyMainMetric(e: Experiment, spec: { key: string; goal?: 'maximize' | 'minimize' } | undefined, force = false): Experiment {
  const mm = mainMetricOf(e, spec, force);
  if (!mm || mm === e.mainMetric) return e;
  const copy = copyOf(e);
  copy.mainMetric = mm;
  if (isParsed(e)) markParsed(copy);
  return copy;
}

/**
 * Reads a collection (text or parsed JSON) in format v1: the valid experiments, normalised
 * (UTC times, numbers for non-finite metrics, `dead` derived), plus every problem found.
 * A bare array of experiments is accepted too. Throws only when the input is not JSON at all.
 */
export function parseCollection(input: unknown, options: ParseOptions = {}): ParseResult {
  const steps = parseSteps(input, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Records validated between two pauses of {@link parseCollectionAsync}. */
const PARSE_SLICE = 2000;

/**
 * {@link parseCollection} in slices that leave the page responsive: it pauses after the JSON
 * text is parsed and after every 2,000 records, so 100,000 records never hold one long task.
 */
export async function parseCollectionAsync(input: unknown, options: ParseOptions = {}, signal?: AbortSignal): Promise<ParseResult> {
  const steps = parseSteps(input, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await nextTask();
    signal?.throwIfAborted();
  }
}

/**
 * Resolves in a new task, through a message to self: input and rendering get their turn, and
 * unlike setTimeout(0) it is not clamped to 4 ms once nested (50 pauses at 100,000 records were
 * ~0.2 s of waiting in a load).
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise<void>((resolve) => setTimeout(resolve, 0));
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Marks the records this module returned (validated, normalised, status derived): handing them
 * back (the dashboard's records given to an element on its own) costs a lookup, not a second
 * validation. A non-enumerable own symbol: copies (`{...e}`), JSON and structured clones do not
 * carry it, so a changed copy is validated again. (A WeakSet of 100,000 records made garbage
 * collection measurably slower.)
 */
const PARSED = Symbol('experiment-dashboard: validated record');
const PARSED_MARK: PropertyDescriptor = { value: true };
const markParsed = (e: object): void => void Object.defineProperty(e, PARSED, PARSED_MARK);
const isParsed = (v: unknown): boolean => typeof v === 'object' && v !== null && (v as { [PARSED]?: unknown })[PARSED] === true;

interface RecordContext {
  now: number;
  deadAfter: number;
  options: ParseOptions;
  mainSpec: { key: string; goal?: 'maximize' | 'minimize' } | undefined;
  /** Path of the list, `$.experiments` by default. */
  list?: string;
  /** Problem path of a record given on its own, not in a list. */
  single?: string;
  /** Records of ours are kept exactly as they are (their status was derived when they were read). */
  keepOurs?: boolean;
}

/** Validates the records of a list: the valid ones, normalised, in order; every problem named. */
function* checkRecords(records: readonly unknown[], ctx: RecordContext, problems: Problem[]): Generator<void, Experiment[]> {
  const experiments: Experiment[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % PARSE_SLICE === 0) yield;
    const raw = records[i];
    let e: Experiment;
    // Already ours: only what depends on this call's options is applied again, on a copy.
    const ours = isParsed(raw);
    if (ours) e = raw as unknown as Experiment;
    else {
      const r = parseExperiment(raw, i, ctx.single, ctx.list);
      for (const p of r.problems) problems.push(p);
      if (!r.experiment) continue;
      e = r.experiment;
    }
    const prev = seen.get(e.id);
    if (prev !== undefined) {
      problems.push({
        severity: 'error',
        index: i,
        id: e.id,
        path: `${ctx.single ?? `${ctx.list ?? '$.experiments'}[${i}]`}.id`,
        message: `duplicate id: record ${prev} already has it; this record was left out`,
      });
      continue;
    }
    seen.set(e.id, i);
    if (ours && ctx.keepOurs) {
      experiments.push(e);
      continue;
    }
    const derived = deriveStatus(e, ctx.now, ctx.deadAfter);
    const mm = mainMetricOf(derived, ctx.mainSpec, ctx.options.mainMetric !== undefined);
    if (mm && mm !== derived.mainMetric) {
      // A fresh record of ours is filled in place (no copy per record); one handed in is copied.
      if (derived === raw) (e = copyOf(derived)).mainMetric = mm;
      else (e = derived).mainMetric = mm;
    } else e = derived;
    if (e !== raw) markParsed(e);
    experiments.push(e);
  }
  return experiments;
}

/**
 * Validates experiment records given directly, as `parseCollection` validates those of a file:
 * one record, or an array of records (problem paths `$` and `$[index]`). Records that came out
 * of this module already (e.g. the dashboard's) are kept as they are, not validated again.
 */
export function parseRecords(input: unknown, options: ParseOptions = {}): { experiments: Experiment[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const single = !Array.isArray(input);
  const records = single ? [input] : input;
  const ctx: RecordContext = { now: options.now ?? Date.now(), deadAfter: options.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS, options, mainSpec: options.mainMetric, list: '$', keepOurs: true };
  if (single) ctx.single = '$';
  const steps = checkRecords(records, ctx, problems);
  for (;;) {
    const next = steps.next();
    if (next.done) return { experiments: next.value, problems };
  }
}

function* parseSteps(input: unknown, options: ParseOptions): Generator<void, ParseResult> {
  const origin = options.origin ? ` in ${options.origin}` : '';
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = parseJsonText(input);
    } catch (err) {
      throw new SyntaxError(`The data${origin} is not valid JSON: ${(err as Error).message}. Check that the file is a complete JSON document.`, { cause: err });
    }
    if (input.length > 1_000_000) yield;
  }
  const problems: Problem[] = [];
  let records: unknown[];
  let defaults: CollectionDefaults = {};
  let generatedAt: string | undefined;
  let source: Record<string, unknown> | undefined;
  if (Array.isArray(doc)) records = doc;
  else if (isObject(doc)) {
    if (doc.kind !== undefined && doc.kind !== 'ExperimentCollection') {
      problems.push({ severity: 'warning', path: '$.kind', message: `expected "ExperimentCollection", found ${describe(doc.kind)}; reading it as one` });
    }
    if (doc.schemaVersion !== undefined && !(typeof doc.schemaVersion === 'string' && doc.schemaVersion.startsWith('1.'))) {
      problems.push({ severity: 'warning', path: '$.schemaVersion', message: `this dashboard reads format 1.x, found ${describe(doc.schemaVersion)}; some fields may be missed` });
    }
    if (!Array.isArray(doc.experiments)) {
      problems.push({
        severity: 'error',
        path: '$.experiments',
        message: doc.experiments === undefined ? 'the collection has no "experiments" array; nothing to show' : `"experiments" must be an array, found ${describe(doc.experiments)}; nothing to show`,
      });
      records = [];
    } else records = doc.experiments;
    const c = new Collector(undefined, undefined, '$');
    defaults = parseDefaults(doc.defaults, c);
    if (doc.generatedAt !== undefined && doc.generatedAt !== null) {
      generatedAt = normalizeTime(doc.generatedAt);
      if (!generatedAt) c.warn('.generatedAt', `expected an ISO-8601 time, found ${describe(doc.generatedAt)}; it was ignored`);
    }
    if (isObject(doc.source)) source = fitsShape(doc.source, COLLECTION_SOURCE_SHAPE) ? doc.source : coerceShape(doc.source, COLLECTION_SOURCE_SHAPE, '.source', c);
    else if (doc.source !== undefined && doc.source !== null) c.warn('.source', `expected an object {type, producer}, found ${describe(doc.source)}; it was ignored`);
    for (const p of c.problems) problems.push(p);
  } else {
    throw new TypeError(`The data${origin} is ${describe(doc)}, not an experiment collection: expected {"kind": "ExperimentCollection", "experiments": [...]} or an array of experiments.`);
  }

  const now = options.now ?? (generatedAt ? Date.parse(generatedAt) : Date.now());
  const experiments = yield* checkRecords(records, { now, deadAfter: options.deadAfterMs ?? defaults.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS, options, mainSpec: options.mainMetric ?? defaults.mainMetric }, problems);
  const result: ParseResult = { experiments, problems, defaults };
  if (generatedAt) result.generatedAt = generatedAt;
  if (source) result.source = source;
  return result;
}

/** A problem as one line of text, e.g. for the UI or a CLI. */
export function formatProblem(p: Problem): string {
  // Outside a collection (a chart line's history): the path says where.
  if (p.index === undefined && !p.path.startsWith('$')) return `${p.path}: ${p.message}`;
  const where = p.index !== undefined ? `record ${p.index}${p.id !== undefined ? ` (id ${JSON.stringify(p.id)})` : ''}` : 'collection';
  return `${where}, ${p.path}: ${p.message}`;
}
