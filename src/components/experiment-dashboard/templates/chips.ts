import { css, html } from 'lit';
import { MAX_LABEL_LENGTH, clipText } from '../../../data/format.js';
import type { ColumnFilter } from '../../../data/types.js';
import { describeFilterParts } from '../../experiment-filter-editor/describe-filter.js';
import { iconClose } from '../../icons.js';

/** Adopted when the chips load (LazyParts). */
export const partStyles = css`
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 6px;
    list-style: none;
    margin: 0;
    padding: 0 8px 6px;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 2px 1px 8px;
    border: 1px solid var(--_accent);
    border-radius: 12px;
  }
  .chips .chip button {
    padding: 0 6px;
    border: none;
    background: transparent;
    font-weight: 700;
  }
`;

// Loaded with the first filter (with the filter wording it needs): showing rows does not need it.

/** The active filters as removable chips, and "Clear all". */
export function filterChips(o: { filters: readonly ColumnFilter[]; labelOf: (attribute: string) => string; onRemove: (attribute: string) => void; onClear: () => void }) {
  return html`<ul part="chips" class="chips" aria-label="Active filters">
    ${o.filters.map((f) => {
      // Data (label, values) cut and isolated: a right-to-left override must not reorder the chip.
      const parts = describeFilterParts(f, o.labelOf(f.attribute)).map((p) => (typeof p === 'string' ? p : { data: clipText(p.data, MAX_LABEL_LENGTH) }));
      const text = parts.map((p) => (typeof p === 'string' ? p : p.data)).join('');
      return html`<li class="chip">
        <span>${parts.map((p) => (typeof p === 'string' ? p : html`<bdi>${p.data}</bdi>`))}</span
        ><button type="button" aria-label=${`Remove filter ${text}`} @click=${() => o.onRemove(f.attribute)}>${iconClose}</button>
      </li>`;
    })}
    <li><button type="button" class="clear-all" @click=${o.onClear}>Clear all</button></li>
  </ul>`;
}
