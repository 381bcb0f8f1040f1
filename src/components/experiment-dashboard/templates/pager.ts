import { css, html } from 'lit';

/** Adopted when the page controls load (LazyParts). */
export const partStyles = css`
  .pager {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 6px 8px;
  }
`;

/** Page controls in server-query mode: `page` is 0-based, `total` the server's count (`atLeast`: a lower bound, more follow). */
export function pager(o: { page: number; pageSize: number; total: number; atLeast?: boolean; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  return html`<nav class="pager" part="pager" aria-label="Pages">
    <button type="button" ?disabled=${o.page === 0} @click=${() => o.onPage(o.page - 1)}>Previous page</button>
    <span>Page ${o.page + 1} of ${o.atLeast ? 'at least ' : ''}${pages.toLocaleString('en-US')} · ${o.atLeast ? 'at least ' : ''}${o.total.toLocaleString('en-US')} experiments on the server</span>
    <button type="button" ?disabled=${!o.atLeast && o.page >= pages - 1} @click=${() => o.onPage(o.page + 1)}>Next page</button>
  </nav>`;
}
