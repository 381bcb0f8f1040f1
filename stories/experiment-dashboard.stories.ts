import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { expect, userEvent } from 'storybook/test';
import { IndexedDbSource } from '../src/data/idb-source.js';
import type { ExperimentSource } from '../src/data/types.js';
import type { ViewState } from '../src/data/view-state.js';
import exampleRunsUrl from '../examples/plain-html/runs.json?url';
import { clickButton, dashboardIn, inShadow, part, rowsShown, shown, summaryShows, textOf } from './play-helpers.js';
import { DASHBOARD_DATA, DASHBOARD_DATA_NAMES, firstWithStatus, nameOf, sample60, sampleCollection, type DashboardDataName } from './story-data.js';

interface DashboardArgs {
  /** Which data set or source the story gives the element (`.experiments` / `.source`). */
  data: DashboardDataName;
  src?: string;
  'main-metric'?: string;
  columns?: string;
  'group-by'?: string;
  search?: string;
  theme: 'light' | 'dark' | 'auto';
  density: 'compact' | 'normal' | 'comfortable';
  'page-size'?: number;
  'storage-key'?: string;
  'sync-url': boolean;
  'delete-undo-ms'?: number;
}

/** Empty text fields of the controls mean "attribute absent", as on a page. */
const attr = (value: string | number | undefined) => (value === '' || value === undefined ? undefined : String(value));

const render = (args: DashboardArgs, { loaded }: StoryContext<DashboardArgs>) => {
  // Stories that prepare a source asynchronously (IndexedDB) hand it over through a loader.
  const fromLoader = (loaded as { source?: ExperimentSource }).source;
  const data = fromLoader ? { source: fromLoader } : DASHBOARD_DATA[args.data]();
  return html`<experiment-dashboard
    src=${ifDefined(attr(args.src))}
    main-metric=${ifDefined(attr(args['main-metric']))}
    columns=${ifDefined(attr(args.columns))}
    group-by=${ifDefined(attr(args['group-by']))}
    search=${ifDefined(attr(args.search))}
    theme=${args.theme}
    density=${args.density}
    page-size=${ifDefined(attr(args['page-size']))}
    storage-key=${ifDefined(attr(args['storage-key']))}
    ?sync-url=${args['sync-url']}
    delete-undo-ms=${ifDefined(attr(args['delete-undo-ms']))}
    .experiments=${data.experiments}
    .source=${data.source}
  ></experiment-dashboard>`;
};

const meta: Meta<DashboardArgs> = {
  title: 'Elements/experiment-dashboard',
  component: 'experiment-dashboard',
  tags: ['autodocs'],
  render,
  parameters: {
    storyHeight: '600px',
    // The manifest documents every attribute, property, event and part; these are the ones the stories wire up.
    controls: { include: ['data', 'src', 'main-metric', 'columns', 'group-by', 'search', 'theme', 'density', 'page-size', 'storage-key', 'sync-url', 'delete-undo-ms'] },
  },
  argTypes: {
    data: {
      control: 'select',
      options: DASHBOARD_DATA_NAMES,
      description: 'Stories only: the data set or source given to `.experiments` / `.source` (they take precedence over `src`).',
      table: { category: 'story' },
    },
    src: { control: 'text', description: 'URL of a format-v1 collection (JSON).' },
    'main-metric': { control: 'text', description: 'The comparison metric: `key`, `key:max` or `key:min`.' },
    columns: { control: 'text', description: 'Comma-separated attribute ids of the visible columns, in order.' },
    'group-by': { control: 'text', description: 'Comma-separated attribute ids to group by, outermost first.' },
    search: { control: 'text', description: 'Global search text.' },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    density: { control: 'inline-radio', options: ['compact', 'normal', 'comfortable'] },
    'page-size': { control: { type: 'number', min: 1, max: 5000 }, description: 'Rows per page in server-query mode.' },
    'storage-key': { control: 'text', description: 'Keeps the view in localStorage under this key.' },
    'sync-url': { control: 'boolean', description: 'Mirrors the view in the URL hash (`#view=...`).' },
    'delete-undo-ms': { control: { type: 'number', min: 0, step: 1000 }, description: 'Undo window of a confirmed delete, in ms.' },
  },
  args: { data: 'sample (300 runs)', theme: 'light', density: 'normal', 'sync-url': false },
};
export default meta;
type Story = StoryObj<DashboardArgs>;

const loadedPlay: Story['play'] = async ({ canvasElement }) => {
  await rowsShown(dashboardIn(canvasElement));
};

/** The error part says what went wrong (`text`) and what to do. */
const errorPlay =
  (text: string): Story['play'] =>
  async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    const error = await shown('the error message', () => part(el, 'error'));
    await expect(textOf(error)).toContain(text);
  };

// ---- data states ----

/** 300 runs of six projects: statuses, the main metric, the default columns and the summary bar. */
export const SampleSweeps: Story = {
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await summaryShows(el, '300 experiments');
  },
};

/** The source has not answered yet. */
export const Loading: Story = {
  args: { data: 'never loads' },
  play: async ({ canvasElement }) => {
    await shown('the loading indicator', () => part(dashboardIn(canvasElement), 'loading'));
  },
};

export const Empty: Story = {
  args: { data: 'empty' },
  play: async ({ canvasElement }) => {
    await shown('the empty message', () => part(dashboardIn(canvasElement), 'empty'));
  },
};

/** One run per status: completed, failed, running, dead, queued, interrupted. */
export const SixStatuses: Story = {
  args: { data: 'six statuses' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    for (const status of ['Completed', 'Failed', 'Running', 'Dead', 'Queued', 'Interrupted']) await summaryShows(el, `${status} 1`);
  },
};

export const TenThousandRows: Story = {
  name: '10,000 rows',
  args: { data: '10,000 runs' },
  // Left out of the docs page: it would build 10,000 rows again there.
  tags: ['!autodocs'],
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await summaryShows(el, '10,000 experiments');
  },
};

// ---- errors, one per kind ----

export const ErrorNetwork: Story = { name: 'Error: network', args: { data: 'error: network' }, play: errorPlay('Could not reach') };
export const ErrorNotFound: Story = { name: 'Error: HTTP 404', args: { data: 'error: HTTP 404' }, play: errorPlay('HTTP 404') };
export const ErrorNotAllowed401: Story = { name: 'Error: not allowed (HTTP 401)', args: { data: 'error: HTTP 401' }, play: errorPlay('not allowed') };
export const ErrorNotAllowed403: Story = { name: 'Error: not allowed (HTTP 403)', args: { data: 'error: HTTP 403' }, play: errorPlay('not allowed') };
export const ErrorServer: Story = { name: 'Error: server failed (HTTP 500)', args: { data: 'error: HTTP 500' }, play: errorPlay('HTTP 500') };
export const ErrorNotJson: Story = { name: 'Error: not JSON', args: { data: 'error: not JSON' }, play: errorPlay('Could not load the experiments') };
export const ErrorNotACollection: Story = { name: 'Error: not a collection (schema)', args: { data: 'error: not a collection' }, play: errorPlay('not an experiment collection') };

/** Some records are invalid: the valid ones are shown, the others listed as problems (opened here). */
export const InvalidRecords: Story = {
  name: 'Schema problems: some invalid records',
  args: { data: 'invalid records' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    const problems = await shown('the problems list', () => part(el, 'problems'));
    const summary = problems.querySelector('summary');
    if (summary) await userEvent.click(summary);
    await expect(textOf(problems)).toContain('left out');
  },
};

// ---- views ----

export const GroupedOneLevel: Story = {
  name: 'Grouped (1 level)',
  args: { 'group-by': 'operator' },
  play: async ({ canvasElement }) => {
    await shown('group headers', () => inShadow(dashboardIn(canvasElement), '.tabulator-group'));
  },
};

export const GroupedTwoLevels: Story = {
  name: 'Grouped (2 levels)',
  args: { 'group-by': 'group,status' },
  play: async ({ canvasElement }) => {
    await shown('second-level group headers', () => inShadow(dashboardIn(canvasElement), '.tabulator-group-level-1'));
  },
};

/** Two column filters, shown as removable chips. */
export const Filtered: Story = {
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    const view: Partial<ViewState> = {
      filters: [
        { attribute: 'mainMetric', op: 'ge', value: 0.7 },
        { attribute: 'status', op: 'in', value: ['completed', 'running'] },
      ],
    };
    el.setViewState(view);
    await shown('the filter chips', () => part(el, 'chips'));
    await shown('the match count', () => /\d+ of 300 shown/.test(textOf(inShadow(el, '.match-count'))));
  },
};

export const Searched: Story = {
  args: { search: 'adamw' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await shown('the match count', () => /\d+ of 300 shown/.test(textOf(inShadow(el, '.match-count'))));
  },
};

export const SortedByMainMetric: Story = {
  name: 'Sorted by the main metric',
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'desc' }] });
    await shown('the sort', () => el.getViewState().sort.length === 1);
  },
};

export const CustomColumns: Story = {
  args: { columns: 'status,name,mainMetric,params.optimizer.name,params.optimizer.lr,params.batch_size,metrics.loss.min,host.gpus.count', 'main-metric': 'val_loss:min' },
  play: loadedPlay,
};

/** A view saved under `storage-key` (written by a loader here) comes back on load. */
export const SavedView: Story = {
  name: 'Saved view (storage-key)',
  args: { 'storage-key': 'storybook-saved-view' },
  loaders: [
    async () => {
      const view: Partial<ViewState> = { groupBy: ['params.optimizer.name'], sort: [{ attribute: 'mainMetric', dir: 'desc' }], columns: ['status', 'name', 'mainMetric', 'params.optimizer.name', 'params.optimizer.lr'] };
      localStorage.setItem('experiment-dashboard:storybook-saved-view', JSON.stringify(view));
      return {};
    },
  ],
  play: async ({ canvasElement }) => {
    await shown('group headers', () => inShadow(dashboardIn(canvasElement), '.tabulator-group'));
  },
};

export const DarkTheme: Story = {
  args: { theme: 'dark', 'group-by': 'operator' },
  play: async ({ canvasElement }) => {
    await shown('group headers', () => inShadow(dashboardIn(canvasElement), '.tabulator-group'));
  },
};

export const CompactDensity: Story = { args: { density: 'compact' }, play: loadedPlay };

// ---- interactions ----

export const ColumnChooserOpen: Story = {
  name: 'Column chooser open',
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await clickButton(el, 'Columns');
    await shown('the column chooser', () => inShadow(el, 'experiment-column-chooser')?.shadowRoot?.querySelector('input'));
  },
};

export const FilterEditorOpen: Story = {
  name: 'Filter editor open (status)',
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await clickButton(el, 'Filter Status');
    await shown('the filter editor', () => inShadow(el, 'experiment-filter-editor')?.shadowRoot?.querySelector('form'));
  },
};

export const CellMenuOpen: Story = {
  name: 'Cell menu open',
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    const [row] = await rowsShown(el);
    const cell = row?.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="operator"]');
    if (!cell) throw new Error('No operator cell in the first row.');
    await userEvent.click(cell);
    await shown('the cell menu', () => inShadow(el, '[role="menu"]'));
  },
};

export const ExportMenuOpen: Story = {
  name: 'Export menu open',
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await clickButton(el, 'Export');
    await shown('the export menu', () => inShadow(el, '[role="menu"]'));
  },
};

const openDetails =
  (status: 'failed' | 'completed'): Story['play'] =>
  async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    const run = firstWithStatus(sample60(), status);
    await clickButton(el, `Details ${nameOf(run)}`);
    const detail = await shown('the row detail', () => inShadow(el, 'experiment-row-detail')?.shadowRoot?.querySelector('[role="tablist"]'));
    await expect(detail).toBeTruthy();
  };

export const DetailOfFailedRun: Story = { name: 'Detail open: failed run', args: { data: 'sample (60 runs)' }, play: openDetails('failed') };
export const DetailOfCompletedRun: Story = { name: 'Detail open: completed run', args: { data: 'sample (60 runs)' }, play: openDetails('completed') };

/** Three rows selected, compared side by side. */
export const Compare: Story = {
  args: { data: 'sample (60 runs)' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    for (const run of sample60().experiments.slice(0, 3)) {
      const box = await shown(`the checkbox of ${nameOf(run)}`, () => inShadow<HTMLInputElement>(el, `input[aria-label="Select ${nameOf(run)}"]`));
      await userEvent.click(box);
    }
    await clickButton(el, 'Compare (3)');
    await shown('the comparison', () => inShadow(el, 'dialog.compare')?.querySelector('experiment-compare')?.shadowRoot?.querySelector('table'));
  },
};

/** A source that can delete: a row's delete button asks first. */
export const DeleteConfirmation: Story = {
  args: { data: 'deletable (60 runs)' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    const run = sample60().experiments[1];
    if (!run) throw new Error('The sample is empty.');
    await clickButton(el, `Delete ${nameOf(run)}`);
    const dialog = await shown('the confirmation dialog', () => inShadow<HTMLDialogElement>(el, 'dialog.confirm[open]'));
    await expect(textOf(dialog)).toContain(`Delete "${nameOf(run)}"?`);
  },
};

// ---- sources ----

/** `src` pointing at a collection file served with the Storybook (examples/plain-html/runs.json). */
export const StaticSourceSrc: Story = {
  name: 'Source: static file (src attribute)',
  args: { data: 'none (src attribute)', src: exampleRunsUrl },
  play: loadedPlay,
};

export const StaticSourceFetch: Story = {
  name: 'Source: StaticSource (injected fetch)',
  args: { data: 'static file (fake fetch)' },
  play: loadedPlay,
};

/** A database of its own per story, filled by the loader; the toolbar offers Import. */
export const IndexedDb: Story = {
  name: 'Source: IndexedDB',
  loaders: [
    async ({ id }) => {
      const source = new IndexedDbSource(`storybook-${id}`);
      // Start from the same records on every visit.
      const existing = await source.load({});
      if (existing.experiments.length > 0) await source.delete(existing.experiments.map((e) => e.id));
      await source.importCollection(sampleCollection(150, 11));
      return { source };
    },
  ],
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await shown('the Import button', () => inShadow(el, '.import-button'));
  },
};

/** The REST contract answered in the page; the server filters, sorts and pages (page-size 200). */
export const HttpServerQuery: Story = {
  name: 'Source: HTTP (server query, paged)',
  args: { data: 'HTTP, server query (1,200 runs)', 'page-size': 200 },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    const pager = await shown('the pager', () => part(el, 'pager'));
    await expect(textOf(pager)).toContain('Page 1 of 6');
  },
};

export const HttpClientMode: Story = {
  name: 'Source: HTTP (everything loaded, filtered in the browser)',
  args: { data: 'HTTP, client mode (1,200 runs)' },
  play: async ({ canvasElement }) => {
    const el = dashboardIn(canvasElement);
    await rowsShown(el);
    await summaryShows(el, '1,200 experiments');
  },
};

export const SacredFixtures: Story = {
  name: 'Real Sacred runs (fixtures)',
  args: { data: 'Sacred fixtures' },
  play: loadedPlay,
};

export const MlflowFixtures: Story = {
  name: 'Real MLflow runs (fixtures)',
  args: { data: 'MLflow fixtures' },
  play: loadedPlay,
};
