// The reference server's defences (issue 17), against the real server over loopback: requests
// are sent exactly as a hostile web page's browser would send them (Origin, content type, Host),
// and the data file on disk is checked byte for byte after each one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer, trashPathOf } from '../../server/reference-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/experiment-dashboard.mjs');
const TOKEN = 'a-long-enough-test-token-0123456789';
const EVIL = 'https://evil.example';
const PAGE = 'http://localhost:8000';

/** A pretty-printed collection with one record the server cannot use: it must survive writes untouched. */
const COLLECTION = {
  schemaVersion: '1.0',
  kind: 'ExperimentCollection',
  generatedAt: '2024-05-01T12:00:00.000Z',
  source: { type: 'hand-written', note: 'kept as is' },
  experiments: [
    { id: 'run-a', status: 'completed', metrics: { loss: { last: 0.5 } }, params: { lr: 0.1 } },
    { id: 'run-b', status: 'failed', notes: 'diverged' },
    { status: 'completed', name: 'no id: the server skips it, the file keeps it' },
    { id: 'run-c', status: 'completed', tags: ['x'] },
    { id: 'run-d', status: 'completed', metrics: { loss: { last: 'NaN' } } },
  ],
};
const ORIGINAL = `${JSON.stringify(COLLECTION, null, 2)}\n`;

let tmp;
let servers = [];

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ed-security-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

let fileCount = 0;
function dataFile(text = ORIGINAL) {
  const file = join(tmp, `runs-${++fileCount}.json`);
  writeFileSync(file, text);
  return file;
}

async function serve(options) {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

/** One HTTP request with full control of the headers (fetch would not let us set Host). */
function send(server, method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.url), { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ids = async (server) => (await send(server, 'GET', 'experiments')).json().experiments.map((e) => e.id);
const deleteBody = (...list) => JSON.stringify({ ids: list });

describe('no cross-origin access unless asked for', () => {
  it('answers reads without CORS headers and refuses preflights of unknown pages', async () => {
    const server = await serve({ dataFile: dataFile(), writable: true });
    const read = await send(server, 'GET', 'experiments', { headers: { origin: EVIL } });
    assert.equal(read.status, 200);
    assert.equal(read.headers['access-control-allow-origin'], undefined, 'a foreign page must not be able to read the runs');
    const preflight = await send(server, 'OPTIONS', 'experiments/delete', {
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  it('lets the named origins read, and only them', async () => {
    const server = await serve({ dataFile: dataFile(), writable: true, cors: [PAGE] });
    const ok = await send(server, 'GET', 'experiments', { headers: { origin: PAGE } });
    assert.equal(ok.headers['access-control-allow-origin'], PAGE);
    assert.match(ok.headers.vary, /Origin/);
    const preflight = await send(server, 'OPTIONS', 'experiments/delete', { headers: { origin: PAGE, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], PAGE);
    const other = await send(server, 'GET', 'experiments', { headers: { origin: EVIL } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('never combines "*" with writes, and refuses origins that are not origins', async () => {
    await assert.rejects(startServer({ data: COLLECTION, writable: true, cors: '*' }), (e) => e.name === 'UnsafeConfigError' && /never lets every web page/.test(e.message));
    await assert.rejects(startServer({ data: COLLECTION, cors: ['http://localhost:8000/'] }), /not an origin/);
    const readOnly = await serve({ data: COLLECTION, cors: '*' });
    assert.equal((await send(readOnly, 'GET', 'experiments', { headers: { origin: EVIL } })).headers['access-control-allow-origin'], '*');
    assert.equal((await send(readOnly, 'GET', 'capabilities')).json().delete, false);
  });
});

describe('writes are not simple requests', () => {
  it('refuses the exact text/plain request that deleted a run, before touching the file', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true });
    // What <form> or fetch(..., {mode: 'no-cors'}) on evil.example sends: no preflight.
    const r = await send(server, 'POST', 'experiments/delete', { headers: { origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' }, body: deleteBody('run-a') });
    assert.equal(r.status, 403);
    assert.match(r.json().error, /evil\.example.*not allowed.*Nothing was changed/s);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal(existsSync(trashPathOf(file)), false);
    assert.deepEqual(await ids(server), ['run-a', 'run-b', 'run-c', 'run-d']);
  });

  it('refuses a JSON request from a foreign page (403) and a non-JSON one without Origin (415)', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true });
    const json = await send(server, 'POST', 'experiments/delete', { headers: { origin: EVIL, 'content-type': 'application/json' }, body: deleteBody('run-a') });
    assert.equal(json.status, 403);
    const plain = await send(server, 'POST', 'experiments/delete', { headers: { 'content-type': 'text/plain' }, body: deleteBody('run-a') });
    assert.equal(plain.status, 415);
    assert.match(plain.json().error, /application\/json/);
    const form = await send(server, 'POST', 'experiments/restore', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ids=run-a' });
    assert.equal(form.status, 415);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });

  it('refuses writes from an allowed page when the server has no token', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true, cors: [PAGE] });
    const caps = (await send(server, 'GET', 'capabilities', { headers: { origin: PAGE } })).json();
    assert.equal(caps.delete, false, 'the page is not offered a delete that would fail');
    const r = await send(server, 'POST', 'experiments/delete', { headers: { origin: PAGE, 'content-type': 'application/json' }, body: deleteBody('run-a') });
    assert.equal(r.status, 403);
    assert.match(r.json().error, /need a token/);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });
});

describe('DNS rebinding', () => {
  it('answers 421 to a Host that is not its own address or localhost', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true });
    const port = new URL(server.url).port;
    const rebound = await send(server, 'POST', 'experiments/delete', { headers: { host: `evil.example:${port}`, 'content-type': 'application/json' }, body: deleteBody('run-a') });
    assert.equal(rebound.status, 421);
    assert.equal((await send(server, 'GET', 'experiments', { headers: { host: `evil.example:${port}` } })).status, 421);
    assert.equal((await send(server, 'GET', 'experiments', { headers: { host: `localhost:${port + 1}` } })).status, 421, 'the port is part of the check');
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await send(server, 'GET', 'experiments', { headers: { host } })).status, 200, host);
    }
  });
});

describe('tokens', () => {
  it('needs the right bearer token for writes, reads stay open', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true, token: TOKEN, cors: [PAGE] });
    const json = { 'content-type': 'application/json' };
    const none = await send(server, 'POST', 'experiments/delete', { headers: json, body: deleteBody('run-a') });
    assert.equal(none.status, 401);
    assert.match(none.headers['www-authenticate'], /^Bearer/);
    assert.match(none.json().error, /needs an access token/);
    const wrong = await send(server, 'POST', 'experiments/delete', { headers: { ...json, authorization: `Bearer ${TOKEN}x` }, body: deleteBody('run-a') });
    assert.equal(wrong.status, 401);
    assert.match(wrong.json().error, /token is wrong/);
    const basic = await send(server, 'POST', 'experiments/delete', { headers: { ...json, authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }, body: deleteBody('run-a') });
    assert.equal(basic.status, 401);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal((await send(server, 'GET', 'experiments')).status, 200);

    // The allowed page with the token may write; a foreign page may not, even with the token.
    const foreign = await send(server, 'POST', 'experiments/delete', { headers: { ...json, origin: EVIL, authorization: `Bearer ${TOKEN}` }, body: deleteBody('run-a') });
    assert.equal(foreign.status, 403);
    const right = await send(server, 'POST', 'experiments/delete', { headers: { ...json, origin: PAGE, authorization: `Bearer ${TOKEN}` }, body: deleteBody('run-a') });
    assert.equal(right.status, 200);
    assert.equal(right.headers['access-control-allow-origin'], PAGE);
    assert.deepEqual(right.json(), { deleted: ['run-a'], notFound: [] });
    assert.deepEqual(await ids(server), ['run-b', 'run-c', 'run-d']);
  });

  it('refuses to start writable on a non-loopback interface without a token, or with a short one', async () => {
    await assert.rejects(startServer({ data: COLLECTION, writable: true, host: '0.0.0.0' }), (e) => e.name === 'UnsafeConfigError' && /Refusing to start.*token/s.test(e.message));
    await assert.rejects(startServer({ data: COLLECTION, writable: true, token: 'short' }), /at least 16 characters/);
  });

  it('the CLI says why it will not start, and reads the token from the environment', () => {
    const file = dataFile();
    const env = { ...process.env };
    delete env.EXPERIMENT_DASHBOARD_TOKEN;
    const refused = spawnSync(process.execPath, [CLI, 'serve', '--data', file, '--host', '0.0.0.0', '--port', '0', '--writable'], { encoding: 'utf8', env, timeout: 60_000 });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /Refusing to start: a writable server on 0\.0\.0\.0 can be reached by other machines.*--token or the EXPERIMENT_DASHBOARD_TOKEN/s);
    const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8', timeout: 60_000 });
    for (const flag of ['--cors-origin ORIGIN', '--token TOKEN', 'EXPERIMENT_DASHBOARD_TOKEN', 'reverse proxy']) assert.ok(help.stdout.includes(flag), flag);
    // A too-short token from the environment is refused the same way as one from the flag.
    const short = spawnSync(process.execPath, [CLI, 'serve', '--data', file, '--port', '0', '--writable'], { encoding: 'utf8', env: { ...env, EXPERIMENT_DASHBOARD_TOKEN: 'short' }, timeout: 60_000 });
    assert.equal(short.status, 2);
    assert.match(short.stderr, /at least 16 characters/);
  });
});

describe('deletes can be undone', () => {
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

  it('delete then restore leaves the data file byte-identical, the records back in place', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true, token: TOKEN });
    const del = await send(server, 'POST', 'experiments/delete', { headers: auth, body: deleteBody('run-b', 'run-d', 'nope') });
    assert.deepEqual(del.json(), { deleted: ['run-b', 'run-d'], notFound: ['nope'] });
    const afterDelete = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(afterDelete.experiments.map((e) => e.id ?? '(no id)'), ['run-a', '(no id)', 'run-c'], 'the record the server could not read stays in the file');
    assert.deepEqual(afterDelete.source, COLLECTION.source);
    const trash = JSON.parse(readFileSync(trashPathOf(file), 'utf8'));
    assert.deepEqual(trash.experiments, [COLLECTION.experiments[1], COLLECTION.experiments[4]]);
    assert.deepEqual((await send(server, 'GET', 'trash')).json().deleted.map((d) => d.id), ['run-b', 'run-d']);

    const restored = await send(server, 'POST', 'experiments/restore', { headers: auth, body: deleteBody('run-d', 'run-b', 'run-a', 'never') });
    assert.deepEqual(restored.json(), { restored: ['run-b', 'run-d'], notFound: ['never'], alreadyPresent: ['run-a'] });
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
    assert.deepEqual(JSON.parse(readFileSync(trashPathOf(file), 'utf8')).experiments, []);
    assert.deepEqual(await ids(server), ['run-a', 'run-b', 'run-c', 'run-d']);
  });

  it('keeps the trash across a restart', async () => {
    const file = dataFile();
    const first = await serve({ dataFile: file, writable: true, token: TOKEN });
    assert.equal((await send(first, 'POST', 'experiments/delete', { headers: auth, body: deleteBody('run-c') })).status, 200);
    await first.close();
    servers = [];
    const second = await serve({ dataFile: file, writable: true, token: TOKEN });
    assert.deepEqual(await ids(second), ['run-a', 'run-b', 'run-d']);
    assert.deepEqual((await send(second, 'POST', 'experiments/restore', { headers: auth, body: deleteBody('run-c') })).json().restored, ['run-c']);
    assert.equal(readFileSync(file, 'utf8'), ORIGINAL);
  });

  it('a failed write leaves both files as they were', async () => {
    const file = dataFile();
    const server = await serve({ dataFile: file, writable: true, token: TOKEN });
    assert.equal((await send(server, 'POST', 'experiments/delete', { headers: auth, body: deleteBody('run-a') })).status, 200);
    const dataBefore = readFileSync(file, 'utf8');
    const trashBefore = readFileSync(trashPathOf(file), 'utf8');
    // The data file's temporary name is taken by a folder: its write fails after the trash's succeeded.
    mkdirSync(`${file}.${process.pid}.tmp`);
    const r = await send(server, 'POST', 'experiments/delete', { headers: auth, body: deleteBody('run-b') });
    assert.equal(r.status, 500);
    assert.match(r.json().error, /nothing was deleted/);
    assert.equal(readFileSync(file, 'utf8'), dataBefore);
    assert.equal(readFileSync(trashPathOf(file), 'utf8'), trashBefore);
    assert.deepEqual(await ids(server), ['run-b', 'run-c', 'run-d']);
    const back = await send(server, 'POST', 'experiments/restore', { headers: auth, body: deleteBody('run-a') });
    assert.equal(back.status, 500);
    assert.match(back.json().error, /nothing was restored/);
    assert.equal(readFileSync(file, 'utf8'), dataBefore);
    assert.equal(readFileSync(trashPathOf(file), 'utf8'), trashBefore);
    rmSync(`${file}.${process.pid}.tmp`, { recursive: true });
  });

  it('refuses to start over a damaged trash file rather than overwrite it', async () => {
    const file = dataFile();
    writeFileSync(trashPathOf(file), '{"experiments": [');
    await assert.rejects(startServer({ dataFile: file, writable: true }), /trash file .* damaged: move it aside/s);
    assert.equal(readFileSync(trashPathOf(file), 'utf8'), '{"experiments": [');
  });
});
