import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { FilterValueCount } from '../src/components/experiment-filter-editor/experiment-filter-editor.component.js';
import { collectAttributes, resolveAttribute } from '../src/data/attributes.js';
import { STATUSES, type ColumnFilter } from '../src/data/types.js';
import { elementIn, part, shown, textOf } from './play-helpers.js';
import { memo, sample60 } from './story-data.js';

const attributes = memo(() => collectAttributes(sample60().experiments, { now: Date.parse(sample60().generatedAt ?? '') }));
const statusCounts = memo((): FilterValueCount[] => STATUSES.map((value) => ({ value, count: sample60().experiments.filter((e) => e.status === value).length })));
const operatorCounts = memo((): FilterValueCount[] => {
  const counts = new Map<string, number>();
  for (const e of sample60().experiments) if (e.operator) counts.set(e.operator, (counts.get(e.operator) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count }));
});

const CASES = {
  'main metric, new filter': { attribute: 'mainMetric' },
  'main metric between 0.6 and 0.9': { attribute: 'mainMetric', filter: { attribute: 'mainMetric', op: 'between', value: 0.6, value2: 0.9 } },
  'status pick list': { attribute: 'status', values: statusCounts, filter: { attribute: 'status', op: 'in', value: ['failed', 'dead'] } },
  'operator pick list': { attribute: 'operator', values: operatorCounts },
  'started in May 2024': { attribute: 'times.started', filter: { attribute: 'times.started', op: 'between', value: '2024-05-01', value2: '2024-05-31' } },
  'name matches a pattern': { attribute: 'name', filter: { attribute: 'name', op: 'matches', value: '^resnet-(sgd|adamw)' } },
  'an invalid pattern': { attribute: 'name', filter: { attribute: 'name', op: 'matches', value: 'resnet-(' } },
  'tags contain': { attribute: 'tags', filter: { attribute: 'tags', op: 'contains', value: 'baseline' } },
} satisfies Record<string, { attribute: string; filter?: ColumnFilter; values?: () => FilterValueCount[] }>;
type CaseName = keyof typeof CASES;

interface EditorArgs {
  case: CaseName;
}

const meta: Meta<EditorArgs> = {
  title: 'Elements/experiment-filter-editor',
  component: 'experiment-filter-editor',
  tags: ['autodocs'],
  render: (args) => {
    const c: { attribute: string; filter?: ColumnFilter; values?: () => FilterValueCount[] } = CASES[args.case];
    return html`<experiment-filter-editor .attribute=${resolveAttribute(c.attribute, attributes())} .filter=${c.filter} .values=${c.values?.()}></experiment-filter-editor>`;
  },
  parameters: { controls: { include: ['case'] } },
  argTypes: { case: { control: 'select', options: Object.keys(CASES), description: 'Stories only: the `.attribute`, `.filter` and `.values` given.', table: { category: 'story' } } },
  args: { case: 'main metric, new filter' },
};
export default meta;
type Story = StoryObj<EditorArgs>;

const editorIn = (canvas: HTMLElement) => elementIn(canvas, 'experiment-filter-editor');
const formShown: Story['play'] = async ({ canvasElement }) => {
  await shown('the filter form', () => part(editorIn(canvasElement), 'form'));
};

export const NewNumberFilter: Story = { play: formShown };
export const NumberBetween: Story = { args: { case: 'main metric between 0.6 and 0.9' }, play: formShown };
export const StatusPickList: Story = {
  args: { case: 'status pick list' },
  play: async ({ canvasElement }) => {
    await shown('the status checkboxes', () => part(editorIn(canvasElement), 'choices'));
  },
};
export const OperatorPickList: Story = { args: { case: 'operator pick list' }, play: formShown };
export const DateRange: Story = { args: { case: 'started in May 2024' }, play: formShown };
export const TextPattern: Story = { name: 'Text matching a pattern', args: { case: 'name matches a pattern' }, play: formShown };
export const InvalidPattern: Story = {
  args: { case: 'an invalid pattern' },
  play: async ({ canvasElement }) => {
    const message = await shown('the validation message', () => textOf(part(editorIn(canvasElement), 'message')) !== '' && part(editorIn(canvasElement), 'message'));
    await expect(textOf(message)).toContain('regular expression');
  },
};
export const ListContains: Story = { name: 'Tags contain', args: { case: 'tags contain' }, play: formShown };
