import { html, nothing, type TemplateResult } from 'lit';
import type { Attribute } from '../../../data/attributes.js';

export interface ToolbarOptions {
  search: string;
  onSearch: (text: string) => void;
  /** "Preparing search…", "12 of 40 shown", or nothing. */
  matchCount: string;
  attributes: readonly Attribute[];
  groupBy: readonly string[];
  onGroupBy: (groupBy: string[]) => void;
  onAllGroupsOpen: (open: boolean) => void;
  /** The Import button, when the source takes files. */
  importButton: TemplateResult | typeof nothing;
  /** Which of the toolbar's menus is open. */
  open: 'export' | 'columns' | undefined;
  onMenu: (kind: 'export' | 'columns', anchor: HTMLElement) => void;
  /** Checked rows, and those of them the filters leave. */
  selected: number;
  selectedShown: number;
  onCompare: () => void;
  onClearSelection: () => void;
  /** Set when the source can delete. */
  onDeleteSelected: (() => void) | undefined;
  onKeydown: (ev: KeyboardEvent) => void;
}

/** The row of controls above the table: search, grouping, import, export, columns, selection. */
export function toolbar(o: ToolbarOptions) {
  const menu = (kind: 'export' | 'columns') => (ev: Event) => o.onMenu(kind, ev.currentTarget as HTMLElement);
  return html`<div part="toolbar" role="toolbar" aria-label="Experiment table controls" @keydown=${o.onKeydown}>
    <div class="toolbar-search">
      <input
        part="search"
        type="search"
        aria-label="Search experiments"
        placeholder="Search experiments"
        .value=${o.search}
        @input=${(ev: Event) => o.onSearch((ev.target as HTMLInputElement).value)}
      />
      <span class="match-count" aria-live="polite">${o.matchCount}</span>
    </div>
    <div class="toolbar-group">
      <experiment-group-picker
        .availableAttributes=${o.attributes}
        .value=${o.groupBy}
        @group-by-change=${(ev: CustomEvent<{ groupBy: string[] }>) => o.onGroupBy(ev.detail.groupBy)}
      ></experiment-group-picker>
      ${o.groupBy.length > 0
        ? html`<button type="button" @click=${() => o.onAllGroupsOpen(true)}>Expand all</button
            ><button type="button" @click=${() => o.onAllGroupsOpen(false)}>Collapse all</button>`
        : nothing}
    </div>
    <div class="toolbar-actions">
      ${o.importButton}
      <button type="button" class="export-button" aria-haspopup="menu" aria-expanded=${o.open === 'export'} @click=${menu('export')}>Export</button>
      <button type="button" class="columns-button" aria-haspopup="dialog" aria-expanded=${o.open === 'columns'} @click=${menu('columns')}>Columns</button>
      ${o.selected > 0
        ? html`<button type="button" class="compare-button" ?disabled=${o.selected < 2} @click=${o.onCompare}>Compare (${o.selectedShown})</button
            ><button type="button" @click=${o.onClearSelection}>Clear selection</button>`
        : nothing}
      ${o.onDeleteSelected && o.selected > 0
        ? html`<button type="button" class="delete-selected" @click=${o.onDeleteSelected}>Delete selected (${o.selectedShown})</button>`
        : nothing}
    </div>
  </div>`;
}
