import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect } from 'storybook/test';
import { dashboardIn, elementIn, inShadow, rowsShown, shown } from './play-helpers.js';
import { nameOf, sample60 } from './story-data.js';

interface DataArgs {
  'main-metric'?: string;
  /** Stories only: the record the detail beside the table shows. */
  'experiment-id': string;
}

/**
 * One load, shared: a dashboard and a detail of one run inside `<experiment-data>`. The provider
 * loads the experiments once; the detail looks its record up in the shared store.
 */
const meta: Meta<DataArgs> = {
  title: 'Elements/experiment-data',
  component: 'experiment-data',
  tags: ['autodocs'],
  render: (args) => html`<experiment-data .experiments=${sample60()} main-metric=${ifDefined(args['main-metric'] || undefined)}>
    <div style="display: grid; grid-template-columns: 2fr 1fr; gap: 12px; height: 560px">
      <experiment-dashboard style="display: block; height: 100%"></experiment-dashboard>
      <experiment-row-detail experiment-id=${args['experiment-id']} style="overflow: auto"></experiment-row-detail>
    </div>
  </experiment-data>`,
  parameters: { storyHeight: '600px', controls: { include: ['main-metric', 'experiment-id'] } },
  argTypes: {
    'main-metric': { control: 'text' },
    'experiment-id': { control: 'text', description: 'Stories only: the `experiment-id` of the detail inside the provider.', table: { category: 'story' } },
  },
  args: { 'experiment-id': 'run-000004' },
};
export default meta;
type Story = StoryObj<DataArgs>;

/** The table and the detail show the same records, loaded once. */
export const TableAndDetail: Story = {
  name: 'A dashboard and a detail sharing one load',
  play: async ({ canvasElement }) => {
    await rowsShown(dashboardIn(canvasElement));
    const detail = elementIn(canvasElement, 'experiment-row-detail');
    const wanted = sample60().experiments.find((e) => e.id === 'run-000004')!;
    const tabs = await shown('the detail of run-000004', () => inShadow(detail, '[role="tablist"]'));
    await expect(tabs.getAttribute('aria-label')).toBe(`Details of ${nameOf(wanted)}`);
  },
};

export const WithMainMetric: Story = {
  name: 'With main-metric on the provider',
  args: { 'main-metric': 'loss:min' },
  play: async ({ canvasElement }) => {
    await rowsShown(dashboardIn(canvasElement));
  },
};
