import { css } from 'lit';

/**
 * The design tokens every element reads: spacing, type scale, radii and the colours of both
 * themes. Each private `--_x` takes the public `--experiment-dashboard-*` property when the page
 * sets it, else the default. Colour defaults are `light-dark()` pairs: inside a dark dashboard
 * `color-scheme: dark` is inherited, so every child element follows without a theme attribute of
 * its own; alone on a page it follows the page's `color-scheme`. The pairs are the dashboard's
 * palettes (experiment-dashboard.styles.ts); every text colour reaches WCAG AA (4.5:1) on both
 * the background and the header background of its theme.
 *
 * A calm, dense data UI: as in AG Grid's Quartz theme, every padding and margin is a multiple of
 * one spacing value (Shoelace's spacing tokens are the same base-4 scale), so one property makes
 * the whole UI denser or airier; one base text size with a smaller and a larger step; quiet
 * borders; colour kept for status, links and focus.
 *
 * The public properties (documented here, and in the README's Styling section):
 * @cssproperty [--experiment-dashboard-space=4px] - The spacing unit; paddings and gaps are 0.5–4 of it.
 * @cssproperty [--experiment-dashboard-line-height=1.4] - Line height of text.
 */
export const tokenStyles = css`
  :host {
    --_space: var(--experiment-dashboard-space, 4px);
    --_space-1: calc(var(--_space) * 0.5);
    --_space-2: var(--_space);
    --_space-3: calc(var(--_space) * 2);
    --_space-4: calc(var(--_space) * 3);
    --_space-5: calc(var(--_space) * 4);

    --_font: var(--experiment-dashboard-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_mono: var(--experiment-dashboard-mono-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    --_font-size: var(--experiment-dashboard-font-size, 13px);
    --_font-size-small: calc(var(--_font-size) * 0.92);
    --_font-size-large: calc(var(--_font-size) * 1.15);
    --_line-height: var(--experiment-dashboard-line-height, 1.4);

    --_radius: var(--experiment-dashboard-radius, 4px);
    --_radius-large: calc(var(--_radius) * 2);

    --_bg: var(--experiment-dashboard-background, light-dark(#ffffff, #14181f));
    --_fg: var(--experiment-dashboard-color, light-dark(#1d2430, #e3e8ef));
    --_muted: var(--experiment-dashboard-muted-color, light-dark(#5a6472, #a3adba));
    --_border: var(--experiment-dashboard-border-color, light-dark(#d5dae1, #323a46));
    --_header-bg: var(--experiment-dashboard-header-background, light-dark(#f3f5f8, #1d232c));
    --_accent: var(--experiment-dashboard-accent-color, light-dark(#1f5fbf, #8ab4f8));
    --_danger: var(--experiment-dashboard-status-failed, light-dark(#b3261e, #ff8a80));
    --_success: var(--experiment-dashboard-status-completed, light-dark(#1b7a3a, #7ddc96));
    --_error: var(--experiment-dashboard-error-color, light-dark(#8a1c1c, #ffb4ab));
    --_warning: var(--experiment-dashboard-warning-color, light-dark(#6b4a00, #f5d48a));
  }

  /* The icons of icons.ts: on the text's baseline, never squeezed by a flex row. */
  .svg-icon {
    flex: none;
    vertical-align: -0.125em;
  }
`;

/**
 * What every small element's host shares after the tokens: the text style, border-box sizing all
 * the way down, and `hidden` that hides. Each element adds its own `display` and background.
 */
export const elementBaseStyles = css`
  ${tokenStyles}

  :host {
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: var(--_line-height);
    color: var(--_fg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
`;
