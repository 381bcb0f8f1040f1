import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-compare/experiment-compare.js';
import type { ExperimentCompare } from '../src/components/experiment-compare/experiment-compare.component.js';
import type { MetricChart } from '../src/components/metric-chart/metric-chart.component.js';
import { formatTime } from '../src/data/format.js';
import type { Experiment, ExperimentSource, Series } from '../src/data/types.js';

const GiB = 1024 ** 3;

function runs(): Experiment[] {
  const host = (hostname: string): Experiment['host'] => ({
    hostname,
    os: { system: 'Linux' },
    cpu: { model: 'AMD EPYC 7742', cores: 64 },
    memoryBytes: 256 * GiB,
    python: { version: '3.11.4' },
    gpus: { count: 1, devices: [{ model: 'NVIDIA A100', memoryBytes: 40 * GiB }] },
  });
  return [
    {
      id: 'run-a',
      name: 'baseline <i>a</i>',
      status: 'completed',
      statusDetail: { raw: 'COMPLETED' },
      operator: 'ada',
      params: { optimizer: { name: 'adam', lr: 0.001 }, batch: 64, seed: 1, layers: [64, 64] },
      metrics: {
        accuracy: { last: 0.91, count: 3, history: { steps: [0, 1, 2], values: [0.5, 0.8, 0.91] } },
        loss: { last: 0.3, count: 3, history: { steps: [0, 1, 2], values: [1.2, 0.6, 0.3] } },
      },
      mainMetric: { key: 'accuracy', value: 0.91, goal: 'maximize' },
      host: host('node-1'),
      git: [{ url: 'https://github.com/example/vision', commit: 'abc123', branch: 'main', dirty: false }],
      dependencies: [
        { name: 'torch', version: '2.3.0' },
        { name: 'numpy', version: '1.26.4' },
      ],
    },
    {
      id: 'run-b',
      name: 'lr 0.01',
      status: 'failed',
      statusDetail: { raw: 'FAILED' },
      operator: 'ada',
      params: { optimizer: { name: 'adam', lr: 0.01 }, batch: 64, seed: 2, layers: [64, 64], dropout: 0.1 },
      metrics: {
        accuracy: { last: 0.42, count: 2, history: { steps: [0, 1], values: [0.3, 0.42] } },
        loss: { last: 2.5, count: 500, historyRef: 'loss' },
      },
      host: host('node-2'),
      git: [{ url: 'https://github.com/example/vision', commit: 'def456', branch: 'main', dirty: true }],
      dependencies: [
        { name: 'torch', version: '2.3.0' },
        { name: 'numpy', version: '2.0.0' },
        { name: 'scipy', version: '1.13.0' },
      ],
    },
  ];
}

const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;
const text = (node: Element | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const section = (el: HTMLElement, id: string): HTMLElement => root(el).querySelector<HTMLElement>(`section.section-${id}`)!;

/** Body rows of a section: [label, ...values] as a user reads them. */
function rows(el: HTMLElement, id: string): string[][] {
  return [...section(el, id).querySelectorAll('tbody tr')].map((tr) => [
    text(tr.querySelector('th')!.querySelector('span:not(.marker):not(.sr-only)')),
    ...[...tr.querySelectorAll('td')].map((td) => (td.classList.contains('missing') ? '—' : text(td))),
  ]);
}

const differing = (el: HTMLElement, id: string): string[] =>
  [...section(el, id).querySelectorAll('tbody tr[data-differs]')].map((tr) => text(tr.querySelector('th span:not(.marker):not(.sr-only)')));

async function setDifferencesOnly(el: ExperimentCompare, on: boolean): Promise<void> {
  const box = root(el).querySelector<HTMLInputElement>('input[role="switch"]')!;
  if (box.checked !== on) box.click();
  await el.updateComplete;
}

describe('<experiment-compare>', () => {
  const uplotFetched = (): boolean => performance.getEntriesByType('resource').some((r) => /uPlot\.esm/.test(r.name));

  it('asks for two or more experiments, without downloading the chart library', async () => {
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${runs().slice(0, 1)}></experiment-compare>`);
    expect(text(root(el).querySelector('[part~="empty"]'))).to.equal('Choose two or more experiments to compare.');
    await expect(el).to.be.accessible();
    expect(uplotFetched(), 'uPlot is imported only when a chart is drawn').to.equal(false);
  });

  it('takes records straight from a file: validated as the dashboard does, problems named, never a throw', async () => {
    const raw = JSON.parse(`[
      {"id": "f1", "status": "COMPLETED", "operator": null, "group": {"id": {}}, "times": {"started": "2024-05-01T10:00:00"},
       "params": {"lr": 0.1}, "metrics": {"loss": {"history": {"values": [1, "NaN", 0.5]}}}, "dependencies": ["torch==2.3.0"]},
      {"id": 7, "status": "failed", "operator": 5, "params": {"lr": 0.2}, "metrics": {"loss": 0.7}, "artifacts": [{"name": "m", "digest": {}}]},
      {"id": "broken"}
    ]`) as Experiment[];
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${raw}></experiment-compare>`);
    expect([...section(el, 'overview').querySelectorAll('thead th')].map(text)).to.deep.equal(['Attribute', 'f1 Completed', '7 Failed']);
    expect(rows(el, 'params')).to.deep.equal([['lr', '0.1', '0.2']]);
    expect(rows(el, 'overview')).to.deep.include(['Operator', '—', '5']);
    expect(rows(el, 'overview')).to.deep.include(['Started', formatTime('2024-05-01T10:00:00Z'), '—']);
    expect(rows(el, 'dependencies')).to.deep.equal([['torch', '2.3.0', '—']]);
    const problems = root(el).querySelector('details[part="problems"]')!;
    expect(text(problems.querySelector('summary'))).to.equal('4 problems in the data: 1 record(s) left out');
    expect([...problems.querySelectorAll('li')].map(text)).to.deep.equal([
      'record 0 (id "f1"), $[0].group.id: expected text, found an object; the field was dropped',
      'record 1 (id "7"), $[1].operator: expected text, found a number; it was read as the text "5"',
      'record 1 (id "7"), $[1].artifacts[0].digest: expected text, found an object; the field was dropped',
      'record 2 (id "broken"), $[2].status: the required "status" is missing; the record was left out',
    ]);
    // Fewer than two usable records: the problems still say why.
    el.experiments = raw.slice(1);
    await el.updateComplete;
    expect(text(root(el).querySelector('[part~="empty"]'))).to.equal('Choose two or more experiments to compare.');
    expect(root(el).querySelectorAll('[part="problems"] li').length).to.equal(3);
    await expect(el).to.be.accessible();
  });

  it('puts runs side by side and highlights exactly the differing parameters', async () => {
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${runs()}></experiment-compare>`);
    const heads = [...section(el, 'params').querySelectorAll('thead th')].map(text);
    expect(heads).to.deep.equal(['Parameter', 'baseline <i>a</i> Completed', 'lr 0.01 Failed']);
    expect(root(el).querySelector('i'), 'names stay text').to.equal(null);
    expect(rows(el, 'params')).to.deep.equal([
      ['optimizer.name', 'adam', 'adam'],
      ['optimizer.lr', '0.001', '0.01'],
      ['batch', '64', '64'],
      ['seed', '1', '2'],
      ['layers', '[64,64]', '[64,64]'],
      ['dropout', '—', '0.1'],
    ]);
    expect(differing(el, 'params')).to.deep.equal(['optimizer.lr', 'seed', 'dropout']);
    const lr = section(el, 'params').querySelector('tbody tr[data-differs]')!;
    expect(lr.getAttribute('part')).to.equal('row row-differs');
    expect(text(lr.querySelector('th')), 'the difference is said in words too').to.equal('≠optimizer.lr (differs)');
    expect(getComputedStyle(lr.querySelector('td')!).backgroundColor, 'and shown').to.not.equal(getComputedStyle(section(el, 'params').querySelector('tbody tr:not([data-differs]) td')!).backgroundColor);
    expect(text(section(el, 'params').querySelector('.section-title'))).to.equal('Parameters3 of 6 differ');
    await expect(el).to.be.accessible();
  });

  it('"Differences only" hides the equal rows in every section', async () => {
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${runs()}></experiment-compare>`);
    await setDifferencesOnly(el, true);
    expect(el.differencesOnly).to.equal(true);
    expect(el.hasAttribute('differences-only')).to.equal(false);
    expect(rows(el, 'params').map((r) => r[0])).to.deep.equal(['optimizer.lr', 'seed', 'dropout']);
    expect(rows(el, 'overview')).to.deep.equal([['Status', 'Completed (COMPLETED)', 'Failed (FAILED)'], ['Main metric', 'accuracy = 0.91', '—']]);
    expect(rows(el, 'host')).to.deep.equal([['Hostname', 'node-1', 'node-2']]);
    expect(rows(el, 'git')).to.deep.equal([
      ['Commit', 'abc123', 'def456'],
      ['Working tree', 'clean', 'dirty'],
    ]);
    expect(rows(el, 'dependencies')).to.deep.equal([
      ['numpy', '1.26.4', '2.0.0'],
      ['scipy', '—', '1.13.0'],
    ]);
    await expect(el).to.be.accessible();

    await setDifferencesOnly(el, false);
    expect(rows(el, 'params')).to.have.length(6);
    expect(rows(el, 'host').map((r) => r[0])).to.deep.equal(['Hostname', 'Operating system', 'CPU', 'CPU cores', 'Memory', 'Python', 'GPUs', 'GPU models']);
    expect(rows(el, 'dependencies').map((r) => r[0])).to.deep.equal(['numpy', 'scipy', 'torch']);
  });

  it('the differences-only attribute sets the initial state; equal sections say so', async () => {
    const [a] = runs();
    const el = await fixture<ExperimentCompare>(html`<experiment-compare differences-only .experiments=${[a!, { ...a!, id: 'copy-of-a', name: 'copy' }]}></experiment-compare>`);
    expect(root(el).querySelector<HTMLInputElement>('input[role="switch"]')!.checked).to.equal(true);
    expect(section(el, 'params').querySelector('table')).to.equal(null);
    expect(text(section(el, 'params').querySelector('.note'))).to.equal('All 5 are the same in every experiment.');
  });

  it('filters rows by name', async () => {
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${runs()}></experiment-compare>`);
    const filter = root(el).querySelector<HTMLInputElement>('input[aria-label="Filter rows"]')!;
    filter.value = 'optim';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rows(el, 'params').map((r) => r[0])).to.deep.equal(['optimizer.name', 'optimizer.lr']);
    expect(text(section(el, 'host').querySelector('.note'))).to.equal('No row matches the filter.');
  });

  it('overlays a metric of every run in one chart, loading histories that are not inline', async () => {
    const calls: [string, string][] = [];
    let answer!: (s: Series) => void;
    const source: ExperimentSource = {
      capabilities: { delete: false, live: false, serverQuery: false, history: true },
      load: async () => ({ experiments: [] }),
      history: (id: string, metric: string) => {
        calls.push([id, metric]);
        return new Promise<Series>((resolve) => (answer = resolve));
      },
    };
    const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${runs()} .source=${source}></experiment-compare>`);
    expect(rows(el, 'metrics')).to.deep.equal([
      ['accuracy', '', '0.91', '0.42'],
      ['loss', '', '0.3', '2.5'],
    ]);
    let charts = [...root(el).querySelectorAll<MetricChart>('metric-chart')];
    expect(charts).to.have.length(1);
    await waitUntil(() => charts[0]!.shadowRoot!.querySelector('.uplot canvas'), 'accuracy chart drawn', { timeout: 10000 });
    expect(uplotFetched()).to.equal(true);
    expect([...charts[0]!.shadowRoot!.querySelectorAll('.legend .label')].map(text)).to.deep.equal(['baseline <i>a</i>', 'lr 0.01']);
    expect(calls).to.deep.equal([]);

    section(el, 'metrics').querySelector<HTMLInputElement>('input[aria-label="Plot loss"]')!.click();
    await el.updateComplete;
    charts = [...root(el).querySelectorAll<MetricChart>('metric-chart')];
    expect(charts).to.have.length(2);
    const loss = charts[1]!;
    await loss.updateComplete;
    expect(calls).to.deep.equal([['run-b', 'loss']]);
    expect(text(loss.shadowRoot!.querySelector('[role="status"]'))).to.contain('Loading history of lr 0.01');
    answer({ steps: [0, 250, 499], values: [3, 2.7, 2.5] });
    await waitUntil(() => [...loss.shadowRoot!.querySelectorAll('.legend .label')].length === 2, 'both runs drawn');
    await waitUntil(() => loss.shadowRoot!.querySelector('.uplot canvas'), 'loss chart drawn', { timeout: 10000 });
    await expect(el).to.be.accessible();
  });

  it('at 360 px parameter and metric names break only after . _ - /, never inside a word', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const [a, b] = runs();
      a!.params = { data_pipeline: { preprocessing: { text_description: 'x' } } };
      b!.params = { data_pipeline: { preprocessing: { text_description: 'y' } } };
      a!.metrics = { validation_top_one_classification_accuracy: { last: 0.9 } };
      b!.metrics = { validation_top_one_classification_accuracy: { last: 0.8 } };
      const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${[a, b]}></experiment-compare>`);
      const lines = (id: string, word: string): number => {
        const th = section(el, id).querySelector('tbody th')!;
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          const at = n.data.indexOf(word);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + word.length);
          return range.getClientRects().length;
        }
        throw new Error(`no text with ${word}`);
      };
      expect(lines('params', 'description'), '"description" on one line').to.equal(1);
      expect(lines('metrics', 'accuracy'), '"accuracy" on one line').to.equal(1);
      expect(rows(el, 'params')[0]![0], 'the name reads whole').to.equal('data_pipeline.preprocessing.text_description');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
