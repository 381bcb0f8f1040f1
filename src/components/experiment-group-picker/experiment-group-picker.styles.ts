import { css } from 'lit';
import { elementBaseStyles } from '../tokens.styles.js';

/* Defaults follow the dashboard's light and dark palettes through the inherited color-scheme. */
export const groupPickerStyles = css`
  ${elementBaseStyles}

  :host {
    display: inline-block;
    max-width: 100%;
  }

  [part='base'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-2) var(--_space-3);
  }
  button,
  select {
    font: inherit;
    color: inherit;
  }
  select {
    max-width: 16em;
    padding: var(--_space-1) var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  [part='levels'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-2);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='level'] {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    max-width: 100%;
    padding: 0 var(--_space-1) 0 var(--_space-3);
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_bg);
  }
  .level-label {
    min-width: 0;
    margin-right: var(--_space-1);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .index {
    color: var(--_muted);
  }
  [part='level'] button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 20px;
    min-height: 20px;
    padding: 0 3px;
    border: 1px solid transparent;
    border-radius: 10px;
    background: transparent;
    line-height: 1.3;
    cursor: pointer;
  }
  [part='level'] button:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  [part='level'] button:disabled {
    cursor: default;
    opacity: 0.4;
  }

  /* Earlier / later point along the reading direction. */
  :host(:dir(rtl)) :is([data-action='earlier'], [data-action='later']) .svg-icon {
    transform: scaleX(-1);
  }
`;
