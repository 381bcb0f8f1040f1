// One piece (~850 lines): the query model (validation, the compiled predicate, sorting, paging and
// the search text) is used as is by the browser and by the reference server, which loads this
// file through one esbuild entry.
import { isObject } from '../shared/guards.js';
import { PARENT_ATTRIBUTE, parentIdOf } from './parent.js';
import { durationMs, nextTask } from './parse.js';
import { MAX_PATTERN_LENGTH, compilePattern, loadPatternEngine, patternProblem } from './pattern.js';
import { FILTER_OPERATORS, type ColumnFilter, type Experiment, type FilterOperator, type Query, type SortSpec } from './types.js';

/**
 * Client-side evaluation of the serialisable {@link Query}: the same code filters, sorts and pages
 * records in the browser (sources without `serverQuery`) and in the reference server, so both
 * give the same answer. Pure TypeScript: no DOM, no Lit, no Tabulator.
 *
 * Records are treated as immutable: a changed experiment is a new object (the search text of a
 * record is cached by object identity).
 *
 * Semantics, shared by every operator:
 * - text comparisons ignore case;
 * - a list value (e.g. `tags`) matches when any element matches (`ne`, `notContains`: when none does);
 * - numbers stored as text (MLflow params) compare as numbers against a numeric filter value;
 * - dates are ISO-8601 UTC; a date-only filter value (`2024-05-01`) means that whole UTC day:
 *   `before` is before its start, `after` after its end, `on` within it, `between` includes both days;
 * - a missing value matches only `empty`, `ne` and `notContains`;
 * - `matches` patterns run in linear time (RE2, see pattern.ts): `await prepareQuery(query)`
 *   loads that engine, only for a query that has a `matches` filter, before the synchronous
 *   `compilePredicate` / `applyQuery` / `matchesQuery`.
 */

// Kept in types.ts (the view-state parser needs the list without the query code); exported here too.
export { FILTER_OPERATORS };
const OPERATOR_SET = new Set<string>(FILTER_OPERATORS);
const NO_VALUE_OPERATORS = new Set<FilterOperator>(['empty', 'notEmpty']);
const DATE_OPERATORS = new Set<FilterOperator>(['before', 'after', 'on']);
// The filter editor checks a pattern as it is typed with the same words the server answers with.
export { MAX_PATTERN_LENGTH, patternProblem };
const DAY_MS = 86_400_000;
const SEARCH_SEPARATOR = '\u0001';
/** Longest part of a single value that goes into the search text (think of captured stdout). */
const MAX_SEARCH_VALUE_LENGTH = 2000;

// ---- Attribute values ----

const pathCache = new Map<string, string[]>();

function splitPath(attributeId: string): string[] {
  let segments = pathCache.get(attributeId);
  if (!segments) {
    segments = attributeId.split('.');
    if (pathCache.size > 10_000) pathCache.clear();
    pathCache.set(attributeId, segments);
  }
  return segments;
}

function walk(node: unknown, segments: string[], i: number): unknown {
  if (i >= segments.length) return node;
  if (node === null || typeof node !== 'object') return undefined;
  const segment = segments[i] as string;
  if (Array.isArray(node)) {
    // `git.0.commit` indexes; `git.commit` reads the first entry, as the column shows it.
    return /^\d+$/.test(segment) ? walk(node[Number(segment)], segments, i + 1) : walk(node[0], segments, i);
  }
  const obj = node as Record<string, unknown>;
  if (Object.hasOwn(obj, segment)) {
    const found = walk(obj[segment], segments, i + 1);
    if (found !== undefined) return found;
  }
  // Keys may contain dots themselves (`metrics.val.loss.last` with a metric named `val.loss`).
  for (let j = segments.length; j > i + 1; j--) {
    const key = segments.slice(i, j).join('.');
    if (Object.hasOwn(obj, key)) {
      const found = walk(obj[key], segments, j);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The value of one attribute of a record, by dotted path: `params.optimizer.lr`,
 * `metrics.accuracy.last`, `host.gpus.count`, `git.commit` (= `git[0].commit`), `tags` (a list).
 * Derived ids read as the attribute catalogue shows them: `duration` (ms from start to stop, or
 * to now while running), `name` (falls back to the id), `mainMetric` (its value), `group` (its
 * name, else id), `host.gpus.model` (first device), `dependencies.<name>` (its version).
 */
export function getAttributeValue(e: Experiment, attributeId: string): unknown {
  // The catalogue's derived columns (src/data/attributes.ts) read the same here, so a server
  // filters and sorts them exactly as the table shows them.
  switch (attributeId) {
    case 'duration':
      return durationMs(e);
    case 'name':
      return e.name ?? e.id;
    case 'mainMetric':
      return e.mainMetric?.value;
    case 'group':
      return e.group?.name ?? e.group?.id;
    case 'host.gpus.model':
      return e.host?.gpus?.devices?.[0]?.model;
    case PARENT_ATTRIBUTE:
      // The parent's id: its name is known only where the parent's record is (a query over a
      // set of runs reads the name instead: readingParentNames).
      return parentIdOf(e);
  }
  if (attributeId.startsWith('dependencies.') && !/^dependencies\.\d+(\.|$)/.test(attributeId)) {
    const name = attributeId.slice('dependencies.'.length);
    return e.dependencies?.find((d) => d.name === name)?.version;
  }
  return walk(e, splitPath(attributeId), 0);
}

// ---- Search ----

/**
 * A record's search text, kept on the record itself under a symbol, not enumerable (so spreading
 * or copying a record never carries a stale text over): a property read is several times cheaper
 * than a WeakMap look-up, and a search reads it for every record. Records that cannot take a
 * property (frozen) use the WeakMap.
 */
const SEARCH_TEXT = Symbol('experiment-dashboard.searchText');
const searchKeys = new WeakMap<Experiment, string>();
type WithText = Experiment & { [SEARCH_TEXT]?: string };

/*
 * Shared segments. At 100,000 records the search text was the largest thing the dashboard kept
 * (~1,300 characters a record, 130 MB), and about a third of it repeated from record to record:
 * the host, the dependencies, the group, the operator, the error message are the same text in
 * thousands of records. The text of such a top-level field is kept once, as a segment, and a
 * record's search text refers to it by a 4-character code at its start:
 *
 *   \u0002 c1 c2 c3 (one per shared segment) \u0001 the record's own values, \u0001-separated
 *
 * The code characters are control characters (\u0003-\u001f), which search terms never contain
 * (searchTerms drops them), so a term can only match the record's own text or a segment's.
 * A field's values are shared while the field has at most SEGMENTS_PER_FIELD distinct texts (a
 * field with a value per record, like the times, stops being shared early on); at most
 * MAX_SEGMENTS in all, kept for the life of the page (their text is small by construction).
 */
const SEGMENT_MARK = 2;
const CODE_BASE = 29;
const CODE_FIRST = 3;
const MAX_SEGMENTS = CODE_BASE ** 3;
const SEGMENTS_PER_FIELD = 1024;
/** Shorter texts are cheaper inline than as a 4-character code. */
const MIN_SEGMENT_LENGTH = 8;
const segmentText: string[] = [];
/** Per top-level field, its shared texts; null once the field had too many distinct ones. */
const segmentsByField = new Map<string, Map<string, number> | null>();

function segmentCode(id: number): string {
  const c3 = id % CODE_BASE;
  const c2 = Math.floor(id / CODE_BASE) % CODE_BASE;
  const c1 = Math.floor(id / (CODE_BASE * CODE_BASE));
  return String.fromCharCode(SEGMENT_MARK, CODE_FIRST + c1, CODE_FIRST + c2, CODE_FIRST + c3);
}

/** The segment id of a field's text, or undefined when it stays in the record's own text. */
function sharedSegment(field: string, text: string): number | undefined {
  if (text.length < MIN_SEGMENT_LENGTH) return undefined;
  let table = segmentsByField.get(field);
  if (table === null) return undefined;
  if (!table) segmentsByField.set(field, (table = new Map()));
  const lower = text.toLowerCase();
  const id = table.get(lower);
  if (id !== undefined) return id;
  if (table.size >= SEGMENTS_PER_FIELD || segmentText.length >= MAX_SEGMENTS) {
    // A value per record (times, commits, artifacts): no sharing, and no more look-ups.
    segmentsByField.set(field, null);
    return undefined;
  }
  const next = segmentText.length;
  segmentText.push(lower);
  table.set(lower, next);
  return next;
}

function collectText(value: unknown, out: string[], inMetrics: boolean): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === 'string') {
    const v = value as string;
    out.push(v.length > MAX_SEARCH_VALUE_LENGTH ? v.slice(0, MAX_SEARCH_VALUE_LENGTH) : v);
    return;
  }
  if (t === 'number' || t === 'boolean' || t === 'bigint') {
    out.push(String(value));
    return;
  }
  if (t !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectText(value[i], out, false);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    // A metric's history is thousands of numbers nobody searches for; its ref is opaque.
    if (inMetrics && (k === 'history' || k === 'historyRef')) continue;
    collectText(obj[k], out, false);
  }
}

/** The compact search text of a record (shared segments by code), computed once per record object. */
function searchText(e: Experiment): string {
  let key = (e as WithText)[SEARCH_TEXT] ?? searchKeys.get(e);
  if (key === undefined) {
    let codes = '';
    const own: string[] = [];
    const parts: string[] = [];
    const rec = e as unknown as Record<string, unknown>;
    for (const k in rec) {
      const v = rec[k];
      parts.length = 0;
      if (k === 'metrics' && v && typeof v === 'object') {
        const metrics = v as Record<string, unknown>;
        // A value that is already in the text need not be there twice: within the metrics many
        // repeat (count = lastStep, last = max or min, the same count for every metric), ~100
        // characters a record.
        const seen = new Set<string>();
        const values: string[] = [];
        for (const mk in metrics) {
          // The metric's name is searchable too.
          parts.push(mk);
          values.length = 0;
          collectText(metrics[mk], values, true);
          for (const x of values) {
            if (seen.has(x)) continue;
            seen.add(x);
            parts.push(x);
          }
        }
      } else collectText(v, parts, false);
      if (parts.length === 0) continue;
      const text = parts.join(SEARCH_SEPARATOR);
      // Metrics and parameters are numbers that differ in every record: never shared.
      const id = k === 'metrics' || k === 'params' || k === 'id' || k === 'name' ? undefined : sharedSegment(k, text);
      if (id === undefined) own.push(text);
      else codes += segmentCode(id);
    }
    // One flat string: toLowerCase of the whole (codes are not letters) makes a sequential
    // string, where `codes + text` would make a cons string that the first search would flatten,
    // copying every record's text inside the filter (~90 MB and ~0.4 s at 100,000 records).
    key = (codes + SEARCH_SEPARATOR + own.join(SEARCH_SEPARATOR)).toLowerCase();
    if (Object.isExtensible(e)) Object.defineProperty(e, SEARCH_TEXT, { value: key, enumerable: false, writable: false, configurable: true });
    else searchKeys.set(e, key);
  }
  return key;
}

/** Calls `visit` with each shared segment id a compact search text refers to. */
function forEachSegment(text: string, visit: (id: number) => boolean | void): void {
  for (let i = 0; text.charCodeAt(i) === SEGMENT_MARK; i += 4) {
    const id = (text.charCodeAt(i + 1) - CODE_FIRST) * CODE_BASE * CODE_BASE + (text.charCodeAt(i + 2) - CODE_FIRST) * CODE_BASE + (text.charCodeAt(i + 3) - CODE_FIRST);
    if (visit(id) === true) return;
  }
}

/** Reads an attribute's value of a record for a filter or a sort (see {@link getAttributeValue}). */
export type ValueReader = (e: Experiment, attributeId: string) => unknown;

/**
 * The reader for a query over a whole set of runs: the Parent run compares by the parent's name,
 * as the table shows it, where the parent is among `experiments` (its id otherwise). A server
 * holds every run, so a filter picked from the column's names finds the same runs there as in
 * the browser. Only a query naming the Parent run pays for the map of names.
 */
export function readingParentNames(experiments: readonly Experiment[], query: Query): ValueReader {
  const named = (query.filters ?? []).some((f) => f.attribute === PARENT_ATTRIBUTE) || (query.sort ?? []).some((s) => s.attribute === PARENT_ATTRIBUTE);
  if (!named) return getAttributeValue;
  const names = new Map<string, string>();
  for (const e of experiments) if (e.name) names.set(e.id, e.name);
  return parentNameReader((id) => names.get(id));
}

/** A reader where the Parent run is the parent's name (`nameOf`), or its id when the name is unknown. */
export function parentNameReader(nameOf: (id: string) => string | undefined): ValueReader {
  return (e, attributeId) => {
    if (attributeId !== PARENT_ATTRIBUTE) return getAttributeValue(e, attributeId);
    const id = parentIdOf(e);
    return id === undefined ? undefined : (nameOf(id) ?? id);
  };
}

/**
 * Every value of a record as one lowercase string, values joined by `\u0001` (so a search term
 * never spans two values). Metric histories are left out. Built from the compact form the
 * search keeps per record (see the shared segments above): use it to see what a search reads.
 */
export function searchKey(e: Experiment): string {
  const text = searchText(e);
  const shared: string[] = [];
  forEachSegment(text, (id) => void shared.push(segmentText[id] as string));
  const own = text.slice(text.indexOf(SEARCH_SEPARATOR) + 1);
  return shared.length === 0 ? own : own === '' ? shared.join(SEARCH_SEPARATOR) : `${own}${SEARCH_SEPARATOR}${shared.join(SEARCH_SEPARATOR)}`;
}

/**
 * One search term, tested against compact search texts: whether a shared segment contains the
 * term is decided once per segment (0 not yet known, 1 no, 2 yes), not once per record. The
 * record's own text is searched after its codes.
 */
function termMatcher(term: string): (e: Experiment) => boolean {
  const probe = rarestCharacter(term);
  let state = new Uint8Array(Math.max(64, segmentText.length));
  for (let id = 0; id < segmentText.length; id++) state[id] = (segmentText[id] as string).includes(term) ? 2 : 1;
  const inSegment = (id: number): boolean => {
    if (id >= state.length) {
      const grown = new Uint8Array(Math.max(id + 1, state.length * 2));
      grown.set(state);
      state = grown;
    }
    if (state[id] === 0) state[id] = (segmentText[id] ?? '').includes(term) ? 2 : 1;
    return state[id] === 2;
  };
  return (e) => {
    const text = searchText(e);
    let i = 0;
    while (text.charCodeAt(i) === SEGMENT_MARK) {
      const id = (text.charCodeAt(i + 1) - CODE_FIRST) * CODE_BASE * CODE_BASE + (text.charCodeAt(i + 2) - CODE_FIRST) * CODE_BASE + (text.charCodeAt(i + 3) - CODE_FIRST);
      if (id < state.length && state[id] === 1) {
        i += 4;
        continue;
      }
      if (inSegment(id)) return true;
      i += 4;
    }
    // Most records do not contain the term: a one-character search for its rarest character
    // (memchr, skipping through the text) turns most of them away before the full comparison.
    if (probe !== undefined && !text.includes(probe, i)) return false;
    return text.includes(term, i);
  };
}

/**
 * Characters of search text from most to least frequent, counted in typical records (numbers,
 * ids, ISO times, paths); characters not listed are rarer still.
 */
const FREQUENT_CHARACTERS = '0aet.ri2p1-cnlos4653m 78dug9/bhfxy:zv_qwk';

/** The term's least frequent character, as a quick pre-check; none for one-character terms. */
function rarestCharacter(term: string): string | undefined {
  if (term.length < 2) return undefined;
  let best: string | undefined;
  let bestRank = -1;
  for (const ch of term) {
    const i = FREQUENT_CHARACTERS.indexOf(ch);
    const rank = i < 0 ? FREQUENT_CHARACTERS.length : i;
    if (rank > bestRank) {
      best = ch;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Builds the search text of every record ahead of the first search, in slices that leave the
 * page responsive (a slice yields after ~8 ms). Stops when the signal aborts. While `hurry()`
 * is true (someone is waiting for it) slices are ~40 ms, still no long task, and yield through
 * a message rather than a timer, which the browser clamps to 4 ms after a few in a row.
 */
export async function prepareSearch(experiments: readonly Experiment[], signal?: AbortSignal, options: { hurry?: () => boolean } = {}): Promise<void> {
  let i = 0;
  while (i < experiments.length) {
    if (signal?.aborted) return;
    const hurry = options.hurry?.() === true;
    const until = performance.now() + (hurry ? 40 : 8);
    while (i < experiments.length && performance.now() < until) {
      for (const end = Math.min(i + 200, experiments.length); i < end; i++) searchText(experiments[i] as Experiment);
    }
    await (hurry ? nextTask() : new Promise<void>((r) => setTimeout(r, 0)));
  }
}

/** Splits search text into lowercase terms; `"quoted words"` stay one term. */
export function searchTerms(search: string | undefined): string[] {
  if (!search) return [];
  const terms: string[] = [];
  // Control characters are dropped: nobody types them, and the compact search text uses them.
  for (const m of search.toLowerCase().replace(/[\u0000-\u001f]/g, ' ').matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = m[1] ?? m[2];
    if (term) terms.push(term);
  }
  return terms;
}

// ---- Filters ----

interface Operand {
  raw: string | number;
  text: string;
  num?: number;
  /** Epoch ms of the start of the value (a date-only value starts its UTC day). */
  time?: number;
  /** Set for a date-only value: epoch ms of the end of its day (exclusive). */
  dayEnd?: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function toNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return v;
  const s = v.trim();
  if (NUMERIC.test(s)) return Number(s);
  if (s === 'NaN') return Number.NaN;
  if (s === 'Infinity' || s === '+Infinity') return Number.POSITIVE_INFINITY;
  if (s === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

function parseTime(v: string): number | undefined {
  const s = v.trim();
  if (!ISO_LIKE.test(s)) return undefined;
  // Times without an offset are UTC, as everywhere in format v1.
  const withZone = DATE_ONLY.test(s) ? `${s}T00:00:00Z` : /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

function operand(raw: string | number): Operand {
  const o: Operand = { raw, text: String(raw).toLowerCase() };
  const num = toNumber(raw);
  if (num !== undefined) o.num = num;
  if (typeof raw === 'string') {
    const time = parseTime(raw);
    if (time !== undefined) {
      o.time = time;
      if (DATE_ONLY.test(raw.trim())) o.dayEnd = time + DAY_MS;
    }
  } else if (Number.isFinite(raw)) o.time = raw;
  return o;
}

function valueTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return parseTime(v);
  return undefined;
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object' && v !== null) return JSON.stringify(v).toLowerCase();
  return String(v).toLowerCase();
}

function scalarEquals(v: unknown, o: Operand): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return o.num !== undefined && (v === o.num || (Number.isNaN(v) && Number.isNaN(o.num)));
  if (typeof v === 'string') {
    if (v.toLowerCase() === o.text) return true;
    if (o.num !== undefined && NUMERIC.test(v.trim())) return Number(v) === o.num;
    if (o.time !== undefined && o.dayEnd === undefined) return parseTime(v) === o.time;
    return false;
  }
  return valueText(v) === o.text;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Negative, zero or positive; undefined when the two cannot be ordered (missing, NaN). */
function scalarCompare(v: unknown, o: Operand, bound: 'start' | 'end'): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') {
    if (o.num === undefined || Number.isNaN(v) || Number.isNaN(o.num)) return undefined;
    return v === o.num ? 0 : v < o.num ? -1 : 1;
  }
  if (typeof v === 'boolean') return o.num === undefined ? collator.compare(String(v), o.text) : Number(v) - o.num;
  if (typeof v === 'string') {
    if (o.time !== undefined && ISO_LIKE.test(v)) {
      const t = parseTime(v);
      if (t !== undefined) {
        // A date-only bound covers its whole day: `le 2024-05-01` includes the evening of May 1.
        const ref = bound === 'end' && o.dayEnd !== undefined ? o.dayEnd - 1 : o.time;
        return t === ref ? 0 : t < ref ? -1 : 1;
      }
    }
    if (o.num !== undefined && NUMERIC.test(v.trim())) {
      const n = Number(v);
      return n === o.num ? 0 : n < o.num ? -1 : 1;
    }
    return collator.compare(v, String(o.raw));
  }
  return undefined;
}

type Predicate = (v: unknown) => boolean;

/** Positive operators match a list when any element does; negative ones when none does. */
function anyOf(test: Predicate): Predicate {
  return (v) => (Array.isArray(v) ? v.some(test) : test(v));
}

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function filterValues(f: ColumnFilter): (string | number)[] {
  if (Array.isArray(f.value)) return f.value;
  if (f.value === undefined) return [];
  // `in` also takes comma-separated text, as typed into a header filter.
  return f.op === 'in' && typeof f.value === 'string' ? f.value.split(',').map((s) => s.trim()).filter(Boolean) : [f.value];
}

function firstValue(f: ColumnFilter): string | number | undefined {
  return Array.isArray(f.value) ? f.value[0] : f.value;
}

function compileFilter(f: ColumnFilter, read: ValueReader): (e: Experiment) => boolean {
  const value = firstValue(f);
  const o = value === undefined ? undefined : operand(value);
  let test: Predicate;
  switch (f.op) {
    case 'empty':
      return (e) => isEmptyValue(read(e, f.attribute));
    case 'notEmpty':
      return (e) => !isEmptyValue(read(e, f.attribute));
    case 'ne': {
      if (!o) return () => true;
      const eq = anyOf((v) => scalarEquals(v, o));
      return (e) => !eq(read(e, f.attribute));
    }
    case 'notContains': {
      if (!o) return () => true;
      const has = anyOf((v) => v !== null && v !== undefined && valueText(v).includes(o.text));
      return (e) => !has(read(e, f.attribute));
    }
    case 'eq':
      if (!o) return () => true;
      test = (v) => scalarEquals(v, o);
      break;
    case 'in': {
      const operands = filterValues(f).map(operand);
      test = (v) => operands.some((x) => scalarEquals(v, x));
      break;
    }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (!o) return () => true;
      const op = f.op;
      test = (v) => {
        const c = scalarCompare(v, o, op === 'gt' || op === 'le' ? 'end' : 'start');
        if (c === undefined) return false;
        return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
      };
      break;
    }
    case 'between': {
      const lo = o;
      const hi = f.value2 === undefined ? undefined : operand(f.value2);
      if (!lo && !hi) return () => true;
      test = (v) => {
        if (lo) {
          const c = scalarCompare(v, lo, 'start');
          if (c === undefined || c < 0) return false;
        }
        if (hi) {
          const c = scalarCompare(v, hi, 'end');
          if (c === undefined || c > 0) return false;
        }
        return true;
      };
      break;
    }
    case 'before':
    case 'after':
    case 'on': {
      if (o?.time === undefined) return () => false;
      const start = o.time;
      const end = o.dayEnd ?? o.time + 1;
      const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
      const op = f.op;
      test = (v) => {
        const t = valueTime(v);
        if (t === undefined) return false;
        if (op === 'before') return t < start;
        if (op === 'after') return t >= end;
        return t >= dayStart && t < dayStart + DAY_MS;
      };
      break;
    }
    case 'contains':
      if (!o) return () => true;
      test = (v) => v !== null && v !== undefined && valueText(v).includes(o.text);
      break;
    case 'startsWith':
      if (!o) return () => true;
      test = (v) => v !== null && v !== undefined && valueText(v).startsWith(o.text);
      break;
    case 'matches': {
      if (!o) return () => true;
      // Half-typed patterns (`[a-`) match as plain text rather than throwing at every keystroke.
      const matches = compilePattern(String(o.raw));
      test = (v) => v !== null && v !== undefined && matches(typeof v === 'string' ? v : valueText(v));
      break;
    }
    default:
      // Unknown operators are reported by validateQuery; here they match nothing.
      return () => false;
  }
  const matches = anyOf(test);
  return (e) => matches(read(e, f.attribute));
}

/**
 * Loads what {@link compilePredicate} needs for this query, once: the linear-time pattern engine
 * (~46 KB gzip) when a filter uses `matches`. Resolves at once for any other query, so callers
 * can always await it before compiling. Without a query it loads what any query may need (a
 * server does that at start; its `validateQuery` then also reports what the engine refuses).
 */
export async function prepareQuery(query?: Query): Promise<void> {
  const filters = query?.filters;
  if (!query || (Array.isArray(filters) && filters.some((f) => isObject(f) && f.op === 'matches' && f.value !== undefined))) await loadPatternEngine();
}

/**
 * The query as one predicate, compiled once (patterns, operands): use it for many records.
 * A query with a `matches` filter needs `await prepareQuery(query)` first (else this throws).
 */
export function compilePredicate(query: Query, read: ValueReader = getAttributeValue): (e: Experiment) => boolean {
  const terms = searchTerms(query.search).map(termMatcher);
  const filters = (query.filters ?? []).map((f) => compileFilter(f, read));
  if (terms.length === 0 && filters.length === 0) return () => true;
  return (e) => {
    for (const t of terms) if (!t(e)) return false;
    for (const f of filters) if (!f(e)) return false;
    return true;
  };
}

/** True when the record matches the query's search text and every column filter (see {@link prepareQuery}). */
export function matchesQuery(e: Experiment, query: Query): boolean {
  return compilePredicate(query)(e);
}

// ---- Sort ----

/** Rank of a value's type: numbers, then text, then booleans; missing and NaN always last. */
function sortRank(v: unknown): number {
  if (typeof v === 'number') return Number.isNaN(v) ? 9 : 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (v === null || v === undefined) return 10;
  return 3;
}

function sortable(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = sortRank(a);
  const rb = sortRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  // Numbers logged as text (MLflow params): "0.001" before "0.01", "64" before "128".
  if (ra === 1) return NUMERIC.test(a as string) && NUMERIC.test(b as string) ? Number(a) - Number(b) : collator.compare(a as string, b as string);
  if (ra === 2) return Number(a) - Number(b);
  if (ra === 3) return collator.compare(String(a), String(b));
  return 0;
}

/** Sorts a copy, stable; missing values (and NaN) go last whatever the direction. */
export function sortExperiments(experiments: readonly Experiment[], sort: readonly SortSpec[], read: ValueReader = getAttributeValue): Experiment[] {
  if (sort.length === 0) return experiments.slice();
  const keyed = experiments.map((e, i) => ({ e, i, keys: sort.map((s) => sortable(read(e, s.attribute))) }));
  keyed.sort((x, y) => {
    for (let k = 0; k < sort.length; k++) {
      const a = x.keys[k];
      const b = y.keys[k];
      const ra = sortRank(a);
      const rb = sortRank(b);
      if (ra >= 9 || rb >= 9) {
        if (ra !== rb) return ra - rb;
        continue;
      }
      const c = compareValues(a, b);
      if (c !== 0) return sort[k]?.dir === 'desc' ? -c : c;
    }
    return x.i - y.i;
  });
  return keyed.map((k) => k.e);
}

// ---- Paging ----

/** `nextToken` of an offset. Opaque to clients: only the code that issued it reads it. */
export function encodePageToken(offset: number): string {
  return `o${offset}`;
}

/** The offset a `nextToken` stands for, or undefined when it is not one of ours. */
export function decodePageToken(token: string): number | undefined {
  const m = /^o(\d{1,12})$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

export interface QueryResult {
  /** The requested page (all matches when the query has no `page`). */
  experiments: Experiment[];
  /** Number of matches before paging. */
  total: number;
  /** Token of the following page, when there is one. */
  nextToken?: string;
}

/** Filters (search + column filters), sorts and slices one page, as a server would (see {@link prepareQuery}). */
export function applyQuery(experiments: readonly Experiment[], query: Query): QueryResult {
  const read = readingParentNames(experiments, query);
  const predicate = compilePredicate(query, read);
  const matched = experiments.filter(predicate);
  const sorted = query.sort && query.sort.length > 0 ? sortExperiments(matched, query.sort, read) : matched;
  const total = sorted.length;
  const page = query.page;
  if (!page || !(page.size > 0)) return { experiments: sorted, total };
  const offset = page.token !== undefined ? (decodePageToken(page.token) ?? 0) : Math.max(0, Math.floor(page.index ?? 0)) * page.size;
  const slice = sorted.slice(offset, offset + page.size);
  const result: QueryResult = { experiments: slice, total };
  if (offset + page.size < total) result.nextToken = encodePageToken(offset + page.size);
  return result;
}

// ---- Validation and the URL form (shared by the HTTP source and the reference server) ----

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v));

/**
 * Checks a query that came from outside (a URL, a saved view). Returns one message per problem,
 * each naming the filter and what to change; an empty list means the query is usable.
 */
export function validateQuery(query: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(query)) return ['the query must be an object {search, filters, sort, page}'];
  if (query.search !== undefined && typeof query.search !== 'string') problems.push('search must be text');
  if (query.filters !== undefined) {
    if (!Array.isArray(query.filters)) problems.push('filters must be an array of {attribute, op, value, value2}');
    else
      query.filters.forEach((f: unknown, i) => {
        const where = `filter ${i + 1}`;
        if (!isObject(f)) {
          problems.push(`${where} must be an object {attribute, op, value, value2}`);
          return;
        }
        const label = typeof f.attribute === 'string' ? `${where} (${f.attribute} ${String(f.op)})` : where;
        if (typeof f.attribute !== 'string' || f.attribute === '') problems.push(`${where}: "attribute" must be an attribute id such as metrics.accuracy.last`);
        if (typeof f.op !== 'string' || !OPERATOR_SET.has(f.op)) {
          problems.push(`${label}: unknown operator ${JSON.stringify(f.op)}; use one of ${FILTER_OPERATORS.join(', ')}`);
          return;
        }
        const op = f.op as FilterOperator;
        const values = Array.isArray(f.value) ? f.value : f.value === undefined ? [] : [f.value];
        if (!values.every(isScalar)) problems.push(`${label}: the value must be text, a number, or a list of them`);
        if (f.value2 !== undefined && !isScalar(f.value2)) problems.push(`${label}: value2 must be text or a number`);
        if (NO_VALUE_OPERATORS.has(op)) return;
        if (op === 'between') {
          if (f.value === undefined && f.value2 === undefined) problems.push(`${label}: give a lower bound (value), an upper bound (value2), or both`);
          return;
        }
        if (values.length === 0) {
          problems.push(`${label}: a value is required`);
          return;
        }
        const first = values[0];
        if (DATE_OPERATORS.has(op) && !(typeof first === 'number' || (typeof first === 'string' && parseTime(first) !== undefined))) {
          problems.push(`${label}: ${JSON.stringify(first)} is not a date; write it as 2024-05-01 or 2024-05-01T12:00:00Z`);
        }
        if (op === 'matches' && typeof first === 'string') {
          const problem = patternProblem(first);
          if (problem) problems.push(`${label}: ${problem}`);
        }
      });
  }
  if (query.sort !== undefined) {
    if (!Array.isArray(query.sort)) problems.push('sort must be an array of {attribute, dir}');
    else
      query.sort.forEach((s: unknown, i) => {
        if (!isObject(s) || typeof s.attribute !== 'string' || s.attribute === '') problems.push(`sort ${i + 1}: give an attribute id`);
        else if (s.dir !== 'asc' && s.dir !== 'desc') problems.push(`sort ${i + 1} (${s.attribute}): the direction must be asc or desc, found ${JSON.stringify(s.dir)}`);
      });
  }
  if (query.page !== undefined) {
    const p = query.page;
    if (!isObject(p)) problems.push('page must be {size, token} or {size, index}');
    else {
      if (typeof p.size !== 'number' || !Number.isInteger(p.size) || p.size < 1) problems.push(`the page size must be a whole number of at least 1, found ${JSON.stringify(p.size)}`);
      if (p.index !== undefined && (typeof p.index !== 'number' || !Number.isInteger(p.index) || p.index < 0)) problems.push(`the page number must be a whole number from 0, found ${JSON.stringify(p.index)}`);
      if (p.token !== undefined && (typeof p.token !== 'string' || decodePageToken(p.token) === undefined)) problems.push(`the cursor ${JSON.stringify(p.token)} was not issued by this server; start again from the first page`);
    }
  }
  return problems;
}

/**
 * The URL form of a query (the REST contract in `openapi/experiment-dashboard.openapi.yaml`):
 * `search`, `filters` (JSON array of ColumnFilter), `sort` (repeatable `attribute:asc|desc`),
 * `pageSize`, and `cursor` (a nextToken) or `page` (0-based index).
 */
export function queryToSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.filters && query.filters.length > 0) params.set('filters', JSON.stringify(query.filters));
  for (const s of query.sort ?? []) params.append('sort', `${s.attribute}:${s.dir}`);
  if (query.page) {
    params.set('pageSize', String(query.page.size));
    if (query.page.token !== undefined) params.set('cursor', query.page.token);
    else if (query.page.index !== undefined) params.set('page', String(query.page.index));
  }
  return params;
}

/** Reads the URL form back; `problems` says what is wrong, in words for an HTTP 400 answer. */
export function queryFromSearchParams(params: URLSearchParams, defaultPageSize?: number): { query: Query; problems: string[] } {
  const problems: string[] = [];
  const query: Query = {};
  const search = params.get('search');
  if (search) query.search = search;
  const filters = params.get('filters');
  if (filters !== null && filters !== '') {
    try {
      query.filters = JSON.parse(filters) as ColumnFilter[];
    } catch {
      problems.push('filters must be a JSON array such as [{"attribute":"status","op":"eq","value":"running"}]');
    }
  }
  const sort = params.getAll('sort').filter(Boolean);
  if (sort.length > 0) {
    query.sort = sort.map((s) => {
      const colon = s.lastIndexOf(':');
      const dir = colon < 0 ? 'asc' : s.slice(colon + 1);
      return { attribute: colon < 0 ? s : s.slice(0, colon), dir } as SortSpec;
    });
  }
  const size = params.get('pageSize');
  const cursor = params.get('cursor');
  const page = params.get('page');
  if (size !== null || cursor !== null || page !== null || defaultPageSize !== undefined) {
    const p: NonNullable<Query['page']> = { size: size === null ? (defaultPageSize ?? 100) : /^\d+$/.test(size) ? Number(size) : Number.NaN };
    if (cursor !== null) p.token = cursor;
    else if (page !== null) p.index = /^\d+$/.test(page) ? Number(page) : Number.NaN;
    query.page = p;
  }
  if (problems.length === 0) problems.push(...validateQuery(query));
  return { query, problems };
}
