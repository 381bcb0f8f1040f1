import type { Host, ParamValue } from './types.js';

/**
 * Formatting shared by the detail, compare and table views. Pure functions, no DOM or Lit:
 * every result is plain text that a template binds as text.
 */

/** Shown in place of a value the record does not have. */
export const MISSING = '—';

/**
 * A duration in words a person reads at a glance: `850 ms`, `12.3 s`, `4 min 05 s`,
 * `2 h 03 min`, `3 d 4 h`. Empty text for a missing or negative duration.
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? (Math.floor(s * 10) / 10).toString() : Math.floor(s)} s`;
  const totalS = Math.floor(s);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${pad(totalS % 60)} s`;
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 24 * 60) return `${Math.floor(totalMin / 60)} h ${pad(totalMin % 60)} min`;
  const totalH = Math.floor(totalMin / 60);
  return `${Math.floor(totalH / 24)} d ${totalH % 24} h`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** A size in binary units: `512 B`, `1.5 KiB`, `16 GiB`. Empty text when missing. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  // Drop trailing zeros: "16 GiB", not "16.00 GiB".
  const text = Number(v.toFixed(digits)).toString();
  return `${text} ${BYTE_UNITS[i]}`;
}

export interface NumberFormatOptions {
  /** Significant digits kept for non-integers (default 6). */
  significantDigits?: number;
  /** BCP 47 locale for digit grouping (default `en-US`, so output does not depend on the machine). */
  locale?: string;
}

/**
 * A metric value: integers exactly with grouping (`12,345`), other numbers to 6 significant
 * digits (`0.934567`), very small or large magnitudes in exponent form (`1.23e-7`), and the
 * non-finite values as `NaN`, `∞`, `−∞`. Empty text when missing.
 */
export function formatNumber(value: number | undefined | null, options: NumberFormatOptions = {}): string {
  if (value === undefined || value === null) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '−∞';
  const digits = options.significantDigits ?? 6;
  const locale = options.locale ?? 'en-US';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) {
    return value.toExponential(Math.max(0, Math.min(digits, 21) - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return numberFormat(locale, Number.isInteger(value) ? undefined : digits).format(value);
}

/** Formatters by locale and digits: `toLocaleString` with options builds one per call (~1 µs). */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Integers (no `digits`) with no fraction, other numbers to `digits` significant digits. */
function numberFormat(locale: string, digits: number | undefined): Intl.NumberFormat {
  const key = `${locale}\u0001${digits ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, digits === undefined ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: digits });
    numberFormats.set(key, format);
  }
  return format;
}

export interface TimeFormatOptions {
  /** `utc` prints UTC with a `UTC` suffix; default `local` (the viewer's zone). */
  zone?: 'local' | 'utc';
}

/**
 * An ISO-8601 instant as `YYYY-MM-DD HH:MM:SS` (local time by default): sortable, unambiguous,
 * the same in every locale. Empty text for a missing or unreadable time.
 */
export function formatTime(iso: string | number | undefined, options: TimeFormatOptions = {}): string {
  if (iso === undefined || iso === '') return '';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const utc = options.zone === 'utc';
  const p = (n: number): string => String(n).padStart(2, '0');
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  return `${y}-${p(mo + 1)}-${p(day)} ${p(h)}:${p(mi)}:${p(s)}${utc ? ' UTC' : ''}`;
}

/** The mark that ends text cut for display. */
export const CUT_MARK = '…';

/**
 * Text for display, at most `max` characters: longer text is cut and ends with {@link CUT_MARK},
 * so a cut is always visible. A surrogate pair is never split. Experiment data can hold megabytes
 * in one string (captured output, a pasted file); shown whole it blocks the page while the
 * browser lays it out, and in a `<select>` option Chromium takes tens of seconds.
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${CUT_MARK}`;
}

/** Longest attribute label: labels come from data (parameter, metric, label and package names). */
export const MAX_LABEL_LENGTH = 100;

// Media types a browser would render as a document (and so run script in) when opened.
const ACTIVE_MEDIA_TYPE = /html|xml|svg|javascript|ecmascript/i;

export interface SafeHrefOptions {
  /** The link downloads a file (`<a download>`): only then may a `data:` URL be used. */
  download?: boolean;
}

/**
 * The URL to use as a link target, or undefined when it must not be a link.
 * Allowed: absolute `http:`, `https:` and `blob:` URLs; `data:` URLs only for a download of a
 * media type that is not a document (no HTML, XML, SVG or script). `javascript:`, `file:`,
 * `vbscript:`, relative paths and anything unparsable are refused: show those as text.
 * Returns the browser's normalised form, so what is checked is what gets followed.
 */
export function safeHref(url: string | URL | undefined | null, options: SafeHrefOptions = {}): string | undefined {
  if (url === undefined || url === null) return undefined;
  let parsed: URL;
  try {
    // No base: a relative URL would take its scheme from wherever the page happens to live.
    parsed = new URL(String(url));
  } catch {
    return undefined;
  }
  switch (parsed.protocol) {
    case 'http:':
    case 'https:':
    case 'blob:':
      return parsed.href;
    case 'data:': {
      if (!options.download) return undefined;
      const header = parsed.pathname.slice(0, Math.max(0, parsed.pathname.indexOf(',')));
      if (!parsed.pathname.includes(',')) return undefined;
      const mediaType = (header.split(';', 1)[0] ?? '').trim();
      return ACTIVE_MEDIA_TYPE.test(mediaType) ? undefined : parsed.href;
    }
    default:
      return undefined;
  }
}

/** One parameter leaf: its dotted name, its value and that value as text. */
export interface ParamRow {
  /** Dotted path, e.g. `optimizer.lr`, `layers.0.units`. */
  key: string;
  /** The leaf: a scalar, a list of scalars, or an empty object/list. */
  value: ParamValue;
  /** The value as the user reads it: strings as they are, everything else as JSON. */
  text: string;
}

const isScalar = (v: ParamValue): boolean => v === null || typeof v !== 'object';

/** A parameter value as text: a string unchanged, numbers in full precision, the rest as JSON. */
export function formatParamValue(value: ParamValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : formatNumber(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? '';
}

/**
 * Nested parameters as dotted rows, in the record's own order: `{optimizer: {lr: 0.1}}` gives
 * `optimizer.lr`. A list of scalars stays one value (`[64, 64]`); a list holding objects is
 * walked by index (`layers.0.units`); an empty object or list is kept as a row of its own.
 */
export function flattenParams(params: Record<string, ParamValue> | undefined, prefix = ''): ParamRow[] {
  const rows: ParamRow[] = [];
  if (!params) return rows;
  const walk = (value: ParamValue, key: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0 || value.every(isScalar)) rows.push({ key, value, text: formatParamValue(value) });
      else value.forEach((v, i) => walk(v, `${key}.${i}`));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) rows.push({ key, value, text: formatParamValue(value) });
      else for (const [k, v] of entries) walk(v, `${key}.${k}`);
    } else rows.push({ key, value, text: formatParamValue(value) });
  };
  for (const [k, v] of Object.entries(params)) walk(v, prefix ? `${prefix}.${k}` : k);
  return rows;
}

/** The last segment of a path or URL, as a download file name (`models/best.pt` -> `best.pt`). */
export function fileNameOf(name: string): string {
  const base = name.split(/[\\/]/).filter(Boolean).pop() ?? '';
  // Characters file systems refuse; the browser would replace them anyway, but less readably.
  const clean = base.replace(/[<>:"|?*]/g, '_').trim();
  return clean === '' || clean === '.' || clean === '..' ? 'download' : clean;
}

/**
 * The host facts a person compares, as labelled text, in a fixed order; absent ones left out.
 * GPU models are separate (`gpuModels`) because there may be several.
 */
export function describeHost(h: Host | undefined): [label: string, value: string][] {
  if (!h) return [];
  const python = [h.python?.version, h.python?.implementation ? `(${h.python.implementation})` : undefined].filter(Boolean).join(' ');
  const gpuCount = h.gpus?.count ?? h.gpus?.devices?.length;
  const fields: [string, string | undefined][] = [
    ['Hostname', h.hostname],
    ['Operating system', h.os?.system],
    ['Platform', h.os?.platform],
    ['CPU', h.cpu?.model],
    ['CPU cores', h.cpu?.cores !== undefined ? String(h.cpu.cores) : undefined],
    ['Memory', formatBytes(h.memoryBytes)],
    ['Python', python],
    ['Workspace version', h.workspaceVersion],
    ['GPUs', gpuCount !== undefined ? String(gpuCount) : undefined],
    ['GPU driver', h.gpus?.driverVersion],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
}

/** GPU models, identical ones counted: `2 × NVIDIA A100 (40 GiB)`. */
export function gpuModels(h: Host | undefined): string[] {
  const counts = new Map<string, number>();
  for (const d of h?.gpus?.devices ?? []) {
    const text = [d.model ?? 'Unknown model', d.memoryBytes !== undefined ? `(${formatBytes(d.memoryBytes)})` : ''].filter(Boolean).join(' ');
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, n]) => (n > 1 ? `${n} × ${text}` : text));
}
