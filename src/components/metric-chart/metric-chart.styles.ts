import { css } from 'lit';
import { tokenStyles } from '../tokens.styles.js';

export const metricChartStyles = css`
  ${tokenStyles}

  :host {
    display: block;
    min-width: 0;
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--_font-size);
  }

  :host([hidden]) {
    display: none;
  }

  .chart {
    display: flex;
    flex-direction: column;
    gap: var(--_space-2);
    min-width: 0;
  }

  .plot {
    position: relative;
    min-width: 0;
    width: 100%;
  }

  .plot[hidden] {
    display: none;
  }

  .plot .uplot {
    /* uPlot sizes itself in px; let the host's width decide instead. */
    width: 100%;
    font-family: inherit;
  }

  .status,
  .note,
  .empty {
    margin: 0;
    color: var(--_muted);
  }

  .error {
    margin: 0;
    color: var(--_danger);
  }

  .error button {
    margin-inline-start: calc(var(--_space) * 1.5);
    font: inherit;
  }

  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-1) 14px;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .legend li {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
    min-width: 0;
  }

  .swatch {
    flex: none;
    width: 12px;
    height: 3px;
    border-radius: 1px;
  }

  .legend .label {
    overflow-wrap: anywhere;
  }

  .legend .value {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }

  .cursor-x {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
`;
