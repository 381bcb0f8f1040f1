import { html, nothing } from 'lit';

/** Why no row shows: nothing to read, nothing read, or everything filtered out. */
export type EmptyReason = 'no-source' | 'no-experiments' | 'filtered';

/** The message that says why the table is empty and what to do about it. */
export function emptyState(reason: EmptyReason | undefined, onClearFilters: () => void) {
  if (!reason) return nothing;
  if (reason === 'filtered') {
    return html`<div part="empty">No experiment matches the search and filters. <button type="button" class="clear-filters" @click=${onClearFilters}>Clear filters</button></div>`;
  }
  return html`<div part="empty">
    ${reason === 'no-source'
      ? html`Point the element at data: <code>src</code>, <code>endpoint</code>, <code>database</code>, <code>mlflow</code> or <code>.experiments</code>.`
      : 'No experiments in this source yet.'}
  </div>`;
}
