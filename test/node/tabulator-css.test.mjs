// Tabulator's stylesheet goes into the dashboard's shadow root trimmed to the modules it registers
// (scripts/css-text.mjs, used by the build, the test server and Storybook).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DROPPED_TABULATOR_PREFIXES, TABULATOR_SORT_ARROW, UNUSED_TABULATOR_CLASSES, cssModuleSource, trimTabulatorCss } from '../../scripts/css-text.mjs';

const FILE = fileURLToPath(new URL('../../node_modules/tabulator-tables/dist/css/tabulator.min.css', import.meta.url));
const full = readFileSync(FILE, 'utf8');
const trimmed = trimTabulatorCss(full);
const classes = (css) => new Set(css.match(/\.tabulator-[\w-]+/g));

describe('trimmed Tabulator stylesheet', () => {
  it('keeps the rules of the core and the registered modules (rows, cells, headers, groups, sorting, resizing, moving)', () => {
    const kept = classes(trimmed);
    for (const c of ['row', 'row-even', 'cell', 'header', 'headers', 'col', 'col-content', 'col-title', 'col-sorter', 'arrow', 'tableholder', 'table', 'placeholder', 'group', 'group-visible', 'group-level-1', 'group-level-5', 'col-resize-handle', 'moving', 'footer', 'alert', 'block-select', 'rtl']) {
      assert.ok(kept.has(`.tabulator-${c}`), `.tabulator-${c} is missing from the trimmed stylesheet`);
    }
    // A rule that names a used class next to an unused one keeps the used selector.
    assert.match(trimmed, /\.tabulator\.tabulator-block-select\{user-select:none\}/);
  });

  it('drops every selector of the modules that are not registered, and halves the size', () => {
    const left = [...classes(trimmed)].filter((c) => UNUSED_TABULATOR_CLASSES.test(c));
    assert.deepEqual(left, []);
    for (const c of ['.tabulator-edit-list', '.tabulator-menu', '.tabulator-popup-container', '.tabulator-data-tree-control', '.tabulator-frozen', '.tabulator-paginator', '.tabulator-pages', '.tabulator-print-table', '.tabulator-selectable', '.tabulator-toggle-switch', '.tabulator-col-vertical', '.tabulator-col-group-cols', '.tabulator-col-resize-guide']) {
      assert.ok(classes(full).has(c), `${c} is in Tabulator's own stylesheet`);
      assert.ok(!classes(trimmed).has(c), `${c} should be dropped`);
    }
    assert.ok(gzipSync(trimmed).length < gzipSync(full).length * 0.6, 'the trimmed stylesheet is much smaller');
  });

  it('drops by whole prefixes: a kept class that merely starts like a dropped one stays', () => {
    // `page` is dropped, `.tabulator-page-size` with it; `group-toggle` is not `toggle`.
    assert.ok(UNUSED_TABULATOR_CLASSES.test('.tabulator-page-size'));
    assert.ok(!UNUSED_TABULATOR_CLASSES.test('.tabulator-group-toggle'));
    assert.ok(!UNUSED_TABULATOR_CLASSES.test('.tabulator-row'));
    // Every prefix names something in Tabulator's stylesheet (a stale one would hide a typo).
    for (const prefix of DROPPED_TABULATOR_PREFIXES) assert.ok(full.includes(`.tabulator-${prefix}`), `.tabulator-${prefix} is in Tabulator's stylesheet`);
  });

  it("drops SortModule's header arrow (ColumnSort draws its own) and keeps the group arrow and the sorter's colours", () => {
    assert.ok(TABULATOR_SORT_ARROW.test('.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-sorter .tabulator-arrow'));
    assert.ok(full.includes('.tabulator-col-sorter .tabulator-arrow'));
    assert.doesNotMatch(trimmed, /\.tabulator-col-sorter[^,{]*\.tabulator-arrow/);
    assert.match(trimmed, /\.tabulator-row\.tabulator-group \.tabulator-arrow\{/);
    assert.match(trimmed, /\[aria-sort=ascending\] \.tabulator-col-content \.tabulator-col-sorter\{color:/);
    assert.doesNotMatch(trimmed, /sourceMappingURL/);
  });

  it('stays well-formed: balanced braces, no empty rules or @media blocks', () => {
    assert.equal((trimmed.match(/\{/g) ?? []).length, (trimmed.match(/\}/g) ?? []).length);
    assert.doesNotMatch(trimmed, /(^|\})\{|\{\}/);
    assert.doesNotMatch(trimmed, /@media[^{]*\{\}/);
    assert.doesNotMatch(trimmed, /\u0000/);
  });

  it('is what the CSS module of tabulator-tables exports; other stylesheets pass unchanged', () => {
    assert.equal(cssModuleSource(full, FILE), `export default ${JSON.stringify(trimmed)};`);
    assert.equal(cssModuleSource('.u-legend{}', '/x/node_modules/uplot/dist/uPlot.min.css'), 'export default ".u-legend{}";');
  });
});
