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
    padding-bottom: 6px;
    border-bottom: 1px solid var(--_border);
  }

  .body {
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
  }

  section {
    margin-top: 10px;
  }

  /* Titles are not headings: the element is embedded under headings it does not know. */
  .section-title {
    margin: 0 0 4px;
    font-size: 1.05em;
    font-weight: bold;
  }

  .section-title .muted,
  .chart-title .muted {
    font-weight: normal;
    font-size: 0.9em;
    margin-inline-start: 6px;
  }

  .chart-title {
    margin: 8px 0 2px;
    font-size: 1em;
    font-weight: bold;
  }

  table {
    width: auto;
    min-width: 100%;
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
    margin-inline-end: 4px;
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
    gap: 8px 16px;
  }
`;
