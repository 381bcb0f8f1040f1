import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/components/experiment-column-chooser/experiment-column-chooser.js';
import { CATEGORY_ROW_LIMIT, SHOW_ALL_STEP, type ExperimentColumnChooser } from '../src/components/experiment-column-chooser/experiment-column-chooser.component.js';
import { DEFAULT_COLUMNS, collectAttributes, type Attribute } from '../src/data/attributes.js';
import { generateExperiments } from '../src/data/sample-data.js';
import type { Experiment } from '../src/data/types.js';

// Each of these exists in one record only: the chooser must still offer it.
const oddOne: Experiment = {
  id: 'odd-one',
  status: 'completed',
  params: { secret_knob: 3 },
  metrics: { only_here: { last: 1 } },
  labels: { team: 'vision' },
};
const attributes = collectAttributes([...generateExperiments({ n: 50 }), oddOne]);

async function chooser(selected: readonly string[] = DEFAULT_COLUMNS, attrs: readonly Attribute[] = attributes): Promise<ExperimentColumnChooser> {
  return fixture<ExperimentColumnChooser>(html`<experiment-column-chooser style="width: 380px" .availableAttributes=${attrs} .selected=${selected}></experiment-column-chooser>`);
}

const root = (el: ExperimentColumnChooser) => el.shadowRoot!;
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const legends = (el: ExperimentColumnChooser) => [...root(el).querySelectorAll('legend')].map(text);
const category = (el: ExperimentColumnChooser, name: string) => [...root(el).querySelectorAll('fieldset')].find((f) => text(f.querySelector('legend')).startsWith(name));
/** The label of each checkbox in a category, without the id shown next to it. */
const optionLabels = (el: ExperimentColumnChooser, name: string) => [...(category(el, name)?.querySelectorAll('.option .label') ?? [])].map(text);
const checkbox = (el: ExperimentColumnChooser, id: string) => root(el).querySelector<HTMLInputElement>(`input[type="checkbox"][value="${CSS.escape(id)}"]`)!;
const visibleColumns = (el: ExperimentColumnChooser) => [...root(el).querySelectorAll('li[part="column"] .column-label')].map(text);
const button = (el: ExperimentColumnChooser, name: string) => root(el).querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`)!;
const buttonByText = (el: ExperimentColumnChooser, t: string) => [...root(el).querySelectorAll('button')].find((b) => text(b) === t)!;

async function search(el: ExperimentColumnChooser, value: string): Promise<void> {
  const input = root(el).querySelector<HTMLInputElement>('input[type="search"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

describe('<experiment-column-chooser>', () => {
  it('lists every attribute gathered from all experiments, by category, with counts', async () => {
    const el = await chooser();
    expect(legends(el).map((l) => l.replace(/ \(\d+\)$/, ''))).to.deep.equal(['Experiment', 'Metrics', 'Parameters', 'Host', 'Git', 'Dependencies', 'Tags', 'Labels']);
    const params = attributes.filter((a) => a.category === 'parameters');
    expect(text(category(el, 'Parameters')!.querySelector('legend'))).to.equal(`Parameters (${params.length})`);
    expect(optionLabels(el, 'Parameters')).to.include.members(['optimizer.lr', 'optimizer.name', 'batch_size', 'secret_knob']);
    expect(optionLabels(el, 'Metrics')).to.include.members(['accuracy', 'loss (min)', 'only_here']);
    expect(optionLabels(el, 'Labels')).to.deep.equal(['team']);
    // The id is shown next to the label when it says more.
    expect(text(checkbox(el, 'params.optimizer.lr').closest('label'))).to.equal('optimizer.lr params.optimizer.lr');
    expect(text(checkbox(el, 'status').closest('label'))).to.equal('Status');
    // The visible columns are checked, the others not.
    for (const id of DEFAULT_COLUMNS) expect(checkbox(el, id).checked, id).to.equal(true);
    expect(checkbox(el, 'params.secret_knob').checked).to.equal(false);
    expect(visibleColumns(el)).to.deep.equal(['Status', 'Name', 'Main metric', 'Operator', 'Started', 'Duration', 'Group', 'Tags']);
    await expect(el).to.be.accessible();
  });

  it('hides empty categories', async () => {
    const el = await chooser(['status'], attributes.filter((a) => a.category === 'experiment' || a.category === 'git'));
    expect(legends(el).map((l) => l.replace(/ \(\d+\)$/, ''))).to.deep.equal(['Experiment', 'Git']);
  });

  it('narrows the list to attributes whose label or id matches the search', async () => {
    const el = await chooser();
    await search(el, 'LR');
    expect(legends(el)).to.deep.equal([`Parameters (1 of ${attributes.filter((a) => a.category === 'parameters').length})`]);
    expect(optionLabels(el, 'Parameters')).to.deep.equal(['optimizer.lr']);

    // By id, and every word must match.
    await search(el, 'metrics. loss');
    expect(legends(el).map((l) => l.replace(/ \(.*\)$/, ''))).to.deep.equal(['Metrics']);
    expect(optionLabels(el, 'Metrics')).to.deep.equal(['loss', 'loss (min)', 'loss (max)', 'loss (count)', 'val_loss', 'val_loss (min)', 'val_loss (max)', 'val_loss (count)']);

    await search(el, 'no such thing');
    expect(root(el).querySelectorAll('fieldset')).to.have.length(0);
    expect(text(root(el).querySelector('[part="empty"]'))).to.equal('No attribute matches “no such thing”.');
    // The visible columns stay as they are while searching.
    expect(visibleColumns(el)).to.have.length(DEFAULT_COLUMNS.length);

    await search(el, '');
    expect(legends(el)).to.have.length(8);
  });

  it('adds a checked attribute at the end and removes an unchecked one', async () => {
    const el = await chooser(['status', 'name', 'mainMetric']);
    let changed = oneEvent(el, 'columns-change');
    checkbox(el, 'params.optimizer.lr').click();
    let ev = await changed;
    expect(ev.detail.columns).to.deep.equal(['status', 'name', 'mainMetric', 'params.optimizer.lr']);
    expect(ev.bubbles && ev.composed).to.equal(true);
    await el.updateComplete;
    expect(visibleColumns(el)).to.deep.equal(['Status', 'Name', 'Main metric', 'optimizer.lr']);

    changed = oneEvent(el, 'columns-change');
    checkbox(el, 'name').click();
    ev = await changed;
    expect(ev.detail.columns).to.deep.equal(['status', 'mainMetric', 'params.optimizer.lr']);
    await el.updateComplete;
    expect(checkbox(el, 'name').checked).to.equal(false);
    expect(el.selected).to.deep.equal(['status', 'mainMetric', 'params.optimizer.lr']);
  });

  it('checks an attribute found by search and keeps the order of the others', async () => {
    const el = await chooser(['status', 'name']);
    await search(el, 'secret');
    const changed = oneEvent(el, 'columns-change');
    checkbox(el, 'params.secret_knob').click();
    expect((await changed).detail.columns).to.deep.equal(['status', 'name', 'params.secret_knob']);
  });

  it('reorders with the move buttons, keeping the focus on the moved column', async () => {
    const el = await chooser(['status', 'name', 'mainMetric']);
    expect(button(el, 'Move Status up').disabled).to.equal(true);
    expect(button(el, 'Move Main metric down').disabled).to.equal(true);

    let changed = oneEvent(el, 'columns-change');
    button(el, 'Move Main metric up').click();
    expect((await changed).detail.columns).to.deep.equal(['status', 'mainMetric', 'name']);
    await el.updateComplete;
    expect(visibleColumns(el)).to.deep.equal(['Status', 'Main metric', 'Name']);
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal('Move Main metric up');

    changed = oneEvent(el, 'columns-change');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.columns).to.deep.equal(['mainMetric', 'status', 'name']);
    await el.updateComplete;
    // At the top "up" is disabled: the focus moves to "down" of the same column.
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal('Move Main metric down');

    changed = oneEvent(el, 'columns-change');
    button(el, 'Move Status down').click();
    expect((await changed).detail.columns).to.deep.equal(['mainMetric', 'name', 'status']);
  });

  it('reorders by drag and drop', async () => {
    const el = await chooser(['status', 'name', 'mainMetric', 'operator']);
    const item = (id: string) => root(el).querySelector<HTMLElement>(`li[data-id="${id}"]`)!;
    const drag = async (from: string, to: string, half: 'top' | 'bottom') => {
      const dataTransfer = new DataTransfer();
      item(from).dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer }));
      await el.updateComplete;
      const rect = item(to).getBoundingClientRect();
      const clientY = half === 'top' ? rect.top + 2 : rect.bottom - 2;
      item(to).dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer, clientY }));
      await el.updateComplete;
      expect(item(to).classList.contains(half === 'top' ? 'drop-before' : 'drop-after')).to.equal(true);
      item(to).dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer, clientY }));
      item(from).dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer }));
    };
    expect(item('status').draggable).to.equal(true);

    let changed = oneEvent(el, 'columns-change');
    await drag('operator', 'name', 'top');
    expect((await changed).detail.columns).to.deep.equal(['status', 'operator', 'name', 'mainMetric']);
    await el.updateComplete;
    expect(root(el).querySelector('.drop-before, .drop-after')).to.equal(null);

    changed = oneEvent(el, 'columns-change');
    await drag('status', 'mainMetric', 'bottom');
    expect((await changed).detail.columns).to.deep.equal(['operator', 'name', 'mainMetric', 'status']);
  });

  it('resets to the defaults', async () => {
    const el = await chooser(['name', 'params.optimizer.lr']);
    const reset = buttonByText(el, 'Reset to defaults');
    expect(reset.disabled).to.equal(false);
    const changed = oneEvent(el, 'columns-change');
    reset.click();
    expect((await changed).detail.columns).to.deep.equal([...DEFAULT_COLUMNS]);
    await el.updateComplete;
    expect(reset.disabled).to.equal(true);
    expect(checkbox(el, 'params.optimizer.lr').checked).to.equal(false);

    el.defaults = ['status', 'params.optimizer.lr'];
    await el.updateComplete;
    const again = oneEvent(el, 'columns-change');
    reset.click();
    expect((await again).detail.columns).to.deep.equal(['status', 'params.optimizer.lr']);
  });

  it('stays usable with 2,000 attributes: long categories are cut until asked', async () => {
    const many: Attribute[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `params.p${String(i).padStart(4, '0')}`,
      label: `p${String(i).padStart(4, '0')}`,
      category: 'parameters',
      kind: 'number',
      get: () => i,
    }));
    const el = await chooser(['status'], [...attributes.filter((a) => a.category === 'experiment'), ...many]);
    const params = () => category(el, 'Parameters')!;
    expect(text(params().querySelector('legend'))).to.equal('Parameters (2000)');
    expect(params().querySelectorAll('input[type="checkbox"]')).to.have.length(CATEGORY_ROW_LIMIT);
    expect(text(params().querySelector('.more'))).to.equal(`${CATEGORY_ROW_LIMIT} of 2,000 shown. Show all 2,000`);

    await search(el, 'p19');
    expect(params().querySelectorAll('input[type="checkbox"]')).to.have.length(100);
    expect(params().querySelector('.more')).to.equal(null);

    await search(el, '');
    buttonByText(el, 'Show all 2,000').click();
    await el.updateComplete;
    // The rest appears a step at a time; the focus moves from the button to the first new row.
    expect(params().querySelectorAll('input[type="checkbox"]')).to.have.length(CATEGORY_ROW_LIMIT + SHOW_ALL_STEP);
    expect(text(params().querySelector('.more'))).to.equal(`${(CATEGORY_ROW_LIMIT + SHOW_ALL_STEP).toLocaleString('en-US')} of 2,000 shown. Showing the rest…`);
    expect(el.shadowRoot!.activeElement).to.equal(params().querySelectorAll('input[type="checkbox"]')[CATEGORY_ROW_LIMIT]);
    await waitUntil(() => params().querySelectorAll('input[type="checkbox"]').length === 2000, 'all 2,000 rows');
    expect(params().querySelector('.more')).to.equal(null);

    const changed = oneEvent(el, 'columns-change');
    checkbox(el, 'params.p1999').click();
    expect((await changed).detail.columns).to.deep.equal(['status', 'params.p1999']);
  });

  it('shows labels and ids from the data as text, and unknown selected ids by their id', async () => {
    const evil: Attribute = { id: 'params.<b>x</b>', label: '<img src=x onerror="window.__pwned=1">', category: 'parameters', kind: 'text', get: () => undefined };
    const el = await chooser(['status', 'params.<b>x</b>', 'metrics.gone.last'], [...attributes, evil]);
    expect(root(el).querySelector('img, b')).to.equal(null);
    expect(optionLabels(el, 'Parameters')).to.include('<img src=x onerror="window.__pwned=1">');
    expect(visibleColumns(el)).to.deep.equal(['Status', '<img src=x onerror="window.__pwned=1">', 'metrics.gone.last']);
  });

  it('takes the list through .attributes too, and keeps the DOM attributes readable', async () => {
    const el = await fixture<ExperimentColumnChooser>(html`<experiment-column-chooser id="c" .attributes=${attributes} .selected=${['status']}></experiment-column-chooser>`);
    expect(el.availableAttributes).to.equal(attributes);
    expect(el.attributes).to.be.instanceOf(NamedNodeMap);
    expect(el.attributes.getNamedItem('id')?.value).to.equal('c');
    expect(legends(el)).to.have.length(8);
  });
});
