import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ViewState } from '../src/data/view-state.js';
import { DeletableSource } from './adversarial.js';
import { rows } from './helpers.js';

/**
 * Issue 9, data safety: a bulk delete never reaches rows that the view hides (filters, search,
 * grouping combined), and a failed delete keeps every row.
 */

const RUNS = [
  { id: 'a1', name: 'a1', status: 'completed', operator: 'ada', params: { opt: 'adam' }, tags: ['keep'] },
  { id: 'a2', name: 'a2', status: 'failed', operator: 'ada', params: { opt: 'sgd' } },
  { id: 'a3', name: 'a3', status: 'completed', operator: 'ada', params: { opt: 'adam' }, notes: 'secret' },
  { id: 'b1', name: 'b1', status: 'completed', operator: 'bob', params: { opt: 'adam' } },
  { id: 'b2', name: 'b2', status: 'failed', operator: 'bob', params: { opt: 'sgd' }, notes: 'secret' },
  { id: 'c1', name: 'c1', status: 'running', operator: 'cy', params: { opt: 'adam' } },
  { id: 'c2', name: 'c2', status: 'completed', operator: 'cy', params: { opt: 'sgd' }, tags: ['keep'] },
  { id: 'c3', name: 'c3', status: 'queued', operator: 'cy', params: { opt: 'adam' } },
];
const ALL = RUNS.map((r) => r.id);

let el: ExperimentDashboard;
let source: DeletableSource;

const names = (): string[] =>
  rows(el)
    .map((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent ?? '')
    .sort();
const dialog = (): HTMLDialogElement => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
const dialogButton = (text: RegExp): HTMLButtonElement => [...dialog().querySelectorAll('button')].find((b) => text.test(b.textContent!.trim()))!;
const select = (id: string): void => el.shadowRoot!.querySelector<HTMLInputElement>(`input[aria-label="Select ${id}"]`)!.click();
const selectAllShown = (): void => el.shadowRoot!.querySelector<HTMLInputElement>('input.select-all')!.click();
const loadedIds = (): string[] => el.loadedExperiments.map((e) => e.id).sort();

async function view(state: Partial<ViewState>, shown: string[]): Promise<void> {
  el.setViewState(state);
  await waitUntil(() => names().join() === [...shown].sort().join(), `rows ${shown.join()} shown (have ${names().join()})`);
  await el.updateComplete;
}

/** Bulk-deletes the selection through the dialog; returns what the source was asked to delete. */
async function deleteSelected(expectedCount: number): Promise<string[]> {
  await waitUntil(() => el.shadowRoot!.querySelector('.delete-selected'), 'the bulk delete button');
  const bulk = el.shadowRoot!.querySelector<HTMLButtonElement>('.delete-selected')!;
  expect(bulk.textContent).to.equal(`Delete selected (${expectedCount})`);
  bulk.click();
  await waitUntil(() => dialog().open, 'the confirmation');
  expect(dialog().textContent).to.contain(expectedCount === 1 ? 'Delete "' : `Delete ${expectedCount} experiments?`);
  const asked = source.deleted.length;
  dialogButton(expectedCount === 1 ? /^Delete$/ : new RegExp(`^Delete ${expectedCount} experiments$`)).click();
  await waitUntil(() => source.deleted.length === asked + 1, 'the source was asked');
  return [...source.deleted[asked]!].sort();
}

describe('bulk delete never reaches hidden rows (issue 9)', function () {
  this.timeout(30000);

  beforeEach(async () => {
    source = new DeletableSource(structuredClone(RUNS));
    el = document.createElement('experiment-dashboard');
    el.setAttribute('style', 'height: 700px; width: 1300px');
    document.body.append(el);
    el.source = source;
    await waitUntil(() => rows(el).length === RUNS.length, 'all rows', { timeout: 10000 });
  });

  afterEach(() => el.remove());

  it('select all under a filter, then widen the view: only the filtered rows are selected', async () => {
    await view({ filters: [{ attribute: 'operator', op: 'eq', value: 'ada' }] }, ['a1', 'a2', 'a3']);
    selectAllShown();
    await view({ filters: [] }, ALL);
    const deleted = await deleteSelected(3);
    expect(deleted).to.deep.equal(['a1', 'a2', 'a3']);
    await waitUntil(() => names().join() === 'b1,b2,c1,c2,c3', 'the others stay');
  });

  it('a search hides some selected rows: they are not deleted', async () => {
    for (const id of ['a1', 'a3', 'b2', 'c1']) select(id);
    await view({ search: 'secret' }, ['a3', 'b2']);
    const deleted = await deleteSelected(2);
    expect(deleted).to.deep.equal(['a3', 'b2']);
    await view({ search: '' }, ['a1', 'a2', 'b1', 'c1', 'c2', 'c3']);
    // The hidden selected rows are still there, and still selected, not deleted.
    expect(loadedIds()).to.include.members(['a1', 'c1']);
  });

  it('grouped, filtered and searched at once', async () => {
    selectAllShown();
    await view({ groupBy: ['operator', 'params.opt'], filters: [{ attribute: 'status', op: 'in', value: ['completed', 'failed'] }], search: 'adam' }, ['a1', 'a3', 'b1']);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length > 0, 'grouped');
    const deleted = await deleteSelected(3);
    expect(deleted).to.deep.equal(['a1', 'a3', 'b1']);
    await view({ groupBy: [], filters: [], search: '' }, ['a2', 'b2', 'c1', 'c2', 'c3']);
    expect(source.data.map((e) => (e as { id: string }).id).sort()).to.deep.equal(['a2', 'b2', 'c1', 'c2', 'c3']);
  });

  it('a filter on a list attribute and an exclusion, with nested groups', async () => {
    selectAllShown();
    await view({ groupBy: ['status'], filters: [{ attribute: 'tags', op: 'contains', value: 'keep' }, { attribute: 'operator', op: 'ne', value: 'ada' }] }, ['c2']);
    const deleted = await deleteSelected(1);
    expect(deleted).to.deep.equal(['c2']);
  });

  it('the selection made before a filter counts only what the filter shows, in the button and in the dialog', async () => {
    selectAllShown();
    await view({ filters: [{ attribute: 'status', op: 'eq', value: 'running' }] }, ['c1']);
    await waitUntil(() => el.shadowRoot!.querySelector('.delete-selected')?.textContent === 'Delete selected (1)', 'the count follows the filter');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.delete-selected')!.click();
    await waitUntil(() => dialog().open);
    expect([...dialog().querySelectorAll('.confirm-list li')].map((li) => li.textContent?.trim())).to.deep.equal(['c1']);
    dialogButton(/^Cancel$/).click();
    await waitUntil(() => !dialog().open);
    expect(source.deleted).to.deep.equal([]);
  });

  it('a failed bulk delete keeps every row and says so; a retry then works', async () => {
    selectAllShown();
    await view({ filters: [{ attribute: 'operator', op: 'eq', value: 'bob' }] }, ['b1', 'b2']);
    source.failWith = 'The store is read-only right now.';
    const deleted = await deleteSelected(2);
    expect(deleted).to.deep.equal(['b1', 'b2']);
    await waitUntil(() => el.shadowRoot!.querySelector('.action-error') !== null, 'the error is shown');
    expect(el.shadowRoot!.querySelector('.action-error')!.textContent).to.contain('The store is read-only right now.');
    expect(names()).to.deep.equal(['b1', 'b2']);
    expect(loadedIds()).to.deep.equal([...ALL].sort());
    expect(source.data).to.have.length(RUNS.length);
    // Nothing of the failure leaks into the next try: the same two, and only them.
    const gone = oneEvent(el, 'experiments-deleted');
    const again = await deleteSelected(2);
    expect(again).to.deep.equal(['b1', 'b2']);
    expect((await gone).detail.ids).to.have.members(['b1', 'b2']);
    await view({ filters: [] }, ['a1', 'a2', 'a3', 'c1', 'c2', 'c3']);
  });

  it('a failed single delete keeps the row, and rows of a source that never answers stay until it does', async () => {
    source.failWith = 'Permission denied.';
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete c3"]')!.click();
    await waitUntil(() => dialog().open);
    dialogButton(/^Delete$/).click();
    await waitUntil(() => el.shadowRoot!.querySelector('.action-error') !== null);
    expect(names()).to.include('c3');
    // A slow source: the row stays (and the buttons are disabled) until the deletion is durable.
    let release!: () => void;
    const original = source.delete.bind(source);
    source.delete = async (ids: string[]) => {
      await new Promise<void>((r) => (release = r));
      return original(ids);
    };
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete c3"]')!.click();
    await waitUntil(() => dialog().open);
    dialogButton(/^Delete$/).click();
    await waitUntil(() => release !== undefined, 'the source was asked');
    await new Promise((r) => setTimeout(r, 100));
    expect(names()).to.include('c3');
    expect([...dialog().querySelectorAll('button')].every((b) => b.disabled)).to.equal(true);
    release();
    await waitUntil(() => !names().includes('c3'), 'removed once the source confirmed');
  });
});
