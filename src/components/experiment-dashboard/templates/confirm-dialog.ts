import { css, html, nothing } from 'lit';
import { MAX_LABEL_LENGTH, clipText } from '../../../data/format.js';
import type { Experiment } from '../../../data/types.js';
import { nameOf } from './summary.js';

/** The confirmation's and the Undo line's rules (adopted with the delete code: delete-flow.ts). */
export const confirmStyles = css`
  .confirm-list {
    max-height: 12em;
    overflow: auto;
    overflow-wrap: anywhere;
  }
  dialog button.danger {
    background: var(--_failed);
    border-color: var(--_failed);
    color: var(--_bg);
  }
  .undo {
    display: flex;
    gap: 10px;
    align-items: center;
    margin: 6px 8px;
    padding: 6px 10px;
    border-radius: 4px;
    background: var(--_header-bg);
  }
`;

/** Names are data: cut, and isolated so right-to-left or override characters cannot reorder the question. */
const cut = (text: string): string => clipText(text, 300);

/**
 * The delete confirmation: what will be removed, from where, whether it can be brought back, and
 * the two choices. `restorable`: the source keeps deleted records (`restoreNote` says how).
 */
export function confirmDialog(o: {
  experiments: readonly Experiment[];
  sourceLabel?: string | undefined;
  restorable: boolean;
  restoreNote?: string | undefined;
  deleting: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const list = o.experiments;
  const n = list.length;
  const after = o.restorable ? (o.restoreNote ?? `You can restore ${n === 1 ? 'it' : 'them'} afterwards: Undo brings ${n === 1 ? 'it' : 'them'} back.`) : 'It cannot be undone.';
  const title = n === 1 ? html`Delete "<bdi>${cut(nameOf(list[0]!))}</bdi>"?` : `Delete ${n} experiments?`;
  return html`<dialog class="confirm" part="dialog" aria-labelledby="confirm-title" @cancel=${o.onCancel}>
    <h2 id="confirm-title">${title}</h2>
    <p>This removes ${n === 1 ? 'this experiment' : 'these experiments'} from ${o.sourceLabel ? html`<bdi>${cut(o.sourceLabel)}</bdi>` : 'the source'}. ${after}</p>
    <ul class="confirm-list">
      ${list.slice(0, 10).map((e) => html`<li><bdi>${cut(nameOf(e))}</bdi>${e.name && e.name !== e.id ? html` <span class="muted">(<bdi>${cut(e.id)}</bdi>)</span>` : nothing}</li>`)}
      ${n > 10 ? html`<li>and ${n - 10} more</li>` : nothing}
    </ul>
    <div class="dialog-buttons">
      <button type="button" @click=${o.onCancel} ?disabled=${o.deleting}>Cancel</button>
      <button type="button" class="danger" @click=${o.onConfirm} ?disabled=${o.deleting}>${o.deleting ? 'Deleting…' : n === 1 ? 'Delete' : `Delete ${n} experiments`}</button>
    </div>
  </dialog>`;
}

/** "Deleted … Undo" while a delete can be undone (waiting for its window, or restorable by the source). */
export function undoBar(experiments: readonly Experiment[], onUndo: () => void) {
  return html`<div part="undo" class="undo" role="status">
    <span>${experiments.length === 1 ? html`Deleted "<bdi>${clipText(nameOf(experiments[0]!), MAX_LABEL_LENGTH)}</bdi>".` : `Deleted ${experiments.length} experiments.`}</span>
    <button type="button" @click=${onUndo}>Undo</button>
  </div>`;
}
