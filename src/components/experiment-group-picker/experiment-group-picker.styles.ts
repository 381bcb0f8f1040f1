import { css } from 'lit';

/* Defaults follow the dashboard's light and dark palettes through the inherited color-scheme. */
export const groupPickerStyles = css`
  :host {
    --_bg: var(--experiment-dashboard-background, light-dark(#ffffff, #14181f));
    --_fg: var(--experiment-dashboard-color, light-dark(#1d2430, #e3e8ef));
    --_muted: var(--experiment-dashboard-muted-color, light-dark(#5a6472, #a3adba));
    --_border: var(--experiment-dashboard-border-color, light-dark(#d5dae1, #323a46));
    --_accent: var(--experiment-dashboard-accent-color, light-dark(#1f5fbf, #8ab4f8));
    --_font: var(--experiment-dashboard-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--experiment-dashboard-font-size, 13px);

    display: inline-block;
    box-sizing: border-box;
    max-width: 100%;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.4;
    color: var(--_fg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  [part='base'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
  }
  button,
  select {
    font: inherit;
    color: inherit;
  }
  select {
    max-width: 16em;
    padding: 2px 4px;
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
    gap: 4px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='level'] {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    max-width: 100%;
    padding: 0 2px 0 8px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_bg);
  }
  .level-label {
    min-width: 0;
    margin-right: 2px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .index {
    color: var(--_muted);
  }
  [part='level'] button {
    min-width: 20px;
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
`;
