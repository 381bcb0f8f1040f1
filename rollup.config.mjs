import { readdirSync, existsSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { cssLiterals, cssText } from './scripts/css-text.mjs';

// Every element folder has <tag>.ts (define) and <tag>.component.ts (class): both are entries so
// npm users can import a class without registering it.
const componentEntries = readdirSync('src/components', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => [`src/components/${d.name}/${d.name}.ts`, `src/components/${d.name}/${d.name}.component.ts`])
  .filter((f) => existsSync(f));

const esbuildOptions = { target: 'es2022', tsconfig: 'tsconfig.json' };

// tabulator-tables does not declare itself free of side effects, so without this every one of its
// modules would be kept; we register only the ones we use (src/components/experiment-dashboard/table/tabulator.ts).
const treeshake = { moduleSideEffects: (id) => !/[\\/]tabulator-tables[\\/]dist[\\/]js[\\/]/.test(id) };

export default [
  // ESM modules for npm users and bundlers: dependencies stay bare imports.
  {
    // The importers (and their YAML parser) and the report/CSV helpers are entries of their own:
    // the command line and `experiment-dashboard/importers.js` use them, the table does not.
    input: ['src/index.ts', 'src/define.ts', 'src/data/importers/index.ts', 'src/data/export.ts', 'src/data/sample-data.ts', 'src/data/series-summary.ts', ...componentEntries],
    external: (id) => /^(lit|lit\/.*|@lit\/.*|idb|yaml|uplot|tabulator-tables|re2js)$/.test(id),
    // ignoreSideEffectsForRoot: our own package.json's sideEffects list names dist/ files; applied
    // to src/ it would drop the element registrations from dist/define.js.
    plugins: [resolve({ ignoreSideEffectsForRoot: true }), cssText(), cssLiterals(), esbuild(esbuildOptions)],
    output: {
      dir: 'dist',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      sourcemap: true,
      // CSS turned into modules (Tabulator's, uPlot's) would land in dist/node_modules/, a folder
      // name npm never publishes: put them in dist/vendor/.
      entryFileNames: (chunk) => `${chunk.name.replace(/(^|\/)node_modules\//g, '$1vendor/')}.js`,
    },
  },
  // One self-contained file: Lit, Tabulator, its CSS and idb inlined; no import/export, so it
  // runs from a single <script type="module"> tag on any page.
  {
    input: 'src/bundle.ts',
    treeshake,
    plugins: [resolve({ browser: true, ignoreSideEffectsForRoot: true }), cssText(), cssLiterals(), esbuild({ ...esbuildOptions, minify: false }), terser({ format: { comments: false } })],
    output: { file: 'dist/experiment-dashboard.bundle.js', format: 'iife', inlineDynamicImports: true, sourcemap: true },
  },
];
