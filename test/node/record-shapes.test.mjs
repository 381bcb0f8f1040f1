// The records the reader hands to the table share a few object shapes (V8 maps), so a filter,
// sort or group reading one field across 100,000 rows stays fast: a record made by object spread
// gets a shape of its own once a property is added to it (the validated mark, the search text),
// and the derived-dead runs of a snapshot had one each. V8's own check (%HaveSameMap) needs
// --allow-natives-syntax, so the count runs in a child Node process on the TypeScript sources
// bundled by esbuild.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const DATA = fileURLToPath(new URL('../../src/data/', import.meta.url));

const PROBE = `
const { generateCollection, collectionToJson, parseCollection, rejudgeStatus, applyMainMetric, prepareSearch } = DATA;
const shapes = (records) => {
  const seen = [];
  for (const r of records) if (!seen.some((s) => %HaveSameMap(s, r))) seen.push(r);
  return seen.length;
};
const text = collectionToJson(generateCollection({ n: 3000, seed: 7, historyPoints: 0 }));
const { experiments } = parseCollection(text);
const dead = experiments.filter((e) => e.statusDetail?.derived).length;
const out = { dead, parsed: shapes(experiments) };
await prepareSearch(experiments);
out.searched = shapes(experiments);
// A longer limit brings the dead back to life; a main metric chosen in the page copies each record.
const later = experiments.map((e) => applyMainMetric(rejudgeStatus(e, Date.parse('2024-06-01T12:00:00Z'), 1e12), { key: 'loss', goal: 'minimize' }, true));
await prepareSearch(later);
out.copied = shapes(later);
console.log(JSON.stringify(out));
`;

describe('record shapes', () => {
  it('validated records, and the copies the store makes of them, share a handful of shapes', async () => {
    const bundle = await esbuild.build({
      stdin: {
        contents: "export * from './parse.ts'; export { prepareSearch } from './query.ts'; export { generateCollection, collectionToJson } from './sample-data.ts';",
        resolveDir: DATA,
        loader: 'ts',
        sourcefile: 'data.ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'DATA',
      platform: 'node',
      logLevel: 'error',
    });
    const script = `${bundle.outputFiles[0].text}\n(async () => {${PROBE}})();`;
    const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' }));
    assert.ok(out.dead > 100, `the sample has runs that the snapshot finds dead (${out.dead})`);
    for (const step of ['parsed', 'searched', 'copied']) assert.ok(out[step] <= 12, `${step}: ${out[step]} shapes for 3,000 records`);
  });
});
