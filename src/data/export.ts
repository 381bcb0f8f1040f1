import { collectionToJson } from './sample-data.js';
import type { Experiment, ExperimentCollection } from './types.js';

/**
 * Exports: a CSV table of experiments, and the static HTML report (one self-contained file that
 * opens from `file://`, offline). Pure functions: no DOM, no `fs`; they run in the browser and in
 * Node 20 (the `report` command).
 */

// ---- CSV ----

/** One CSV column: the attribute catalogue's `Attribute` fits (`id`, `label`, `get`). */
export interface CsvColumn {
  id: string;
  label: string;
  get(e: Experiment): unknown;
}

export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark (U+FEFF), which Excel needs to read non-ASCII text as
   * UTF-8. Default false: other readers show it as a stray character in the first header.
   */
  bom?: boolean;
}

// A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A value as a CSV cell's text; `fromText` says whether a spreadsheet must not evaluate it. */
function cellText(value: unknown): { text: string; fromText: boolean } {
  if (value === null || value === undefined) return { text: '', fromText: false };
  // Finite numbers stay numbers (a negative one is not a formula); NaN and the infinities have
  // no spreadsheet spelling, so they are written, and guarded, as text.
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value), fromText: false } : { text: String(value), fromText: true };
  if (typeof value === 'boolean' || typeof value === 'bigint') return { text: String(value), fromText: false };
  if (typeof value === 'string') return { text: value, fromText: true };
  if (Array.isArray(value)) return { text: value.map((v) => (typeof v === 'string' ? v : collectionJson(v))).join(', '), fromText: true };
  return { text: collectionJson(value), fromText: true };
}

const collectionJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? '';

/** One field: formula-neutralised when it came from text, quoted per RFC 4180 when needed. */
function csvField(value: unknown): string {
  const { text, fromText } = cellText(value);
  const safe = fromText && FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The experiments as CSV (RFC 4180: comma-separated, CRLF line ends, fields with `"`, `,` or a
 * line break quoted, `"` doubled), one header row of column labels. Text that a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`; numbers are
 * written as numbers, lists joined with `, `, objects as JSON.
 */
export function toCsv(experiments: readonly Experiment[], columns: readonly CsvColumn[], options: CsvOptions = {}): string {
  const lines: string[] = [columns.map((c) => csvField(c.label)).join(',')];
  for (const e of experiments) lines.push(columns.map((c) => csvField(c.get(e))).join(','));
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

// ---- HTML report ----

export interface ReportInput {
  collection: ExperimentCollection;
  /** The text of `dist/experiment-dashboard.bundle.js`: it is inlined, never linked. */
  bundleText: string;
  /** Shown as the page title and heading (as text). Default "Experiment report". */
  title?: string;
  /** When the report was made (ISO-8601); default the collection's `generatedAt`, else now. */
  generatedAt?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * Script text that cannot end its `<script>` element early: `</script` becomes `<\/script`
 * (the same string to JavaScript, in literals and regular expressions alike) and `<!--` becomes
 * `\x3C!--`, which would otherwise switch the HTML parser into its "escaped" script state.
 */
export function escapeInlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
}

/**
 * JSON that can sit inside `<script type="application/json">`: every `<` is written `\u003c`
 * (so no `</script>` or `<!--` can appear), and U+2028/U+2029 escaped for good measure.
 * Non-finite numbers are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` of format v1.
 */
export function inlineJson(collection: ExperimentCollection): string {
  return collectionToJson(collection).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** `sha256-<base64>` of the text as UTF-8, the form a CSP hash source takes (Web Crypto: browser and Node 20). */
export async function cspHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return `sha256-${btoa(binary)}`;
}

// The page's own layout: the dashboard fills the window under a one-line heading.
const REPORT_CSS =
  'html,body{height:100%;margin:0}' +
  'body{display:flex;flex-direction:column;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}' +
  'header{padding:8px 16px;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline;border-bottom:1px solid #d0d7de}' +
  'h1{font-size:18px;margin:0;font-weight:600}' +
  'header p{margin:0;color:#57606a}' +
  'experiment-dashboard{flex:1 1 auto;min-height:0}' +
  '@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}header{border-color:#30363d}header p{color:#8b949e}}';

/**
 * One self-contained HTML document: the dashboard bundle inlined as a module script, the
 * collection inlined as JSON inside `<experiment-dashboard>`, no URL to anything outside the file.
 * It opens from `file://`, offline, under its own strict Content-Security-Policy (see the
 * comment written into the document). Async because the CSP hashes come from Web Crypto.
 */
export async function buildReportHtml(input: ReportInput): Promise<string> {
  const title = input.title?.trim() || 'Experiment report';
  const generatedAt = input.generatedAt ?? input.collection.generatedAt ?? new Date().toISOString();
  const collection: ExperimentCollection = { ...input.collection, generatedAt: input.collection.generatedAt ?? generatedAt };
  const script = escapeInlineScript(input.bundleText);
  const [scriptHash, styleHash] = await Promise.all([cspHash(script), cspHash(REPORT_CSS)]);
  const csp = [
    "default-src 'none'",
    `script-src '${scriptHash}'`,
    `style-src '${styleHash}'`,
    'img-src data: blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const count = collection.experiments.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<!--
  Content-Security-Policy of this report: it needs nothing outside this file.
  - default-src 'none': no fetch, font, frame, worker, object or media from anywhere.
  - script-src '<sha256>': only the one inline module script below (the dashboard bundle),
    allowed by its SHA-256 hash; no other script, no eval.
  - style-src '<sha256>': only the page-layout <style> below, by its hash. The components style
    themselves with constructed style sheets (adoptedStyleSheets) and set sizes through the
    CSSOM (element.style), which a CSP does not restrict: no other style sheet is allowed.
  - img-src data: blob:: images the dashboard draws itself (charts, inlined artifacts).
  - connect-src 'none': the data is inline; the report never calls a server.
  - base-uri 'none', form-action 'none': no way to redirect relative links or submit forms.
  frame-ancestors and sandbox cannot be set from a <meta> element; serve the file with those
  headers if it is hosted rather than opened from disk.
-->
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="experiment-dashboard report">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${count.toLocaleString('en-US')} experiment${count === 1 ? '' : 's'} · generated <time datetime="${escapeHtml(generatedAt)}">${escapeHtml(generatedAt)}</time></p></header>
<experiment-dashboard theme="auto"><script type="application/json">${inlineJson(collection)}</script></experiment-dashboard>
<script type="module" data-experiment-dashboard-bundle>${script}</script>
</body>
</html>
`;
}
