// The reference server under a backtracking `matches` pattern: over 100,000 records it answers
// (RE2, linear time) instead of working for ~75 minutes, and /capabilities keeps answering.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../../server/reference-server.mjs';

const COUNT = 100_000;
const EVIL = '^(([a-z0-9]|-|[a-z0-9-])*)*X$';
// Names of 12 characters (the worst case measured: ~45 ms each with backtracking); every
// 20,000th ends with X and matches.
const nameOf = (i) => (i % 20_000 === 0 ? `run-${String(i).padStart(7, '0')}X` : `run-${String(i).padStart(8, '0')}`);

let server;

before(async () => {
  const experiments = Array.from({ length: COUNT }, (_, i) => ({ id: `e${i}`, status: 'completed', name: nameOf(i) }));
  server = await startServer({ data: { schemaVersion: '1.0', kind: 'ExperimentCollection', experiments } });
});

after(() => server?.close());

const list = (filters, extra = '') => fetch(`${server.url}experiments?filters=${encodeURIComponent(JSON.stringify(filters))}${extra}`);

describe('matches on the reference server', () => {
  // A timeout, so that a backtracking engine fails the test instead of hanging it for an hour.
  it('answers a backtracking pattern over 100,000 records while /capabilities keeps answering', { timeout: 60_000 }, async () => {
    const answer = list([{ attribute: 'name', op: 'matches', value: EVIL }], '&pageSize=10');
    // Asked while the pattern runs: each must be answered (with a backtracking engine the first
    // would wait for the whole scan, and the test would time out).
    const capabilities = [];
    for (let i = 0; i < 5; i++) {
      capabilities.push(fetch(`${server.url}capabilities`).then((r) => r.json()));
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await answer;
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.total, COUNT / 20_000);
    assert.deepEqual(
      body.experiments.map((e) => e.name),
      [0, 20_000, 40_000, 60_000, 80_000].map(nameOf),
    );
    for (const c of await Promise.all(capabilities)) assert.equal(c.serverQuery, true);
  });

  it('refuses a backreference or a lookaround with a 400 that names the filter and the feature', async () => {
    for (const [value, words] of [
      ['^(run)-\\1', 'uses a backreference (\\1), which is not supported'],
      ['run(?=-0)', 'uses a lookahead ((?=), which is not supported'],
      ['(?<!x)run', 'uses a negative lookbehind ((?<!), which is not supported'],
    ]) {
      const res = await list([{ attribute: 'status', op: 'eq', value: 'completed' }, { attribute: 'name', op: 'matches', value }]);
      assert.equal(res.status, 400, value);
      const { error } = await res.json();
      assert.match(error, /^The query is not valid: filter 2 \(name matches\): pattern /, value);
      assert.ok(error.includes(words), `${value}: ${error}`);
    }
  });

  it('keeps case-insensitive matching and the pattern length guard', async () => {
    const found = await (await list([{ attribute: 'name', op: 'matches', value: '^RUN-0*20000x$' }])).json();
    assert.deepEqual(
      found.experiments.map((e) => e.name),
      [nameOf(20_000)],
    );
    const long = await list([{ attribute: 'name', op: 'matches', value: 'a'.repeat(201) }]);
    assert.equal(long.status, 400);
    assert.match((await long.json()).error, /the pattern is longer than 200 characters/);
  });
});
