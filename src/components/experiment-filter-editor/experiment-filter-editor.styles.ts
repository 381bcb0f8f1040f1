import { css } from 'lit';
import { elementBaseStyles } from '../tokens.styles.js';

/* Defaults follow the dashboard's light and dark palettes through the inherited color-scheme. */
export const filterEditorStyles = css`
  ${elementBaseStyles}

  :host {
    --_choices-height: var(--experiment-dashboard-filter-choices-height, 220px);

    display: block;
    background: var(--_bg);
  }

  [part='form'] {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 1.5);
    margin: 0;
  }
  [part='heading'] {
    margin: 0;
    font-size: 1.08em;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  input:not([type='checkbox']),
  select {
    min-width: 0;
    padding: var(--_space-1) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
  }
  input[aria-invalid='true'] {
    border-color: var(--_error);
  }
  input[type='checkbox'] {
    accent-color: var(--_accent);
    margin: 0;
  }
  button {
    padding: var(--_space-1) calc(var(--_space) * 2.5);
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  button:disabled {
    cursor: default;
    opacity: 0.45;
  }
  button.primary {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_bg);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  .row {
    display: grid;
    grid-template-columns: 5.5em minmax(0, 1fr);
    align-items: center;
    gap: calc(var(--_space) * 1.5);
  }
  .values {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 1.5);
  }
  .inline {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
    margin-left: calc(5.5em + 6px);
  }

  [part='choices'] {
    margin: 0;
    padding: var(--_space-2) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: 4px;
  }
  legend {
    padding: 0 var(--_space-1);
  }
  .choice-actions {
    display: flex;
    gap: calc(var(--_space) * 1.5);
    margin-bottom: var(--_space-2);
  }
  .choice-list {
    max-height: var(--_choices-height);
    overflow: auto;
    overscroll-behavior: contain;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .choice {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
    padding: 1px var(--_space-1);
    cursor: pointer;
  }
  .choice-label {
    flex: 1 1 auto;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .count {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }

  [part='message'] {
    min-height: 1.4em;
    margin: 0;
  }
  [part='message'].hint {
    color: var(--_muted);
  }
  [part='message'].error {
    color: var(--_error);
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 1.5);
  }
  .buttons [part='cancel'] {
    margin-left: auto;
  }
`;
