// @ts-check
// The TypeScript data code the command line and the reference server need (importers,
// validation, queries, report, CSV) as one module: bundled in memory by esbuild from src/data/
// when the source is there (a checkout: no build step), else the compiled modules of the
// published package. The one loader of bin/ and server/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ENTRY = `
export * from './importers/index.ts';
export * from './parse.ts';
export * from './query.ts';
export * from './export.ts';
export { MlflowSource } from './mlflow-source.ts';
export { summarizeSeries } from './series-summary.ts';
export { collectionToJson, generateCollection } from './sample-data.ts';
export { parse as parseYaml } from 'yaml';
`;

/**
 * What the bundle (or the compiled modules) export: typed from the TypeScript sources.
 * @typedef {typeof import('../src/data/importers/index.js')
 *   & typeof import('../src/data/parse.js')
 *   & typeof import('../src/data/query.js')
 *   & typeof import('../src/data/export.js')
 *   & Pick<typeof import('../src/data/mlflow-source.js'), 'MlflowSource'>
 *   & Pick<typeof import('../src/data/series-summary.js'), 'summarizeSeries'>
 *   & Pick<typeof import('../src/data/sample-data.js'), 'collectionToJson' | 'generateCollection'>
 *   & { parseYaml: typeof import('yaml').parse }} DataLogic
 */

/** @type {Promise<DataLogic> | undefined} */
let loaded;

/**
 * Resolves to the module; loads it once.
 * @returns {Promise<DataLogic>}
 */
export function loadDataLogic() {
  loaded ??= load();
  return loaded;
}

/** @returns {Promise<DataLogic>} */
async function load() {
  const srcDir = fileURLToPath(new URL('../src/data/', import.meta.url));
  if (existsSync(`${srcDir}importers/index.ts`)) {
    let esbuild;
    try {
      esbuild = await import('esbuild');
    } catch {
      esbuild = undefined; // no dev dependencies: use the compiled modules below
    }
    if (esbuild) {
      const out = await esbuild.build({
        stdin: { contents: ENTRY, resolveDir: srcDir, loader: 'ts', sourcefile: 'cli-data-logic.ts' },
        bundle: true,
        write: false,
        format: 'esm',
        // yaml's ESM build (the one browsers get): its CommonJS build would need require().
        platform: 'neutral',
        mainFields: ['module', 'main'],
        target: 'node20',
        logLevel: 'silent',
      });
      const code = /** @type {import('esbuild').OutputFile} */ (out.outputFiles[0]).text;
      return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    }
  }
  const dist = new URL('../dist/data/', import.meta.url);
  const files = ['importers/index.js', 'parse.js', 'query.js', 'export.js', 'sample-data.js', 'mlflow-source.js', 'series-summary.js'];
  const missing = files.filter((f) => !existsSync(fileURLToPath(new URL(f, dist))));
  if (missing.length > 0) {
    throw new Error(`This installation lacks the compiled data modules (${missing.map((f) => `dist/data/${f}`).join(', ')}). Run "npm run build" in the package folder.`);
  }
  const [importers, parse, query, exporter, sample, mlflow, series, yaml] = await Promise.all([...files.map((f) => import(new URL(f, dist).href)), import('yaml')]);
  return { ...importers, ...parse, ...query, ...exporter, collectionToJson: sample.collectionToJson, generateCollection: sample.generateCollection, MlflowSource: mlflow.MlflowSource, summarizeSeries: series.summarizeSeries, parseYaml: yaml.parse };
}
