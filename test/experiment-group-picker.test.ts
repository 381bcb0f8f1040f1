import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/components/experiment-group-picker/experiment-group-picker.js';
import type { ExperimentGroupPicker } from '../src/components/experiment-group-picker/experiment-group-picker.component.js';
import { collectAttributes } from '../src/data/attributes.js';
import { generateExperiments } from '../src/data/sample-data.js';

const attributes = collectAttributes(generateExperiments({ n: 50 }));

async function picker(value: readonly string[] = []): Promise<ExperimentGroupPicker> {
  return fixture<ExperimentGroupPicker>(html`<experiment-group-picker .availableAttributes=${attributes} .value=${value}></experiment-group-picker>`);
}

const root = (el: ExperimentGroupPicker) => el.shadowRoot!;
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const select = (el: ExperimentGroupPicker) => root(el).querySelector<HTMLSelectElement>('select[aria-label="Group by"]')!;
const chips = (el: ExperimentGroupPicker) => [...root(el).querySelectorAll('[part="level"] .level-label')].map(text);
const button = (el: ExperimentGroupPicker, name: string) => root(el).querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`)!;
const optionValues = (el: ExperimentGroupPicker) => [...select(el).querySelectorAll('option')].map((o) => o.value);

async function choose(el: ExperimentGroupPicker, id: string): Promise<string[]> {
  const changed = oneEvent(el, 'group-by-change');
  select(el).value = id;
  select(el).dispatchEvent(new Event('change', { bubbles: true }));
  const ev = await changed;
  expect(ev.bubbles && ev.composed).to.equal(true);
  await el.updateComplete;
  return ev.detail.groupBy;
}

describe('<experiment-group-picker>', () => {
  it('offers every attribute by category after "Add grouping…"', async () => {
    const el = await picker();
    const first = select(el).options[0]!;
    expect(first.value).to.equal('');
    expect(first.textContent).to.equal('Add grouping…');
    expect(select(el).value).to.equal('');
    expect([...select(el).querySelectorAll('optgroup')].map((g) => g.label)).to.deep.equal(['Experiment', 'Metrics', 'Parameters', 'Host', 'Git', 'Dependencies', 'Tags']);
    const params = [...select(el).querySelectorAll('optgroup[label="Parameters"] option')].map(text);
    expect(params).to.include.members(['optimizer.name', 'optimizer.lr', 'batch_size']);
    expect(optionValues(el)).to.have.length(attributes.length + 1);
    expect(root(el).querySelector('[part="levels"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('appends a level for each choice and stops offering the chosen ones', async () => {
    const el = await picker();
    expect(await choose(el, 'operator')).to.deep.equal(['operator']);
    expect(select(el).value).to.equal('');
    expect(await choose(el, 'params.optimizer.name')).to.deep.equal(['operator', 'params.optimizer.name']);
    expect(chips(el)).to.deep.equal(['1. Operator', '2. optimizer.name']);
    expect(optionValues(el)).not.to.include.members(['operator', 'params.optimizer.name']);
    expect(el.value).to.deep.equal(['operator', 'params.optimizer.name']);
    await expect(el).to.be.accessible();
  });

  it('moves levels earlier and later, keeping the focus on the moved chip', async () => {
    const el = await picker(['operator', 'status', 'group']);
    expect(chips(el)).to.deep.equal(['1. Operator', '2. Status', '3. Group']);
    expect(button(el, 'Move Operator earlier').disabled).to.equal(true);
    expect(button(el, 'Move Group later').disabled).to.equal(true);

    let changed = oneEvent(el, 'group-by-change');
    button(el, 'Move Status earlier').click();
    expect((await changed).detail.groupBy).to.deep.equal(['status', 'operator', 'group']);
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['1. Status', '2. Operator', '3. Group']);
    // Status is first now, so "earlier" is disabled and the focus lands on the remove button.
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal('Remove grouping by Status');

    changed = oneEvent(el, 'group-by-change');
    button(el, 'Move Operator later').click();
    expect((await changed).detail.groupBy).to.deep.equal(['status', 'group', 'operator']);
  });

  it('removes a level and offers it again', async () => {
    const el = await picker(['operator', 'status', 'group']);
    expect(optionValues(el)).not.to.include('status');
    const changed = oneEvent(el, 'group-by-change');
    button(el, 'Remove grouping by Status').click();
    expect((await changed).detail.groupBy).to.deep.equal(['operator', 'group']);
    await el.updateComplete;
    expect(chips(el)).to.deep.equal(['1. Operator', '2. Group']);
    expect(optionValues(el)).to.include('status');
    // The focus goes to the chip that took its place.
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal('Remove grouping by Group');
  });

  it('is operable with the keyboard alone', async () => {
    const el = await picker(['operator', 'status']);
    button(el, 'Move Status earlier').focus();
    let changed = oneEvent(el, 'group-by-change');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.groupBy).to.deep.equal(['status', 'operator']);
    await el.updateComplete;

    // Tab from the chip's last button to the next chip's buttons, and remove with Space.
    button(el, 'Remove grouping by Status').focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement?.getAttribute('aria-label')).to.equal('Remove grouping by Operator');
    changed = oneEvent(el, 'group-by-change');
    await sendKeys({ press: 'Space' });
    expect((await changed).detail.groupBy).to.deep.equal(['status']);
    await el.updateComplete;

    changed = oneEvent(el, 'group-by-change');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.groupBy).to.deep.equal([]);
    await el.updateComplete;
    // Nothing left to focus in the list: back to the select.
    expect(root(el).activeElement).to.equal(select(el));
  });

  it('shows unknown ids by their id and labels from the data as text', async () => {
    const el = await fixture<ExperimentGroupPicker>(html`<experiment-group-picker
      .availableAttributes=${[{ id: 'labels.x', label: '<b>bold</b>', category: 'labels', kind: 'text', get: () => undefined }]}
      .value=${['labels.x', 'params.gone']}
    ></experiment-group-picker>`);
    expect(chips(el)).to.deep.equal(['1. <b>bold</b>', '2. params.gone']);
    expect(root(el).querySelector('b')).to.equal(null);
  });

  it('takes the list through .attributes too', async () => {
    const el = await fixture<ExperimentGroupPicker>(html`<experiment-group-picker .attributes=${attributes}></experiment-group-picker>`);
    expect(el.availableAttributes).to.equal(attributes);
    expect(el.attributes).to.be.instanceOf(NamedNodeMap);
    expect(optionValues(el)).to.have.length(attributes.length + 1);
  });
});
