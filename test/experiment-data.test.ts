import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-data/experiment-data.js';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import '../src/components/experiment-row-detail/experiment-row-detail.js';
import '../src/components/experiment-compare/experiment-compare.js';
import type { ExperimentCompare } from '../src/components/experiment-compare/experiment-compare.component.js';
import type { ExperimentData } from '../src/components/experiment-data/experiment-data.component.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ExperimentRowDetail } from '../src/components/experiment-row-detail/experiment-row-detail.component.js';
import type { Page } from '../src/data/types.js';
import { cellTexts, rows, waitForRows } from './helpers.js';

const sized = 'height: 400px; width: 1100px; display: block';
const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

/** A URL of the test collection no other test asked for, so its fetches can be counted. */
function freshUrl(): string {
  return `/test/data/valid-collection.json?load=${Math.random().toString(36).slice(2)}`;
}
const fetchesOf = (url: string) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith(url)).length;

describe('<experiment-data>', () => {
  it('loads once for a dashboard and a detail inside it; the detail shows its record from the shared store', async () => {
    const url = freshUrl();
    const root = await fixture<ExperimentData>(html`<experiment-data src=${url} main-metric="accuracy:max">
      <experiment-dashboard style=${sized}></experiment-dashboard>
      <experiment-row-detail experiment-id="a3"></experiment-row-detail>
    </experiment-data>`);
    const dashboard = root.querySelector('experiment-dashboard')!;
    const detail = root.querySelector<ExperimentRowDetail>('experiment-row-detail')!;
    await waitForRows(dashboard, 6);
    await waitUntil(() => text(detail).includes('long sweep'), 'the detail shows a3');
    // The running run is measured to the collection's generatedAt (the shared clock), not to today.
    expect(text(detail)).to.contain('1 h 00 min (still running)');
    expect(new Map(cellTexts(dashboard).map((r) => [r[1], r])).get('long sweep')?.[5]).to.equal('1 h 00 min');
    expect(fetchesOf(url)).to.equal(1);
    expect(root.loadedExperiments).to.have.length(6);
    expect(dashboard.loadedExperiments).to.equal(root.loadedExperiments);
    await expect(root).to.be.accessible();
  });

  it('fires experiments-loaded, and a detail says it is loading until the data is there', async () => {
    const root = await fixture<ExperimentData>(html`<experiment-data><experiment-row-detail experiment-id="a1"></experiment-row-detail></experiment-data>`);
    const detail = root.querySelector<ExperimentRowDetail>('experiment-row-detail')!;
    await detail.updateComplete;
    expect(text(detail)).to.contain('No experiment to show');
    const loaded = oneEvent(root, 'experiments-loaded');
    let answer!: (page: Page) => void;
    root.source = { capabilities: { delete: false, live: false, serverQuery: false, history: false }, load: () => new Promise<Page>((resolve) => (answer = resolve)) };
    await waitUntil(() => text(detail).includes('Loading experiment a1'), 'loading shown');
    answer({ experiments: [{ id: 'a1', name: 'baseline', status: 'completed' }] });
    expect((await loaded).detail.experiments).to.have.length(1);
    await waitUntil(() => text(detail).includes('baseline'), 'a1 shown');
  });

  it('shares one view state: a search in one dashboard filters the other', async () => {
    const root = await fixture<ExperimentData>(html`<experiment-data src=${freshUrl()}>
      <experiment-dashboard style=${sized}></experiment-dashboard>
      <experiment-dashboard style=${sized}></experiment-dashboard>
    </experiment-data>`);
    const [first, second] = [...root.querySelectorAll('experiment-dashboard')] as [ExperimentDashboard, ExperimentDashboard];
    await waitForRows(first, 6);
    await waitForRows(second, 6);
    const changed = oneEvent(second, 'view-change');
    first.setViewState({ search: 'sweep' });
    await changed;
    expect(second.getViewState().search).to.equal('sweep');
    await waitForRows(second, 1, 'the other dashboard is filtered too');
    expect(cellTexts(second)[0]?.[1]).to.equal('long sweep');
  });

  it('an element with data of its own keeps it', async () => {
    const own = [{ id: 'mine', name: 'my own run', status: 'completed' }];
    const root = await fixture<ExperimentData>(html`<experiment-data src=${freshUrl()}>
      <experiment-dashboard style=${sized} .experiments=${own}></experiment-dashboard>
      <experiment-row-detail .experiment=${own[0]} experiment-id="mine"></experiment-row-detail>
    </experiment-data>`);
    const dashboard = root.querySelector('experiment-dashboard')!;
    await waitUntil(() => root.loadedExperiments.length === 6, 'the provider loaded');
    await waitForRows(dashboard, 1);
    expect(rows(dashboard)).to.have.length(1);
    expect(text(root.querySelector('experiment-row-detail')!)).to.contain('my own run');
  });

  it('a dashboard outside any provider loads on its own, as before', async () => {
    const url = freshUrl();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src=${url}></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(fetchesOf(url)).to.equal(1);
  });

  it('a comparison beside a dashboard compares the rows checked in it; its own experiments win', async () => {
    const root = await fixture<ExperimentData>(html`<experiment-data src=${freshUrl()}>
      <experiment-dashboard style=${sized}></experiment-dashboard>
      <experiment-compare></experiment-compare>
    </experiment-data>`);
    const dashboard = root.querySelector('experiment-dashboard')!;
    const compare = root.querySelector<ExperimentCompare>('experiment-compare')!;
    await waitForRows(dashboard, 6);
    expect(text(compare)).to.contain('Choose two or more experiments to compare.');
    // Rows are checked by name, as a user reads them.
    const check = (name: string) => dashboard.shadowRoot!.querySelector<HTMLInputElement>(`input[aria-label="Select ${name}"]`)!.click();
    check('bigger model');
    await waitUntil(() => text(compare).includes('Choose two or more'), 'one checked row is not a comparison');
    check('long sweep');
    await waitUntil(() => text(compare).includes('2 experiments'), 'the two checked rows compared');
    // Each column is titled with its run's name (and its status under it).
    const titles = [...compare.shadowRoot!.querySelector('thead')!.querySelectorAll('th')].map((th) => th.textContent!.trim().split(/\s*\n\s*/));
    expect(titles).to.deep.equal([['Attribute'], ['bigger model', 'Failed'], ['long sweep', 'Running']]);
    expect(text(compare)).to.not.contain('baseline');
    await expect(compare).to.be.accessible();
    // Unchecked again: nothing to compare.
    check('bigger model');
    await waitUntil(() => text(compare).includes('Choose two or more'), 'back to one');
    // A page that names the runs itself is obeyed.
    const [a1, a4] = [root.loadedExperiments.find((e) => e.id === 'a1')!, root.loadedExperiments.find((e) => e.id === 'a4')!];
    compare.experiments = [a1, a4];
    await waitUntil(() => text(compare).includes('2 experiments') && text(compare).includes('baseline') && text(compare).includes('silent'), 'the given runs compared');
    check('waiting');
    await compare.updateComplete;
    expect(text(compare)).to.not.contain('waiting');
  });
});
