import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import { DEFAULT_COLUMNS, collectAttributes, type Attribute } from '../src/data/attributes.js';
import type { Experiment } from '../src/data/types.js';
import { elementIn, inShadow, part, shown, textOf } from './play-helpers.js';
import { memo, mlflowCollection, sample60 } from './story-data.js';

/** 2,000 parameters and metrics, as a large sweep logs them: categories cut to a "Show all". */
const wideRuns = memo((): Experiment[] =>
  Array.from({ length: 3 }, (_, r) => ({
    id: `wide-${r}`,
    status: 'completed',
    params: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`layer_${String(i).padStart(4, '0')}.dropout`, (i % 10) / 10])),
    metrics: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`probe_${i}`, { last: i / 500 }])),
  })),
);

const ATTRIBUTE_SETS = {
  'sample runs': memo(() => collectAttributes(sample60().experiments, { now: Date.parse(sample60().generatedAt ?? '') })),
  'real MLflow runs': memo(() => collectAttributes(mlflowCollection().experiments)),
  '2,000 parameters and metrics': memo(() => collectAttributes(wideRuns())),
  'none yet': () => [],
} satisfies Record<string, () => Attribute[]>;

interface ChooserArgs {
  attributes: keyof typeof ATTRIBUTE_SETS;
  selected: string;
}

const meta: Meta<ChooserArgs> = {
  title: 'Elements/experiment-column-chooser',
  component: 'experiment-column-chooser',
  tags: ['autodocs'],
  render: (args) => html`<experiment-column-chooser
    .availableAttributes=${ATTRIBUTE_SETS[args.attributes]()}
    .selected=${args.selected.split(',').map((s) => s.trim()).filter(Boolean)}
    .defaults=${[...DEFAULT_COLUMNS]}
  ></experiment-column-chooser>`,
  parameters: { controls: { include: ['attributes', 'selected'] } },
  argTypes: {
    attributes: { control: 'select', options: Object.keys(ATTRIBUTE_SETS), description: 'Stories only: the `.availableAttributes` offered.', table: { category: 'story' } },
    selected: { control: 'text', description: 'Stories only: `.selected`, comma-separated attribute ids in order.', table: { category: 'story' } },
  },
  args: { attributes: 'sample runs', selected: [...DEFAULT_COLUMNS, 'params.optimizer.lr'].join(',') },
};
export default meta;
type Story = StoryObj<ChooserArgs>;

const chooserIn = (canvas: HTMLElement) => elementIn(canvas, 'experiment-column-chooser');
const listed: Story['play'] = async ({ canvasElement }) => {
  await shown('the attribute categories', () => part(chooserIn(canvasElement), 'category'));
};

export const SampleAttributes: Story = { play: listed };
export const RealMlflowAttributes: Story = { name: 'Real MLflow attributes', args: { attributes: 'real MLflow runs', selected: 'status,name,mainMetric,params.max_depth' }, play: listed };

/** Typing in the search box narrows every category. */
export const Searching: Story = {
  play: async ({ canvasElement }) => {
    const el = chooserIn(canvasElement);
    const search = await shown('the search box', () => inShadow<HTMLInputElement>(el, 'input[part~="search"]'));
    await userEvent.type(search, 'lr');
    await shown('the filtered list', () => el.shadowRoot?.querySelectorAll('[part~="category"] input[type="checkbox"]').length);
  },
};

export const NoMatch: Story = {
  name: 'Search without a match',
  play: async ({ canvasElement }) => {
    const el = chooserIn(canvasElement);
    const search = await shown('the search box', () => inShadow<HTMLInputElement>(el, 'input[part~="search"]'));
    await userEvent.type(search, 'no-such-attribute');
    const empty = await shown('the no-match message', () => part(el, 'empty'));
    await expect(textOf(empty)).toContain('No attribute matches');
  },
};

export const ManyAttributes: Story = {
  name: '2,000 parameters and metrics',
  args: { attributes: '2,000 parameters and metrics', selected: 'status,name' },
  play: async ({ canvasElement }) => {
    await shown('a "Show all" button', () => part(chooserIn(canvasElement), 'show-all'));
  },
};

/** "Show all" adds the rest a step per frame; the focus moves to the first row that was hidden. */
export const ShowAll: Story = {
  name: '2,000 parameters, all shown',
  args: { attributes: '2,000 parameters and metrics', selected: 'status,name' },
  play: async ({ canvasElement }) => {
    const el = chooserIn(canvasElement);
    const more = await shown('the "Show all" button of the parameters', () => inShadow(el, '[data-category="parameters"] [part~="show-all"]'));
    await userEvent.click(more);
    const boxes = () => [...(el.shadowRoot?.querySelectorAll('[data-category="parameters"] input[type="checkbox"]') ?? [])];
    await shown('all 1,500 parameters', () => boxes().length === 1500);
    await expect(el.shadowRoot?.activeElement).toBe(boxes()[200]);
  },
};

export const NoAttributes: Story = {
  name: 'Before any data',
  args: { attributes: 'none yet' },
  play: async ({ canvasElement }) => {
    await shown('the empty message', () => part(chooserIn(canvasElement), 'empty'));
  },
};
