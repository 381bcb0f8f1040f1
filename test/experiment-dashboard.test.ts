import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { parseCollection } from '../src/data/parse.js';
import { generateCollection } from '../src/data/sample-data.js';
import { cellTexts, headerTitles, part, rows, waitForRows } from './helpers.js';

const sized = 'height: 500px; width: 1200px; display: block';

describe('<experiment-dashboard> from the src URL', () => {
  it('shows every valid experiment with its status as text and the curated columns', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const loaded = oneEvent(el, 'experiments-loaded');
    el.src = '/test/data/valid-collection.json';
    const ev = await loaded;
    expect(ev.detail.experiments).to.have.length(6);
    await waitForRows(el, 6);
    expect(headerTitles(el)).to.deep.equal(['Status', 'Name', 'accuracy (max)', 'Operator', 'Started', 'Duration', 'Group', 'Tags']);
    const byName = new Map(cellTexts(el).map((r) => [r[1], r]));
    expect(byName.get('baseline')?.[0]).to.equal('Completed');
    expect(byName.get('bigger model')?.[0]).to.equal('Failed');
    expect(byName.get('long sweep')?.[0]).to.equal('Running');
    // Heartbeat 90 min before generatedAt: dead, measured against the snapshot, not the clock.
    expect(byName.get('silent')?.[0]).to.equal('Dead');
    expect(byName.get('waiting')?.[0]).to.equal('Queued');
    expect(byName.get('stopped by hand')?.[0]).to.equal('Interrupted');
    expect(byName.get('baseline')?.[2]).to.equal('0.91');
    expect(byName.get('baseline')?.[5]).to.equal('1 h 30 min');
    // Running: counted up to generatedAt (12:00), not to today.
    expect(byName.get('long sweep')?.[5]).to.equal('1 h 00 min');
    expect(byName.get('stopped by hand')?.[2]).to.equal('NaN');
  });

  it('summarises totals, counts per status and the best main-metric run', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    const summary = part(el, 'summary')!.textContent!.replace(/\s+/g, ' ');
    expect(summary).to.contain('6 experiments');
    for (const s of ['Completed 1', 'Failed 1', 'Running 1', 'Dead 1', 'Queued 1', 'Interrupted 1']) expect(summary).to.contain(s);
    expect(summary).to.contain('Best accuracy (max): 0.95 in long sweep');
  });

  it('honours main-metric with a goal, overriding the collection default', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} main-metric="loss:min" src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(headerTitles(el)[2]).to.equal('loss (min)');
    expect(part(el, 'summary')!.textContent!.replace(/\s+/g, ' ')).to.contain('Best loss (min): 0.2 in baseline');
    el.mainMetric = 'accuracy:min';
    await waitUntil(() => headerTitles(el)[2] === 'accuracy (min)');
    await waitUntil(() => part(el, 'summary')!.textContent!.replace(/\s+/g, ' ').includes('Best accuracy (min): 0.42 in bigger model'));
  });

  // The table's first columns were made before the data: with main-metric their titles did not
  // change on load, the columns were kept, and Duration counted a running run to today's clock.
  it('counts a running duration up to the snapshot time with main-metric set (it was counted to today)', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} main-metric="accuracy:max" src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    await waitUntil(() => new Map(cellTexts(el).map((r) => [r[1], r])).get('long sweep')?.[5] === '1 h 00 min', `long sweep: ${JSON.stringify(cellTexts(el).find((r) => r[1] === 'long sweep'))}`);
  });

  // A live source (IndexedDB, HTTP) derives "dead" against the collection's generatedAt: the
  // duration counts to the same instant, not to the viewer's clock.
  it('counts the running duration of a live source up to its generatedAt (it was counted to today)', async () => {
    const collection = { generatedAt: '2024-05-01T12:00:00Z', experiments: [{ id: 'r', name: 'live run', status: 'running', times: { started: '2024-05-01T11:00:00Z', heartbeat: '2024-05-01T11:59:30Z' } }] };
    const source = {
      capabilities: { delete: false, live: true, serverQuery: false, history: false },
      load: async () => ({ experiments: parseCollection(collection).experiments, generatedAt: collection.generatedAt }),
      subscribe: () => () => undefined,
    };
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .source=${source}></experiment-dashboard>`);
    await waitForRows(el, 1);
    await waitUntil(() => cellTexts(el)[0]?.[5] === '1 h 00 min', `live run: ${JSON.stringify(cellTexts(el)[0])}`);
    expect(cellTexts(el)[0]?.[0]).to.equal('Running');
  });

  it('names the URL and reason when the file is missing', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const failed = oneEvent(el, 'source-error');
    el.src = '/test/data/does-not-exist.json';
    const ev = await failed;
    expect(ev.detail.error.kind).to.equal('not-found');
    await el.updateComplete;
    const error = part(el, 'error')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain('/test/data/does-not-exist.json');
    expect(error.textContent).to.contain('HTTP 404');
    expect(error.textContent).to.contain('not found');
  });

  it('says when the file is not JSON', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const failed = oneEvent(el, 'source-error');
    el.src = '/test/pages/bundle.html';
    const ev = await failed;
    expect(ev.detail.error.kind).to.equal('parse');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('is not valid JSON');
    expect(part(el, 'error')!.textContent).to.contain('/test/pages/bundle.html');
  });

  it('says when the server cannot be reached', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const failed = oneEvent(el, 'source-error');
    el.src = 'http://127.0.0.1:9/runs.json';
    const ev = await failed;
    expect(ev.detail.error.kind).to.equal('network');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('Could not reach http://127.0.0.1:9/runs.json');
  });

  it('shows the valid records of a mixed file and names each invalid one', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/mixed-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 2);
    expect(cellTexts(el).map((r) => r[1])).to.have.members(['good run', 'good run with a bad time']);
    const problems = part(el, 'problems')!;
    const items = [...problems.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).to.include('record 1, $.experiments[1].id: the required "id" is missing; the record was left out');
    expect(items.some((t) => t!.startsWith('record 2 (id "bad-status"), $.experiments[2].status: unknown status the text "exploded"'))).to.equal(true);
    expect(items.some((t) => t!.startsWith('record 3 (id "ok-2"), $.experiments[3].times.started:'))).to.equal(true);
    expect(items.some((t) => t!.startsWith('record 4, $.experiments[4]: expected an experiment object'))).to.equal(true);
    expect(items.some((t) => t!.startsWith('record 5 (id "ok-1"), $.experiments[5].id: duplicate id'))).to.equal(true);
    expect(problems.querySelector('summary')!.textContent).to.contain('4 record(s) left out');
  });
});

describe('<experiment-dashboard> other inputs', () => {
  it('reads a child <script type="application/json"> collection', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}>
      <script type="application/json">
        { "kind": "ExperimentCollection", "schemaVersion": "1.0", "experiments": [{ "id": "x", "name": "inline run", "status": "completed" }] }
      </script>
    </experiment-dashboard>`);
    await waitForRows(el, 1);
    expect(cellTexts(el)[0]?.[1]).to.equal('inline run');
  });

  it('reads the .experiments property, records or a collection', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.experiments = [{ id: 'p1', status: 'queued', name: 'from a property' }];
    await waitForRows(el, 1);
    expect(cellTexts(el)[0]?.[1]).to.equal('from a property');
    el.experiments = generateCollection({ n: 3, seed: 7 });
    await waitForRows(el, 3);
  });

  it('shows an empty state without data', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const loaded = oneEvent(el, 'experiments-loaded');
    el.experiments = [];
    await loaded;
    await el.updateComplete;
    expect(part(el, 'empty')!.textContent).to.contain('No experiments');
  });

  it('shows the columns asked for, skipping unknown ones', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} columns="status,params.lr,metrics.loss.last,nope.nothing" src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(headerTitles(el)).to.deep.equal(['Status', 'lr', 'loss']);
  });

  it('sorts by a column when its header is clicked', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    const header = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-col')].find((c) => c.textContent?.includes('Name'))!;
    header.click();
    await waitUntil(() => cellTexts(el)[0]?.[1] === 'baseline');
    expect(cellTexts(el).map((r) => r[1])).to.deep.equal(['baseline', 'bigger model', 'long sweep', 'silent', 'stopped by hand', 'waiting']);
    header.click();
    await waitUntil(() => cellTexts(el)[0]?.[1] === 'waiting');
  });

  it('renders experiment strings as text, never HTML', async () => {
    (window as unknown as { __xss: number }).__xss = 0;
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.experiments = [{ id: 'x', status: 'completed', name: '<img src=x onerror="window.__xss++">', operator: '<b>bold</b>', tags: ['<script>window.__xss++</script>'] }];
    await waitForRows(el, 1);
    expect(rows(el)[0]!.querySelector('img, b, script')).to.equal(null);
    expect(cellTexts(el)[0]?.[1]).to.equal('<img src=x onerror="window.__xss++">');
    await new Promise((r) => setTimeout(r, 50));
    expect((window as unknown as { __xss: number }).__xss).to.equal(0);
  });

  it('follows the theme attribute', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} theme="dark" src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(20, 24, 31)');
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  it('is accessible in the dark theme too (contrast included)', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} theme="dark" src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    await expect(el).to.be.accessible();
  });

  it('follows the density attribute', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    const height = () => rows(el)[0]!.getBoundingClientRect().height;
    const normal = height();
    el.density = 'compact';
    await waitUntil(() => height() < normal, 'compact rows are lower');
    el.density = 'comfortable';
    await waitUntil(() => height() > normal, 'comfortable rows are taller');
  });

  it('is accessible', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    await expect(el).to.be.accessible();
  });
});

describe('<experiment-dashboard> layout', () => {
  it('the table fills the element whatever display, height or none the page gives it', async () => {
    for (const [style, height] of [
      ['display: block; height: 600px; width: 1000px', 600],
      ['height: 600px; width: 1000px', 600],
      ['display: inline-block; height: 500px; width: 900px', 500],
      ['display: block; width: 1000px', 420], // no height: the element's minimum
    ] as const) {
      const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${style}></experiment-dashboard>`);
      el.experiments = generateCollection({ n: 300, historyPoints: 0 });
      await waitUntil(() => rows(el).length > 5, `${style}: rows`);
      await new Promise((r) => requestAnimationFrame(r));
      const host = el.getBoundingClientRect();
      const table = part(el, 'table')!.getBoundingClientRect();
      expect(host.height, style).to.equal(height);
      expect(table.bottom, `${style}: the table reaches the bottom`).to.be.closeTo(host.bottom, 1);
      expect(table.height, style).to.be.greaterThan(height - 120);
    }
  });
});

describe('the self-contained bundle', () => {
  it('works from one script tag on a plain page', async () => {
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width: 1200px; height: 600px';
    const errors: string[] = [];
    document.body.append(frame);
    frame.src = '/test/pages/bundle.html';
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    frame.contentWindow!.addEventListener('error', (e) => errors.push(e.message));
    const el = frame.contentDocument!.querySelector('experiment-dashboard') as ExperimentDashboard;
    await waitUntil(() => el.shadowRoot?.querySelectorAll('.tabulator-row').length === 6, 'bundle rendered 6 rows', { timeout: 10000 });
    const statuses = [...el.shadowRoot!.querySelectorAll('.status')].map((s) => s.textContent);
    expect(statuses).to.include('Completed');
    expect(errors).to.deep.equal([]);
    frame.remove();
  });
});
