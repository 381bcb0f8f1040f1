// Every --experiment-dashboard-* custom property a component reads is documented in a class JSDoc
// (@cssproperty), and every documented one is read somewhere: the theming contract stays true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../src/components/', import.meta.url).pathname;
// Every .ts file under src/components/, including the shared ones beside the element folders
// (tokens.styles.ts documents the tokens every element reads).
const files = readdirSync(root, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
const PROPERTY = /--experiment-dashboard-[a-z0-9-]+/g;

function usedAndDocumented() {
  const used = new Map();
  const documented = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      const doc = /@cssproperty\s+\[?(--experiment-dashboard-[a-z0-9-]+)/.exec(line);
      if (doc) documented.set(doc[1], file);
      else for (const m of line.matchAll(PROPERTY)) used.set(m[0], file);
    }
  }
  return { used, documented };
}

test('every custom property a component reads is documented with @cssproperty', () => {
  const { used, documented } = usedAndDocumented();
  const undocumented = [...used.keys()].filter((p) => !documented.has(p)).map((p) => `${p} (read in ${used.get(p)})`);
  assert.deepEqual(undocumented, [], 'document these with @cssproperty in the JSDoc of the element that reads them');
});

test('every documented custom property is read by some component', () => {
  const { used, documented } = usedAndDocumented();
  const unused = [...documented.keys()].filter((p) => !used.has(p)).map((p) => `${p} (documented in ${documented.get(p)})`);
  assert.deepEqual(unused, [], 'remove these @cssproperty lines or use the properties');
});

test('there is a dark value for every colour the dashboard themes', () => {
  const styles = readFileSync(join(root, 'experiment-dashboard', 'experiment-dashboard.styles.ts'), 'utf8');
  const darkBlock = styles.slice(styles.indexOf('const darkTheme = css`'), styles.indexOf('export const dashboardStyles'));
  const lightBlock = styles.slice(styles.indexOf('export const dashboardStyles'));
  const light = new Set([...lightBlock.matchAll(/--_([a-z-]+): var\(--experiment-dashboard-[a-z-]+, #/g)].map((m) => m[1]));
  const dark = new Set([...darkBlock.matchAll(/--_([a-z-]+): var\(/g)].map((m) => m[1]));
  assert.ok(light.size > 10 && dark.size > 10, 'both palettes found');
  assert.deepEqual([...light].filter((c) => !dark.has(c)), []);
});
