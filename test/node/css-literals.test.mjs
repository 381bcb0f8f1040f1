// Our stylesheets (Lit css`…` literals) ship without comments and indentation
// (scripts/css-text.mjs, cssLiterals in rollup.config.mjs): only whitespace and comments change.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { minifyCssLiterals, minifyCssText } from '../../scripts/css-text.mjs';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const sources = readdirSync(SRC, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, code: readFileSync(join(SRC, f), 'utf8') }))
  .filter(({ code }) => code.includes('css`'));
/** A source with every comment and whitespace run inside css`…` taken out, the rest as it is. */
const bare = (code) => code.replace(/css`[^`]*`/g, (lit) => lit.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ''));

describe('minified css literals', () => {
  it('drop comments and indentation, keep combinators, values and line breaks', () => {
    const text = '\n  /* why */\n  .a .b > .c,\n  .d:hover {\n    margin: 0 auto;\n    width: calc(100% - 2px);\n  }\n';
    assert.equal(minifyCssText(text), '\n\n.a .b>.c,\n.d:hover{\nmargin: 0 auto;\nwidth: calc(100% - 2px);\n}\n');
    // `css` in a comment or as part of a longer name is not a literal; interpolations are kept.
    assert.equal(minifyCssLiterals('// a `css` tag\nx = mycss`  a  `;\ny = css`  .a {  ${v}  }  `;'), '// a `css` tag\nx = mycss`  a  `;\ny = css` .a{${v}}`;');
  });

  it('change only whitespace and comments of every stylesheet in src/, line for line', () => {
    assert.ok(sources.length >= 8, `stylesheets found: ${sources.map((s) => s.file).join(', ')}`);
    for (const { file, code } of sources) {
      const min = minifyCssLiterals(code);
      assert.equal(min.split('\n').length, code.split('\n').length, `${file}: same lines`);
      assert.equal(bare(min), bare(code), `${file}: same text but whitespace and comments`);
      assert.ok(min.length < code.length, `${file} is smaller`);
    }
  });

  it("make the dashboard's stylesheet a quarter smaller", () => {
    const { code } = sources.find((s) => s.file.endsWith('experiment-dashboard.styles.ts'));
    assert.ok(minifyCssLiterals(code).length < code.length * 0.75);
  });
});
