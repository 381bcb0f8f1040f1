import { css } from 'lit';
import { tokenStyles } from '../tokens.styles.js';

/**
 * Tokens, tables, field lists and controls shared by the detail and the compare view (the
 * compare element adopts this sheet too, so both look alike).
 */
export const detailBaseStyles = css`
  ${tokenStyles}

  :host {
    --_diff-bg: var(--experiment-dashboard-diff-bg, color-mix(in srgb, #f5b800 24%, transparent));
    --_max-height: var(--experiment-dashboard-detail-max-height, 420px);
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: var(--_line-height);
    /* Inherited text settings of a table row around us must not leak in. */
    font-weight: normal;
    white-space: normal;
    text-align: start;
  }

  :host([hidden]) {
    display: none;
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }

  button {
    padding: 1px var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    cursor: pointer;
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  :is(button, input, select, a, [tabindex]):focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  input[type='search'] {
    min-width: 12em;
    padding: var(--_space-1) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }

  a {
    color: var(--_accent);
  }

  code,
  pre,
  .mono {
    font-family: var(--_mono);
    font-size: 0.95em;
  }

  table {
    width: 100%;
    border-collapse: collapse;
    /* Pages in quirks mode do not let tables inherit the font size. */
    font-size: inherit;
  }

  th,
  td {
    padding: 3px var(--_space-3);
    border-bottom: 1px solid var(--_border);
    text-align: start;
    vertical-align: top;
    overflow-wrap: anywhere;
  }

  thead th {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--_bg);
    font-weight: 600;
    white-space: nowrap;
  }

  tbody th {
    font-weight: normal;
  }

  td.num {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  /* A number's header sits over it, on the same right edge (the metrics' last five columns). */
  table.metrics thead th:nth-last-child(-n + 5) {
    text-align: end;
  }

  /*
   * Names (row headers: parameters, metrics, packages) keep their words whole: "break-word"
   * does not lower the column's minimum width, so the table gives the name its full width and
   * the values wrap instead. Only a name longer than 40 characters wraps, as a last resort.
   */
  tbody th {
    overflow-wrap: break-word;
    min-width: 6ch;
  }

  /* Parameters: the name and Copy columns as narrow as their content, the value takes the rest,
     so a value sits next to its name on a wide screen. */
  table.params tr > :is(:first-child, :last-child) {
    width: 1%;
  }

  tbody th > code {
    display: inline-block;
    max-width: 40ch;
  }

  /* A name (breakableName) wraps only at its <wbr> after . _ - /, never inside a word; a run of
     more than 40 characters without one may break anywhere rather than overflow. */
  .name {
    overflow-wrap: normal;
    word-break: normal;
  }

  .name.name-long {
    overflow-wrap: anywhere;
  }

  /* Copy, Download: one line, never squeezed into a column of letters. */
  .inline-action {
    flex-shrink: 0;
    white-space: nowrap;
  }

  .muted,
  .note {
    color: var(--_muted);
  }

  .note {
    margin: var(--_space-2) 0;
  }

  .error {
    color: var(--_danger);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 1.5) var(--_space-4);
    margin-bottom: calc(var(--_space) * 1.5);
  }

  .toolbar label {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-2);
  }

  .status-text {
    font-weight: 600;
  }

  .status-failed,
  .status-dead {
    color: var(--_danger);
  }

  .status-completed {
    color: var(--_success);
  }
`;

export const experimentRowDetailStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    max-height: var(--_max-height);
    min-height: 0;
    box-sizing: border-box;
  }

  .detail {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    min-height: 0;
  }

  .tabs {
    display: flex;
    flex: none;
    gap: var(--_space-1);
    overflow-x: auto;
    border-bottom: 1px solid var(--_border);
  }

  .tab {
    padding: var(--_space-2) calc(var(--_space) * 2.5);
    border: 0;
    border-bottom: 2px solid transparent;
    border-radius: 0;
    white-space: nowrap;
  }

  .tab[aria-selected='true'] {
    border-bottom-color: var(--_accent);
    font-weight: 600;
  }

  .tab .count {
    margin-inline-start: var(--_space-2);
    color: var(--_muted);
    font-size: 0.9em;
  }

  .panel {
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
    padding: var(--_space-3) var(--_space-1);
  }

  .fields {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 3px var(--_space-5);
    margin: 0;
  }

  .fields dt {
    color: var(--_muted);
  }

  .fields dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .fields dd .inline-action {
    margin-inline-start: calc(var(--_space) * 1.5);
  }

  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .tags li {
    padding: 0 calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: 999px;
  }

  .plain-list {
    margin: 0;
    padding-inline-start: 1.2em;
  }

  .notes {
    white-space: pre-wrap;
  }

  /* A parent or child run: a link-like button (it scrolls the dashboard to the run). */
  .run-link {
    padding: 0;
    border: none;
    color: var(--_accent);
    text-decoration: underline;
    text-align: start;
    overflow-wrap: anywhere;
  }

  .error-block {
    margin-top: calc(var(--_space) * 2.5);
  }

  /* After a value cut for display: how much is shown, and Copy / Download for the whole value. */
  .cut-note {
    margin-inline-start: 0.5em;
    font-family: var(--_font);
    white-space: normal;
  }

  /* Section titles are not headings: the detail is embedded under headings it does not know. */
  .section-title {
    margin: 0 0 var(--_space-2);
    font-size: 1em;
    font-weight: bold;
  }

  pre.trace,
  pre.stdout {
    max-height: 220px;
    margin: 0;
    padding: calc(var(--_space) * 1.5) var(--_space-3);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    white-space: pre;
  }

  .chart-box {
    margin-top: calc(var(--_space) * 2.5);
  }

  .repo + .repo {
    margin-top: calc(var(--_space) * 2.5);
  }

  .live {
    min-height: 1.4em;
    margin: calc(var(--_space) * 1.5) 0 0;
  }

  .live.error {
    color: var(--_danger);
  }

  details summary {
    cursor: pointer;
    margin-top: var(--_space-3);
  }
`;
