import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { Change, Experiment, ExperimentSource, Page } from '../src/data/types.js';
import { rows, waitForRows } from './helpers.js';

// Parts of the table that load when they are first needed: the nesting of child runs, once some
// run's parent is loaded too (never for a collection without child runs; when a live change
// brings the first child run of one), and the grid's keys, on the grid's first focus.

const sized = 'height: 500px; width: 1200px; display: block';
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

// Every module the page fetches is listed (the default buffer keeps only the first 250 entries).
performance.setResourceTimingBufferSize(100_000);
const fetched = (pathPart: string) => performance.getEntriesByType('resource').some((r) => r.name.includes(pathPart));

class LiveSource implements ExperimentSource {
  readonly capabilities = { delete: false, live: true, serverQuery: false, history: false };
  #listeners: ((c: Change) => void)[] = [];
  constructor(private readonly data: Experiment[]) {}
  async load(): Promise<Page> {
    return { experiments: this.data };
  }
  subscribe(onChange: (c: Change) => void): () => void {
    this.#listeners.push(onChange);
    return () => (this.#listeners = this.#listeners.filter((l) => l !== onChange));
  }
  send(change: Change): void {
    for (const l of this.#listeners) l(change);
  }
}

// First: the test after it loads the family code into this page.
describe('the code of child runs is not fetched for a collection without them', () => {
  it('not for runs whose parent is not loaded, nor for a run naming itself', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.experiments = [
      { id: 'a', name: 'a', status: 'completed' },
      { id: 'b', name: 'b', status: 'failed', labels: { 'mlflow.parentRunId': 'gone' } },
      { id: 'c', name: 'c', status: 'completed', labels: { 'mlflow.parentRunId': 'c' } },
    ];
    await waitForRows(el, 3);
    // The modules the table needs are listed (so an absence below means something).
    expect(fetched('table/table-controller')).to.equal(true);
    expect(fetched('table/run-families')).to.equal(false);
    expect(fetched('table/families')).to.equal(false);
    expect(el.shadowRoot!.querySelector('.row-child, button.family-toggle')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.action-error')).to.equal(null);
  });
});

describe("the grid's keys", () => {
  it('load on its first focus, and the first key pressed at once works', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} columns="status,name"></experiment-dashboard>`);
    el.experiments = [
      { id: 'a', name: 'a', status: 'completed' },
      { id: 'b', name: 'b', status: 'failed' },
    ];
    await waitForRows(el, 2);
    const grid = el.shadowRoot!.querySelector<HTMLElement>('.table[role="grid"]')!;
    expect(grid.tabIndex).to.equal(0);
    expect(grid.getAttribute('aria-label')).to.equal('Experiments');
    expect(fetched('table/keyboard')).to.equal(false);
    grid.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => text(el.shadowRoot!.querySelector('.row-active .tabulator-cell[tabulator-field="name"] > span')) === 'b', 'the second row is active');
    expect(grid.getAttribute('aria-activedescendant')).to.equal(el.shadowRoot!.querySelector('.row-active')!.id);
    expect(fetched('table/keyboard')).to.equal(true);
  });
});

describe('a collection with child runs', () => {
  it('shows nested from its first rows: the folded children are never drawn flat first', async () => {
    const el = document.createElement('experiment-dashboard') as ExperimentDashboard;
    el.setAttribute('style', sized);
    el.setAttribute('columns', 'status,name');
    // Every state of the rows the page could paint (a mutation observer runs before the next paint).
    const seen = new Set<string>();
    const watch = new MutationObserver(() => {
      for (const r of rows(el)) seen.add(text(r.querySelector('.tabulator-cell[tabulator-field="name"] > span')));
    });
    el.setAttribute('src', '/test/data/nested-runs.json');
    const wrapper = await fixture<HTMLElement>(html`<div></div>`);
    wrapper.append(el);
    watch.observe(el.shadowRoot!, { childList: true, subtree: true });
    await waitUntil(() => el.shadowRoot!.querySelector('button.family-toggle'), 'the parent shows its toggle', { timeout: 10000 });
    await waitForRows(el, 4);
    watch.disconnect();
    expect([...seen].sort()).to.deep.equal(['orphan', 'solo-high', 'solo-low', 'sweep-A']);
  });
});

describe('child runs that arrive with a live change', () => {
  it('the first child run of a loaded parent nests under it, collapsed', async () => {
    const source = new LiveSource([
      { id: 'sweep', name: 'sweep', status: 'completed' },
      { id: 'solo', name: 'solo', status: 'completed' },
    ]);
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} columns="status,name" .source=${source}></experiment-dashboard>`);
    await waitForRows(el, 2);
    expect(el.shadowRoot!.querySelector('button.family-toggle')).to.equal(null);
    source.send({ type: 'upsert', experiments: [{ id: 'trial', name: 'trial', status: 'running', labels: { 'mlflow.parentRunId': 'sweep' } }] });
    await waitUntil(() => el.shadowRoot!.querySelector('button.family-toggle'), 'the parent shows its toggle', { timeout: 10000 });
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('button.family-toggle')!;
    expect(text(toggle)).to.equal('1 child run');
    expect(el.loadedExperiments).to.have.length(3);
    await waitForRows(el, 2);
    toggle.click();
    await waitForRows(el, 3);
    expect(fetched('table/run-families')).to.equal(true);
    expect(rows(el).map((r) => text(r.querySelector('.tabulator-cell[tabulator-field="name"] > span')))).to.deep.equal(['sweep', 'trial', 'solo']);
  });
});
