/* One stylesheet (~540 lines) for the element's shadow root: Tabulator's overrides, the frozen
 * columns, the phone layout and both themes depend on one cascade order, so they stay together.
 * The rules of a part that loads on demand (chips, menus, dialogs, pager, live and import lines,
 * problem list, child runs) come with its code (`partStyles`) and are adopted after this sheet
 * when it loads (controllers/lazy-parts.ts). Moving later in the cascade changed nothing: no such
 * rule ties on specificity with a rule here that came after it and styles the same element. */
import { css } from 'lit';

/** Out of sight, still read by screen readers (`.visually-hidden`, and words shown as icons only). */
const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

/** The dark palette, for `theme="dark"` and for `theme="auto"` on a dark system. */
const darkTheme = css`
  --_bg: var(--experiment-dashboard-background, #14181f);
  --_fg: var(--experiment-dashboard-color, #e3e8ef);
  --_muted: var(--experiment-dashboard-muted-color, #a3adba);
  --_border: var(--experiment-dashboard-border-color, #323a46);
  --_header-bg: var(--experiment-dashboard-header-background, #1d232c);
  --_row-alt: var(--experiment-dashboard-row-alt-background, #181d25);
  --_hover: var(--experiment-dashboard-row-hover-background, #233046);
  --_accent: var(--experiment-dashboard-accent-color, #8ab4f8);
  --_error-bg: var(--experiment-dashboard-error-background, #3b1717);
  --_error-fg: var(--experiment-dashboard-error-color, #ffb4ab);
  --_warn-bg: var(--experiment-dashboard-warning-background, #3a2f12);
  --_warn-fg: var(--experiment-dashboard-warning-color, #f5d48a);
  --_completed: var(--experiment-dashboard-status-completed, #7ddc96);
  --_failed: var(--experiment-dashboard-status-failed, #ff8a80);
  --_running: var(--experiment-dashboard-status-running, #8ab4f8);
  --_dead: var(--experiment-dashboard-status-dead, #b8bec7);
  --_queued: var(--experiment-dashboard-status-queued, #f2c94c);
  --_interrupted: var(--experiment-dashboard-status-interrupted, #ffb26b);
  color-scheme: dark;
`;

export const dashboardStyles = css`
  :host {
    --_bg: var(--experiment-dashboard-background, #ffffff);
    --_fg: var(--experiment-dashboard-color, #1d2430);
    --_muted: var(--experiment-dashboard-muted-color, #5a6472);
    --_border: var(--experiment-dashboard-border-color, #d5dae1);
    --_header-bg: var(--experiment-dashboard-header-background, #f3f5f8);
    --_row-alt: var(--experiment-dashboard-row-alt-background, #fafbfc);
    --_hover: var(--experiment-dashboard-row-hover-background, #eaf1fb);
    --_accent: var(--experiment-dashboard-accent-color, #1f5fbf);
    --_error-bg: var(--experiment-dashboard-error-background, #fdecec);
    --_error-fg: var(--experiment-dashboard-error-color, #8a1c1c);
    --_warn-bg: var(--experiment-dashboard-warning-background, #fff6e0);
    --_warn-fg: var(--experiment-dashboard-warning-color, #6b4a00);
    --_completed: var(--experiment-dashboard-status-completed, #1b7a3a);
    --_failed: var(--experiment-dashboard-status-failed, #b3261e);
    --_running: var(--experiment-dashboard-status-running, #1f5fbf);
    --_dead: var(--experiment-dashboard-status-dead, #4a4f57);
    --_queued: var(--experiment-dashboard-status-queued, #7a5900);
    --_interrupted: var(--experiment-dashboard-status-interrupted, #9a4a00);
    --_font: var(--experiment-dashboard-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--experiment-dashboard-font-size, 13px);
    --_min-height: var(--experiment-dashboard-min-height, 420px);
    --_cell-padding: var(--experiment-dashboard-cell-padding, 4px 6px);
    --_row-height: var(--experiment-dashboard-row-height, 0);
    /* States derived from the palette (so a custom palette keeps them readable): a hovered
       header or group, and a selected row. Text on them keeps 4.5:1 in both themes. */
    --_header-hover: color-mix(in srgb, var(--_header-bg), var(--_fg) 8%);
    --_selected: color-mix(in srgb, var(--_bg), var(--_accent) 11%);

    display: block;
    position: relative;
    box-sizing: border-box;
    height: 100%;
    min-height: var(--_min-height);
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_fg);
    background: var(--_bg);
    color-scheme: light;
  }
  :host([hidden]) {
    display: none;
  }
  /* The parts in a column, the table taking what is left: inside the shadow root, so the layout
     holds whatever display the page gives the element. */
  .frame {
    container: dashboard / inline-size;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    min-height: inherit;
  }
  :host([density='compact']) {
    --_cell-padding: var(--experiment-dashboard-cell-padding, 1px 4px);
    --_font-size: var(--experiment-dashboard-font-size, 12px);
  }
  :host([density='comfortable']) {
    --_cell-padding: var(--experiment-dashboard-cell-padding, 9px 8px);
  }
  .tabulator-row {
    min-height: var(--_row-height);
  }
  .tabulator-row .tabulator-cell {
    padding: var(--_cell-padding);
    cursor: pointer;
  }
  :host([theme='dark']) {
    ${darkTheme}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkTheme}
    }
  }

  [part='toolbar'],
  [part='summary'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 14px;
    padding: 6px 8px;
  }
  [part='summary'] {
    border-bottom: 1px solid var(--_border);
    color: var(--_muted);
  }
  [part='summary'] strong {
    color: var(--_fg);
  }
  .main-metric-picker {
    display: inline-flex;
    gap: 4px;
  }
  .main-metric-picker select {
    max-width: 16em;
    padding: 1px 4px;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
    color: var(--_fg);
  }
  .counts .status-icon {
    margin-right: 3px;
  }
  .counts {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='error'] {
    margin: 6px 8px;
    padding: 8px 10px;
    border-radius: 4px;
    background: var(--_error-bg);
    color: var(--_error-fg);
  }
  [part='error'] ul {
    margin: 4px 0 0;
    padding-left: 18px;
    max-height: 8em;
    overflow: auto;
  }
  [part='error'] p {
    margin: 0;
  }
  [part='loading'] {
    padding: 6px 8px;
    color: var(--_muted);
  }
  [part='empty'] {
    padding: 24px 8px;
    text-align: center;
    color: var(--_muted);
  }

  /* The wrapper has a definite height whatever the page does: without one Tabulator renders
     every row (TABULATOR.md). */
  .table-wrap {
    position: relative;
    flex: 1 1 auto;
    min-height: 240px;
  }
  .table-wrap[hidden] {
    display: none;
  }
  .table {
    position: absolute;
    inset: 0;
  }
  .popups {
    position: absolute;
    inset: 0 auto auto 0;
    z-index: 10;
  }

  /* Status: icon + word, coloured, never colour alone. */
  .status {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-weight: 600;
  }
  .status-icon {
    display: inline-flex;
    flex: none;
  }
  /* The table's icons (table/icons.ts): 1em, in the text's colour, sitting on its baseline. */
  .svg-icon {
    display: inline-block;
    flex: none;
    vertical-align: -0.125em;
  }
  /* Solid shapes read better than outlines at text size. */
  .icon-status-running path,
  .icon-status-interrupted path {
    fill: currentColor;
  }
  .details-button .icon-chevron {
    transition: transform 0.1s;
  }
  .details-button[aria-expanded='true'] .icon-chevron {
    transform: rotate(90deg);
  }
  .status-completed {
    color: var(--_completed);
  }
  .status-failed {
    color: var(--_failed);
  }
  .status-running {
    color: var(--_running);
  }
  .status-dead {
    color: var(--_dead);
  }
  .status-queued {
    color: var(--_queued);
  }
  .status-interrupted {
    color: var(--_interrupted);
  }
  .tag {
    display: inline-block;
    margin-right: 4px;
    padding: 0 6px;
    border-radius: 8px;
    border: 1px solid var(--_border);
    line-height: 1.5;
    font-size: 0.92em;
  }

  /* Tabulator themed through our custom properties. */
  .tabulator {
    font-size: var(--_font-size);
    background-color: var(--_bg);
    border: 1px solid var(--_border);
    color: var(--_fg);
  }
  .tabulator .tabulator-header,
  .tabulator .tabulator-header .tabulator-col {
    background-color: var(--_header-bg);
    color: var(--_fg);
    border-color: var(--_border);
  }
  /* The scroll area is the size container of what must fit the part of the table in view (an
     inline detail, a group header): they read its size in cq units, so a new height (the summary
     took a second line) restyles only them, where a custom property on the table restyled every
     cell of every drawn row. Tabulator sets its height, so size containment changes nothing. */
  .tabulator .tabulator-tableholder {
    background-color: var(--_bg);
    container-type: size;
  }
  .tabulator-row,
  .tabulator-row .tabulator-cell {
    background-color: var(--_bg);
    color: var(--_fg);
    border-color: var(--_border);
  }
  .tabulator-row.tabulator-row-even,
  .tabulator-row.tabulator-row-even .tabulator-cell {
    background-color: var(--_row-alt);
  }
  .tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-sorter .sort-arrow {
    display: inline-block;
    width: 0;
    height: 0;
    border-left: 5px solid transparent;
    border-right: 5px solid transparent;
    border-bottom: 6px solid var(--_muted);
    opacity: 0.35;
  }
  .tabulator .tabulator-header .tabulator-col[aria-sort='ascending'] .sort-arrow {
    opacity: 1;
  }
  .tabulator .tabulator-header .tabulator-col[aria-sort='descending'] .sort-arrow {
    opacity: 1;
    transform: rotate(180deg);
  }

  .tabulator-row.row-selected,
  .tabulator-row.row-selected .tabulator-cell {
    background-color: var(--_selected);
  }
  .tabulator-row.row-active,
  .tabulator-row.row-active .tabulator-cell {
    background-color: var(--_hover);
  }
  /* Tabulator's hover colours are fixed light greys (#cdcdcd under the dark theme's near-white
     text is 1.2:1): the palette's instead. */
  @media (hover: hover) and (pointer: fine) {
    .tabulator .tabulator-header .tabulator-col.tabulator-sortable.tabulator-col-sorter-element:hover,
    .tabulator .tabulator-row.tabulator-group:hover {
      background-color: var(--_header-hover);
    }
  }
  .tabulator .tabulator-header .tabulator-col:focus-within {
    background-color: var(--_header-hover);
  }
  .tabulator:focus-visible .tabulator-row.row-active {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  /* Toolbar, chips, popovers, dialog */
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  [part='toolbar'] button,
  [part='empty'] button,
  .chips button,
  dialog button,
  .action-error button,
  .pager button,
  .import-button {
    padding: 3px 10px;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_header-bg);
    cursor: pointer;
  }
  [part='search'] {
    padding: 3px 8px;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
  }
  .match-count {
    color: var(--_muted);
  }
  .match-count:empty {
    display: none;
  }
  /* The toolbar wraps as groups: the search grows, and a group (grouping and its buttons, the
     actions) moves to the next line whole instead of leaving one button alone on a line. */
  .toolbar-search {
    display: flex;
    flex: 1 1 14em;
    align-items: center;
    gap: 6px 10px;
  }
  .toolbar-search [part='search'] {
    flex: 1 1 auto;
    min-width: 8em;
  }
  .toolbar-group,
  .toolbar-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  /* Compact under 600 px (a phone): the rows keep most of the height. */
  @container dashboard (max-width: 600px) {
    [part='toolbar'],
    [part='summary'] {
      gap: 4px 8px;
      padding: 4px 6px;
    }
    .toolbar-search {
      flex-basis: 100%;
    }
    [part='toolbar'] button {
      padding: 2px 6px;
    }
    /* The groups' lines would be mostly empty at this width: their controls flow together. */
    .toolbar-group,
    .toolbar-actions {
      display: contents;
    }
    .counts {
      gap: 2px 8px;
    }
    /* A count is its status's icon and number; the word stays for screen readers and the tooltip. */
    .counts .status-label {
      ${visuallyHidden}
    }
  }
  .muted {
    color: var(--_muted);
  }
  .visually-hidden {
    ${visuallyHidden}
  }

  /* Table controls */
  .col-title {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    max-width: 100%;
  }
  .col-title-text {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .filter-button,
  .details-button,
  .delete-button {
    padding: 0 4px;
    border: 1px solid transparent;
    border-radius: 3px;
    background: transparent;
    color: var(--_muted);
    cursor: pointer;
    line-height: 1.4;
  }
  .filter-button.filter-on {
    color: var(--_bg);
    background: var(--_accent);
  }
  .filter-button:hover,
  .details-button:hover,
  .delete-button:hover {
    border-color: var(--_border);
    color: var(--_fg);
  }
  .tabulator-row.row-expanded {
    background-color: var(--_bg);
  }
  /* The detail under an expanded row: as wide as the part of the table in view and held at its
     left edge while the columns scroll sideways; as tall as its content, up to about the table's
     visible height (taller rows break Tabulator's virtual renderer: TABULATOR.md), then it scrolls
     inside. The row is re-measured whenever the detail changes size (table-controller.ts). */
  .row-detail {
    --_detail-max: min(var(--experiment-dashboard-detail-max-height, 640px), max(200px, 100cqh - 72px));
    display: block;
    position: sticky;
    left: 0;
    box-sizing: border-box;
    width: min(100cqw, 100%);
    max-height: var(--_detail-max);
    overflow: auto;
    border-top: 1px solid var(--_border);
    background: var(--_bg);
    white-space: normal;
    cursor: auto;
  }
  .row-detail > experiment-row-detail {
    max-height: var(--_detail-max);
  }
  /* A sticky table header inside the detail sticks at the panel's padding edge: with a top
     padding, rows scrolled under it peek out above it. The same space as a border, outside the
     scrolling area, keeps the look. */
  .row-detail > experiment-row-detail::part(section) {
    padding-top: 0;
    border-top: 8px solid transparent;
  }
  /* Columns frozen at the left (status, name, the row's controls) and at the right (Delete):
     Tabulator's own rules for them are trimmed from its stylesheet (scripts/css-text.mjs). */
  .tabulator .tabulator-header .tabulator-frozen,
  .tabulator-row .tabulator-cell.tabulator-frozen {
    z-index: 11;
  }
  .tabulator .tabulator-frozen.tabulator-frozen-left {
    border-right: 2px solid var(--_border);
  }
  .tabulator .tabulator-frozen.tabulator-frozen-right {
    border-left: 2px solid var(--_border);
  }
  /* On a phone (table/columns.ts NARROW_TABLE): the status is its icon, its word kept for
     screen readers and in the cell's tooltip. */
  .narrow .status-label {
    ${visuallyHidden}
  }
  .narrow .status-icon {
    font-size: 1.15em;
  }
  /* Inline text, so a long header wraps like a sentence. */
  .group-header {
    display: inline;
  }
  .tabulator .tabulator-row.tabulator-group .group-header span {
    margin-left: 0;
  }
  .group-attr,
  .group-count,
  .group-agg {
    font-weight: normal;
  }
  /* Data in a header must not reorder the text around it (right-to-left or override characters). */
  .group-attr,
  .group-value {
    unicode-bidi: isolate;
  }
  /* A group header stays in view while the columns scroll sideways, and a long group value
     (a JSON object, a path) wraps within it instead of running off the right edge. */
  .tabulator .tabulator-row.tabulator-group {
    position: sticky;
    left: 0;
    box-sizing: border-box;
    width: min(100cqw, 100%);
    min-width: 0;
    white-space: normal;
    overflow-wrap: anywhere;
    background: var(--_header-bg);
    color: var(--_fg);
    border-color: var(--_border);
  }
  /* Tabulator paints every span of a group header #d00 (unreadable on the dark palette). */
  .tabulator .tabulator-row.tabulator-group span {
    color: var(--_fg);
  }
  .tabulator .tabulator-row.tabulator-group .group-attr,
  .tabulator .tabulator-row.tabulator-group .group-count,
  .tabulator .tabulator-row.tabulator-group .group-agg {
    color: var(--_muted);
  }
  .tabulator .tabulator-row.tabulator-group .tabulator-arrow {
    border-left-color: var(--_muted);
  }
  .tabulator .tabulator-row.tabulator-group.tabulator-group-visible .tabulator-arrow {
    border-left-color: transparent;
    border-top-color: var(--_muted);
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
`;
