import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/components/experiment-filter-editor/experiment-filter-editor.js';
import { describeFilter, describeFilterParts } from '../src/components/experiment-filter-editor/describe-filter.js';
import type { ExperimentFilterEditor, FilterValueCount } from '../src/components/experiment-filter-editor/experiment-filter-editor.component.js';
import { collectAttributes, type Attribute } from '../src/data/attributes.js';
import { generateExperiments } from '../src/data/sample-data.js';
import type { ColumnFilter, FilterOperator } from '../src/data/types.js';

const attributes = collectAttributes(generateExperiments({ n: 50 }));
const attr = (id: string): Attribute => {
  const a = attributes.find((x) => x.id === id);
  if (!a) throw new Error(`no attribute ${id}`);
  return a;
};
const STATUS_VALUES: FilterValueCount[] = [
  { value: 'completed', count: 31 },
  { value: 'failed', count: 6 },
  { value: 'running', count: 4 },
  { value: 'queued', count: 3 },
];

async function editor(attribute: Attribute, options: { filter?: ColumnFilter; values?: readonly FilterValueCount[] } = {}): Promise<ExperimentFilterEditor> {
  return fixture<ExperimentFilterEditor>(
    html`<experiment-filter-editor style="width: 360px" .attribute=${attribute} .filter=${options.filter} .values=${options.values}></experiment-filter-editor>`,
  );
}

const root = (el: ExperimentFilterEditor) => el.shadowRoot!;
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const operator = (el: ExperimentFilterEditor) => root(el).querySelector<HTMLSelectElement>('select[part="operator"]')!;
const operatorTexts = (el: ExperimentFilterEditor) => [...operator(el).options].map((o) => text(o));
const input = (el: ExperimentFilterEditor, id: 'value' | 'value2') => root(el).querySelector<HTMLInputElement>(`#${id}`)!;
const apply = (el: ExperimentFilterEditor) => root(el).querySelector<HTMLButtonElement>('button[part="apply"]')!;
const message = (el: ExperimentFilterEditor) => text(root(el).querySelector('[part="message"]'));
const choice = (el: ExperimentFilterEditor, value: string) => root(el).querySelector<HTMLInputElement>(`[part="choices"] input[value="${value}"]`)!;
const buttonByText = (el: ExperimentFilterEditor, t: string) => [...root(el).querySelectorAll('button')].find((b) => text(b) === t)!;

async function setOperator(el: ExperimentFilterEditor, op: FilterOperator): Promise<void> {
  operator(el).value = op;
  operator(el).dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function type(el: ExperimentFilterEditor, id: 'value' | 'value2', value: string): Promise<void> {
  const field = input(el, id);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Picks an operator, types the values and presses Apply; the filter it sends. */
async function applied(el: ExperimentFilterEditor, op: FilterOperator, value?: string, value2?: string): Promise<ColumnFilter> {
  await setOperator(el, op);
  if (value !== undefined) await type(el, 'value', value);
  if (value2 !== undefined) await type(el, 'value2', value2);
  expect(apply(el).disabled, `Apply enabled for ${op}`).to.equal(false);
  const ev = oneEvent(el, 'filter-apply');
  apply(el).click();
  const e = await ev;
  expect(e.bubbles && e.composed).to.equal(true);
  return e.detail.filter;
}

describe('<experiment-filter-editor> numbers', () => {
  it('offers the number operators under human labels', async () => {
    const el = await editor(attr('mainMetric'));
    expect(text(root(el).querySelector('h2'))).to.equal('Filter Main metric');
    expect(operatorTexts(el)).to.deep.equal(['=', '≠', '>', '≥', '<', '≤', 'between', 'is empty', 'is not empty']);
    // A number filter starts at "≥" (a threshold), not "=".
    expect(operator(el).value).to.equal('ge');
    expect(input(el, 'value').type).to.equal('number');
    await expect(el).to.be.accessible();
  });

  it('sends each operator as the exact ColumnFilter, numbers as numbers', async () => {
    const el = await editor(attr('mainMetric'));
    const cases: [FilterOperator, string][] = [
      ['eq', '0.9'],
      ['ne', '0.9'],
      ['gt', '0.9'],
      ['ge', '0.9'],
      ['lt', '-1.5'],
      ['le', '1e-3'],
    ];
    for (const [op, v] of cases) expect(await applied(el, op, v)).to.deep.equal({ attribute: 'mainMetric', op, value: Number(v) });
    expect(await applied(el, 'between', '0.5', '0.9')).to.deep.equal({ attribute: 'mainMetric', op: 'between', value: 0.5, value2: 0.9 });
    expect(await applied(el, 'empty')).to.deep.equal({ attribute: 'mainMetric', op: 'empty' });
    expect(await applied(el, 'notEmpty')).to.deep.equal({ attribute: 'mainMetric', op: 'notEmpty' });
  });

  it('takes an open-ended between and needs a value otherwise', async () => {
    const el = await editor(attr('params.batch_size'));
    await setOperator(el, 'between');
    expect(apply(el).disabled).to.equal(true);
    expect(message(el)).to.equal('Give a lower bound, an upper bound, or both.');
    expect(await applied(el, 'between', '', '64')).to.deep.equal({ attribute: 'params.batch_size', op: 'between', value2: 64 });
    await setOperator(el, 'gt');
    await type(el, 'value', '');
    expect(apply(el).disabled).to.equal(true);
  });

  it('says so when the typed text is not a number', async () => {
    const el = await editor(attr('mainMetric'));
    await setOperator(el, 'gt');
    input(el, 'value').focus();
    await sendKeys({ type: '1e' });
    await el.updateComplete;
    expect(message(el)).to.equal('Enter a number.');
    expect(apply(el).disabled).to.equal(true);
    expect(input(el, 'value').getAttribute('aria-invalid')).to.equal('true');
    await sendKeys({ type: '3' });
    await el.updateComplete;
    expect(apply(el).disabled).to.equal(false);
    // Enter submits the form.
    const ev = oneEvent(el, 'filter-apply');
    await sendKeys({ press: 'Enter' });
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'mainMetric', op: 'gt', value: 1000 });
  });

  it('edits the active filter', async () => {
    const el = await editor(attr('mainMetric'), { filter: { attribute: 'mainMetric', op: 'between', value: 0.5, value2: 0.9 } });
    expect(operator(el).value).to.equal('between');
    expect(input(el, 'value').value).to.equal('0.5');
    expect(input(el, 'value2').value).to.equal('0.9');
    await type(el, 'value2', '0.95');
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'mainMetric', op: 'between', value: 0.5, value2: 0.95 });
  });
});

describe('<experiment-filter-editor> dates', () => {
  it('offers before, after, between and on with date inputs', async () => {
    const el = await editor(attr('times.started'));
    expect(operatorTexts(el)).to.deep.equal(['before', 'after', 'between', 'on', 'is empty', 'is not empty']);
    expect(input(el, 'value').type).to.equal('date');
    await expect(el).to.be.accessible();
  });

  it('sends date-only ISO values, which query.ts reads as whole UTC days', async () => {
    const el = await editor(attr('times.started'));
    for (const op of ['before', 'after', 'on'] as const) expect(await applied(el, op, '2024-05-01')).to.deep.equal({ attribute: 'times.started', op, value: '2024-05-01' });
    expect(await applied(el, 'between', '2024-05-01', '2024-05-31')).to.deep.equal({ attribute: 'times.started', op: 'between', value: '2024-05-01', value2: '2024-05-31' });
  });

  it('takes a time of day in local time and sends it as UTC', async () => {
    const el = await editor(attr('times.started'));
    await setOperator(el, 'after');
    await type(el, 'value', '2024-05-01');
    const withTime = [...root(el).querySelectorAll('label')].find((l) => text(l) === 'Include time')!.querySelector('input')!;
    withTime.click();
    await el.updateComplete;
    expect(input(el, 'value').type).to.equal('datetime-local');
    expect(input(el, 'value').value).to.equal('2024-05-01T00:00');
    await type(el, 'value', '2024-05-01T12:30');
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    const expected = new Date(2024, 4, 1, 12, 30).toISOString().replace('.000Z', 'Z');
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'times.started', op: 'after', value: expected });

    // "on" is a whole day: no time.
    await setOperator(el, 'on');
    expect(input(el, 'value').type).to.equal('date');
    expect([...root(el).querySelectorAll('label')].some((l) => text(l) === 'Include time')).to.equal(false);
  });

  it('shows an active date-time filter in local time', async () => {
    const iso = '2024-05-01T10:15:00Z';
    const el = await editor(attr('times.started'), { filter: { attribute: 'times.started', op: 'before', value: iso } });
    const d = new Date(iso);
    const p = (n: number) => String(n).padStart(2, '0');
    expect(input(el, 'value').type).to.equal('datetime-local');
    expect(input(el, 'value').value).to.equal(`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`);
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'times.started', op: 'before', value: iso });
  });
});

describe('<experiment-filter-editor> text and lists', () => {
  it('offers the text operators and sends text as typed', async () => {
    const el = await editor(attr('name'));
    expect(operatorTexts(el)).to.deep.equal(['contains', 'does not contain', 'equals', 'starts with', 'matches (regex)', 'is empty', 'is not empty']);
    expect(input(el, 'value').type).to.equal('text');
    for (const op of ['contains', 'notContains', 'eq', 'startsWith'] as const) expect(await applied(el, op, 'Res Net')).to.deep.equal({ attribute: 'name', op, value: 'Res Net' });
    expect(await applied(el, 'matches', 'res.*')).to.deep.equal({ attribute: 'name', op: 'matches', value: 'res.*' });
    // Digits in a text attribute stay text.
    expect(await applied(el, 'eq', '42')).to.deep.equal({ attribute: 'name', op: 'eq', value: '42' });
    expect(await applied(el, 'empty')).to.deep.equal({ attribute: 'name', op: 'empty' });
  });

  it('names a backreference or lookaround as it is typed (patterns run in linear time) and disables Apply', async () => {
    const el = await editor(attr('name'));
    await setOperator(el, 'matches');
    await type(el, 'value', '(a)\\1');
    expect(message(el)).to.match(/^Pattern "\(a\)\\\\1" uses a backreference \(\\1\), which is not supported/);
    expect(apply(el).disabled).to.equal(true);
    await type(el, 'value', 'run(?=-2)');
    expect(message(el)).to.match(/uses a lookahead/);
    await type(el, 'value', 'run-(2|3)');
    expect(apply(el).disabled).to.equal(false);
  });

  it('explains an invalid regular expression and disables Apply', async () => {
    const el = await editor(attr('name'));
    await setOperator(el, 'matches');
    await type(el, 'value', 'res[a-');
    expect(message(el)).to.equal('Not a valid regular expression: Unterminated character class');
    expect(apply(el).disabled).to.equal(true);
    expect(input(el, 'value').getAttribute('aria-invalid')).to.equal('true');
    expect(input(el, 'value').getAttribute('aria-describedby')).to.equal('message');
    await expect(el).to.be.accessible();
    let sent = false;
    el.addEventListener('filter-apply', () => (sent = true));
    root(el).querySelector('form')!.requestSubmit();
    await el.updateComplete;
    expect(sent).to.equal(false);

    await type(el, 'value', 'res[a-z]');
    expect(message(el)).to.equal('');
    expect(apply(el).disabled).to.equal(false);
  });

  it('filters a list attribute (tags) with the text operators', async () => {
    const el = await editor(attr('tags'));
    expect(operatorTexts(el)[0]).to.equal('contains');
    expect(await applied(el, 'contains', 'base')).to.deep.equal({ attribute: 'tags', op: 'contains', value: 'base' });
    expect(await applied(el, 'empty')).to.deep.equal({ attribute: 'tags', op: 'empty' });
  });
});

describe('<experiment-filter-editor> picking values', () => {
  it('shows a checkbox with the count for each value and sends op "in"', async () => {
    const el = await editor(attr('status'), { values: STATUS_VALUES });
    expect(operator(el).value).to.equal('in');
    expect(text(operator(el).selectedOptions[0])).to.equal('is one of');
    const rows = [...root(el).querySelectorAll('[part="choices"] li')].map(text);
    expect(rows).to.deep.equal(['Completed 31', 'Failed 6', 'Running 4', 'Queued 3']);
    expect(apply(el).disabled).to.equal(true);
    expect(message(el)).to.equal('Pick at least one value.');
    await expect(el).to.be.accessible();

    choice(el, 'failed').click();
    choice(el, 'completed').click();
    await el.updateComplete;
    let ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'status', op: 'in', value: ['completed', 'failed'] });

    buttonByText(el, 'Select all').click();
    await el.updateComplete;
    expect([...root(el).querySelectorAll<HTMLInputElement>('[part="choices"] input')].every((c) => c.checked)).to.equal(true);
    ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'status', op: 'in', value: ['completed', 'failed', 'running', 'queued'] });

    buttonByText(el, 'None').click();
    await el.updateComplete;
    expect([...root(el).querySelectorAll<HTMLInputElement>('[part="choices"] input')].some((c) => c.checked)).to.equal(false);
    expect(apply(el).disabled).to.equal(true);
  });

  it('checks the values of the active filter, keeping ones no longer in the data', async () => {
    const el = await editor(attr('status'), { values: STATUS_VALUES, filter: { attribute: 'status', op: 'in', value: ['failed', 'dead'] } });
    expect(choice(el, 'failed').checked).to.equal(true);
    expect(choice(el, 'completed').checked).to.equal(false);
    expect(choice(el, 'dead').checked).to.equal(true);
    choice(el, 'dead').click();
    await el.updateComplete;
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'status', op: 'in', value: ['failed'] });
  });

  it('offers the values of a text attribute with few values, and the text operators too', async () => {
    const values = [
      { value: 'adam', count: 20 },
      { value: 'sgd', count: 30 },
    ];
    const el = await editor(attr('params.optimizer.name'), { values });
    expect(operatorTexts(el)).to.deep.equal(['is one of', 'contains', 'does not contain', 'equals', 'starts with', 'matches (regex)', 'is empty', 'is not empty']);
    choice(el, 'sgd').click();
    await el.updateComplete;
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'params.optimizer.name', op: 'in', value: ['sgd'] });
    expect(await applied(el, 'startsWith', 'ad')).to.deep.equal({ attribute: 'params.optimizer.name', op: 'startsWith', value: 'ad' });
  });

  it('offers true and false for a boolean attribute', async () => {
    const el = await editor(attr('params.augment'));
    expect(operatorTexts(el)).to.deep.equal(['is one of', 'is empty', 'is not empty']);
    expect([...root(el).querySelectorAll('[part="choices"] li')].map(text)).to.deep.equal(['true', 'false']);
    choice(el, 'true').click();
    await el.updateComplete;
    const ev = oneEvent(el, 'filter-apply');
    apply(el).click();
    expect((await ev).detail.filter).to.deep.equal({ attribute: 'params.augment', op: 'in', value: ['true'] });
  });

  it('renders values from the data as text', async () => {
    const el = await editor(attr('operator'), { values: [{ value: '<img src=x onerror="window.__pwned=1">', count: 1 }] });
    expect(root(el).querySelector('img')).to.equal(null);
    expect(text(root(el).querySelector('[part="choices"] li'))).to.equal('<img src=x onerror="window.__pwned=1"> 1');
  });
});

describe('<experiment-filter-editor> clear, cancel and focus', () => {
  it('fires filter-clear with the attribute', async () => {
    const el = await editor(attr('mainMetric'), { filter: { attribute: 'mainMetric', op: 'gt', value: 0.9 } });
    const ev = oneEvent(el, 'filter-clear');
    buttonByText(el, 'Clear filter').click();
    const e = await ev;
    expect(e.detail).to.deep.equal({ attribute: 'mainMetric' });
    expect(e.bubbles && e.composed).to.equal(true);
  });

  it('fires filter-cancel on Cancel and on Escape', async () => {
    const el = await editor(attr('name'));
    let ev = oneEvent(el, 'filter-cancel');
    buttonByText(el, 'Cancel').click();
    expect((await ev).detail).to.deep.equal({ attribute: 'name' });

    ev = oneEvent(el, 'filter-cancel');
    input(el, 'value').focus();
    await sendKeys({ press: 'Escape' });
    expect((await ev).detail).to.deep.equal({ attribute: 'name' });
  });

  it('focus() moves the focus to the first control', async () => {
    const el = await editor(attr('mainMetric'));
    el.focus();
    expect(document.activeElement).to.equal(el);
    expect(root(el).activeElement).to.equal(operator(el));
  });
});

describe('describeFilter', () => {
  const cases: [ColumnFilter, string, string][] = [
    [{ attribute: 'mainMetric', op: 'ge', value: 0.9 }, 'Main metric', 'Main metric ≥ 0.9'],
    [{ attribute: 'mainMetric', op: 'eq', value: 0.9 }, 'Main metric', 'Main metric = 0.9'],
    [{ attribute: 'mainMetric', op: 'ne', value: 1 }, 'Main metric', 'Main metric ≠ 1'],
    [{ attribute: 'mainMetric', op: 'lt', value: 0.5 }, 'Main metric', 'Main metric < 0.5'],
    [{ attribute: 'mainMetric', op: 'between', value: 0.5, value2: 0.9 }, 'Main metric', 'Main metric between 0.5 and 0.9'],
    [{ attribute: 'params.batch_size', op: 'between', value2: 64 }, 'batch_size', 'batch_size ≤ 64'],
    [{ attribute: 'times.started', op: 'between', value: '2024-05-01', value2: '2024-05-31' }, 'Started', 'Started between 2024-05-01 and 2024-05-31'],
    [{ attribute: 'times.started', op: 'before', value: '2024-05-01' }, 'Started', 'Started before 2024-05-01'],
    [{ attribute: 'times.started', op: 'on', value: '2024-05-01' }, 'Started', 'Started on 2024-05-01'],
    [{ attribute: 'status', op: 'in', value: ['completed', 'failed'] }, 'Status', 'Status is Completed or Failed'],
    [{ attribute: 'status', op: 'in', value: ['running'] }, 'Status', 'Status is Running'],
    [{ attribute: 'operator', op: 'in', value: ['a', 'b', 'c'] }, 'Operator', 'Operator is a, b or c'],
    [{ attribute: 'operator', op: 'in', value: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'Operator', 'Operator is a, b, c, d or 2 more'],
    [{ attribute: 'name', op: 'matches', value: 'res.*' }, 'Name', 'Name matches /res.*/'],
    [{ attribute: 'name', op: 'contains', value: 'res' }, 'Name', 'Name contains "res"'],
    [{ attribute: 'name', op: 'notContains', value: 'res' }, 'Name', 'Name does not contain "res"'],
    [{ attribute: 'name', op: 'startsWith', value: 'res' }, 'Name', 'Name starts with "res"'],
    [{ attribute: 'operator', op: 'eq', value: 'grace' }, 'Operator', 'Operator is grace'],
    [{ attribute: 'tags', op: 'empty' }, 'Tags', 'Tags is empty'],
    [{ attribute: 'tags', op: 'notEmpty' }, 'Tags', 'Tags is not empty'],
  ];
  for (const [filter, label, expected] of cases) {
    it(expected, () => {
      expect(describeFilter(filter, label)).to.equal(expected);
    });
  }

  it('shows a date-time in local time, as the table does', () => {
    const d = new Date('2024-05-01T10:15:00Z');
    const p = (n: number) => String(n).padStart(2, '0');
    const local = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
    expect(describeFilter({ attribute: 'times.started', op: 'after', value: '2024-05-01T10:15:00Z' }, 'Started')).to.equal(`Started after ${local}`);
  });

  it('gives the label and values apart from the words, for a chip to isolate', () => {
    expect(describeFilterParts({ attribute: 'operator', op: 'in', value: ['a', 'b', 'c'] }, 'Operator')).to.deep.equal([{ data: 'Operator' }, ' is ', { data: 'a' }, ', ', { data: 'b' }, ' or ', { data: 'c' }]);
    expect(describeFilterParts({ attribute: 'name', op: 'contains', value: 'res' }, 'Name')).to.deep.equal([{ data: 'Name' }, ' contains "', { data: 'res' }, '"']);
    expect(describeFilterParts({ attribute: 'tags', op: 'empty' }, 'Tags')).to.deep.equal([{ data: 'Tags' }, ' is empty']);
  });

  it('takes a value formatter', () => {
    expect(describeFilter({ attribute: 'host.memoryBytes', op: 'gt', value: 2 ** 30 }, 'Memory', { formatValue: (v) => `${Number(v) / 2 ** 30} GiB` })).to.equal('Memory > 1 GiB');
  });
});
