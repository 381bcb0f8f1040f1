import { css } from 'lit';

/**
 * The lines above the table that say a state and offer an action (offline, "Updated … ago" with
 * Pause, an interrupted import, Undo), adopted with the part that shows one.
 */
export const statusLineStyles = css`
  /* Live state: the offline line, "Updated … ago" with Pause, the note on a partial query. */
  .connection,
  .live,
  .pending-import {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
    margin: 6px 8px;
    padding: 4px 10px;
    border-radius: 4px;
  }
  .connection,
  .pending-import {
    background: var(--_warn-bg);
    color: var(--_warn-fg);
  }
  .connection p,
  .pending-import p {
    margin: 0;
  }
  .undo button,
  .connection button,
  .live button,
  .pending-import button {
    padding: 2px 10px;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
    color: var(--_fg);
    cursor: pointer;
  }
`;
