// Turns `import text from 'x.css'` into a module exporting the CSS text, so Lit can adopt it
// into a shadow root as a constructable stylesheet (no <style> or <link> in the page: CSP-safe).
// Shared by rollup (build) and @web/dev-server (tests, demo).
// Tabulator's stylesheet is trimmed on the way (see trimTabulatorCss).
export const cssModuleSource = (css, id = '') => `export default ${JSON.stringify(/[\\/]tabulator-tables[\\/]/.test(id) ? trimTabulatorCss(css) : css)};`;

/**
 * Classes only the Tabulator modules the dashboard does not register use (it registers the ones
 * in src/components/experiment-dashboard/table/tabulator.ts): editing, menus, popups, tooltips, data
 * trees, column calculations, responsive collapse, ranges, printing, pagination, spreadsheets,
 * validation, header filters, frozen columns and rows, row handles and row resizing.
 */
export const UNUSED_TABULATOR_CLASSES =
  /\.tabulator-(?:edit-list|editing|edit-select|data-tree|calcs|responsive-collapse|range|row-header|print|page|paginator|menu|popup|tooltip|spreadsheet|validation-fail|header-filter|title-editor|header-popup-button|frozen|row-handle|row-resize)(?![\w])|\.tabulator-(?:edit-list|data-tree|calcs|responsive-collapse|range|print|page|menu|popup|spreadsheet|frozen|row-handle|row-resize)-[\w-]+/;

/**
 * Tabulator's minified stylesheet without the rules of modules that are not registered: selectors
 * naming one of {@link UNUSED_TABULATOR_CLASSES} are dropped, a rule with none left goes, and so
 * does an `@media` block left empty. Everything else is kept byte for byte.
 */
export function trimTabulatorCss(css) {
  const keepRules = (block) =>
    block.replace(/([^{}]+)\{([^{}]*)\}/g, (whole, selectors, body) => {
      const kept = selectors.split(',').filter((sel) => !UNUSED_TABULATOR_CLASSES.test(sel));
      return kept.length === 0 ? '' : `${kept.join(',')}{${body}}`;
    });
  // @media blocks hold rules of their own: trim inside, drop the block when nothing is left.
  return css
    .replace(/(@media[^{]*)\{((?:[^{}]*\{[^{}]*\})*)\}/g, (whole, media, inner) => {
      const rest = keepRules(inner);
      return rest === '' ? '' : `${media}{\u0000${rest}\u0000}`;
    })
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? part : keepRules(part)))
    .join('');
}

/** Rollup plugin. */
export function cssText() {
  return {
    name: 'css-text',
    transform(code, id) {
      if (!id.endsWith('.css')) return null;
      return { code: cssModuleSource(code, id), map: { mappings: '' } };
    },
  };
}

/** @web/dev-server plugin: serves .css requested from JS as a JS module. */
export function cssTextDevServer() {
  return {
    name: 'css-text',
    resolveMimeType(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') return 'js';
      return undefined;
    },
    transform(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') {
        return { body: cssModuleSource(context.body, context.path) };
      }
      return undefined;
    },
  };
}
