import { css, html, nothing } from 'lit';
import type { Experiment, ExperimentSource } from '../../../data/types.js';
import '../../experiment-compare/experiment-compare.js';
import { dialogStyles } from './dialog.styles.js';

/** The comparison's rules, adopted when it loads (LazyParts). */
export const partStyles = [
  dialogStyles,
  css`
  dialog.compare {
    width: min(1100px, 94vw);
    max-width: none;
    max-height: 90vh;
  }
  `,
];

// Loaded with the comparison, when a user first compares runs.

/** The comparison of the selected runs, in a modal dialog. */
export function compareDialog(o: { experiments: Experiment[] | undefined; source: ExperimentSource | undefined; now: number | undefined; onClose: () => void }) {
  return html`<dialog class="compare" part="dialog compare-dialog" aria-label="Compare experiments" @close=${o.onClose}>
    <div class="dialog-head">
      <h2>Compare ${o.experiments?.length ?? 0} experiments</h2>
      <button type="button" @click=${o.onClose}>Close</button>
    </div>
    ${o.experiments ? html`<experiment-compare .experiments=${o.experiments} .source=${o.source} .now=${o.now}></experiment-compare>` : nothing}
  </dialog>`;
}
