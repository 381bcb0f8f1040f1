// @ts-check
// Turns `import text from 'x.css'` into a module exporting the CSS text, so Lit can adopt it
// into a shadow root as a constructable stylesheet (no <style> or <link> in the page: CSP-safe).
// Shared by rollup (build) and @web/dev-server (tests, demo).
// Tabulator's stylesheet is trimmed on the way (see trimTabulatorCss). The build also minifies
// the text of our own Lit css`…` stylesheets (cssLiterals; the tests serve them as written).
/** @type {(css: string, id?: string) => string} */
export const cssModuleSource = (css, id = '') => `export default ${JSON.stringify(/[\\/]tabulator-tables[\\/]/.test(id) ? trimTabulatorCss(css) : css)};`;

/**
 * Class-name prefixes (after `.tabulator-`) of what the dashboard never shows: the modules it does
 * not register (src/components/experiment-dashboard/table/tabulator.ts) and options it never sets.
 * A prefix also covers its `-` compounds (`menu` covers `.tabulator-menu-item`).
 */
export const DROPPED_TABULATOR_PREFIXES = [
  // Edit, Menu, Popup, Tooltip, Validate; Filter's header filters; column title editing.
  'edit-list', 'editing', 'menu', 'popup', 'tooltip', 'validation-fail', 'header-filter', 'title-editor', 'header-popup-button',
  // DataTree, ColumnCalcs, ResponsiveLayout, SelectRange, Print, Page, Spreadsheet.
  'data-tree', 'calcs', 'responsive-collapse', 'range', 'row-header', 'print', 'page', 'pages', 'paginator', 'spreadsheet',
  // FrozenColumns and FrozenRows (ours: StickyColumns, styled by the dashboard), MoveRows, ResizeRows, SelectRow.
  'frozen', 'row-handle', 'row-resize', 'row-moving', 'selectable', 'selected',
  // Format's built-in formatters (ours: CellNodes).
  'toggle', 'traffic-light', 'tick', 'cross',
  // Options never set: column groups, vertical headers, headerVisible, headerWordWrap, resizableColumnGuide.
  'col-group', 'col-vertical', 'header-hidden', 'col-title-wrap', 'col-resize-guide',
];

/** A selector naming a class of {@link DROPPED_TABULATOR_PREFIXES}. */
export const UNUSED_TABULATOR_CLASSES = new RegExp(`\\.tabulator-(?:${DROPPED_TABULATOR_PREFIXES.join('|')})(?![\\w])`);

/**
 * A selector of the arrow Tabulator's SortModule draws in a header: ColumnSort (table/tabulator.ts)
 * draws a `.sort-arrow` of its own there, styled by the dashboard.
 */
export const TABULATOR_SORT_ARROW = /\.tabulator-col-sorter[^,]*\.tabulator-arrow/;

/**
 * Tabulator's minified stylesheet without the rules of modules that are not registered: selectors
 * naming one of {@link UNUSED_TABULATOR_CLASSES} or {@link TABULATOR_SORT_ARROW} are dropped, a
 * rule with none left goes, and so does an `@media` block left empty, and the source-map comment.
 * Everything else is kept byte for byte.
 * @param {string} css
 */
export function trimTabulatorCss(css) {
  /** @param {string} block */
  const keepRules = (block) =>
    block.replace(/([^{}]+)\{([^{}]*)\}/g, (/** @type {string} */ whole, /** @type {string} */ selectors, /** @type {string} */ body) => {
      const kept = selectors.split(',').filter((sel) => !UNUSED_TABULATOR_CLASSES.test(sel) && !TABULATOR_SORT_ARROW.test(sel));
      return kept.length === 0 ? '' : `${kept.join(',')}{${body}}`;
    });
  // @media blocks hold rules of their own: trim inside, drop the block when nothing is left.
  return css
    .replace(/\s*\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')
    .replace(/(@media[^{]*)\{((?:[^{}]*\{[^{}]*\})*)\}/g, (/** @type {string} */ whole, /** @type {string} */ media, /** @type {string} */ inner) => {
      const rest = keepRules(inner);
      return rest === '' ? '' : `${media}{\u0000${rest}\u0000}`;
    })
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? part : keepRules(part)))
    .join('');
}

/**
 * The text of a Lit `css` literal (one piece between interpolations) without comments and
 * indentation: terser leaves template text as written, and a third of our stylesheets' is
 * comments and indentation. Only whitespace and comments change: a whitespace run becomes one
 * space (or its line breaks, so line numbers hold), and the spaces beside `{ } ; , >` go (never a
 * descendant combinator there). Our stylesheets have no quoted text with whitespace runs.
 * @param {string} text
 */
export function minifyCssText(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, '') || ' ')
    .replace(/\s+/g, (run) => run.replace(/[^\n]/g, '') || ' ')
    .replace(/ *([{};,>]) */g, '$1');
}

/**
 * Every css`…` literal of a module's source with its text minified ({@link minifyCssText});
 * interpolations (`${…}`) are kept as they are. A literal it cannot read to its end (a nested
 * template) leaves the source unchanged.
 * @param {string} code
 */
export function minifyCssLiterals(code) {
  let out = '';
  let at = 0;
  // A tag `css` (not a word ending in css, nor `css` quoted in a comment).
  const tags = /(?<![\w$`])css`/g;
  for (let tag = tags.exec(code); tag; tag = tags.exec(code)) {
    const start = tag.index;
    let i = start + 4;
    let piece = '';
    let body = '';
    while (code[i] !== '`') {
      if (i >= code.length) return code;
      if (code[i] === '\\') {
        piece += code.slice(i, i + 2);
        i += 2;
      } else if (code.startsWith('${', i)) {
        const end = code.indexOf('}', i);
        // A plain expression (no braces or templates in it); anything else is left as written.
        if (end < 0 || /[{`]/.test(code.slice(i + 2, end))) return code;
        body += minifyCssText(piece) + code.slice(i, end + 1);
        piece = '';
        i = end + 1;
      } else {
        piece += code[i];
        i++;
      }
    }
    out += code.slice(at, start + 4) + body + minifyCssText(piece) + '`';
    at = i + 1;
    tags.lastIndex = at;
  }
  return out + code.slice(at);
}

/**
 * Rollup plugin: the css`…` literals of our sources minified ({@link minifyCssLiterals}). Line
 * breaks are kept, so the source maps still point at the right lines.
 * @returns {import('rollup').Plugin}
 */
export function cssLiterals() {
  return {
    name: 'css-literals',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !code.includes('css`')) return null;
      return { code: minifyCssLiterals(code), map: null };
    },
  };
}

/**
 * Rollup plugin.
 * @returns {import('rollup').Plugin}
 */
export function cssText() {
  return {
    name: 'css-text',
    transform(code, id) {
      if (!id.endsWith('.css')) return null;
      return { code: cssModuleSource(code, id), map: { mappings: '' } };
    },
  };
}

/**
 * @web/dev-server plugin: serves .css requested from JS as a JS module.
 * @returns {import('@web/dev-server-core').Plugin}
 */
export function cssTextDevServer() {
  return {
    name: 'css-text',
    resolveMimeType(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') return 'js';
      return undefined;
    },
    transform(context) {
      if (context.path.endsWith('.css') && context.request.headers['sec-fetch-dest'] !== 'style') {
        return { body: cssModuleSource(/** @type {string} a text file's body */ (context.body), context.path) };
      }
      return undefined;
    },
  };
}
