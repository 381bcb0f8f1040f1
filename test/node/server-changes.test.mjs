// The reference server's change feed across restarts, its bound on slow event-stream clients,
// and its clean-up of interrupted writes (issue 18), against the real server over loopback.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../server/reference-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COLLECTION = { schemaVersion: '1.0', kind: 'ExperimentCollection', experiments: [{ id: 'run-a', status: 'running' }] };
/** Above Linux's pid_max (2^22): no process has it, so its files are strays. */
const DEAD_PID = 4194305;

let tmp;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ed-changes-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const getJson = async (url) => {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
};

/** An event stream read until `until` matches what arrived; resolves with the text. */
function readStream(url, headers, until) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
        if (until.test(text)) {
          req.destroy();
          resolve(text);
        }
      });
      res.on('end', () => reject(new Error(`the stream ended before ${until}: ${text}`)));
    });
    req.on('error', (err) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
}

describe('a change feed that survives restarts', () => {
  it('answers a position from before a restart with 410 and a reason, never with an empty list', async () => {
    const file = join(tmp, 'restart.json');
    writeFileSync(file, JSON.stringify(COLLECTION));
    const first = await startServer({ dataFile: file, writable: true });
    await first.upsert([{ id: 'run-b', status: 'running' }]);
    await first.upsert([{ id: 'run-c', status: 'running' }]);
    const before = (await getJson(`${first.url}experiments`)).body;
    assert.equal(before.changeSeq, 2);
    const oldEpoch = before.changeEpoch;
    assert.match(oldEpoch, /^[\w-]+$/);
    await first.close();

    // The same file, a new run of the server, which also makes two changes: seq 2 again.
    const second = await startServer({ dataFile: file, writable: true });
    try {
      await second.upsert([{ id: 'run-d', status: 'running' }]);
      await second.upsert([{ id: 'run-e', status: 'running' }]);
      const now = (await getJson(`${second.url}experiments`)).body;
      assert.equal(now.changeSeq, 2);
      assert.notEqual(now.changeEpoch, oldEpoch);
      for (const query of [`since=${oldEpoch}:2`, `since=2&epoch=${oldEpoch}`, 'since=3']) {
        const r = await getJson(`${second.url}changes?${query}`);
        assert.equal(r.status, 410, query);
        assert.equal(r.body.reload, true);
        assert.equal(r.body.reason, 'restarted');
        assert.match(r.body.error, /restarted.*Load everything again/);
        assert.deepEqual([r.body.epoch, r.body.seq], [now.changeEpoch, 2]);
      }
      // A position of this run gets what came after it.
      const fresh = await getJson(`${second.url}changes?since=${now.changeEpoch}:1`);
      assert.equal(fresh.status, 200);
      assert.deepEqual(
        fresh.body.changes.map((c) => [c.seq, c.type, c.experiments[0].id]),
        [[2, 'upsert', 'run-e']],
      );

      // The stream: a Last-Event-ID from the old run gets a "reload" event, one of this run a replay.
      const reload = await readStream(new URL('changes', second.url), { 'last-event-id': `${oldEpoch}:2` }, /event: reload\ndata: .*\n\n/);
      assert.match(reload, new RegExp(`id: ${now.changeEpoch}:2\\nevent: reload\\ndata: \\{"reason":"restarted","message":"The server restarted`));
      const replay = await readStream(new URL('changes', second.url), { 'last-event-id': `${now.changeEpoch}:1` }, /event: upsert\ndata: .*\n\n/);
      assert.match(replay, new RegExp(`id: ${now.changeEpoch}:2\\nevent: upsert\\ndata: \\{"experiments":\\[\\{"id":"run-e"`));
    } finally {
      await second.close();
    }
  });

  it('tells a client to reload when its position is older than the kept log', async () => {
    const server = await startServer({ data: COLLECTION });
    try {
      const { changeEpoch } = (await getJson(`${server.url}experiments`)).body;
      for (let i = 0; i < 1005; i++) await server.upsert([{ id: 'run-a', status: 'running', notes: `beat ${i}` }]);
      const r = await getJson(`${server.url}changes?since=${changeEpoch}:2`);
      assert.equal(r.status, 410);
      assert.equal(r.body.reason, 'expired');
      assert.match(r.body.error, /no longer kept/);
      const kept = await getJson(`${server.url}changes?since=${changeEpoch}:1000`);
      assert.equal(kept.body.changes.length, 5);
    } finally {
      await server.close();
    }
  });
});

describe('interrupted writes', () => {
  it('removes the temporary files of a process that is gone, and keeps a live one', async () => {
    const file = join(tmp, 'stray.json');
    writeFileSync(file, JSON.stringify(COLLECTION));
    const strays = [`${file}.${DEAD_PID}.tmp`, join(tmp, `stray.trash.json.${DEAD_PID}.tmp`)];
    const live = `${file}.${process.ppid}.tmp`;
    const unrelated = join(tmp, `other.json.${DEAD_PID}.tmp`);
    for (const f of [...strays, live, unrelated]) writeFileSync(f, '{"half": ');
    const server = await startServer({ dataFile: file, writable: true });
    try {
      assert.deepEqual(server.removedTemporaryFiles.sort(), strays.sort());
      for (const f of strays) assert.equal(existsSync(f), false, f);
      assert.equal(existsSync(live), true, 'another running process may be writing it');
      assert.equal(existsSync(unrelated), true, 'not a file of this data');
    } finally {
      await server.close();
    }
  });
});

describe('bounded event streams', () => {
  it('drops a client that does not read, with a reason, and keeps the memory bounded (50 clients)', async () => {
    // The server in its own process, so its memory is measured alone.
    const code = `
      import { startServer } from ${JSON.stringify(new URL('server/reference-server.mjs', `file://${ROOT}`).href)};
      // A long grace period: the client that stopped reading reads again at the end of the test.
      const s = await startServer({ data: [], testHooks: true, dropGraceMs: 10 * 60_000 });
      console.log(s.url);
    `;
    const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const clients = [];
    try {
      const url = await new Promise((resolve, reject) => {
        child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
        child.once('exit', (c) => reject(new Error(`the server exited with ${c}`)));
      });
      const hook = async (name, body) =>
        (await fetch(new URL(`__test/${name}`, url), body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json();

      const RECORDS_PER_EVENT = 8;
      const RECORD_BYTES = 25_000;
      const EVENTS = 200; // 40 MB to every client: far more than the kernel's socket buffers take of it
      const readers = [];
      let slow;
      let progress = () => undefined;
      const marker = Buffer.from('event: upsert');
      for (let i = 0; i < 50; i++) {
        const client = { events: 0, closed: false, tail: Buffer.alloc(0) };
        await new Promise((resolve, reject) => {
          const req = httpRequest(new URL('changes', url), { headers: { accept: 'text/event-stream' } }, (res) => {
            client.res = res;
            res.socket.on('close', () => (client.closed = true));
            if (i === 0) {
              slow = client; // never reads: no 'data' listener, the stream stays paused
            } else {
              res.on('data', (chunk) => {
                // A marker may straddle two chunks: carry the end of one (too short to hold a whole marker) over.
                const bytes = Buffer.concat([client.tail, chunk]);
                for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + 1)) client.events += 1;
                client.tail = bytes.subarray(bytes.length - (marker.length - 1));
                progress();
              });
              readers.push(client);
            }
            resolve();
          });
          req.on('error', (err) => (client.closed ? undefined : reject(err)));
          req.end();
          clients.push(req);
        });
      }
      assert.equal((await hook('memory')).streams, 50);
      const base = await hook('memory');
      const notes = 'x'.repeat(RECORD_BYTES);
      for (let i = 0; i < EVENTS; i++) {
        await hook('upsert', { experiments: Array.from({ length: RECORDS_PER_EVENT }, (_, k) => ({ id: `run-${k}`, status: 'running', notes })) });
        // Readers keep pace, so only the one that does not read can fall behind.
        const want = i + 1;
        await new Promise((resolve) => {
          progress = () => readers.every((r) => r.events >= want) && resolve();
          progress();
        });
      }
      const peak = await hook('memory');
      const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
      const growth = (m) => m.heapUsed + m.external - (base.heapUsed + base.external);
      console.log(
        `# server memory, 50 streams, ${EVENTS} x ${(RECORDS_PER_EVENT * RECORD_BYTES) / 1000} KB events: heap+external ${mb(base.heapUsed + base.external)} MB at start, ` +
          `+${mb(growth(peak))} MB after, of which the change log ${mb(peak.changeBytes)} MB (${peak.changes} entries); rss ${mb(base.rss)} -> ${mb(peak.rss)} MB`,
      );
      assert.equal(peak.streams, 49, 'the slow client was dropped, the others kept');
      assert.ok(readers.every((r) => !r.closed));
      assert.ok(peak.changeBytes <= 8 * 1024 * 1024);
      // Unbounded, the slow client's buffer holds what the kernel did not take of 40 MB: +35 MB
      // beyond the change log when measured; bounded, +1.6 to +4.7 MB.
      assert.ok(growth(peak) - peak.changeBytes < 12 * 1024 * 1024, `memory grew by ${mb(growth(peak))} MB`);

      // The client reads again (within the grace period): it gets what was buffered, then the reason.
      const chunks = [];
      slow.res.on('data', (c) => chunks.push(c));
      await new Promise((r) => slow.res.once('close', r));
      const text = Buffer.concat(chunks).toString('utf8');
      assert.match(text, /event: dropped\ndata: \{"reason":"slow-client","message":"This client left more than 1024 KB of changes unread.*Reconnect with Last-Event-ID to catch up\."\}\n\n$/);
      const ids = [...text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1]);
      assert.ok(ids.length > 0 && ids.length < EVENTS, `it got ${ids.length} of ${EVENTS} changes before it was dropped`);
      // Reconnecting from the last change it got: the rest, or (older than the kept log) a reload.
      const resumed = await readStream(new URL('changes', url), { 'last-event-id': ids.at(-1) }, /event: (upsert|reload)\n/);
      assert.match(resumed, /event: (upsert|reload)\n/);
    } finally {
      for (const req of clients) req.destroy();
      child.kill();
    }
  });
});
