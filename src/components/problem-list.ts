import { css, html, nothing, type TemplateResult } from 'lit';
import { formatProblem } from '../data/parse.js';
import type { Problem } from '../data/types.js';

/** Problems listed; the summary still counts them all. */
const SHOWN_PROBLEMS = 200;

/**
 * What was wrong with the data an element was given (records left out, fields dropped), as the
 * dashboard shows it: a closed `<details part="problems">` with a count and one line per problem.
 * Every text is bound as text.
 */
export function problemList(problems: readonly Problem[]): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  const errors = problems.filter((p) => p.severity === 'error').length;
  return html`<details part="problems">
    <summary>${problems.length} problem${problems.length === 1 ? '' : 's'} in the data: ${errors} record(s) left out</summary>
    <ul>
      ${problems.slice(0, SHOWN_PROBLEMS).map((p) => html`<li>${formatProblem(p)}</li>`)}
    </ul>
  </details>`;
}

/** The list in `<experiment-dashboard>`, in its palette; adopted when the list loads (LazyParts). */
export const partStyles = css`
  [part='problems'] {
    margin: 6px 8px;
    padding: 8px 10px;
    border-radius: 4px;
    background: var(--_warn-bg);
    color: var(--_warn-fg);
  }
  [part='problems'] ul {
    margin: 4px 0 0;
    padding-left: 18px;
    max-height: 8em;
    overflow: auto;
  }
`;

/** The look of {@link problemList} in the elements used on their own (the dashboard styles its own). */
export const problemListStyles = css`
  [part='problems'] {
    margin: 4px 0;
    padding: 6px 8px;
    border-radius: var(--experiment-dashboard-radius, 4px);
    background: var(--experiment-dashboard-warning-background, light-dark(#fff6e0, #3a2f12));
    color: var(--experiment-dashboard-warning-color, light-dark(#6b4a00, #f5d48a));
  }
  [part='problems'] ul {
    margin: 4px 0 0;
    padding-left: 18px;
    max-height: 8em;
    overflow: auto;
  }
`;
