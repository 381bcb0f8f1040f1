import { formatTime } from '../../data/format.js';
import type { ColumnFilter, FilterOperator } from '../../data/types.js';

const SYMBOLS: Partial<Record<FilterOperator, string>> = { eq: '=', ne: '≠', gt: '>', ge: '≥', lt: '<', le: '≤' };
const WORDS: Partial<Record<FilterOperator, string>> = {
  before: 'before',
  after: 'after',
  on: 'on',
  contains: 'contains',
  notContains: 'does not contain',
  startsWith: 'starts with',
};
const QUOTED = new Set<FilterOperator>(['contains', 'notContains', 'startsWith']);
/** A date with a time of day: shown in local time, as the table shows it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** Values of `in` listed before "or N more". */
const MAX_LISTED = 4;

export interface DescribeFilterOptions {
  /** How one value reads. Default: status values capitalised as the badges show them, date-times in local time. */
  formatValue?: (value: string | number) => string;
}

/**
 * One filter value as it reads on a chip: status values capitalised as the badges show them,
 * date-times in local time as the table shows them, anything else as written.
 */
export function formatFilterValue(attribute: string, value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (attribute === 'status') return value.charAt(0).toUpperCase() + value.slice(1);
  if (DATE_TIME.test(value)) {
    const local = formatTime(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
    return local ? local.replace(/:00$/, '') : value;
  }
  return value;
}

/** A piece of a filter's description: our words as text, or data (a label or value) to isolate. */
export type FilterTextPart = string | { data: string };

const d = (data: string): FilterTextPart => ({ data });

/** `A`, `A or B`, `A, B or C`, `A, B, C, D or 3 more`. */
function joinOr(items: string[]): FilterTextPart[] {
  const list = (xs: string[]): FilterTextPart[] => xs.flatMap((x, i) => (i === 0 ? [d(x)] : [', ', d(x)]));
  if (items.length <= 1) return items.length === 0 ? [''] : [d(items[0] as string)];
  if (items.length > MAX_LISTED + 1) return [...list(items.slice(0, MAX_LISTED)), ` or ${items.length - MAX_LISTED} more`];
  return [...list(items.slice(0, -1)), ' or ', d(items[items.length - 1] as string)];
}

function listOf(filter: ColumnFilter): (string | number)[] {
  if (Array.isArray(filter.value)) return filter.value;
  if (filter.value === undefined) return [];
  // `in` also takes comma-separated text, as query.ts reads it.
  return typeof filter.value === 'string'
    ? filter.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [filter.value];
}

/**
 * A filter as the words on its chip: `Main metric ≥ 0.9`, `Started between 2024-05-01 and
 * 2024-05-31`, `Status is Completed or Failed`, `Name matches /res.*\/`, `Tags is empty`.
 */
export function describeFilter(filter: ColumnFilter, label: string, options: DescribeFilterOptions = {}): string {
  return describeFilterParts(filter, label, options)
    .map((p) => (typeof p === 'string' ? p : p.data))
    .join('');
}

/**
 * {@link describeFilter} in pieces, the label and values apart from the words around them, so a
 * template can isolate each (`<bdi>`): a right-to-left or override character in data must not
 * reorder the sentence.
 */
export function describeFilterParts(filter: ColumnFilter, label: string, options: DescribeFilterOptions = {}): FilterTextPart[] {
  const fmt = options.formatValue ?? ((value: string | number) => formatFilterValue(filter.attribute, value));
  const first = Array.isArray(filter.value) ? filter.value[0] : filter.value;
  const v = first === undefined ? '' : fmt(first);
  const l = d(label);
  const op = filter.op;
  switch (op) {
    case 'empty':
      return [l, ' is empty'];
    case 'notEmpty':
      return [l, ' is not empty'];
    case 'in': {
      const values = listOf(filter).map(fmt);
      return values.length === 0 ? [l, ' is one of (no values)'] : [l, ' is ', ...joinOr(values)];
    }
    case 'between': {
      const lo = filter.value === undefined ? undefined : v;
      const hi = filter.value2 === undefined ? undefined : fmt(filter.value2);
      if (lo !== undefined && hi !== undefined) return [l, ' between ', d(lo), ' and ', d(hi)];
      if (lo !== undefined) return [l, ' ≥ ', d(lo)];
      if (hi !== undefined) return [l, ' ≤ ', d(hi)];
      return [l, ': any value'];
    }
    case 'eq':
    case 'ne':
      // Text reads as words, numbers as symbols.
      if (typeof first === 'string') return [l, ` ${op === 'eq' ? 'is' : 'is not'} `, d(v)];
      return [l, ` ${SYMBOLS[op]} `, d(v)];
    case 'matches':
      return [l, ' matches /', d(v), '/'];
    default: {
      const symbol = SYMBOLS[op];
      if (symbol) return [l, ` ${symbol} `, d(v)];
      const word = WORDS[op] ?? op;
      return QUOTED.has(op) ? [l, ` ${word} "`, d(v), '"'] : [l, ` ${word} `, d(v)];
    }
  }
}
