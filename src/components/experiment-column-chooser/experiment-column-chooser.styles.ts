import { css } from 'lit';
import { elementBaseStyles } from '../tokens.styles.js';

/*
 * The defaults follow the dashboard's light and dark palettes through `light-dark()`: inside a
 * dark dashboard `color-scheme: dark` is inherited, so the popover matches without extra tokens.
 */
export const columnChooserStyles = css`
  ${elementBaseStyles}

  :host {
    --_list-height: var(--experiment-dashboard-column-list-height, 280px);

    display: block;
    background: var(--_bg);
  }

  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_space-3);
  }
  button,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    padding: var(--_space-1) var(--_space-3);
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
  input[type='checkbox'] {
    accent-color: var(--_accent);
    margin: 0;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  [part='search'] {
    width: 100%;
    padding: var(--_space-2) var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
  }

  .scroll {
    max-height: var(--_list-height);
    overflow: auto;
    overscroll-behavior: contain;
  }
  [part='attributes'] {
    border: 1px solid var(--_border);
    border-radius: 4px;
    padding: var(--_space-1) calc(var(--_space) * 1.5);
  }
  [part='category'] {
    margin: 0;
    padding: var(--_space-2) 0;
    border: 0;
  }
  [part='category'] + [part='category'] {
    border-top: 1px solid var(--_border);
  }
  legend {
    padding: 0;
    font-weight: 600;
  }
  .count {
    color: var(--_muted);
    font-weight: normal;
  }
  .options {
    list-style: none;
    margin: var(--_space-1) 0 0;
    padding: 0;
  }
  .option {
    display: flex;
    align-items: baseline;
    gap: calc(var(--_space) * 1.5);
    padding: 1px var(--_space-1);
    border-radius: 3px;
    cursor: pointer;
  }
  .option input {
    align-self: center;
    flex: none;
  }
  .option .text {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .id {
    color: var(--_muted);
    font-size: 0.86em;
  }
  .more,
  .hint,
  [part='empty'] {
    margin: var(--_space-2) 0;
    color: var(--_muted);
  }

  /* Not a heading: the chooser is embedded under headings it does not know. */
  .section-title {
    margin: 0 0 var(--_space-2);
    font-size: 1em;
    font-weight: bold;
  }
  .columns {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .column {
    display: flex;
    align-items: center;
    gap: var(--_space-2);
    padding: 1px var(--_space-1);
    border-radius: 3px;
    cursor: grab;
  }
  .column.dragging {
    opacity: 0.5;
  }
  .column.drop-before {
    box-shadow: inset 0 2px 0 var(--_accent);
  }
  .column.drop-after {
    box-shadow: inset 0 -2px 0 var(--_accent);
  }
  .handle {
    color: var(--_muted);
  }
  .column-label {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button.icon {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 24px;
    padding: 0 var(--_space-2);
    line-height: 1.4;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
  }
`;
