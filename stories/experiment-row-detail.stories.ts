import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect } from 'storybook/test';
import { DETAIL_SECTIONS, type DetailSection } from '../src/components/experiment-row-detail/experiment-row-detail.component.js';
import type { Experiment, ExperimentSource } from '../src/data/types.js';
import { elementIn, inShadow, part, shown, textOf } from './play-helpers.js';
import { firstWithStatus, historySource, memo, mlflowCollection, sacredCollection, sample60 } from './story-data.js';

const RUNS = {
  'failed run': () => firstWithStatus(sample60(), 'failed'),
  'completed run': () => firstWithStatus(sample60(), 'completed'),
  'running run': () => firstWithStatus(sample60(), 'running'),
  'Sacred run 3 (failed, real)': () => sacredCollection().experiments.find((e) => e.id.endsWith('3')),
  'MLflow run (real)': () => mlflowCollection().experiments[0],
  'run with 1 MiB values': memo(() => {
    const base = firstWithStatus(sample60(), 'failed');
    const huge = 'A long pasted log line. '.repeat(44_000);
    return { ...base, name: `A name from a bidi-${'\u202E'}override test`, notes: huge, command: `python train.py ${huge}`, output: { stdout: huge } } as Experiment;
  }),
  none: () => undefined,
} satisfies Record<string, () => Experiment | undefined>;
type RunName = keyof typeof RUNS;

const SOURCES = {
  none: () => undefined,
  'get() never answers': memo(() => historySource('never')),
  'get() fails': memo(() => historySource('fail')),
} satisfies Record<string, () => ExperimentSource | undefined>;
type SourceName = keyof typeof SOURCES;

interface RowDetailArgs {
  run: RunName;
  source: SourceName;
  section: DetailSection;
  'experiment-id'?: string;
}

const meta: Meta<RowDetailArgs> = {
  title: 'Elements/experiment-row-detail',
  component: 'experiment-row-detail',
  tags: ['autodocs'],
  render: (args) => html`<experiment-row-detail
    .experiment=${RUNS[args.run]()}
    .source=${SOURCES[args.source]()}
    .now=${Date.parse('2024-06-01T12:00:00Z')}
    experiment-id=${ifDefined(args['experiment-id'] || undefined)}
    section=${args.section}
  ></experiment-row-detail>`,
  parameters: { controls: { include: ['run', 'source', 'section', 'experiment-id'] } },
  argTypes: {
    run: { control: 'select', options: Object.keys(RUNS), description: 'Stories only: the record given to `.experiment`.', table: { category: 'story' } },
    source: { control: 'select', options: Object.keys(SOURCES), description: 'Stories only: the `.source` the full record is fetched from.', table: { category: 'story' } },
    section: { control: 'select', options: [...DETAIL_SECTIONS] },
    'experiment-id': { control: 'text' },
  },
  args: { run: 'completed run', source: 'none', section: 'overview' },
};
export default meta;
type Story = StoryObj<RowDetailArgs>;

const detailIn = (canvas: HTMLElement) => elementIn(canvas, 'experiment-row-detail');

/** The tab of `label` is the selected one. */
const sectionPlay =
  (label: string): Story['play'] =>
  async ({ canvasElement }) => {
    const el = detailIn(canvasElement);
    const tab = await shown(`the selected ${label} tab`, () => inShadow(el, '[role="tab"][aria-selected="true"]'));
    await expect(textOf(tab)).toContain(label);
  };

/** A failed run opens on its error message and trace. */
export const FailedRun: Story = {
  args: { run: 'failed run' },
  play: async ({ canvasElement }) => {
    await shown('the error message', () => part(detailIn(canvasElement), 'error-message'));
  },
};

export const CompletedRun: Story = { play: sectionPlay('Overview') };
export const RunningRun: Story = { args: { run: 'running run' }, play: sectionPlay('Overview') };

export const Metrics: Story = {
  name: 'Metrics with charts',
  args: { section: 'metrics' },
  play: async ({ canvasElement }) => {
    await shown('the metric chart', () => part(detailIn(canvasElement), 'chart')?.shadowRoot?.querySelector('[part~="plot"]'));
  },
};
export const Parameters: Story = { args: { section: 'params' }, play: sectionPlay('Parameters') };
export const Dependencies: Story = { args: { section: 'dependencies' }, play: sectionPlay('Dependencies') };
export const Artifacts: Story = { args: { section: 'artifacts' }, play: sectionPlay('Artifacts') };
export const Host: Story = { args: { section: 'host' }, play: sectionPlay('Host') };
export const Git: Story = { args: { section: 'git' }, play: sectionPlay('Git') };

/** Only an id and a source: the full record is on its way. */
export const LoadingRecord: Story = {
  name: 'Loading the full record',
  args: { run: 'none', source: 'get() never answers', 'experiment-id': 'run-000004' },
  play: async ({ canvasElement }) => {
    await shown('the loading message', () => part(detailIn(canvasElement), 'status'));
  },
};

export const LoadFailed: Story = {
  name: 'Error: the full record could not be loaded',
  args: { run: 'none', source: 'get() fails', 'experiment-id': 'run-000004' },
  play: async ({ canvasElement }) => {
    await shown('the error', () => part(detailIn(canvasElement), 'error'));
  },
};

export const Empty: Story = {
  args: { run: 'none' },
  play: async ({ canvasElement }) => {
    await shown('the empty message', () => part(detailIn(canvasElement), 'empty'));
  },
};

export const SacredRun: Story = {
  name: 'Real Sacred run with its output',
  args: { run: 'Sacred run 3 (failed, real)', section: 'output' },
  play: async ({ canvasElement }) => {
    await shown('the captured output', () => part(detailIn(canvasElement), 'stdout'));
  },
};

/** Values of a megabyte: cut with a mark, how much is shown, and Copy / Download for the whole. */
export const LongValues: Story = {
  name: 'Values of 1 MiB, cut for display',
  args: { run: 'run with 1 MiB values' },
  play: async ({ canvasElement }) => {
    const note = await shown('the note on the cut notes', () => inShadow(detailIn(canvasElement), '.cut-note'));
    await expect(textOf(note)).toContain('characters shown');
  },
};

export const MlflowRun: Story = { name: 'Real MLflow run', args: { run: 'MLflow run (real)' }, play: sectionPlay('Overview') };
