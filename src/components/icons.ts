import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

/**
 * Inline SVG icons for the elements' buttons and messages, in place of emoji and text glyphs
 * (which differ by platform font, and are read aloud by screen readers).
 *
 * Each icon is decorative (`aria-hidden`): the button or message around it carries the accessible
 * name. It is `1em` square and drawn in `currentColor`, so it follows the text it sits in. Each is
 * its own export, marked pure, so a bundle keeps only the icons it uses. `tokenStyles`
 * (tokens.styles.ts) aligns `.svg-icon` with the text; no inline style, for strict CSPs.
 */
function icon(shape: SVGTemplateResult): TemplateResult {
  return html`<svg
    class="svg-icon"
    viewBox="0 0 16 16"
    width="1em"
    height="1em"
    fill="none"
    stroke="currentColor"
    stroke-width="1.5"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${shape}
  </svg>`;
}

/** Delete: a waste bin. */
export const iconTrash = /* @__PURE__ */ icon(svg`<path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v4.5M9.2 6.5v4.5" />`);
/** Expand / collapse: a chevron pointing right (rotate it 90° for "open"). */
export const iconChevron = /* @__PURE__ */ icon(svg`<path d="M6 3.5 10.5 8 6 12.5" />`);
/** Columns. */
export const iconColumns = /* @__PURE__ */ icon(svg`<rect x="2" y="2.5" width="12" height="11" rx="1.5" /><path d="M6 2.5v11M10 2.5v11" />`);
/** Filter: a funnel. */
export const iconFilter = /* @__PURE__ */ icon(svg`<path d="M2 3h12L9.5 8.5V13l-3-1.5v-3z" />`);
/** Close / remove. */
export const iconClose = /* @__PURE__ */ icon(svg`<path d="M4 4l8 8M12 4l-8 8" />`);
/** Copy: two sheets. */
export const iconCopy = /* @__PURE__ */ icon(svg`<rect x="5.5" y="5.5" width="8" height="8" rx="1.5" /><path d="M10.5 5.5V3.5a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" />`);
/** Download: an arrow into a tray. */
export const iconDownload = /* @__PURE__ */ icon(svg`<path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M2.5 13.5h11" />`);
/** Search: a magnifier. */
export const iconSearch = /* @__PURE__ */ icon(svg`<circle cx="7" cy="7" r="4.5" /><path d="m10.5 10.5 3 3" />`);
/** Group by: nested rows. */
export const iconGroup = /* @__PURE__ */ icon(svg`<path d="M2.5 3.5h11M5.5 8h8M5.5 12.5h8M2.5 3.5v9" />`);
/** Sort: arrows up and down. */
export const iconSort = /* @__PURE__ */ icon(svg`<path d="M5 13V3M2.5 5.5 5 3l2.5 2.5M11 3v10M8.5 10.5 11 13l2.5-2.5" />`);
/** Done / selected. */
export const iconCheck = /* @__PURE__ */ icon(svg`<path d="m3 8.5 3 3 7-7" />`);
/** Warning: a triangle with an exclamation mark. */
export const iconWarning = /* @__PURE__ */ icon(svg`<path d="M8 2 14.5 13.5h-13z" /><path d="M8 6.5v3M8 11.5v.01" />`);
/** Information: an i in a circle. */
export const iconInfo = /* @__PURE__ */ icon(svg`<circle cx="8" cy="8" r="6" /><path d="M8 7.5v3.5M8 5v.01" />`);
/** Move up. */
export const iconArrowUp = /* @__PURE__ */ icon(svg`<path d="M8 13V3M4 7l4-4 4 4" />`);
/** Move down. */
export const iconArrowDown = /* @__PURE__ */ icon(svg`<path d="M8 3v10M4 9l4 4 4-4" />`);
/** Move earlier (start side; mirror it in right-to-left text). */
export const iconArrowStart = /* @__PURE__ */ icon(svg`<path d="M13 8H3M7 4 3 8l4 4" />`);
/** Move later (end side; mirror it in right-to-left text). */
export const iconArrowEnd = /* @__PURE__ */ icon(svg`<path d="M3 8h10M9 4l4 4-4 4" />`);
/** Drag handle: two columns of dots. */
export const iconGrip = /* @__PURE__ */ icon(svg`<path d="M6 3.5v.01M10 3.5v.01M6 8v.01M10 8v.01M6 12.5v.01M10 12.5v.01" stroke-width="2" />`);
