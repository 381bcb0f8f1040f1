import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ColumnFilter, Experiment, ExperimentSource, Page } from '../src/data/types.js';
import { cellTexts, part, rows, waitForRows } from './helpers.js';

const sized = 'height: 600px; width: 1400px; display: block';

/** Six small runs with known values, so every filter's expected result is obvious. */
function runs(): Experiment[] {
  const e = (id: string, over: Partial<Experiment>): Experiment => ({ id, name: id, status: 'completed', ...over });
  return [
    e('r1', { operator: 'ada', mainMetric: { key: 'acc', value: 0.9, goal: 'maximize' }, times: { started: '2024-05-01T10:00:00Z', stopped: '2024-05-01T11:00:00Z' }, params: { lr: 0.1, opt: { name: 'adam' } }, tags: ['base'] }),
    e('r2', { operator: 'ada', status: 'failed', mainMetric: { key: 'acc', value: 0.5, goal: 'maximize' }, times: { started: '2024-05-02T10:00:00Z' }, params: { lr: 0.01, opt: { name: 'sgd' } } }),
    e('r3', { operator: 'alan', mainMetric: { key: 'acc', value: 0.7, goal: 'maximize' }, times: { started: '2024-05-03T10:00:00Z' }, params: { lr: 0.001, opt: { name: 'adam' }, secret_knob: 'zebra' } }),
    e('r4', { operator: 'alan', status: 'running', mainMetric: { key: 'acc', value: 0.8, goal: 'maximize' }, times: { started: '2024-05-03T23:00:00Z' }, params: { lr: 0.1 }, tags: ['base', 'long'] }),
    e('r5', { operator: 'grace', status: 'queued', params: { lr: 0.05 }, notes: 'waiting for GPUs' }),
    e('r6', { operator: 'grace', status: 'failed', mainMetric: { key: 'acc', value: 0.6, goal: 'maximize' }, times: { started: '2024-04-30T10:00:00Z' }, metrics: { only_here: { last: 3 } } }),
  ];
}

/** A source that can delete, recording what it was asked. */
class FakeSource implements ExperimentSource {
  readonly capabilities = { delete: true, live: false, serverQuery: false, history: false };
  readonly label = 'the test store';
  deleted: string[][] = [];
  failNext = false;
  constructor(public data: Experiment[]) {}
  async load(): Promise<Page> {
    return { experiments: this.data };
  }
  async delete(ids: string[]): Promise<void> {
    this.deleted.push(ids);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('The store is read-only right now.');
    }
    this.data = this.data.filter((e) => !ids.includes(e.id));
  }
}

/** A dashboard on the six runs; `extra` are attributes present from the start (`group-by=operator&sync-url=`). */
async function dashboard(extra = ''): Promise<ExperimentDashboard> {
  const el = document.createElement('experiment-dashboard');
  el.setAttribute('style', sized);
  for (const [k, v] of new URLSearchParams(extra)) el.setAttribute(k, v);
  el.experiments = runs();
  await fixture(el);
  await waitUntil(() => rows(el).length > 0, 'rows rendered');
  return el;
}

const names = (el: ExperimentDashboard) =>
  rows(el)
    .map((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent ?? '')
    .sort();

/** The rows a filter leaves, once the table has applied it (its count is written after every filter). */
async function shownAfter(el: ExperimentDashboard, filters: ColumnFilter[]): Promise<string[]> {
  const applied = oneEvent(el, 'view-change');
  el.setViewState({ filters });
  await applied;
  // The query code (and, for `matches`, the pattern engine) loads on first use: wait for the
  // table to settle rather than for a fixed time.
  let last = '';
  await waitUntil(async () => {
    await new Promise((r) => setTimeout(r, 30));
    await el.updateComplete;
    const now = names(el).join('\n');
    const stable = now === last;
    last = now;
    return stable;
  }, 'the filtered rows did not settle', { timeout: 10000, interval: 0 });
  return names(el);
}

describe('grouping', () => {
  it('groups by nested attributes with counts, best and mean main metric', async () => {
    const el = await dashboard('group-by=operator,status');
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length > 0);
    const headers = [...el.shadowRoot!.querySelectorAll('.tabulator-group')].map((g) => g.textContent!.replace(/\s+/g, ' ').trim());
    expect(headers).to.include('Operator: ada 2 experiments · best 0.9 · mean 0.7');
    expect(headers).to.include('Operator: alan 2 experiments · best 0.8 · mean 0.8');
    expect(headers).to.include('Operator: grace 2 experiments · best 0.6 · mean 0.6');
    expect(headers).to.include('Status: Failed 1 experiment · best 0.5 · mean 0.5');
    expect(headers).to.include('Status: Queued 1 experiment');
    expect(el.shadowRoot!.querySelectorAll('.tabulator-group-level-1').length).to.equal(6);
  });

  it('collapses and expands all groups', async () => {
    const el = await dashboard('group-by=operator');
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length === 3);
    const button = (label: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;
    button('Collapse all').click();
    await waitUntil(() => names(el).length === 0, 'all rows hidden');
    button('Expand all').click();
    await waitUntil(() => names(el).length === 6, 'all rows back');
  });

  it('groups numbers and dates by value (dates by day) and lets the picker change it', async () => {
    const el = await dashboard();
    el.setViewState({ groupBy: ['times.started'] });
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length > 0);
    const headers = [...el.shadowRoot!.querySelectorAll('.tabulator-group')].map((g) => g.textContent!.replace(/\s+/g, ' ').trim());
    expect(headers).to.include('Started: 2024-05-03 2 experiments · best 0.8 · mean 0.8');
    expect(headers).to.include('Started: (empty) 1 experiment');
    el.setViewState({ groupBy: ['params.lr'] });
    await waitUntil(() => [...el.shadowRoot!.querySelectorAll('.tabulator-group')].some((g) => g.textContent!.includes('lr: 0.1 2 experiments')));
    el.setViewState({ groupBy: [] });
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length === 0);
  });
});

describe('global search', () => {
  it('matches hidden attributes, ignores case, and shows the count', async () => {
    const el = await dashboard();
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Search experiments"]')!;
    box.value = 'ZEBRA';
    box.dispatchEvent(new Event('input'));
    await waitUntil(() => names(el).length === 1, 'one match');
    expect(names(el)).to.deep.equal(['r3']);
    await waitUntil(() => el.shadowRoot!.querySelector('.match-count')!.textContent === '1 of 6 shown');
    box.value = 'gpus';
    box.dispatchEvent(new Event('input'));
    await waitUntil(() => names(el).join() === 'r5');
  });

  it('is set by the search attribute', async () => {
    const el = await dashboard('search=grace');
    await waitUntil(() => names(el).join() === 'r5,r6');
  });
});

describe('column filters', () => {
  // The pattern engine of `matches` loads on its first use: loaded here once, so that the
  // settling check below compares filtered rows, not a load still in flight.
  before(async () => (await import('../src/data/query.js')).prepareQuery());

  it('number operators', async () => {
    const el = await dashboard();
    const m = (op: ColumnFilter['op'], value?: number, value2?: number) => shownAfter(el, [{ attribute: 'mainMetric', op, ...(value === undefined ? {} : { value }), ...(value2 === undefined ? {} : { value2 }) }]);
    expect(await m('eq', 0.7)).to.deep.equal(['r3']);
    expect(await m('ne', 0.7)).to.deep.equal(['r1', 'r2', 'r4', 'r5', 'r6']);
    expect(await m('gt', 0.7)).to.deep.equal(['r1', 'r4']);
    expect(await m('ge', 0.7)).to.deep.equal(['r1', 'r3', 'r4']);
    expect(await m('lt', 0.6)).to.deep.equal(['r2']);
    expect(await m('le', 0.6)).to.deep.equal(['r2', 'r6']);
    expect(await m('between', 0.6, 0.8)).to.deep.equal(['r3', 'r4', 'r6']);
    expect(await m('empty')).to.deep.equal(['r5']);
    expect(await m('notEmpty')).to.deep.equal(['r1', 'r2', 'r3', 'r4', 'r6']);
  });

  it('date operators', async () => {
    const el = await dashboard();
    const d = (op: ColumnFilter['op'], value: string, value2?: string) => shownAfter(el, [{ attribute: 'times.started', op, value, ...(value2 ? { value2 } : {}) }]);
    expect(await d('before', '2024-05-01')).to.deep.equal(['r6']);
    expect(await d('after', '2024-05-02')).to.deep.equal(['r3', 'r4']);
    expect(await d('on', '2024-05-03')).to.deep.equal(['r3', 'r4']);
    expect(await d('between', '2024-05-01', '2024-05-02')).to.deep.equal(['r1', 'r2']);
  });

  it('text operators, with an invalid pattern matching as plain text', async () => {
    const el = await dashboard();
    const t = (op: ColumnFilter['op'], value: string) => shownAfter(el, [{ attribute: 'params.opt.name', op, value }]);
    expect(await t('contains', 'AD')).to.deep.equal(['r1', 'r3']);
    expect(await t('notContains', 'ad')).to.deep.equal(['r2', 'r4', 'r5', 'r6']);
    expect(await t('eq', 'sgd')).to.deep.equal(['r2']);
    expect(await t('startsWith', 'sg')).to.deep.equal(['r2']);
    expect(await t('matches', '^a.a')).to.deep.equal(['r1', 'r3']);
  });

  it('enum pick list and AND of several filters', async () => {
    const el = await dashboard();
    expect(await shownAfter(el, [{ attribute: 'status', op: 'in', value: ['failed', 'queued'] }])).to.deep.equal(['r2', 'r5', 'r6']);
    expect(
      await shownAfter(el, [
        { attribute: 'status', op: 'in', value: ['failed', 'queued'] },
        { attribute: 'operator', op: 'eq', value: 'grace' },
      ]),
    ).to.deep.equal(['r5', 'r6']);
  });

  it('opens the editor from the header, shows a chip, and removes it', async () => {
    const el = await dashboard();
    const filterButton = el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Filter Operator"]')!;
    filterButton.click();
    // The editor is loaded on first use.
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-filter-editor'), 'filter editor open');
    const editor = el.shadowRoot!.querySelector('experiment-filter-editor')!;
    expect(editor).to.be.instanceOf(HTMLElement);
    editor.dispatchEvent(new CustomEvent('filter-apply', { detail: { filter: { attribute: 'operator', op: 'eq', value: 'alan' } } }));
    await waitUntil(() => names(el).join() === 'r3,r4');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('experiment-filter-editor')).to.equal(null);
    const chips = part(el, 'chips')!;
    expect(chips.textContent).to.contain('Operator');
    expect(chips.textContent).to.contain('alan');
    expect(el.shadowRoot!.querySelector('button[aria-label="Filter Operator"]')!.getAttribute('aria-pressed')).to.equal('true');
    chips.querySelector<HTMLButtonElement>('.chip button')!.click();
    await waitUntil(() => names(el).length === 6);
    await el.updateComplete;
    expect(part(el, 'chips')).to.equal(null);
  });

  it('"Clear all" removes every filter and the search', async () => {
    const el = await dashboard();
    el.setViewState({ search: 'ada', filters: [{ attribute: 'status', op: 'in', value: ['failed'] }] });
    await waitUntil(() => names(el).join() === 'r2');
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.clear-all')!.click();
    await waitUntil(() => names(el).length === 6);
  });

  it('filters to a clicked cell value', async () => {
    const el = await dashboard();
    const cell = rows(el)
      .flatMap((r) => [...r.querySelectorAll<HTMLElement>('.tabulator-cell')])
      .find((c) => c.textContent === 'grace')!;
    cell.click();
    await el.updateComplete;
    const item = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')].find((b) => b.textContent!.startsWith('Filter to Operator'))!;
    expect(item.textContent).to.equal('Filter to Operator = “grace”');
    item.click();
    await waitUntil(() => names(el).join() === 'r5,r6');
    expect(el.getViewState().filters).to.deep.equal([{ attribute: 'operator', op: 'eq', value: 'grace' }]);
  });
});

describe('column chooser', () => {
  it('lists parameters and metrics gathered from all experiments and applies a choice', async () => {
    const el = await dashboard();
    el.shadowRoot!.querySelector<HTMLButtonElement>('.columns-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-column-chooser'), 'column chooser open');
    const chooser = el.shadowRoot!.querySelector('experiment-column-chooser')!;
    const ids = chooser.availableAttributes.map((a) => a.id);
    // Each exists in one record only.
    expect(ids).to.include.members(['params.secret_knob', 'metrics.only_here.last', 'params.opt.name', 'notes']);
    chooser.dispatchEvent(new CustomEvent('columns-change', { detail: { columns: ['status', 'name', 'params.secret_knob'] } }));
    await waitUntil(() => cellTexts(el).some((r) => r.includes('zebra')));
    expect(el.getViewState().columns).to.deep.equal(['status', 'name', 'params.secret_knob']);
  });
});

describe('showing and hiding one column', () => {
  it('inserts the column in its place and removes it again', async () => {
    const el = await dashboard();
    const titles = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-col:not([tabulator-field^="__"]) .col-title-text')].map((t) => t.textContent);
    el.setViewState({ columns: ['status', 'name', 'params.lr', 'operator'] });
    await waitUntil(() => titles().join() === 'Status,Name,lr,Operator');
    el.setViewState({ columns: ['status', 'name', 'params.lr', 'params.opt.name', 'operator'] });
    await waitUntil(() => titles().join() === 'Status,Name,lr,opt.name,Operator', `got ${titles().join()}`);
    expect(cellTexts(el).some((r) => r.includes('sgd'))).to.equal(true);
    el.setViewState({ columns: ['status', 'name', 'params.opt.name', 'operator'] });
    await waitUntil(() => titles().join() === 'Status,Name,opt.name,Operator', `got ${titles().join()}`);
    el.setViewState({ columns: ['status', 'name', 'params.opt.name', 'operator', 'notes'] });
    await waitUntil(() => titles().join() === 'Status,Name,opt.name,Operator,Notes', `got ${titles().join()}`);
  });

  it('puts the new cell in every row of open groups, and rows of a group opened later have it too', async () => {
    const el = await dashboard();
    el.setViewState({ columns: ['status', 'name'], groupBy: ['operator'] });
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length === 3, 'three groups');
    // Close the last group: its rows are not rendered when the column comes.
    const grace = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-group')].find((g) => g.textContent!.includes('grace'))!;
    grace.click();
    await waitUntil(() => rows(el).length === 4, 'grace closed');
    el.setViewState({ columns: ['status', 'name', 'notes', 'params.lr'] });
    const cells = () => rows(el).map((r) => [...r.querySelectorAll<HTMLElement>('.tabulator-cell:not([tabulator-field^="__"])')].map((c) => c.getAttribute('tabulator-field')).join());
    await waitUntil(() => rows(el).length === 4 && cells().every((c) => c === 'status,name,notes,params.lr'), `got ${cells().join(' | ')}`);
    expect(cellTexts(el).map((r) => r[3])).to.deep.equal(['0.1', '0.01', '0.001', '0.1']);
    [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-group')].find((g) => g.textContent!.includes('grace'))!.click();
    await waitUntil(() => rows(el).length === 6, 'grace open again');
    expect(cells().every((c) => c === 'status,name,notes,params.lr')).to.equal(true);
    expect(cellTexts(el).find((r) => r[1] === 'r5')?.[2]).to.equal('waiting for GPUs');
  });
});

describe('delete', () => {
  async function deletable(): Promise<{ el: ExperimentDashboard; source: FakeSource }> {
    const source = new FakeSource(runs());
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.source = source;
    await waitForRows(el, 6);
    return { el, source };
  }
  const dialog = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
  const dialogButton = (el: ExperimentDashboard, text: RegExp) => [...dialog(el).querySelectorAll('button')].find((b) => text.test(b.textContent!.trim()))!;

  it('asks first, naming the run, then removes the row once the source confirms', async () => {
    const { el, source } = await deletable();
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r2"]')!.click();
    await el.updateComplete;
    expect(dialog(el).open).to.equal(true);
    expect(dialog(el).textContent).to.contain('Delete "r2"?');
    const deleted = oneEvent(el, 'experiments-deleted');
    dialogButton(el, /^Delete$/).click();
    expect((await deleted).detail.ids).to.deep.equal(['r2']);
    expect(source.deleted).to.deep.equal([['r2']]);
    await waitUntil(() => names(el).length === 5);
    expect(names(el)).to.not.include('r2');
    expect(dialog(el).open).to.equal(false);
  });

  it('does nothing when cancelled, in the dialog or by the event', async () => {
    const { el, source } = await deletable();
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r3"]')!.click();
    await el.updateComplete;
    dialogButton(el, /^Cancel$/).click();
    await el.updateComplete;
    expect(dialog(el).open).to.equal(false);
    el.addEventListener('experiment-delete', (e) => e.preventDefault(), { once: true });
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r3"]')!.click();
    await el.updateComplete;
    dialogButton(el, /^Delete$/).click();
    await el.updateComplete;
    expect(source.deleted).to.deep.equal([]);
    expect(names(el)).to.include('r3');
  });

  it('keeps the rows and shows the error when the source fails', async () => {
    const { el, source } = await deletable();
    source.failNext = true;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r4"]')!.click();
    await el.updateComplete;
    dialogButton(el, /^Delete$/).click();
    await waitUntil(() => el.shadowRoot!.querySelector('.action-error') !== null);
    expect(el.shadowRoot!.querySelector('.action-error')!.textContent).to.contain('Could not delete "r4": The store is read-only right now.');
    expect(names(el)).to.include('r4');
  });

  it('bulk-deletes only the selected rows that a filter still shows', async () => {
    const { el, source } = await deletable();
    for (const id of ['r1', 'r2', 'r5']) el.shadowRoot!.querySelector<HTMLInputElement>(`input[aria-label="Select ${id}"]`)!.click();
    el.setViewState({ filters: [{ attribute: 'operator', op: 'eq', value: 'ada' }] });
    await waitUntil(() => names(el).join() === 'r1,r2');
    await el.updateComplete;
    const bulk = el.shadowRoot!.querySelector<HTMLButtonElement>('.delete-selected')!;
    expect(bulk.textContent).to.equal('Delete selected (2)');
    bulk.click();
    await el.updateComplete;
    expect(dialog(el).textContent).to.contain('Delete 2 experiments?');
    dialogButton(el, /^Delete 2 experiments$/).click();
    await waitUntil(() => source.deleted.length === 1);
    expect(source.deleted[0]).to.have.members(['r1', 'r2']);
  });

  it('with delete-undo-ms, hides at once, asks the source only when the window closes, and can undo', async () => {
    const { el, source } = await deletable();
    el.deleteUndoMs = 400;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r1"]')!.click();
    await el.updateComplete;
    dialogButton(el, /^Delete$/).click();
    await waitUntil(() => !names(el).includes('r1'), 'hidden at once');
    expect(source.deleted).to.deep.equal([]);
    const undoBar = () => part(el, 'undo');
    await waitUntil(() => undoBar());
    expect(undoBar()!.textContent).to.contain('Deleted "r1".');
    undoBar()!.querySelector('button')!.click();
    await waitUntil(() => names(el).includes('r1'), 'back after undo');
    await new Promise((r) => setTimeout(r, 600));
    expect(source.deleted).to.deep.equal([]);
    // Without undo the window closes and the source deletes.
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Delete r2"]')!.click();
    await el.updateComplete;
    const deleted = oneEvent(el, 'experiments-deleted');
    dialogButton(el, /^Delete$/).click();
    expect((await deleted).detail.ids).to.deep.equal(['r2']);
    expect(source.deleted).to.deep.equal([['r2']]);
  });

  it('shows no delete button when the source cannot delete', async () => {
    const el = await dashboard();
    expect(el.shadowRoot!.querySelector('button[aria-label^="Delete"]')).to.equal(null);
  });
});

describe('column widths', () => {
  it('a column is resized by dragging the edge of its header; the rows carry no resize grip', async () => {
    const el = await dashboard();
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('.tabulator-row .tabulator-col-resize-handle').length, 'grips in rows').to.equal(0);
    const header = root.querySelector<HTMLElement>('.tabulator-col[tabulator-field="name"]')!;
    // Tabulator puts the grip right after the header cell.
    const grip = header.nextElementSibling as HTMLElement;
    expect(grip.classList.contains('tabulator-col-resize-handle'), 'a grip at the right edge of the header').to.equal(true);
    const before = header.getBoundingClientRect().width;
    const box = grip.getBoundingClientRect();
    const at = (x: number) => ({ bubbles: true, composed: true, clientX: x, clientY: box.top + 5 });
    const changed = oneEvent(el, 'view-change');
    grip.dispatchEvent(new MouseEvent('mousedown', at(box.left + 2)));
    document.body.dispatchEvent(new MouseEvent('mousemove', at(box.left + 62)));
    document.body.dispatchEvent(new MouseEvent('mouseup', at(box.left + 62)));
    const width = (await changed).detail.view.widths.name as number;
    expect(width).to.be.closeTo(before + 60, 2);
    expect(root.querySelector<HTMLElement>('.tabulator-row .tabulator-cell[tabulator-field="name"]')!.getBoundingClientRect().width).to.be.closeTo(width, 1);
  });
});

describe('view state', () => {
  const view = {
    search: 'a',
    filters: [{ attribute: 'mainMetric', op: 'ge' as const, value: 0.6 }],
    sort: [{ attribute: 'name', dir: 'desc' as const }],
    groupBy: ['operator'],
    columns: ['status', 'name', 'mainMetric', 'params.lr'],
    widths: { name: 300 },
  };

  it('round-trips through getViewState/setViewState and fires view-change', async () => {
    const el = await dashboard();
    const changed = oneEvent(el, 'view-change');
    el.setViewState(view);
    expect((await changed).detail.view.groupBy).to.deep.equal(['operator']);
    await waitUntil(() => el.getViewState().columns.length === 4);
    expect(el.getViewState()).to.deep.equal(view);
  });

  it('persists per storage-key and comes back after a reload', async () => {
    localStorage.removeItem('experiment-dashboard:test-view');
    const first = await dashboard('storage-key=test-view');
    first.setViewState(view);
    await waitUntil(() => localStorage.getItem('experiment-dashboard:test-view')?.includes('params.lr'));
    first.remove();
    const second = await dashboard('storage-key=test-view');
    await waitUntil(() => names(second).length > 0);
    expect(second.getViewState()).to.deep.equal(view);
    localStorage.removeItem('experiment-dashboard:test-view');
  });

  it('mirrors the view in the URL hash with sync-url, and reads it back', async () => {
    const el = await dashboard('sync-url=');
    el.setViewState(view);
    await waitUntil(() => decodeURIComponent(location.hash).includes('params.lr'));
    const hash = location.hash;
    el.remove();
    history.replaceState(null, '', location.pathname + location.search);
    history.replaceState(null, '', hash);
    const again = await dashboard('sync-url=');
    expect(again.getViewState()).to.deep.equal(view);
    history.replaceState(null, '', location.pathname + location.search);
  });
});

describe('keyboard', () => {
  it('moves through rows with the arrow keys and opens a detail with Enter', async () => {
    const el = await dashboard();
    const grid = el.shadowRoot!.querySelector<HTMLElement>('[role="grid"]')!;
    grid.focus();
    const toggled = oneEvent(el, 'experiment-toggle');
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await waitUntil(() => grid.getAttribute('aria-activedescendant'));
    const active = el.shadowRoot!.getElementById(grid.getAttribute('aria-activedescendant')!)!;
    expect(active.querySelector('.tabulator-cell[tabulator-field="name"]')!.textContent).to.equal('r2');
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const ev = await toggled;
    expect(ev.detail).to.deep.include({ id: 'r2', expanded: true });
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail') !== null);
  });

  it('sorts a column from the keyboard', async () => {
    const el = await dashboard();
    const sortName = el.shadowRoot!.querySelector<HTMLElement>('[role="button"][aria-label="Sort by Name"]')!;
    sortName.focus();
    const changed = oneEvent(el, 'view-change');
    sortName.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect((await changed).detail.view.sort).to.deep.equal([{ attribute: 'name', dir: 'asc' }]);
    sortName.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await waitUntil(() => el.getViewState().sort[0]?.dir === 'desc');
    await waitUntil(() => rows(el)[0]?.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent === 'r6');
  });

  it('is accessible with filters, grouping and an open detail', async () => {
    const el = await dashboard('group-by=operator');
    el.setViewState({ filters: [{ attribute: 'status', op: 'in', value: ['completed', 'failed'] }] });
    await waitUntil(() => names(el).length === 4);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Details r1"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail') !== null);
    await expect(el).to.be.accessible();
  });
});
