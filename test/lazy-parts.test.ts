// Parts of the dashboard loaded on demand, when the server cannot send them (a lost connection,
// a deployment that replaced the files): the element says so, and the table keeps working.
// The test server answers 503 for modules named in the `ed-fail-modules` cookie
// (web-test-runner.config.mjs).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { part, rows, waitForRows } from './helpers.js';

const sized = 'height: 500px; width: 1200px; display: block';

function failModules(pathPart?: string): void {
  // max-age: a run cut short cannot leave the failure behind for other test files for long.
  document.cookie = pathPart ? `ed-fail-modules=${encodeURIComponent(pathPart)}; path=/; max-age=30` : 'ed-fail-modules=; path=/; max-age=0';
}

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const actionError = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLElement>('.action-error');

describe('parts of the dashboard that load on demand, when they cannot load', () => {
  afterEach(() => failModules());

  it('the grouping control: the element says what failed and what to do, and the rows still show', async () => {
    failModules('experiment-group-picker/experiment-group-picker');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    await waitUntil(() => actionError(el), 'an error in the element');
    const text = actionError(el)!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Could not load the grouping control');
    expect(text).to.contain('Reload the page');
    expect(actionError(el)!.getAttribute('role')).to.equal('alert');
    expect(customElements.get('experiment-group-picker')).to.equal(undefined);
    // Everything else still works: a sort by a header click.
    const header = el.shadowRoot!.querySelector<HTMLElement>('.tabulator-col[tabulator-field="name"]')!;
    header.click();
    await waitUntil(() => header.getAttribute('aria-sort') === 'ascending', 'sorted by name');
  });

  it('the column chooser: no empty popover, the error instead', async () => {
    failModules('experiment-column-chooser/experiment-column-chooser');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.columns-button')!.click();
    await waitUntil(() => actionError(el)?.textContent?.includes('Could not load the column chooser'), 'the error in the element');
    expect(actionError(el)!.textContent).to.contain('Reload the page');
    expect(part(el, 'popover')).to.equal(null);
  });

  it('the problem list: the rows still show, and the element says the list could not load', async () => {
    failModules('components/problem-list');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/mixed-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 2);
    await waitUntil(() => actionError(el)?.textContent?.includes('Could not load the problem list'), 'the error in the element');
    expect(actionError(el)!.textContent).to.contain('Reload the page');
    expect(part(el, 'problems')).to.equal(null);
  });

  it('the delete controls: the rows show without Delete, and the element says why', async () => {
    failModules('controllers/delete-flow');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.source = {
      capabilities: { delete: true, live: false, serverQuery: false, history: false },
      load: async () => ({ experiments: [{ id: 'r1', name: 'r1', status: 'completed' }, { id: 'r2', name: 'r2', status: 'failed' }] }),
      delete: async () => undefined,
    };
    await waitForRows(el, 2);
    await waitUntil(() => actionError(el)?.textContent?.includes('Could not load the delete controls'), 'the error in the element');
    expect(el.shadowRoot!.querySelector('button[aria-label="Delete r1"]')).to.equal(null);
  });

  it('the nesting of child runs: the rows show flat, all of them, and the element says what failed', async () => {
    failModules('table/run-families');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/nested-runs.json"></experiment-dashboard>`);
    // The three children of sweep-A are not folded away under a parent without a toggle.
    await waitForRows(el, 7);
    await waitUntil(() => actionError(el)?.textContent?.includes('Could not load the nesting of child runs'), 'the error in the element');
    expect(actionError(el)!.textContent).to.contain('Reload the page');
    expect(el.shadowRoot!.querySelector('button.family-toggle')).to.equal(null);
    expect(rows(el).some((r) => r.classList.contains('row-child'))).to.equal(false);
    expect(text(part(el, 'summary'))).to.contain('7 experiments');
  });

  it('the keyboard controls: the grid still takes the focus, and the element says what failed', async () => {
    failModules('table/keyboard');
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    const grid = el.shadowRoot!.querySelector<HTMLElement>('.table[role="grid"]')!;
    grid.focus();
    await waitUntil(() => actionError(el)?.textContent?.includes('Could not load the keyboard controls'), 'the error in the element');
    expect(actionError(el)!.textContent).to.contain('Reload the page');
    expect(el.shadowRoot!.activeElement).to.equal(grid);
  });
});
