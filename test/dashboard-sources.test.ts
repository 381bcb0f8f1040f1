import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { IndexedDbSource } from '../src/data/idb-source.js';
import { generateCollection, collectionToJson } from '../src/data/sample-data.js';
import { cellTexts, part, rows } from './helpers.js';

const sized = 'height: 600px; width: 1400px; display: block';
const server = async (): Promise<{ url: string; sample: { n: number } }> => (await fetch('/__reference-server')).json();
const pager = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLElement>('.pager');

describe('<experiment-dashboard endpoint> (HTTP, server-query mode)', () => {
  it('pages, searches and sorts on the server', async () => {
    const { url, sample } = await server();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} page-size="50" endpoint=${url}></experiment-dashboard>`);
    await waitUntil(() => rows(el).length > 0, 'first page shown', { timeout: 10000 });
    await waitUntil(() => pager(el)?.textContent?.includes(`Page 1 of ${Math.ceil(sample.n / 50)}`), 'pager');
    const firstPage = cellTexts(el).map((r) => r[1]);
    const next = [...pager(el)!.querySelectorAll('button')].find((b) => b.textContent === 'Next page')!;
    next.click();
    await waitUntil(() => pager(el)!.textContent!.includes('Page 2 of'));
    await waitUntil(() => cellTexts(el)[0]?.[1] !== firstPage[0], 'second page rows');
    el.setViewState({ filters: [{ attribute: 'status', op: 'in', value: ['failed'] }] });
    await waitUntil(() => pager(el)!.textContent!.includes('Page 1 of'));
    await waitUntil(() => cellTexts(el).length > 0 && cellTexts(el).every((r) => r[0] === 'Failed'), 'only failed runs from the server');
  });

  it('shows a named error when the service is unreachable', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const failed = oneEvent(el, 'source-error');
    el.endpoint = 'http://127.0.0.1:9/api/';
    const ev = await failed;
    expect(ev.detail.error.kind).to.equal('network');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('127.0.0.1:9');
  });
});

describe('<experiment-dashboard database> (IndexedDB)', () => {
  it('imports a file through the toolbar, reporting counts, then shows it', async () => {
    const name = `dash-${Math.random().toString(36).slice(2)}`;
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} database=${name}></experiment-dashboard>`);
    await waitUntil(() => el.shadowRoot!.querySelector('.import-button'), 'Import offered');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('.import-button input[type=file]')!;
    const data = new DataTransfer();
    data.items.add(new File([collectionToJson(generateCollection({ n: 40, seed: 3 }))], 'runs.json', { type: 'application/json' }));
    input.files = data.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => el.shadowRoot!.querySelector('.import-report')?.textContent === 'runs.json: 40 added, 0 updated, 0 rejected.', 'import report', { timeout: 10000 });
    await waitUntil(() => el.loadedExperiments.length === 40);
    await waitUntil(() => rows(el).length > 0);
  });

  it('hands over a first batch early, for a first screen while the rest loads', async () => {
    const name = `dash-${Math.random().toString(36).slice(2)}`;
    const source = new IndexedDbSource(name, { readBatchSize: 100 });
    await source.importCollection(generateCollection({ n: 450, seed: 2, historyPoints: 0 }));
    const partials: number[] = [];
    const page = await source.load({}, undefined, (first) => partials.push(first.length));
    expect(partials).to.deep.equal([100]);
    expect(page.experiments).to.have.length(450);
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const sizes: number[] = [];
    const watch = setInterval(() => sizes.push(el.loadedExperiments.length), 1);
    el.source = source;
    await waitUntil(() => el.loadedExperiments.length === 450, 'all loaded');
    clearInterval(watch);
    expect(sizes).to.include(100);
    source.close();
  });

  it('shows a change made in another tab (another source on the same database)', async () => {
    const name = `dash-${Math.random().toString(36).slice(2)}`;
    const other = new IndexedDbSource(name);
    await other.importCollection(generateCollection({ n: 5, seed: 1 }));
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} database=${name}></experiment-dashboard>`);
    await waitUntil(() => el.loadedExperiments.length === 5, 'five loaded');
    await other.delete(['run-000001']);
    await waitUntil(() => el.loadedExperiments.length === 4, 'the deletion arrived', { timeout: 5000 });
    await waitUntil(() => !cellTexts(el).some((r) => r.join(' ').includes('run-000001')));
    other.close();
  });
});
