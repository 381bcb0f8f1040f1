import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import { collectAttributes } from '../src/data/attributes.js';
import { elementIn, part, shown } from './play-helpers.js';
import { memo, sample60 } from './story-data.js';

const attributes = memo(() => collectAttributes(sample60().experiments, { now: Date.parse(sample60().generatedAt ?? '') }));

interface PickerArgs {
  value: string;
}

const meta: Meta<PickerArgs> = {
  title: 'Elements/experiment-group-picker',
  component: 'experiment-group-picker',
  tags: ['autodocs'],
  render: (args) => html`<experiment-group-picker
    .availableAttributes=${attributes()}
    .value=${args.value.split(',').map((s) => s.trim()).filter(Boolean)}
  ></experiment-group-picker>`,
  parameters: { controls: { include: ['value'] } },
  argTypes: { value: { control: 'text', description: 'Stories only: `.value`, comma-separated attribute ids, outermost first.', table: { category: 'story' } } },
  args: { value: '' },
};
export default meta;
type Story = StoryObj<PickerArgs>;

const levels =
  (n: number): Story['play'] =>
  async ({ canvasElement }) => {
    const el = elementIn(canvasElement, 'experiment-group-picker');
    await shown('the "Group by" select', () => part(el, 'select'));
    await expect(el.shadowRoot?.querySelectorAll('[part~="level"]').length ?? 0).toBe(n);
  };

export const NoGrouping: Story = { play: levels(0) };
export const OneLevel: Story = { name: 'One level', args: { value: 'operator' }, play: levels(1) };
export const TwoLevels: Story = { name: 'Two levels', args: { value: 'group,params.optimizer.name' }, play: levels(2) };
