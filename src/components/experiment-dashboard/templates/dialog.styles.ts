import { css } from 'lit';

/** The look of the element's dialogs (delete confirmation, comparison), adopted with either. */
export const dialogStyles = css`
  dialog {
    max-width: min(520px, 92vw);
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
  }
  .dialog-head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 8px;
  }
  dialog h2 {
    margin: 0 0 8px;
    font-size: 1.15em;
    overflow-wrap: anywhere;
  }
  .dialog-buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
`;
