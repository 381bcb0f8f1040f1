import { html } from 'lit';
import type { Attribute } from '../../../data/attributes.js';
import { STATUSES, type ColumnFilter, type Experiment } from '../../../data/types.js';
import '../../experiment-filter-editor/experiment-filter-editor.js';

// Loaded with the filter editor, on the first press of a column's filter button.

/** An enum-like attribute offers a pick list in its filter when it has at most this many values. */
const PICK_LIST_MAX = 30;

/** The values of a text, list or status attribute with their counts, most frequent first; none for a numeric or date one, or past PICK_LIST_MAX. */
export function distinctValues(attr: Attribute, experiments: readonly Experiment[]): { value: string; count: number }[] | undefined {
  if (attr.kind === 'number' || attr.kind === 'date') return undefined;
  const counts = new Map<string, number>();
  for (const e of experiments) {
    const v = attr.get(e);
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === undefined || x === null || x === '') continue;
      const k = String(x);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (counts.size > PICK_LIST_MAX && attr.kind !== 'enum') return undefined;
    }
  }
  if (attr.id === 'status') return STATUSES.map((s) => ({ value: s, count: counts.get(s) ?? 0 }));
  return [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count }));
}

/** A column's filter editor, with a pick list of the values the rows have. */
export function filterPopover(o: { attribute: Attribute; filter: ColumnFilter | undefined; experiments: readonly Experiment[]; onApply: (filter: ColumnFilter) => void; onClear: (attribute: string) => void; onCancel: () => void }) {
  return html`<experiment-filter-editor
    .attribute=${o.attribute}
    .filter=${o.filter}
    .values=${distinctValues(o.attribute, o.experiments)}
    @filter-apply=${(ev: CustomEvent<{ filter: ColumnFilter }>) => o.onApply(ev.detail.filter)}
    @filter-clear=${(ev: CustomEvent<{ attribute: string }>) => o.onClear(ev.detail.attribute)}
    @filter-cancel=${o.onCancel}
  ></experiment-filter-editor>`;
}
