import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ChartLine, ChartXAxis } from '../src/components/metric-chart/metric-chart.component.js';
import type { ExperimentSource, Series } from '../src/data/types.js';
import { elementIn, inShadow, part, shown } from './play-helpers.js';
import { historySource, memo, sacredCollection, sample60 } from './story-data.js';

const history = (runIndex: number, metric: string): Series | undefined => sample60().experiments[runIndex]?.metrics?.[metric]?.history;
const line = (label: string, series: Series | undefined): ChartLine => (series ? { label, series } : { label });

const LINE_SETS = {
  'accuracy and loss of one run': () => [line('val_accuracy', history(0, 'val_accuracy')), line('loss', history(0, 'loss'))],
  'val_accuracy of five runs': () => sample60().experiments.slice(0, 5).map((e, i) => ({ ...line(e.name ?? e.id, e.metrics?.val_accuracy?.history), colorIndex: i })),
  'real Sacred loss (400 steps)': () => sacredCollection().experiments.map((e) => line(`run ${e.id} training.loss`, e.metrics?.['training.loss']?.history)),
  'a history still loading': () => [{ label: 'loss of run-000004', experimentId: 'run-000004', metric: 'loss' }],
  'a history that fails': () => [{ label: 'loss of run-000004', experimentId: 'run-000004', metric: 'loss' }],
  none: () => [],
} satisfies Record<string, () => ChartLine[]>;
type LineSet = keyof typeof LINE_SETS;

const SOURCES: Partial<Record<LineSet, () => ExperimentSource>> = {
  'a history still loading': memo(() => historySource('never')),
  'a history that fails': memo(() => historySource('fail')),
};

interface ChartArgs {
  lines: LineSet;
  'x-axis': ChartXAxis;
  'log-scale': boolean;
  height: number;
  label: string;
}

const meta: Meta<ChartArgs> = {
  title: 'Elements/metric-chart',
  component: 'metric-chart',
  tags: ['autodocs'],
  render: (args) => html`<metric-chart
    .lines=${LINE_SETS[args.lines]()}
    .source=${SOURCES[args.lines]?.()}
    x-axis=${args['x-axis']}
    ?log-scale=${args['log-scale']}
    height=${args.height}
    label=${args.label}
  ></metric-chart>`,
  parameters: { controls: { include: ['lines', 'x-axis', 'log-scale', 'height', 'label'] } },
  argTypes: {
    lines: { control: 'select', options: Object.keys(LINE_SETS), description: 'Stories only: the `.lines` drawn (and the `.source` histories load from).', table: { category: 'story' } },
    'x-axis': { control: 'inline-radio', options: ['step', 'time'] },
    'log-scale': { control: 'boolean' },
    height: { control: { type: 'number', min: 80, max: 600, step: 20 } },
    label: { control: 'text' },
  },
  args: { lines: 'accuracy and loss of one run', 'x-axis': 'step', 'log-scale': false, height: 220, label: '' },
};
export default meta;
type Story = StoryObj<ChartArgs>;

const chartIn = (canvas: HTMLElement) => elementIn(canvas, 'metric-chart');
/** uPlot drew its canvas. */
const drawnPlay: Story['play'] = async ({ canvasElement }) => {
  await shown('the drawn chart', () => inShadow(chartIn(canvasElement), '[part~="plot"] canvas'));
};

export const TwoMetrics: Story = { name: 'Two metrics of one run', play: drawnPlay };
export const FiveRuns: Story = { name: 'One metric of five runs', args: { lines: 'val_accuracy of five runs', label: 'Validation accuracy of five runs' }, play: drawnPlay };
export const ByTime: Story = { name: 'By wall-clock time', args: { lines: 'val_accuracy of five runs', 'x-axis': 'time' }, play: drawnPlay };
export const LogScale: Story = { name: 'Log scale', args: { 'log-scale': true }, play: drawnPlay };
export const RealSacredLoss: Story = { name: 'Real Sacred loss curves', args: { lines: 'real Sacred loss (400 steps)' }, play: drawnPlay };

/** The Sacred losses are negative: on a log scale they cannot be drawn, and the chart says so. */
export const LogScaleWithoutPositiveValues: Story = {
  name: 'Log scale, values ≤ 0 left out',
  args: { lines: 'real Sacred loss (400 steps)', 'log-scale': true },
  play: async ({ canvasElement }) => {
    await shown('the note on left-out values', () => part(chartIn(canvasElement), 'note'));
  },
};

export const LoadingHistory: Story = {
  name: 'Loading a history',
  args: { lines: 'a history still loading' },
  play: async ({ canvasElement }) => {
    await shown('the loading message', () => part(chartIn(canvasElement), 'status'));
  },
};

export const HistoryFailed: Story = {
  name: 'Error: the history could not be loaded',
  args: { lines: 'a history that fails' },
  play: async ({ canvasElement }) => {
    await shown('the error with Retry', () => part(chartIn(canvasElement), 'error'));
  },
};

export const NoLines: Story = {
  name: 'Nothing to plot',
  args: { lines: 'none' },
  play: async ({ canvasElement }) => {
    await shown('the empty message', () => part(chartIn(canvasElement), 'empty'));
  },
};
