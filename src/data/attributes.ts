import { isObject } from '../shared/guards.js';
import { MAX_LABEL_LENGTH, clipText } from './format.js';
import { PARENT_ATTRIBUTE, parentIdOf } from './parent.js';

export { PARENT_ATTRIBUTE };
import { durationMs } from './parse.js';
import type { Experiment } from './types.js';

/**
 * The attribute catalogue: every leaf of every record is an attribute with a dotted id
 * (`params.optimizer.lr`, `metrics.accuracy.last`, `host.gpus.count`, `git.commit`), a category
 * for the column chooser and a kind that decides formatting, sorting and the filter editor.
 */
export type AttributeKind = 'number' | 'date' | 'text' | 'enum' | 'list' | 'boolean';
export type AttributeCategory = 'experiment' | 'metrics' | 'parameters' | 'host' | 'git' | 'dependencies' | 'tags' | 'labels';
export type AttributeValue = string | number | boolean | string[] | null | undefined;

export interface Attribute {
  /** Dotted path, stable across loads; used in `columns`, `group-by` and filters. */
  readonly id: string;
  readonly label: string;
  readonly category: AttributeCategory;
  readonly kind: AttributeKind;
  /** Reads the value from a record, as it sorts and filters. */
  readonly get: (e: Experiment) => AttributeValue;
  /**
   * The value as the record holds it, when `get` converts it: a parameter logged as text whose
   * every value is a number or a boolean (MLflow stores all params as text) sorts and filters
   * as a number (`get` gives 64, not "64"), and is shown as logged ("1e-3", "True").
   */
  readonly text?: (e: Experiment) => string | undefined;
}

/** The curated first-glance columns (DESIGN.md). */
export const DEFAULT_COLUMNS = ['status', 'name', 'mainMetric', 'operator', 'times.started', 'duration', 'group', 'tags'] as const;

const leaf = (v: unknown): AttributeValue => {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)));
  return JSON.stringify(v);
};

function walk(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

// Labels are display text built from data (a key may be a megabyte long): cut, with a visible mark.
// The id stays whole: it is what columns, filters and grouping use.
const fixed = (id: string, label: string, category: AttributeCategory, kind: AttributeKind, get: (e: Experiment) => AttributeValue): Attribute => ({
  id,
  label: clipText(label, MAX_LABEL_LENGTH),
  category,
  kind,
  get,
});

/** Attributes every record has a place for, whether or not it fills it. */
export const BUILTIN_ATTRIBUTES: readonly Attribute[] = [
  fixed('status', 'Status', 'experiment', 'enum', (e) => e.status),
  fixed('name', 'Name', 'experiment', 'text', (e) => e.name ?? e.id),
  fixed('id', 'ID', 'experiment', 'text', (e) => e.id),
  fixed('mainMetric', 'Main metric', 'experiment', 'number', (e) => e.mainMetric?.value),
  fixed('operator', 'Operator', 'experiment', 'text', (e) => e.operator),
  fixed('times.started', 'Started', 'experiment', 'date', (e) => e.times?.started),
  fixed('duration', 'Duration', 'experiment', 'number', (e) => durationMs(e)),
  fixed('group', 'Group', 'experiment', 'text', (e) => e.group?.name ?? e.group?.id),
  fixed('tags', 'Tags', 'tags', 'list', (e) => e.tags),
  // The parent's id here; the dashboard shows the parent's name, which only the loaded runs know
  // (src/components/experiment-dashboard/controllers/attribute-catalogue.ts).
  fixed(PARENT_ATTRIBUTE, 'Parent run', 'experiment', 'text', (e) => parentIdOf(e)),
  fixed('times.stopped', 'Stopped', 'experiment', 'date', (e) => e.times?.stopped),
  fixed('times.queued', 'Queued', 'experiment', 'date', (e) => e.times?.queued),
  fixed('times.heartbeat', 'Heartbeat', 'experiment', 'date', (e) => e.times?.heartbeat),
  fixed('statusDetail.raw', 'Source status', 'experiment', 'text', (e) => e.statusDetail?.raw),
  fixed('command', 'Command', 'experiment', 'text', (e) => e.command),
  fixed('notes', 'Notes', 'experiment', 'text', (e) => e.notes),
  fixed('error.message', 'Error', 'experiment', 'text', (e) => e.error?.message),
  fixed('source.type', 'Source', 'experiment', 'text', (e) => e.source?.type),
  fixed('host.hostname', 'Host', 'host', 'text', (e) => e.host?.hostname),
  fixed('host.os.system', 'OS', 'host', 'text', (e) => e.host?.os?.system),
  fixed('host.os.platform', 'Platform', 'host', 'text', (e) => e.host?.os?.platform),
  fixed('host.cpu.model', 'CPU', 'host', 'text', (e) => e.host?.cpu?.model),
  fixed('host.cpu.cores', 'CPU cores', 'host', 'number', (e) => e.host?.cpu?.cores),
  fixed('host.memoryBytes', 'Memory', 'host', 'number', (e) => e.host?.memoryBytes),
  fixed('host.python.version', 'Python', 'host', 'text', (e) => e.host?.python?.version),
  fixed('host.workspaceVersion', 'Workspace version', 'host', 'text', (e) => e.host?.workspaceVersion),
  fixed('host.gpus.count', 'GPUs', 'host', 'number', (e) => e.host?.gpus?.count),
  fixed('host.gpus.model', 'GPU model', 'host', 'text', (e) => e.host?.gpus?.devices?.[0]?.model),
  fixed('git.url', 'Git repository', 'git', 'text', (e) => e.git?.[0]?.url),
  fixed('git.commit', 'Git commit', 'git', 'text', (e) => e.git?.[0]?.commit),
  fixed('git.branch', 'Git branch', 'git', 'text', (e) => e.git?.[0]?.branch),
  fixed('git.dirty', 'Git dirty', 'git', 'boolean', (e) => e.git?.[0]?.dirty),
];

/**
 * Sacred's `_run.info` and the run's return value have no place in format v1 and stay under
 * `extensions.sacred`; they are attributes by that path (which filters and the query read as
 * they are), labelled `info.<key>` and `Result`.
 */
const INFO_PREFIX = 'extensions.sacred.info';
const RESULT_ID = 'extensions.sacred.result';
const sacredOf = (e: Experiment): Record<string, unknown> | undefined => (isObject(e.extensions?.sacred) ? e.extensions.sacred : undefined);

const BUILTIN_BY_ID = new Map(BUILTIN_ATTRIBUTES.map((a) => [a.id, a]));
const METRIC_STATS = ['last', 'min', 'max', 'count'] as const;

const kindOf = (v: unknown): AttributeKind => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : Array.isArray(v) ? 'list' : 'text');

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;
const BOOLEAN_TEXT = /^\s*(?:true|false)\s*$/i;

/** How a parameter value may be read: text that is a number or a boolean counts as one. */
function paramKindOf(v: unknown): AttributeKind {
  if (typeof v === 'string') return NUMBER_TEXT.test(v) ? 'number' : BOOLEAN_TEXT.test(v) ? 'boolean' : 'text';
  return kindOf(v);
}

/** A parameter value as its (inferred) kind reads it; text that does not parse stays text. */
function asKind(v: unknown, kind: AttributeKind): AttributeValue {
  if (typeof v === 'string') {
    if (kind === 'number' && NUMBER_TEXT.test(v)) return Number(v);
    if (kind === 'boolean' && BOOLEAN_TEXT.test(v)) return v.trim().toLowerCase() === 'true';
  }
  return leaf(v);
}

function metricAttribute(key: string, stat: (typeof METRIC_STATS)[number]): Attribute {
  return fixed(`metrics.${key}.${stat}`, stat === 'last' ? key : `${key} (${stat})`, 'metrics', 'number', (e) => e.metrics?.[key]?.[stat]);
}

function pathAttribute(prefix: string, path: string[], category: AttributeCategory, kind: AttributeKind, root: (e: Experiment) => unknown): Attribute {
  return fixed(`${prefix}.${path.join('.')}`, path.join('.'), category, kind, (e) => leaf(walk(root(e), path)));
}

/** A parameter whose values were logged as text but all read as numbers (or booleans). */
function typedParamAttribute(path: string[], kind: AttributeKind): Attribute {
  const read = (e: Experiment): unknown => walk(e.params, path);
  return {
    ...fixed(`params.${path.join('.')}`, path.join('.'), 'parameters', kind, (e) => asKind(read(e), kind)),
    text: (e) => {
      const v = read(e);
      return typeof v === 'string' ? v : undefined;
    },
  };
}

/**
 * Every attribute that occurs in at least one of the experiments, built-ins first, then
 * metrics, parameters, dependencies and labels in first-seen order. One pass over the data.
 */
export function collectAttributes(experiments: readonly Experiment[], options: { now?: number } = {}): Attribute[] {
  const collector = new AttributeCollector(options);
  collector.add(experiments);
  return collector.result();
}

/** The built-in attributes, with the duration of running records counted up to `now` when given. */
export function builtinAttributes(now?: number): Attribute[] {
  return BUILTIN_ATTRIBUTES.map((a) => withNow(a, now));
}

// Running durations count up to the snapshot's time, not the viewer's clock.
const withNow = (a: Attribute, now: number | undefined): Attribute => (a.id === 'duration' && now !== undefined ? { ...a, get: (e: Experiment) => durationMs(e, now) } : a);

/**
 * collectAttributes in parts: `add` any number of slices of the records (in order), then
 * `result`. The dashboard runs it in idle time after the first rows are painted (about 0.2 s at
 * 100,000 records, which would otherwise delay them), and finishes it at once when something
 * needs the catalogue earlier.
 */
export class AttributeCollector {
  // Runs on every load of up to 100,000 records: sets keyed by plain names, ids and path arrays
  // built only when an attribute is seen for the first time.
  readonly #now: number | undefined;
  readonly #paramKinds = new Map<string, AttributeKind | 'unknown'>();
  /** Parameters with at least one value logged as text that reads as a number or boolean. */
  readonly #paramFromText = new Set<string>();
  readonly #paramPaths = new Map<string, string[]>();
  readonly #metricKeys = new Set<string>();
  readonly #depNames = new Set<string>();
  readonly #labelKeys = new Set<string>();
  readonly #envKeys = new Set<string>();
  /** Leaves of Sacred's `_run.info` (`extensions.sacred.info`), by attribute id: path and kind. */
  readonly #infoLeaves = new Map<string, { path: string[]; kind: AttributeKind }>();
  #hasResult = false;
  #resultKind: AttributeKind | undefined;
  readonly #used = new Set<string>(['status', 'name', 'id']);
  #pending = BUILTIN_ATTRIBUTES.filter((a) => !this.#used.has(a.id));

  constructor(options: { now?: number } = {}) {
    this.#now = options.now;
  }

  #visitParams(obj: Record<string, unknown>, prefix: string, path: string[]): void {
    for (const k in obj) {
      const v = obj[k];
      const id = `${prefix}.${k}`;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        this.#visitParams(v as Record<string, unknown>, id, [...path, k]);
        continue;
      }
      // A missing value (null) says nothing about the kind.
      const kind = v === null || v === undefined ? undefined : paramKindOf(v);
      if (typeof v === 'string' && kind !== 'text') this.#paramFromText.add(id);
      const prev = this.#paramKinds.get(id);
      if (prev === undefined) {
        this.#paramKinds.set(id, kind ?? 'unknown');
        // Real keys, so parameter names that contain dots still resolve.
        this.#paramPaths.set(id, [...path, k]);
      } else if (kind !== undefined && prev !== kind && prev !== 'text') {
        // A parameter that is a number in one run and text in another is text.
        this.#paramKinds.set(id, prev === 'unknown' ? kind : 'text');
      }
    }
  }

  /** Reads records `from` (inclusive) to `to` (exclusive). */
  add(experiments: readonly Experiment[], from = 0, to = experiments.length): void {
    for (let i = from; i < to; i++) {
      const e = experiments[i] as Experiment;
      if (this.#pending.length > 0) {
        let hit = false;
        for (const a of this.#pending) {
          if (a.get(e) !== undefined) {
            this.#used.add(a.id);
            hit = true;
          }
        }
        if (hit) this.#pending = this.#pending.filter((a) => !this.#used.has(a.id));
      }
      if (e.metrics) for (const k in e.metrics) this.#metricKeys.add(k);
      if (e.params) this.#visitParams(e.params, 'params', []);
      if (e.dependencies) for (const d of e.dependencies) this.#depNames.add(d.name);
      if (e.labels) for (const k in e.labels) this.#labelKeys.add(k);
      if (e.host?.env) for (const k in e.host.env) this.#envKeys.add(k);
      const sacred = e.extensions?.sacred;
      if (isObject(sacred)) {
        if (isObject(sacred.info)) this.#visitInfo(sacred.info, []);
        if (sacred.result !== undefined && sacred.result !== null) {
          const kind = isObject(sacred.result) ? 'text' : kindOf(sacred.result);
          this.#resultKind = this.#hasResult && this.#resultKind !== kind ? 'text' : kind;
          this.#hasResult = true;
        }
      }
    }
  }

  #visitInfo(obj: Record<string, unknown>, path: string[]): void {
    for (const k in obj) {
      const v = obj[k];
      if (isObject(v)) {
        this.#visitInfo(v, [...path, k]);
        continue;
      }
      if (v === null || v === undefined) continue;
      const id = `${INFO_PREFIX}.${[...path, k].join('.')}`;
      const kind = kindOf(v);
      const prev = this.#infoLeaves.get(id);
      if (!prev) this.#infoLeaves.set(id, { path: [...path, k], kind });
      else if (prev.kind !== kind) prev.kind = 'text';
    }
  }

  result(): Attribute[] {
    const found = new Map<string, Attribute>();
    for (const k of this.#metricKeys) for (const s of METRIC_STATS) found.set(`metrics.${k}.${s}`, metricAttribute(k, s));
    for (const [id, seen] of this.#paramKinds) {
      const path = this.#paramPaths.get(id) ?? [];
      const kind = seen === 'unknown' ? 'text' : seen;
      const typed = this.#paramFromText.has(id) && (kind === 'number' || kind === 'boolean');
      found.set(id, typed ? typedParamAttribute(path, kind) : pathAttribute('params', path, 'parameters', kind, (e) => e.params));
    }
    for (const name of this.#depNames) found.set(`dependencies.${name}`, fixed(`dependencies.${name}`, name, 'dependencies', 'text', (x) => x.dependencies?.find((y) => y.name === name)?.version));
    for (const k of this.#labelKeys) found.set(`labels.${k}`, fixed(`labels.${k}`, k, 'labels', 'text', (x) => x.labels?.[k]));
    for (const [id, { path, kind }] of this.#infoLeaves) found.set(id, fixed(id, `info.${path.join('.')}`, 'experiment', kind, (e) => leaf(walk(sacredOf(e)?.info, path))));
    if (this.#hasResult) found.set(RESULT_ID, fixed(RESULT_ID, 'Result', 'experiment', this.#resultKind ?? 'text', (e) => leaf(sacredOf(e)?.result)));
    for (const k of this.#envKeys) found.set(`host.env.${k}`, fixed(`host.env.${k}`, `env ${k}`, 'host', 'text', (x) => x.host?.env?.[k]));
    const builtins = BUILTIN_ATTRIBUTES.filter((a) => this.#used.has(a.id) || (DEFAULT_COLUMNS as readonly string[]).includes(a.id)).map((a) => withNow(a, this.#now));
    return [...builtins, ...found.values()];
  }
}

/**
 * Looks an attribute up by id, also for ids not (yet) in a catalogue: a `params.x.y` id reads
 * the nested parameter, `metrics.k.stat` the metric, `labels.k` the label.
 */
export function resolveAttribute(id: string, catalogue?: readonly Attribute[]): Attribute | undefined {
  const known = catalogue?.find((a) => a.id === id) ?? BUILTIN_BY_ID.get(id);
  if (known) return known;
  const [head, ...rest] = id.split('.');
  if (rest.length === 0) return undefined;
  if (head === 'params') return pathAttribute('params', rest, 'parameters', 'text', (e) => e.params);
  if (head === 'metrics') {
    const stat = rest[rest.length - 1] as string;
    if ((METRIC_STATS as readonly string[]).includes(stat) && rest.length > 1) return metricAttribute(rest.slice(0, -1).join('.'), stat as (typeof METRIC_STATS)[number]);
    return metricAttribute(rest.join('.'), 'last');
  }
  if (head === 'labels') return fixed(id, rest.join('.'), 'labels', 'text', (e) => e.labels?.[rest.join('.')]);
  if (head === 'dependencies') return fixed(id, rest.join('.'), 'dependencies', 'text', (e) => e.dependencies?.find((d) => d.name === rest.join('.'))?.version);
  if (head === 'host' || head === 'times' || head === 'git' || head === 'group' || head === 'source' || head === 'error') {
    return pathAttribute(head, rest, head === 'host' ? 'host' : head === 'git' ? 'git' : 'experiment', 'text', (e) => (head === 'git' ? e.git?.[0] : (e as unknown as Record<string, unknown>)[head]));
  }
  return undefined;
}
