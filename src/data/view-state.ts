import { isObject } from '../shared/guards.js';
import { FILTER_OPERATORS, type ColumnFilter, type SortSpec } from './types.js';

/**
 * Everything a user arranged in the table, as one serialisable object: it round-trips through
 * `getViewState()`/`setViewState()`, localStorage (`storage-key`) and the URL hash (`sync-url`),
 * so a view can be shared as a link.
 */
export interface ViewState {
  search: string;
  filters: ColumnFilter[];
  sort: SortSpec[];
  groupBy: string[];
  /** Visible column ids, in order. */
  columns: string[];
  /** Column widths in px by column id, for columns the user resized. */
  widths: Record<string, number>;
  /**
   * The main metric the user picked in the summary, `key:max` or `key:min` (absent: the
   * collection's, or one guessed from the metric names). The `main-metric` attribute wins over it.
   */
  mainMetric?: string;
}

const OPS = new Set<string>(FILTER_OPERATORS);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
const scalar = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

/**
 * Reads a view state from untrusted input (storage, a shared link), keeping every valid part and
 * naming what was dropped. Missing parts stay undefined so callers keep their current value.
 */
export function parseViewState(input: unknown): { state: Partial<ViewState>; problems: string[] } {
  const problems: string[] = [];
  const state: Partial<ViewState> = {};
  if (!isObject(input)) return { state, problems: ['the view is not an object'] };
  if (input.search !== undefined) {
    if (typeof input.search === 'string') state.search = input.search;
    else problems.push('search must be text');
  }
  if (input.filters !== undefined) {
    if (Array.isArray(input.filters)) {
      state.filters = [];
      input.filters.forEach((f, i) => {
        const ok = isObject(f) && typeof f.attribute === 'string' && typeof f.op === 'string' && OPS.has(f.op) && (f.value === undefined || scalar(f.value) || (Array.isArray(f.value) && f.value.every(scalar))) && (f.value2 === undefined || scalar(f.value2));
        if (ok) state.filters!.push(f as unknown as ColumnFilter);
        else problems.push(`filter ${i} is not a valid {attribute, op, value} and was dropped`);
      });
    } else problems.push('filters must be a list');
  }
  if (input.mainMetric !== undefined) {
    if (typeof input.mainMetric === 'string') state.mainMetric = input.mainMetric;
    else problems.push('mainMetric must be text like "val_loss:min"');
  }
  if (input.sort !== undefined) {
    if (Array.isArray(input.sort)) state.sort = input.sort.filter((s): s is SortSpec => isObject(s) && typeof s.attribute === 'string' && (s.dir === 'asc' || s.dir === 'desc'));
    else problems.push('sort must be a list');
  }
  for (const key of ['groupBy', 'columns'] as const) {
    if (input[key] === undefined) continue;
    const list = strings(input[key]);
    if (list) state[key] = list;
    else problems.push(`${key} must be a list of attribute ids`);
  }
  if (input.widths !== undefined) {
    if (isObject(input.widths)) state.widths = Object.fromEntries(Object.entries(input.widths).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0 && e[1] < 5000));
    else problems.push('widths must be an object of numbers');
  }
  return { state, problems };
}

const HASH_KEY = 'view';

/** The view as a URL-hash parameter value (`#view=...`), readable and short enough for a link. */
export function encodeViewHash(state: ViewState, currentHash = ''): string {
  // Other parameters already in the hash (a page's own routing) are kept.
  const params = new URLSearchParams(currentHash.replace(/^#/, ''));
  params.set(HASH_KEY, JSON.stringify(state));
  return `#${params.toString()}`;
}

/** The view stored in a URL hash, or undefined when there is none. */
export function decodeViewHash(hash: string): { state: Partial<ViewState>; problems: string[] } | undefined {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY);
  if (raw === null) return undefined;
  try {
    return parseViewState(JSON.parse(raw));
  } catch {
    return { state: {}, problems: ['the view in the link is not valid JSON'] };
  }
}
