import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { HttpSource, type HttpSourceInit } from '../src/data/http-source.js';
import type { Change, ConnectionState, Experiment, ExperimentSource, Page } from '../src/data/types.js';
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
  const source = (init: Partial<HttpSourceInit> = {}) => {
    // Live updates stop when the fixture removes the element (the store unsubscribes).
    return new HttpSource({ baseUrl: api, retryDelayMs: 10, retries: 1, pollIntervalMs: 100, live: 'sse', ...init });
  };

  before(async () => {
    const info = (await (await fetch('/__reference-server')).json()) as { url: string; token: string };
    api = info.url;
    token = info.token;
  });
  beforeEach(() => hook('reset'));
  afterEach(async () => {
    await hook('faults', []);
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

/** A live source like MlflowSource: polls, reports each poll, and counts its loads and subscriptions. */
function fakeLiveSource(extra: Partial<Page> = {}) {
  const record = (id: string, status: Experiment['status'] = 'running'): Experiment => ({ id, status, name: id });
  const state = {
    rows: [record('run-1'), record('run-2')],
    loads: 0,
    subscribed: 0,
    onChange: undefined as ((c: Change) => void) | undefined,
    onConnection: undefined as ((s: ConnectionState) => void) | undefined,
  };
  const source: ExperimentSource = {
    label: 'http://mlflow.test',
    capabilities: { delete: false, live: true, serverQuery: Boolean(extra.total !== undefined), history: false },
    load: async () => {
      state.loads += 1;
      return { experiments: state.rows.map((e) => ({ ...e })), ...extra };
    },
    subscribe(onChange, onConnection) {
      state.subscribed += 1;
      state.onChange = onChange;
      state.onConnection = onConnection;
      return () => {
        state.subscribed -= 1;
        state.onChange = undefined;
        state.onConnection = undefined;
      };
    },
  };
  return { source, state, record };
}

describe('the dashboard and a live source that polls (MLflow)', () => {
  it('says when it last updated, counting on, and pauses (unsubscribed) and resumes (subscribed, loaded again)', async () => {
    const { source, state, record } = fakeLiveSource();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .source=${source}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 2 && state.subscribed === 1, 'loaded and subscribed');
    state.onConnection!({ status: 'online', transport: 'poll', lastUpdated: Date.now() - 12_000 });
    await waitUntil(() => part(el, 'live')?.textContent?.includes('Updated 12 s ago'), 'Updated 12 s ago');
    // The line counts on by itself, with no change from the source.
    await waitUntil(() => part(el, 'live')?.textContent?.includes('Updated 13 s ago'), 'a second later', { timeout: 3000 });

    const toggle = () => part(el, 'live')!.querySelector<HTMLButtonElement>('button')!;
    expect(toggle().textContent).to.equal('Pause');
    toggle().click();
    await waitUntil(() => toggle().textContent === 'Resume', 'Resume offered');
    expect(state.subscribed).to.equal(0, 'unsubscribed while paused');
    expect(part(el, 'live')!.textContent).to.include('Live updates paused.');

    state.rows.push(record('run-3', 'completed'));
    const loadsBefore = state.loads;
    toggle().click();
    await waitUntil(() => el.loadedExperiments.length === 3, 'what changed while paused shows');
    expect(state.loads).to.equal(loadsBefore + 1);
    expect(state.subscribed).to.equal(1, 'subscribed again');
    expect(toggle().textContent).to.equal('Pause');

    state.onChange!({ type: 'upsert', experiments: [record('run-4')] });
    await waitUntil(() => el.loadedExperiments.length === 4, 'live changes arrive again');
  });

  it('a failed poll shows the offline line; the next good poll removes it', async () => {
    const { source, state } = fakeLiveSource();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .source=${source}></experiment-dashboard>`);
    await waitUntil(() => state.subscribed === 1, 'subscribed');
    state.onConnection!({ status: 'offline', transport: 'poll', lastUpdated: Date.now() - 5000, reason: 'Failed to fetch', retryAt: Date.now() + 15_000 });
    await waitUntil(() => part(el, 'connection'), 'the offline line');
    expect(part(el, 'connection')!.textContent!.replace(/\s+/g, ' ')).to.match(/Offline: the server at http:\/\/mlflow\.test cannot be reached\. Last updated \d\d:\d\d:\d\d\. Retrying in 1[45] s\./);
    expect(el.loadedExperiments).to.have.length(2);
    state.onConnection!({ status: 'online', transport: 'poll', lastUpdated: Date.now() });
    await waitUntil(() => part(el, 'connection') === null, 'the line goes');
  });
});

describe('the dashboard and a server that could not run the whole query', () => {
  /** A server-query source whose pages say what ran in the browser (as MlflowSource's do). */
  const partialSource = (coverage: Partial<Page>): ExperimentSource => ({
    capabilities: { delete: false, live: false, serverQuery: true, history: false },
    load: async (query) => {
      const experiments: Experiment[] = Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, status: 'completed', params: { lr: 0.1 } }));
      return { experiments, total: 50, ...(query.filters?.length ? coverage : {}) };
    },
  });

  it('says the filters ran in the browser over the first runs, and that the total is at least N', async () => {
    const el = await fixture<ExperimentDashboard>(
      html`<experiment-dashboard style=${sized} page-size="50" .source=${partialSource({ localFilters: ['params.lr'], partial: true, scanned: 10000, totalIsLowerBound: true, nextToken: 'more' })}></experiment-dashboard>`,
    );
    await waitUntil(() => el.loadedExperiments.length === 50, 'the first page');
    expect(part(el, 'coverage')).to.equal(null, 'nothing to say while the server ran the whole query');
    el.setViewState({ filters: [{ attribute: 'params.lr', op: 'gt', value: 0.01 }] });
    await waitUntil(() => part(el, 'coverage')?.textContent?.includes('0.01'), 'the note, with the filter in words');
    const note = part(el, 'coverage')!.textContent!;
    expect(note).to.match(/^Filtered in the browser over the first 10,000 runs: .*lr.*> 0\.01\. Matches beyond them are missing/);
    expect(note).to.include('At least 50 match');
    // The page controls load on first use.
    await waitUntil(() => part(el, 'pager'), 'the page controls', { timeout: 10000 });
    expect(part(el, 'pager')!.textContent!.replace(/\s+/g, ' ')).to.include('at least 50 experiments on the server');
    expect(part(el, 'pager')!.querySelectorAll('button')[1]!.disabled).to.equal(false, 'more pages may follow');
  });

  it('filters run in the browser over everything the server sent: said without a warning of missing matches', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} page-size="50" .source=${partialSource({ localFilters: ['search'] })}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 50, 'the first page');
    el.setViewState({ search: 'resnet', filters: [{ attribute: 'status', op: 'eq', value: 'completed' }] });
    await waitUntil(() => part(el, 'coverage'), 'the note');
    expect(part(el, 'coverage')!.textContent).to.equal('Filtered in the browser over what the server sent: search “resnet”.');
  });
});
