import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { HttpSource, type HttpSourceInit } from '../src/data/http-source.js';
import { part, rows } from './helpers.js';

const sized = 'display:block;height:500px;width:900px';

let api = '';
let token = '';
async function hook(name: string, body?: unknown): Promise<void> {
  const response = await fetch(new URL(`__test/${name}`, api), { method: 'POST', body: body === undefined ? null : JSON.stringify(body) });
  expect(response.ok, `test hook ${name}`).to.equal(true);
}
/** Every read of the server answers 503 (the server is down for this page), until `hook('faults', [])`. */
const takeDown = async (path = '/') => {
  await hook('faults', [{ method: 'GET', path, status: 503, count: 100000 }]);
  await hook('drop-streams');
};

describe('the dashboard and a live HTTP source', () => {
  const made: HttpSource[] = [];
  const source = (init: Partial<HttpSourceInit> = {}) => {
    const s = new HttpSource({ baseUrl: api, retryDelayMs: 10, retries: 1, pollIntervalMs: 100, live: 'sse', ...init });
    made.push(s);
    return s;
  };

  before(async () => {
    const info = (await (await fetch('/__reference-server')).json()) as { url: string; token: string };
    api = info.url;
    token = info.token;
  });
  beforeEach(() => hook('reset'));
  afterEach(async () => {
    await hook('faults', []);
    for (const s of made.splice(0)) s.close?.();
  });

  it('offline: the rows stay and a status line says so, with Retry now; after a restart a deleted run disappears', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .source=${source({ mode: 'client' })}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 300 && rows(el).length > 0, 'rows', { timeout: 10000 });
    await waitUntil(() => part(el, 'live')?.textContent?.includes('Live'), 'the stream opens', { timeout: 5000 });
    expect(part(el, 'connection')).to.equal(null);

    await takeDown();
    await waitUntil(() => part(el, 'connection'), 'the offline line', { timeout: 10000 });
    const line = part(el, 'connection')!;
    expect(line.getAttribute('role')).to.equal('status');
    expect(line.textContent!.replace(/\s+/g, ' ')).to.match(/Offline: the server at .+ cannot be reached\. Last updated \d\d:\d\d:\d\d\. Retrying in \d+ s\./);
    expect(line.querySelector('button')?.textContent).to.equal('Retry now');
    expect(el.loadedExperiments).to.have.length(300, 'the rows stay');
    expect(rows(el).length).to.be.greaterThan(0);

    // Meanwhile another client deletes a run, and the server restarts (its change log is gone).
    const gone = el.loadedExperiments[0]!.id;
    await new HttpSource({ baseUrl: api, token }).delete([gone]);
    await hook('restart');
    await hook('faults', []);
    line.querySelector('button')!.click(); // Retry now
    await waitUntil(() => !el.loadedExperiments.some((e) => e.id === gone), 'the deleted run disappears', { timeout: 10000 });
    await waitUntil(() => part(el, 'connection') === null, 'back online, the line disappears', { timeout: 10000 });
    expect(el.loadedExperiments).to.have.length(299);
  });

  it('a change of kind reload (the data on the server was replaced) loads the rows again', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .source=${source({ mode: 'client' })}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 300, 'rows', { timeout: 10000 });
    await waitUntil(() => part(el, 'live')?.textContent?.includes('Live'), 'the stream opens', { timeout: 5000 });
    const gone = el.loadedExperiments[1]!.id;
    await new HttpSource({ baseUrl: api, token }).delete([gone]);
    await waitUntil(() => el.loadedExperiments.length === 299, 'the delete arrives', { timeout: 10000 });
    // The reset hook puts the data back as it was and says `reload`: only a load can show it.
    await hook('reset');
    await waitUntil(() => el.loadedExperiments.some((e) => e.id === gone), 'the run is back after the reload', { timeout: 10000 });
  });

  it('a view change while offline keeps the rows, says the view could not be refreshed, and refreshes on reconnection', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} page-size="50" .source=${source({ mode: 'server' })}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 50 && rows(el).length > 0, 'the first page', { timeout: 10000 });
    await waitUntil(() => part(el, 'live')?.textContent?.includes('Live'), 'the stream opens', { timeout: 5000 });
    await takeDown();
    await waitUntil(() => part(el, 'connection'), 'the offline line', { timeout: 10000 });
    const before = el.loadedExperiments.map((e) => e.id);

    el.setViewState({ filters: [{ attribute: 'status', op: 'eq', value: 'failed' }] });
    await waitUntil(() => part(el, 'connection')?.textContent?.includes('The view could not be refreshed'), 'the view is said to be stale', { timeout: 10000 });
    expect(el.loadedExperiments.map((e) => e.id)).to.deep.equal(before, 'the rows stay');
    expect(part(el, 'empty')).to.equal(null);
    expect(part(el, 'error')).to.equal(null);

    await hook('faults', []);
    await waitUntil(() => el.loadedExperiments.length > 0 && el.loadedExperiments.every((e) => e.status === 'failed'), 'the filtered view arrives once online', { timeout: 10000 });
    await waitUntil(() => part(el, 'connection') === null, 'the line disappears', { timeout: 10000 });
  });
});
