import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { Experiment, ExperimentSource, Page } from '../src/data/types.js';
import { part, rows } from './helpers.js';

// Child runs (the field parent, or the label mlflow.parentRunId) nest under their parent run, collapsed, as in
// MLflow's own UI: from a static collection (any source), and from a replayed MLflow server.

const sized = 'height: 600px; width: 1280px; display: block';
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The rows drawn, in order: each run's name, indented by two spaces per level of nesting. */
function tree(el: ExperimentDashboard): string[] {
  return rows(el).map((r) => {
    const name = text(r.querySelector('.tabulator-cell[tabulator-field="name"] > span'));
    const depth = Number(r.style.getPropertyValue('--_depth') || 0);
    return `${'  '.repeat(r.classList.contains('row-child') ? depth : 0)}${name}`;
  });
}

const toggleOf = (el: ExperimentDashboard, name: string) => rows(el).find((r) => text(r.querySelector('.tabulator-cell[tabulator-field="name"] > span')) === name)?.querySelector<HTMLButtonElement>('button.family-toggle') ?? null;
const rowOf = (el: ExperimentDashboard, name: string) => rows(el).find((r) => text(r.querySelector('.tabulator-cell[tabulator-field="name"] > span')) === name);

async function nested(): Promise<ExperimentDashboard> {
  const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/nested-runs.json" columns="status,name,mainMetric,operator"></experiment-dashboard>`);
  await waitUntil(() => toggleOf(el, 'sweep-A') !== null, 'the parent run shows its toggle', { timeout: 10000 });
  return el;
}

describe('child runs named by the format\'s own parent field', () => {
  it('a run whose parent field names another nests under it; the field wins over the label; the label alone still nests', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/nested-runs-parent-field.json" columns="status,name,parent,mainMetric"></experiment-dashboard>`);
    await waitUntil(() => toggleOf(el, 'cv-5fold') !== null, 'the parent run shows its toggle', { timeout: 10000 });
    expect(text(toggleOf(el, 'cv-5fold'))).to.equal('3 child runs');
    expect(text(toggleOf(el, 'solo'))).to.equal('1 child run');
    expect(tree(el)).to.deep.equal(['cv-5fold', 'solo']);
    toggleOf(el, 'cv-5fold')!.click();
    toggleOf(el, 'solo')!.click();
    await waitUntil(() => rows(el).length === 6, 'the children are drawn');
    expect(tree(el)).to.deep.equal(['cv-5fold', '  fold-1', '  fold-2', '  fold-3', 'solo', '  old-style']);
    const parentCell = (name: string) => text(rowOf(el, name)!.querySelector('.tabulator-cell[tabulator-field="parent"]'));
    expect(parentCell('fold-2')).to.equal('cv-5fold');
    expect(parentCell('fold-3')).to.equal('cv-5fold');
    expect(parentCell('old-style')).to.equal('solo');
    expect(parentCell('cv-5fold')).to.equal('');
  });
});

describe('child runs under their parent, from a static collection', () => {
  it('a parent shows "3 child runs", collapsed; its children appear indented below it when expanded; counts count runs', async () => {
    const el = await nested();
    const toggle = toggleOf(el, 'sweep-A')!;
    expect(text(toggle)).to.equal('3 child runs');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle.getAttribute('aria-label')).to.equal('3 child runs of sweep-A');
    expect(toggle.querySelector('svg.icon-chevron')).to.not.equal(null);
    // Load order, children folded away; "orphan" names a parent that is not loaded: a top-level row.
    expect(tree(el)).to.deep.equal(['solo-high', 'sweep-A', 'solo-low', 'orphan']);
    expect(text(part(el, 'summary'))).to.contain('7 experiments');
    toggle.click();
    await waitUntil(() => rows(el).length === 7, 'the children are drawn');
    expect(tree(el)).to.deep.equal(['solo-high', 'sweep-A', '  trial-1', '  trial-2', '  trial-3', 'solo-low', 'orphan']);
    expect(toggleOf(el, 'sweep-A')!.getAttribute('aria-expanded')).to.equal('true');
    toggleOf(el, 'sweep-A')!.click();
    await waitUntil(() => rows(el).length === 4, 'the children are folded away again');
    // Without a Name column the toggle is in the first column's cell; with it again, back in the name.
    el.setViewState({ columns: ['status', 'mainMetric', 'operator'] });
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator-cell[tabulator-field="status"] button.family-toggle'), 'the toggle moved to the first column');
    el.setViewState({ columns: ['status', 'name', 'mainMetric', 'operator'] });
    await waitUntil(() => toggleOf(el, 'sweep-A') !== null, 'the toggle is back in the name cell');
    expect(el.shadowRoot!.querySelectorAll('button.family-toggle')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('children stay under their parent whatever the sort: families by the parent, siblings among themselves', async () => {
    const el = await nested();
    toggleOf(el, 'sweep-A')!.click();
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'desc' }] });
    await waitUntil(() => tree(el)[0] === 'solo-high' && tree(el)[6] === 'solo-low', 'sorted descending');
    expect(tree(el)).to.deep.equal(['solo-high', 'sweep-A', '  trial-1', '  trial-3', '  trial-2', 'orphan', 'solo-low']);
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'asc' }] });
    await waitUntil(() => tree(el)[0] === 'solo-low', 'sorted ascending');
    expect(tree(el)).to.deep.equal(['solo-low', 'orphan', 'sweep-A', '  trial-2', '  trial-3', '  trial-1', 'solo-high']);
  });

  it('a search that finds a child but not its parent shows the child as a top-level row', async () => {
    const el = await nested();
    el.setViewState({ search: 'trial-2' });
    await waitUntil(() => rows(el).length === 1, 'one run found');
    expect(tree(el)).to.deep.equal(['trial-2']);
    expect(rows(el)[0]!.classList.contains('row-child')).to.equal(false);
    expect(toggleOf(el, 'sweep-A')).to.equal(null);
    // A search finding the parent and two children: they show under it (open while searching),
    // and the parent counts only what it holds now.
    el.setViewState({ search: 'ada' });
    await waitUntil(() => text(toggleOf(el, 'sweep-A')) === '2 child runs', 'the parent holds the two runs found');
    await waitUntil(() => rows(el).length === 3);
    expect(tree(el)).to.deep.equal(['sweep-A', '  trial-1', '  trial-2']);
    expect(toggleOf(el, 'sweep-A')!.getAttribute('aria-expanded')).to.equal('true');
    expect(text(part(el, 'summary'))).to.contain('3 of 7');
    toggleOf(el, 'sweep-A')!.click();
    await waitUntil(() => rows(el).length === 1, 'closed by the user during the search');
    // Cleared: the parents are as they were before the search (collapsed).
    el.setViewState({ search: '' });
    await waitUntil(() => rows(el).length === 4);
    expect(toggleOf(el, 'sweep-A')!.getAttribute('aria-expanded')).to.equal('false');
    expect(text(toggleOf(el, 'sweep-A'))).to.equal('3 child runs');
  });

  it('a "Parent run" column shows the parent\'s name (its id when it is not loaded), and filters by it', async () => {
    const el = await nested();
    toggleOf(el, 'sweep-A')!.click();
    el.setViewState({ columns: ['name', 'parent', 'mainMetric'] });
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator-col[tabulator-field="parent"]') !== null);
    expect(text(el.shadowRoot!.querySelector('.tabulator-col[tabulator-field="parent"] .col-title-text'))).to.equal('Parent run');
    await waitUntil(() => rows(el).length === 7);
    const parentCell = (name: string) => text(rowOf(el, name)!.querySelector('.tabulator-cell[tabulator-field="parent"]'));
    expect(parentCell('trial-1')).to.equal('sweep-A');
    expect(parentCell('orphan')).to.equal('deleted-parent');
    expect(parentCell('solo-high')).to.equal('');
    expect(el.availableAttributes.find((a) => a.id === 'parent')?.label).to.equal('Parent run');
    el.setViewState({ filters: [{ attribute: 'parent', op: 'eq', value: 'sweep-A' }] });
    await waitUntil(() => rows(el).length === 3, 'the three children of sweep-A');
    expect(tree(el).sort()).to.deep.equal(['trial-1', 'trial-2', 'trial-3']);
    // Grouped by it: one group per parent, by name.
    el.setViewState({ filters: [], groupBy: ['parent'] });
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length === 3);
    expect([...el.shadowRoot!.querySelectorAll('.tabulator-group .group-value')].map(text).sort()).to.deep.equal(['(empty)', 'deleted-parent', 'sweep-A']);
  });

  it('grouping keeps the nesting within a group; a child in another group than its parent is a top-level row there', async () => {
    const el = await nested();
    toggleOf(el, 'sweep-A')!.click();
    el.setViewState({ groupBy: ['status'] });
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length === 2);
    await waitUntil(() => rows(el).length === 7);
    expect(text(toggleOf(el, 'sweep-A'))).to.equal('2 child runs');
    const order = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-row')].map((r) => (r.classList.contains('tabulator-group') ? `[${text(r.querySelector('.group-value'))}]` : tree(el)[rows(el).indexOf(r)]));
    expect(order).to.deep.equal(['[Completed]', 'solo-high', 'sweep-A', '  trial-1', '  trial-3', 'solo-low', 'orphan', '[Failed]', 'trial-2']);
    // The group header counts its runs, folded away or not.
    toggleOf(el, 'sweep-A')!.click();
    await waitUntil(() => rows(el).length === 5);
    expect(text(el.shadowRoot!.querySelector('.tabulator-group .group-count'))).to.equal('6 experiments');
  });

  it('the toggle works from the keyboard', async () => {
    const el = await nested();
    toggleOf(el, 'sweep-A')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => rows(el).length === 7, 'Enter shows the children');
    expect(toggleOf(el, 'sweep-A')!.getAttribute('aria-expanded')).to.equal('true');
    // Enter on the toggle does not open the row's details.
    expect(el.shadowRoot!.querySelector('experiment-row-detail')).to.equal(null);
    await sendKeys({ press: 'Space' });
    await waitUntil(() => rows(el).length === 4, 'Space hides them');
  });

  it('in the grid, Right opens the active run\'s children and Left closes them; arrows skip folded rows', async () => {
    const el = await nested();
    const grid = el.shadowRoot!.querySelector<HTMLElement>('.table[role="grid"]')!;
    grid.focus();
    const active = () => text(el.shadowRoot!.querySelector('.row-active .tabulator-cell[tabulator-field="name"] > span'));
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active() === 'sweep-A');
    // Down from a collapsed parent goes to the next run drawn, not into its folded children.
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active() === 'solo-low');
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => active() === 'sweep-A');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => rows(el).length === 7, 'Right shows the children');
    expect(toggleOf(el, 'sweep-A')!.getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => active() === 'trial-1');
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => active() === 'sweep-A');
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => rows(el).length === 4, 'Left hides them');
  });

  it("a child's details name its parent (a button that goes to it); a parent's list its children", async () => {
    const el = await nested();
    toggleOf(el, 'sweep-A')!.click();
    await waitUntil(() => rows(el).length === 7);
    rowOf(el, 'trial-2')!.querySelector<HTMLButtonElement>('button.details-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail')?.shadowRoot?.querySelector('.run-link'), 'the detail names the parent');
    const detail = el.shadowRoot!.querySelector('experiment-row-detail')!;
    const link = detail.shadowRoot!.querySelector<HTMLButtonElement>('.run-link')!;
    expect(text(link)).to.equal('sweep-A');
    expect(link.getAttribute('aria-label')).to.equal('Show parent run sweep-A');
    link.click();
    await waitUntil(() => el.shadowRoot!.activeElement === rowOf(el, 'sweep-A')?.querySelector('button.details-button'), "the focus goes to the parent's row");
    rowOf(el, 'sweep-A')!.querySelector<HTMLButtonElement>('button.details-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('experiment-row-detail').length === 2);
    const parentDetail = [...el.shadowRoot!.querySelectorAll('experiment-row-detail')].find((d) => (d as unknown as { experiment: Experiment }).experiment.id === 'sweep')!;
    await waitUntil(() => parentDetail.shadowRoot!.querySelectorAll('.run-links .run-link').length === 3);
    expect([...parentDetail.shadowRoot!.querySelectorAll('.run-links .run-link')].map(text)).to.deep.equal(['trial-1', 'trial-2', 'trial-3']);
    expect(text(parentDetail.shadowRoot!.querySelector('.run-links')!.parentElement!.previousElementSibling)).to.equal('Child runs (3)');
  });
});

describe('child runs when runs go or come', () => {
  /** A source that can delete, holding the test collection's runs. */
  class Deletable implements ExperimentSource {
    readonly capabilities = { delete: true, live: false, serverQuery: false, history: false };
    constructor(public data: Experiment[]) {}
    async load(): Promise<Page> {
      return { experiments: this.data };
    }
    async delete(ids: string[]): Promise<void> {
      this.data = this.data.filter((e) => !ids.includes(e.id));
    }
  }

  it('deleting a collapsed parent shows its children as top-level rows (nothing of theirs is lost)', async () => {
    const collection = (await (await fetch('/test/data/nested-runs.json')).json()) as { experiments: Experiment[] };
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} columns="status,name,mainMetric"></experiment-dashboard>`);
    el.source = new Deletable(collection.experiments);
    await waitUntil(() => toggleOf(el, 'sweep-A') !== null, 'the parent run shows its toggle', { timeout: 10000 });
    rowOf(el, 'sweep-A')!.querySelector<HTMLButtonElement>('button[aria-label="Delete sweep-A"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('dialog.confirm[open]'), 'the confirmation');
    [...el.shadowRoot!.querySelector('dialog.confirm')!.querySelectorAll('button')].find((b) => text(b) === 'Delete')!.click();
    await waitUntil(() => rows(el).length === 6, 'the three children show in place of their parent');
    expect(tree(el).sort()).to.deep.equal(['orphan', 'solo-high', 'solo-low', 'trial-1', 'trial-2', 'trial-3']);
    expect(rows(el).some((r) => r.classList.contains('row-child'))).to.equal(false);
  });
});

describe('child runs from a replayed MLflow 3.3 server', () => {
  let replayUrl: string;
  before(async () => {
    replayUrl = ((await (await fetch('/__mlflow-replay')).json()) as { url: string }).url;
  });

  it('"hpo-parent" holds its active child runs, collapsed; expanded they follow it; the Parent run column names it', async () => {
    const session = `families-${Math.random().toString(36).slice(2, 8)}`;
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} page-size="1000"></experiment-dashboard>`);
    const loaded = oneEvent(el, 'experiments-loaded');
    el.mlflow = `${replayUrl}/3.3/${session}/`;
    await loaded;
    await waitUntil(() => toggleOf(el, 'hpo-parent') !== null, 'the parent run shows its toggle', { timeout: 10000 });
    // MLflow logged three trials under hpo-parent; hpo-trial-2 was deleted (hidden, as MLflow hides it).
    const toggle = toggleOf(el, 'hpo-parent')!;
    expect(text(toggle)).to.equal('2 child runs');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    const before = tree(el);
    expect(before).to.not.include('hpo-trial-0');
    expect(before).to.not.include('hpo-trial-1');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => tree(el).includes('  hpo-trial-0'), 'the children are drawn');
    const after = tree(el);
    const at = after.indexOf('hpo-parent');
    expect(after.slice(at, at + 3)).to.deep.equal(['hpo-parent', '  hpo-trial-1', '  hpo-trial-0']);
    expect(after.length).to.equal(before.length + 2);
    el.setViewState({ columns: ['status', 'name', 'parent', 'metrics.val_accuracy.last'] });
    await waitUntil(() => rowOf(el, 'hpo-trial-0')?.querySelector('.tabulator-cell[tabulator-field="parent"]'));
    expect(text(rowOf(el, 'hpo-trial-0')!.querySelector('.tabulator-cell[tabulator-field="parent"]'))).to.equal('hpo-parent');
    await expect(el).to.be.accessible();
  });
});
