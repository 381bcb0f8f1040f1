import { css } from 'lit';

export const experimentCompareStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    max-height: var(--experiment-dashboard-compare-max-height, 640px);
    min-height: 0;
    box-sizing: border-box;
  }

  .compare {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    min-height: 0;
  }

  .compare > .toolbar {
    flex: none;
    padding-bottom: calc(var(--_space) * 1.5);
    border-bottom: 1px solid var(--_border);
  }

  .body {
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
  }

  section {
    margin-top: calc(var(--_space) * 2.5);
  }

  /* Titles are not headings: the element is embedded under headings it does not know. */
  .section-title {
    margin: 0 0 var(--_space-2);
    font-size: 1.05em;
    font-weight: bold;
  }

  .section-title .muted,
  .chart-title .muted {
    font-weight: normal;
    font-size: 0.9em;
    margin-inline-start: calc(var(--_space) * 1.5);
  }

  .chart-title {
    margin: var(--_space-3) 0 var(--_space-1);
    font-size: 1em;
    font-weight: bold;
  }

  /*
   * Every section is its own table; fixed column widths make the runs' columns line up from one
   * section to the next (the metrics' Plot column is taken out of the label column). Only a
   * label longer than its column wraps, so "Command" is never cut into "Comman/d".
   */
  table {
    --_label-col: clamp(10em, 42vw, 18em);
    --_run-col: 13em;
    --_plot-col: 3.5em;
    width: auto;
    min-width: 0;
  }

  th,
  td {
    box-sizing: border-box;
    width: var(--_run-col);
    min-width: var(--_run-col);
    max-width: var(--_run-col);
  }

  tr > :first-child {
    width: var(--_label-col);
    min-width: var(--_label-col);
    max-width: var(--_label-col);
  }

  /* The metrics table has a Plot column (a header without a status line) after the label. */
  .section-metrics table:has(thead th:nth-child(2):not(:has(.muted))) tr > :first-child {
    width: calc(var(--_label-col) - var(--_plot-col));
    min-width: calc(var(--_label-col) - var(--_plot-col));
    max-width: calc(var(--_label-col) - var(--_plot-col));
  }

  .section-metrics table:has(thead th:nth-child(2):not(:has(.muted))) tr > :nth-child(2) {
    width: var(--_plot-col);
    min-width: var(--_plot-col);
    max-width: var(--_plot-col);
  }

  /* The attribute name stays in view while the runs scroll sideways. */
  tbody th {
    position: sticky;
    left: 0;
    background: var(--_bg);
  }

  thead th:first-child {
    left: 0;
    z-index: 2;
  }

  /* A run's name wraps inside its column (at hyphens first) instead of running into the next. */
  thead th {
    white-space: normal;
    vertical-align: bottom;
  }

  thead th .muted {
    font-weight: normal;
  }

  tr.differs > * {
    background: var(--_diff-bg);
  }

  tr.differs > th {
    background: linear-gradient(var(--_diff-bg), var(--_diff-bg)), var(--_bg);
    box-shadow: inset 3px 0 0 var(--experiment-dashboard-diff-marker, #c78c00);
  }

  .marker {
    margin-inline-end: var(--_space-2);
    font-weight: 700;
  }

  td.missing {
    color: var(--_muted);
  }

  .switch {
    font-weight: 600;
  }

  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(320px, 1fr));
    gap: var(--_space-3) var(--_space-5);
  }
`;
