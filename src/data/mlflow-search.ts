import type { ColumnFilter, Query, SortSpec } from './types.js';

/**
 * A {@link Query} in MLflow's search grammar (`runs/search`'s `filter` and `order_by`), and what
 * of it MLflow cannot say. Checked against a real MLflow 3.3 server: the recorded answers to 78
 * filters and 12 orderings are in test/fixtures/mlflow-rest-recorded/.
 */

/** What of a {@link Query} MLflow's own search grammar can do. */
export interface MlflowSearch {
  /** The `filter` of `runs/search`: clauses joined by `AND`; empty when nothing translates. */
  filter: string;
  /** The `order_by` of `runs/search`, e.g. `metrics.accuracy DESC`. */
  orderBy: string[];
  /**
   * The parts of the query MLflow cannot do exactly, which run in the browser over what it sends:
   * the attribute id of each such filter, `search` for the search text, `sort` for the sort.
   * Empty when MLflow's answer is the query's answer, so it can page on the server.
   */
  local: string[];
}

const DAY_MS = 86_400_000;

// ---- Query -> MLflow search grammar ----
//
// A clause is sent only when it keeps every run the query's own predicate would keep. When every
// part of the query is sent exactly (`exact`), MLflow's answer is the query's answer and MLflow
// pages; otherwise the server part only narrows what is fetched and the browser finishes the
// query over it (applyQuery), with the leftover parts named in `local`.

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$/;

/** MLflow run statuses by our status; `dead` is a RUNNING run that went silent. */
const MLFLOW_STATUS: Record<string, string> = {
  completed: 'FINISHED',
  failed: 'FAILED',
  running: 'RUNNING',
  dead: 'RUNNING',
  queued: 'SCHEDULED',
  interrupted: 'KILLED',
};

/** A key as MLflow's grammar reads it: bare when simple, else in backticks; undefined when it cannot be written. */
function mlflowKey(key: string): string | undefined {
  if (key === '') return undefined;
  if (SIMPLE_KEY.test(key)) return key;
  if (key.includes('`')) return undefined;
  return `\`${key}\``;
}

/** A number as the grammar's lexer reads one (`1e-7`, not `1e+21`). */
function numberLiteral(n: number): string {
  return String(n).replace('e+', 'e');
}

function finiteNumber(v: string | number | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  return undefined;
}

/**
 * Text as a `LIKE` pattern that matches at least what the text matches, on every MLflow store:
 * quotes, backslashes and regular-expression characters become `_` (any one character), because
 * MLflow does not unescape quoted values, SQL stores treat `\` as an escape, and the file store
 * turns the pattern into a regular expression. Non-ASCII characters become `_` too, so no store's
 * idea of their upper and lower case can drop a run. `%` and `_` stay wildcards; the client refines.
 */
function likeLiteral(text: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return text.replace(/[^A-Za-z0-9 _%\-.,:;/@#~!&=<>]/gu, '_');
}

/** One filter in MLflow's grammar: `exact` when MLflow keeps exactly the runs the filter keeps. */
interface Translated {
  clauses: string[];
  exact: boolean;
}
const NONE: Translated = { clauses: [], exact: false };
const exactly = (...clauses: string[]): Translated => ({ clauses, exact: true });

interface TimeOperand {
  start: number;
  /** End of the day (exclusive) for a date-only value. */
  dayEnd?: number;
}

function timeOperand(v: string | number | undefined): TimeOperand | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { start: v } : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!ISO_LIKE.test(s)) return undefined;
  if (DATE_ONLY.test(s)) {
    const start = Date.parse(`${s}T00:00:00Z`);
    return Number.isNaN(start) ? undefined : { start, dayEnd: start + DAY_MS };
  }
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const start = Date.parse(withZone);
  return Number.isNaN(start) ? undefined : { start };
}

const firstValue = (f: ColumnFilter): string | number | undefined => (Array.isArray(f.value) ? f.value[0] : f.value);
const listValues = (f: ColumnFilter): (string | number)[] =>
  Array.isArray(f.value) ? f.value : f.value === undefined ? [] : typeof f.value === 'string' && f.op === 'in' ? f.value.split(',').map((v) => v.trim()) : [f.value];

function metricClauses(key: string, f: ColumnFilter): Translated {
  const lhs = `metrics.${key}`;
  const n = finiteNumber(firstValue(f));
  switch (f.op) {
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
    case 'eq': {
      if (n === undefined) return NONE;
      const op = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '=' }[f.op];
      return exactly(`${lhs} ${op} ${numberLiteral(n)}`);
    }
    case 'between': {
      const hi = finiteNumber(f.value2);
      const out: string[] = [];
      if (n !== undefined) out.push(`${lhs} >= ${numberLiteral(n)}`);
      if (hi !== undefined) out.push(`${lhs} <= ${numberLiteral(hi)}`);
      return { clauses: out, exact: n !== undefined && (hi !== undefined || f.value2 === undefined) };
    }
    default:
      // `!=` in MLflow drops runs without the metric, which the filter keeps.
      return NONE;
  }
}

/**
 * Params, tags and run names are text in MLflow; our text comparisons ignore case: `ILIKE`,
 * exact when the value needs no replacement in the pattern and is not a number or a time (which
 * match other spellings of themselves: "1e-3" = 0.001).
 */
function textClauses(lhs: string, f: ColumnFilter): Translated {
  const v = firstValue(f);
  if (v === undefined) return NONE;
  const text = String(v);
  const pattern = likeLiteral(text);
  if (pattern === undefined) return NONE;
  const clean = pattern === text && !/[%_]/.test(text);
  switch (f.op) {
    case 'eq':
      if (finiteNumber(v) !== undefined || typeof v === 'number' || timeOperand(v) !== undefined) return NONE;
      return { clauses: [`${lhs} ILIKE '${pattern}'`], exact: clean };
    case 'contains':
      return { clauses: [`${lhs} ILIKE '%${pattern}%'`], exact: clean };
    case 'startsWith':
      return { clauses: [`${lhs} ILIKE '${pattern}%'`], exact: clean };
    default:
      return NONE;
  }
}

function statusClauses(f: ColumnFilter): Translated {
  const lhs = 'attributes.status';
  if (f.op === 'eq' || f.op === 'in') {
    const wanted = listValues(f).map((v) => String(v).trim().toLowerCase());
    const statuses = new Set(wanted.map((v) => MLFLOW_STATUS[v]));
    // MLflow compares a status with one value only (lists are for run ids).
    const only = statuses.size === 1 ? [...statuses][0] : undefined;
    if (!only) return NONE;
    // RUNNING is both running and dead: which one is judged here.
    const both = wanted.includes('running') && wanted.includes('dead');
    return { clauses: [`${lhs} = '${only}'`], exact: only !== 'RUNNING' || both };
  }
  if (f.op === 'ne') {
    const s = String(firstValue(f) ?? '').toLowerCase();
    // RUNNING covers both running and dead: excluding it would drop runs the other one keeps.
    const mlflow = s === 'running' || s === 'dead' ? undefined : MLFLOW_STATUS[s];
    return mlflow ? exactly(`${lhs} != '${mlflow}'`) : NONE;
  }
  return NONE;
}

function startTimeClauses(f: ColumnFilter): Translated {
  const lhs = 'attributes.start_time';
  const o = timeOperand(firstValue(f));
  const ms = (n: number): string => String(Math.floor(n));
  if (!o && f.op !== 'between') return NONE;
  const at = o as TimeOperand;
  switch (f.op) {
    case 'gt':
      return exactly(`${lhs} > ${ms(at.dayEnd !== undefined ? at.dayEnd - 1 : at.start)}`);
    case 'ge':
      return exactly(`${lhs} >= ${ms(at.start)}`);
    case 'lt':
    case 'before':
      return exactly(`${lhs} < ${ms(at.start)}`);
    case 'le':
      return exactly(`${lhs} <= ${ms(at.dayEnd !== undefined ? at.dayEnd - 1 : at.start)}`);
    case 'after':
      return exactly(`${lhs} >= ${ms(at.dayEnd ?? at.start + 1)}`);
    case 'on': {
      const day = Math.floor(at.start / DAY_MS) * DAY_MS;
      return exactly(`${lhs} >= ${ms(day)}`, `${lhs} < ${ms(day + DAY_MS)}`);
    }
    case 'eq':
      return at.dayEnd === undefined ? exactly(`${lhs} = ${ms(at.start)}`) : NONE;
    case 'between': {
      const hi = timeOperand(f.value2);
      const out: string[] = [];
      if (o) out.push(`${lhs} >= ${ms(o.start)}`);
      if (hi) out.push(`${lhs} <= ${ms(hi.dayEnd !== undefined ? hi.dayEnd - 1 : hi.start)}`);
      return { clauses: out, exact: o !== undefined && (hi !== undefined || f.value2 === undefined) };
    }
    default:
      return NONE;
  }
}

/** Run ids: `=` and MLflow's one list comparison, `IN`. */
function idClauses(f: ColumnFilter): Translated {
  const ids = listValues(f).map(String);
  if (ids.length === 0 || ids.some((id) => !/^[A-Za-z0-9_-]+$/.test(id))) return NONE;
  if (f.op === 'eq' && ids.length === 1) return exactly(`attributes.run_id = '${ids[0]}'`);
  if (f.op === 'in') return exactly(`attributes.run_id IN (${ids.map((id) => `'${id}'`).join(', ')})`);
  return NONE;
}

function filterClauses(f: ColumnFilter): Translated {
  const a = f.attribute;
  if (a === 'status') return statusClauses(f);
  if (a === 'times.started') return startTimeClauses(f);
  // A run without a name shows its id as name; MLflow has named every run since 2.0.
  if (a === 'name') return textClauses('attributes.run_name', f);
  if (a === 'id') return idClauses(f);
  if (a.startsWith('metrics.') && a.endsWith('.last')) {
    const key = mlflowKey(a.slice('metrics.'.length, -'.last'.length));
    return key ? metricClauses(key, f) : NONE;
  }
  if (a.startsWith('params.')) {
    const key = mlflowKey(a.slice('params.'.length));
    return key ? textClauses(`params.${key}`, f) : NONE;
  }
  if (a.startsWith('labels.')) {
    const key = mlflowKey(a.slice('labels.'.length));
    return key ? textClauses(`tags.${key}`, f) : NONE;
  }
  return NONE;
}

/**
 * A sort key in MLflow's `order_by`. Metrics and times order as the client does (missing and NaN
 * last either way); run names in MLflow's collation, which may order upper and lower case
 * differently. Params and tags are not sent: MLflow sorts them as text, so `64` would follow `256`.
 */
function orderTerm(s: SortSpec): string | undefined {
  const dir = s.dir === 'desc' ? 'DESC' : 'ASC';
  const a = s.attribute;
  let lhs: string | undefined;
  if (a === 'times.started') lhs = 'attributes.start_time';
  else if (a === 'times.stopped') lhs = 'attributes.end_time';
  else if (a === 'name') lhs = 'attributes.run_name';
  else if (a.startsWith('metrics.') && a.endsWith('.last')) {
    const key = mlflowKey(a.slice('metrics.'.length, -'.last'.length));
    if (key) lhs = `metrics.${key}`;
  }
  return lhs ? `${lhs} ${dir}` : undefined;
}

/**
 * The part of a query MLflow's `runs/search` can do itself (`filter`, `order_by`), and what is
 * left for the browser (`local`). The server part only narrows what is fetched, never changes
 * the answer.
 */
export function toMlflowSearch(query: Query): MlflowSearch {
  const clauses: string[] = [];
  const local: string[] = [];
  if ((query.search ?? '').trim() !== '') local.push('search');
  for (const f of query.filters ?? []) {
    const t = filterClauses(f);
    clauses.push(...t.clauses);
    if (!t.exact) local.push(f.attribute);
  }
  const orderBy: string[] = [];
  const sort = query.sort ?? [];
  for (const s of sort) {
    const term = orderTerm(s);
    if (!term) break;
    orderBy.push(term);
  }
  // A sort MLflow cannot do whole is done in the browser; the keys it can still decide which runs
  // a limited read gets first.
  if (orderBy.length < sort.length) local.push('sort');
  return { filter: clauses.join(' AND '), orderBy, local };
}

