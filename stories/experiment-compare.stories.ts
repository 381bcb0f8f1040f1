import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { Experiment } from '../src/data/types.js';
import { elementIn, part, shown, textOf } from './play-helpers.js';
import { mlflowCollection, sacredCollection, sample60 } from './story-data.js';

const RUN_SETS = {
  'three sample runs': () => sample60().experiments.slice(0, 3),
  'five runs of one sweep': () => sample60().experiments.filter((e) => e.group?.id === 'cifar10-resnet').slice(0, 5),
  'Sacred runs (real)': () => sacredCollection().experiments,
  'MLflow runs (real)': () => mlflowCollection().experiments.slice(0, 3),
  'one run': () => sample60().experiments.slice(0, 1),
} satisfies Record<string, () => Experiment[]>;

interface CompareArgs {
  runs: keyof typeof RUN_SETS;
  'differences-only': boolean;
}

const meta: Meta<CompareArgs> = {
  title: 'Elements/experiment-compare',
  component: 'experiment-compare',
  tags: ['autodocs'],
  render: (args) => html`<experiment-compare .experiments=${RUN_SETS[args.runs]()} .now=${Date.parse('2024-06-01T12:00:00Z')} ?differences-only=${args['differences-only']}></experiment-compare>`,
  parameters: { controls: { include: ['runs', 'differences-only'] } },
  argTypes: {
    runs: { control: 'select', options: Object.keys(RUN_SETS), description: 'Stories only: the records given to `.experiments`.', table: { category: 'story' } },
    'differences-only': { control: 'boolean' },
  },
  args: { runs: 'three sample runs', 'differences-only': false },
};
export default meta;
type Story = StoryObj<CompareArgs>;

const comparedPlay: Story['play'] = async ({ canvasElement }) => {
  await shown('the comparison table', () => part(elementIn(canvasElement, 'experiment-compare'), 'table'));
};

export const ThreeRuns: Story = { play: comparedPlay };
export const DifferencesOnly: Story = { args: { 'differences-only': true }, play: comparedPlay };
export const OneSweep: Story = { name: 'Five runs of one sweep', args: { runs: 'five runs of one sweep' }, play: comparedPlay };
export const SacredRuns: Story = { name: 'Real Sacred runs', args: { runs: 'Sacred runs (real)' }, play: comparedPlay };
export const MlflowRuns: Story = { name: 'Real MLflow runs', args: { runs: 'MLflow runs (real)' }, play: comparedPlay };

/** Fewer than two runs: nothing to compare. */
export const NotEnoughRuns: Story = {
  args: { runs: 'one run' },
  play: async ({ canvasElement }) => {
    const empty = await shown('the empty message', () => part(elementIn(canvasElement, 'experiment-compare'), 'empty'));
    await expect(textOf(empty)).not.toBe('');
  },
};
