import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-row-detail/experiment-row-detail.js';
import { DETAIL_TEXT_LIMIT, OUTPUT_TEXT_LIMIT, type ExperimentRowDetail } from '../src/components/experiment-row-detail/experiment-row-detail.component.js';
import { alignSeries, type ChartLine, type MetricChart } from '../src/components/metric-chart/metric-chart.component.js';
import { formatTime } from '../src/data/format.js';
import { SourceError, type Artifact, type Experiment, type ExperimentSource, type Series } from '../src/data/types.js';

const GiB = 1024 ** 3;

/** A failed run as an importer would produce it: every section has something. */
function failedRun(): Experiment {
  return {
    id: 'run-42',
    name: 'resnet50 <b>sweep</b> #3',
    group: { id: 'sweep-7', name: 'lr sweep' },
    status: 'failed',
    statusDetail: { raw: 'FAILED' },
    times: { queued: '2024-05-01T09:58:00Z', started: '2024-05-01T10:00:00Z', stopped: '2024-05-01T12:03:05Z', heartbeat: '2024-05-01T12:03:00Z' },
    operator: 'ada',
    command: 'python train.py with optimizer.lr=0.001',
    notes: 'Diverged after warm-up.\nTry a lower learning rate.',
    tags: ['baseline', '<img src=x onerror=alert(1)>'],
    labels: { team: 'vision' },
    mainMetric: { key: 'val_accuracy', value: 0.913, goal: 'maximize' },
    metrics: {
      val_accuracy: {
        last: 0.913,
        min: 0.41,
        max: 0.92,
        count: 5,
        lastStep: 400,
        history: {
          steps: [0, 100, 200, 300, 400],
          timestamps: ['2024-05-01T10:00:00Z', '2024-05-01T10:30:00Z', '2024-05-01T11:00:00Z', '2024-05-01T11:30:00Z', '2024-05-01T12:00:00Z'],
          values: [0.41, 0.7, 0.85, 0.92, 0.913],
        },
      },
      train_loss: { last: 0.21, min: 0.21, max: 2.3, count: 1000, lastStep: 999, historyRef: 'metrics/train_loss.json' },
      lr: { last: 0.0001, count: 1 },
    },
    params: {
      optimizer: { name: 'adam', lr: 0.001, betas: [0.9, 0.999] },
      model: { depth: 50, pretrained: true },
      seed: 7,
      data: { augment: { flip: true, crop: null } },
    },
    dependencies: [
      { name: 'torch', version: '2.3.0', manager: 'pip' },
      { name: 'numpy', version: '1.26.4', manager: 'pip' },
      { name: 'sacred', version: '0.8.5', manager: 'pip' },
    ],
    artifacts: [
      { name: 'weights/best.pt', role: 'model', uri: 'https://example.org/runs/42/best.pt', sizeBytes: 98_000_000, mediaType: 'application/octet-stream', digest: 'sha256:ab12' },
      { name: 'report.html', role: 'other', uri: 'javascript:alert(1)', sizeBytes: 12 },
      { name: 'data/train.csv', role: 'dataset', path: 'data/train.csv', sizeBytes: 2048, mediaType: 'text/csv' },
    ],
    host: {
      hostname: 'gpu-node-3',
      os: { system: 'Linux', platform: 'Linux-5.15.0-x86_64-with-glibc2.35' },
      cpu: { model: 'AMD EPYC 7742', cores: 64 },
      memoryBytes: 512 * GiB,
      python: { version: '3.11.4', implementation: 'CPython' },
      workspaceVersion: '0.8.5',
      gpus: {
        count: 2,
        driverVersion: '535.104.05',
        devices: [
          { model: 'NVIDIA A100-SXM4-40GB', memoryBytes: 40 * GiB },
          { model: 'NVIDIA A100-SXM4-40GB', memoryBytes: 40 * GiB },
        ],
      },
      env: { CUDA_VISIBLE_DEVICES: '0,1' },
    },
    git: [
      { url: 'https://github.com/example/vision.git', commit: '3f2a9c1d0b7e', branch: 'main', dirty: true },
      { url: 'javascript:alert(2)', commit: 'deadbeef', branch: 'vendor', dirty: false },
    ],
    error: { message: 'RuntimeError: CUDA out of memory', trace: 'Traceback (most recent call last):\n  File "train.py", line 88, in <module>' },
    output: { stdout: 'epoch 1 loss 2.30\nepoch 2 loss 1.10' },
    source: { type: 'sacred', nativeId: '42' },
  };
}

const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const tabs = (el: HTMLElement): HTMLElement[] => [...root(el).querySelectorAll<HTMLElement>('[role="tab"]')];
const tabNamed = (el: HTMLElement, name: string): HTMLElement => {
  const t = tabs(el).find((x) => text(x).startsWith(name));
  if (!t) throw new Error(`no tab ${name}; tabs: ${tabs(el).map(text).join(', ')}`);
  return t;
};
const panel = (el: HTMLElement): HTMLElement => root(el).querySelector<HTMLElement>('[role="tabpanel"]')!;

async function openTab(el: ExperimentRowDetail, name: string): Promise<HTMLElement> {
  tabNamed(el, name).click();
  await el.updateComplete;
  return panel(el);
}

/** Field value by its label in a <dl>. */
function field(scope: Element, label: string): string | undefined {
  const dt = [...scope.querySelectorAll('dt')].find((d) => text(d) === label);
  // innerText: what a user reads, with the line breaks of block content.
  return dt ? ((dt.nextElementSibling as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').trim() : undefined;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface HistoryCall {
  id: string;
  metric: string;
  signal: AbortSignal | undefined;
  answer: ReturnType<typeof deferred<Series>>;
}

/** A source whose history() and artifact() answers the test controls. */
function fakeSource(extra: Partial<ExperimentSource> = {}): ExperimentSource & { historyCalls: HistoryCall[] } {
  const historyCalls: HistoryCall[] = [];
  return {
    capabilities: { delete: false, live: false, serverQuery: false, history: true },
    label: 'test source',
    load: async () => ({ experiments: [] }),
    history(id: string, metric: string, signal?: AbortSignal): Promise<Series> {
      const answer = deferred<Series>();
      historyCalls.push({ id, metric, signal, answer });
      return answer.promise;
    },
    historyCalls,
    ...extra,
  };
}

const lossHistory: Series = { steps: [0, 1, 2, 3], values: [2.3, 1.2, 0.6, 0.21] };

async function chartOf(el: ExperimentRowDetail): Promise<MetricChart> {
  const chart = root(el).querySelector('metric-chart');
  expect(chart, 'metric chart').to.not.equal(null);
  await chart!.updateComplete;
  return chart!;
}

async function waitForCanvas(chart: MetricChart): Promise<void> {
  await waitUntil(() => chart.shadowRoot!.querySelector('.uplot canvas'), 'uPlot drew a canvas', { timeout: 10000 });
}

function checkbox(scope: Element | ShadowRoot, name: string): HTMLInputElement {
  const box = scope.querySelector<HTMLInputElement>(`input[type="checkbox"][aria-label="${name}"]`);
  if (!box) throw new Error(`no checkbox ${name}`);
  return box;
}

describe('<experiment-row-detail>', () => {
  it('shows an empty state without an experiment, and is accessible', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail></experiment-row-detail>`);
    expect(text(root(el).querySelector('[part~="empty"]'))).to.equal('No experiment to show.');
    await expect(el).to.be.accessible();
  });

  it('a record straight from a valid file (nulls, raw times, "NaN", a malformed field) shows, with its problems named', async () => {
    // As `npx experiment-dashboard validate` reads it: valid, so the element must show it.
    const raw = JSON.parse(`{
      "id": "raw-1", "status": "COMPLETED", "name": "from a file", "operator": null, "command": null,
      "times": {"started": "2024-05-01T10:00:00", "stopped": 1714561200000},
      "tags": ["a"],
      "metrics": {"loss": {"history": {"steps": [0, 1, 2], "values": [2.5, "NaN", 0.5]}}, "acc": 0.9},
      "dependencies": ["numpy==1.26.4"],
      "artifacts": [{"name": "model.pt", "digest": {}, "uri": "https://example.org/m.pt"}]
    }`) as unknown as Experiment;
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${raw} .now=${Date.parse('2024-06-01T00:00:00Z')}></experiment-row-detail>`);
    expect(tabs(el).map(text)).to.deep.equal(['Overview', 'Metrics2', 'Dependencies1', 'Artifacts1']);
    expect(field(panel(el), 'Status')).to.equal('Completed');
    expect(field(panel(el), 'Operator')).to.equal(undefined);
    expect(root(el).querySelector('time')!.getAttribute('datetime')).to.equal('2024-05-01T10:00:00.000Z');
    expect(field(panel(el), 'Duration')).to.equal('1 h 00 min');
    const problems = root(el).querySelector('details[part="problems"]')!;
    expect(text(problems.querySelector('summary'))).to.equal('1 problem in the data: 0 record(s) left out');
    expect([...problems.querySelectorAll('li')].map(text)).to.deep.equal([
      'record 0 (id "raw-1"), $.artifacts[0].digest: expected text, found an object; the field was dropped',
    ]);
    el.section = 'artifacts';
    await el.updateComplete;
    expect(text(panel(el).querySelector('tbody th'))).to.equal('model.pt');
    el.section = 'metrics';
    await el.updateComplete;
    const chart = await chartOf(el);
    expect(chart.lines.map((l) => l.series?.values.map(String))).to.deep.equal([['2.5', 'NaN', '0.5']]);
    expect(text(panel(el).querySelector('tbody tr'))).to.contain('loss');
  });

  it('a record that cannot be shown says why instead of showing nothing', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${{ id: '', status: 'done' } as unknown as Experiment}></experiment-row-detail>`);
    expect(text(root(el).querySelector('[part~="empty"]'))).to.equal('No experiment to show.');
    expect([...root(el).querySelectorAll('[part="problems"] li')].map(text)).to.deep.equal([
      'record 0, $.id: "id" must be non-empty text, found the text ""; the record was left out',
      'record 0, $.status: unknown status the text "done"; expected one of completed, failed, running, dead, queued, interrupted; the record was left out',
    ]);
    // A valid record replaces it; the problems go with the record they were about.
    el.experiment = failedRun();
    await el.updateComplete;
    expect(root(el).querySelector('[part="problems"]')).to.equal(null);
    expect(tabs(el).length).to.equal(8);
  });

  it('offers only the sections the record has, as keyboard-operable tabs', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()}></experiment-row-detail>`);
    expect(root(el).querySelector('[role="tablist"]')!.getAttribute('aria-label')).to.equal('Details of resnet50 <b>sweep</b> #3');
    expect(tabs(el).map(text)).to.deep.equal(['Overview', 'Metrics3', 'Parameters8', 'Dependencies3', 'Artifacts3', 'Host', 'Git', 'Output']);
    expect(tabs(el).map((t) => t.getAttribute('aria-selected'))).to.deep.equal(['true', 'false', 'false', 'false', 'false', 'false', 'false', 'false']);
    expect(panel(el).getAttribute('aria-labelledby')).to.equal('tab-overview');

    const minimal = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${{ id: 'q1', status: 'queued' }}></experiment-row-detail>`);
    expect(tabs(minimal).map(text)).to.deep.equal(['Overview']);

    tabs(el)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.section).to.equal('metrics');
    expect(root(el).activeElement?.id).to.equal('tab-metrics');
    expect(panel(el).getAttribute('aria-labelledby')).to.equal('tab-metrics');
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(root(el).activeElement?.id).to.equal('tab-output');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(root(el).activeElement?.id, 'wraps around').to.equal('tab-overview');
    await sendKeys({ press: 'ArrowLeft' });
    await el.updateComplete;
    expect(el.section).to.equal('output');
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(el.section).to.equal('overview');
    expect(tabs(el).filter((t) => t.tabIndex === 0).map((t) => t.id)).to.deep.equal(['tab-overview']);
  });

  it('overview: status in words with the source word, times, duration, people, command, notes, tags and the error', async () => {
    const run = failedRun();
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run}></experiment-row-detail>`);
    const p = panel(el);
    expect(field(p, 'Status')).to.equal('Failed (source status: FAILED)');
    expect(field(p, 'Name')).to.equal('resnet50 <b>sweep</b> #3');
    expect(p.querySelector('b'), 'names stay text').to.equal(null);
    expect(field(p, 'ID')).to.equal('run-42');
    expect(field(p, 'Group')).to.equal('lr sweep');
    expect(field(p, 'Started')).to.equal(formatTime('2024-05-01T10:00:00Z'));
    expect(field(p, 'Stopped')).to.equal(formatTime('2024-05-01T12:03:05Z'));
    // The record is read as the dashboard reads it: times in canonical UTC.
    expect(p.querySelector('time')!.getAttribute('datetime')).to.equal('2024-05-01T09:58:00.000Z');
    expect(field(p, 'Duration')).to.equal('2 h 03 min');
    expect(field(p, 'Operator')).to.equal('ada');
    expect(field(p, 'Command')).to.match(/^python train\.py with optimizer\.lr=0\.001/);
    expect([...p.querySelectorAll('button')].map(text)).to.include('Copy command');
    expect(field(p, 'Main metric')).to.equal('val_accuracy = 0.913 (maximize)');
    expect([...p.querySelectorAll('.tags li')].map(text)).to.deep.equal(['baseline', '<img src=x onerror=alert(1)>']);
    expect(p.querySelector('img')).to.equal(null);
    expect(field(p, 'Labels')).to.equal('team: vision');
    expect(p.querySelector('.notes')!.textContent).to.equal('Diverged after warm-up.\nTry a lower learning rate.');
    expect(text(p.querySelector('[part~="error-message"]'))).to.equal('RuntimeError: CUDA out of memory');
    expect(p.querySelector('[part~="trace"]')!.textContent).to.equal('Traceback (most recent call last):\n  File "train.py", line 88, in <module>');
    await expect(el).to.be.accessible();
  });

  it('overview: a derived status explains itself', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail
      .experiment=${{
        id: 'r2',
        status: 'dead',
        statusDetail: { raw: 'RUNNING', derived: true, reason: 'No heartbeat for 300 s (limit 120 s).' },
        times: { started: '2024-05-01T10:00:00Z', heartbeat: '2024-05-01T10:05:00Z' },
      } satisfies Experiment}
    ></experiment-row-detail>`);
    expect(field(panel(el), 'Status')).to.equal('Dead (source status: RUNNING) Derived by the dashboard: No heartbeat for 300 s (limit 120 s).');
  });

  it('metrics: a summary table and a chart of the main metric history', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} section="metrics"></experiment-row-detail>`);
    const p = panel(el);
    const rows = [...p.querySelectorAll('table.metrics tbody tr')].map((r) => [...r.querySelectorAll('th, td')].map(text));
    expect(rows).to.deep.equal([
      ['', 'val_accuracy (main)', '0.913', '0.41', '0.92', '5', '400'],
      ['', 'train_loss', '0.21', '0.21', '2.3', '1,000', '999'],
      ['—', 'lr', '0.0001', '', '', '1', ''],
    ]);
    expect(checkbox(p, 'Plot val_accuracy').checked).to.equal(true);
    expect(checkbox(p, 'Plot train_loss').checked).to.equal(false);
    const chart = await chartOf(el);
    await waitForCanvas(chart);
    expect(chart.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Chart of val_accuracy by step');
    expect([...chart.shadowRoot!.querySelectorAll('.legend .label')].map(text)).to.deep.equal(['val_accuracy']);

    // Time axis and log scale are the chart's options.
    const select = p.querySelector<HTMLSelectElement>('select')!;
    select.value = 'time';
    select.dispatchEvent(new Event('change'));
    const log = [...p.querySelectorAll('label')].find((l) => text(l) === 'Log scale')!.querySelector('input')!;
    log.click();
    await el.updateComplete;
    expect(chart.xAxis).to.equal('time');
    expect(chart.logScale).to.equal(true);
    expect(chart.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('Chart of val_accuracy by time, log scale');
    await waitForCanvas(chart);
    await expect(el).to.be.accessible();
  });

  it('metrics: a history that is not inline loads when charted, with loading then the chart', async () => {
    const source = fakeSource();
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} .source=${source} section="metrics"></experiment-row-detail>`);
    expect(source.historyCalls, 'nothing is loaded before it is charted').to.have.length(0);
    const box = checkbox(panel(el), 'Plot train_loss');
    box.click();
    await el.updateComplete;
    const chart = await chartOf(el);
    expect(source.historyCalls.map((c) => [c.id, c.metric])).to.deep.equal([['run-42', 'train_loss']]);
    expect(source.historyCalls[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(text(chart.shadowRoot!.querySelector('[role="status"]'))).to.equal('Loading history of train_loss…');

    source.historyCalls[0]!.answer.resolve(lossHistory);
    await waitUntil(() => [...chart.shadowRoot!.querySelectorAll('.legend .label')].map(text).join() === 'val_accuracy,train_loss', 'both lines in the legend');
    await waitForCanvas(chart);
    expect(chart.shadowRoot!.querySelector('[role="status"]')).to.equal(null);

    // Charting it again does not fetch it again.
    box.click();
    await el.updateComplete;
    box.click();
    await el.updateComplete;
    expect(source.historyCalls).to.have.length(1);
  });

  it('metrics: a history that fails to load says so, and Retry asks again', async () => {
    const source = fakeSource();
    const run = failedRun();
    run.mainMetric = { key: 'train_loss' };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run} .source=${source} section="metrics"></experiment-row-detail>`);
    const chart = await chartOf(el);
    expect(source.historyCalls).to.have.length(1);
    source.historyCalls[0]!.answer.reject(new SourceError('http', 'The server answered 500 for /runs/run-42/metrics/train_loss.'));
    await waitUntil(() => chart.shadowRoot!.querySelector('[role="alert"]'), 'failure shown');
    const alert = chart.shadowRoot!.querySelector('[role="alert"]')!;
    expect(text(alert)).to.equal('Could not load the history of train_loss: The server answered 500 for /runs/run-42/metrics/train_loss. Retry');
    expect(chart.shadowRoot!.querySelector('.uplot')).to.equal(null);
    alert.querySelector('button')!.click();
    await chart.updateComplete;
    expect(source.historyCalls).to.have.length(2);
    expect(text(chart.shadowRoot!.querySelector('[role="status"]'))).to.equal('Loading history of train_loss…');
  });

  it('metrics: a pending history load is aborted on disconnect and when the experiment changes', async () => {
    const source = fakeSource();
    const run = failedRun();
    run.mainMetric = { key: 'train_loss' };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run} .source=${source} section="metrics"></experiment-row-detail>`);
    await chartOf(el);
    const first = source.historyCalls[0]!;
    el.experiment = { ...run, id: 'run-43' };
    await el.updateComplete;
    await (await chartOf(el)).updateComplete;
    expect(first.signal!.aborted, 'aborted on experiment change').to.equal(true);
    expect(source.historyCalls.map((c) => c.id)).to.deep.equal(['run-42', 'run-43']);
    // The late answer for the old experiment is dropped.
    first.answer.resolve(lossHistory);
    const second = source.historyCalls[1]!;
    el.remove();
    expect(second.signal!.aborted, 'aborted on disconnect').to.equal(true);
  });

  it('parameters: nested values as dotted names, searchable, with copy and its confirmation', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()}></experiment-row-detail>`);
    const p = await openTab(el, 'Parameters');
    const rows = (): string[][] => [...p.querySelectorAll('table.params tbody tr')].map((r) => [text(r.querySelector('th')), text(r.querySelector('td'))]);
    expect(rows()).to.deep.equal([
      ['optimizer.name', 'adam'],
      ['optimizer.lr', '0.001'],
      ['optimizer.betas', '[0.9,0.999]'],
      ['model.depth', '50'],
      ['model.pretrained', 'true'],
      ['seed', '7'],
      ['data.augment.flip', 'true'],
      ['data.augment.crop', 'null'],
    ]);
    const search = p.querySelector<HTMLInputElement>('input[aria-label="Search parameters"]')!;
    search.value = 'OPTIM';
    search.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rows().map((r) => r[0])).to.deep.equal(['optimizer.name', 'optimizer.lr', 'optimizer.betas']);
    expect(text(p.querySelector('.toolbar .muted'))).to.equal('3 of 8 parameters');

    const written: string[] = [];
    Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: async (t: string) => void written.push(t) });
    try {
      const copyLr = [...p.querySelectorAll('button')].find((b) => text(b) === 'Copy optimizer.lr')!;
      copyLr.click();
      await waitUntil(() => text(copyLr) === 'Copied optimizer.lr', 'button confirms');
      expect(written).to.deep.equal(['0.001']);
      expect(text(root(el).querySelector('[part~="copy-status"]'))).to.equal('Copied optimizer.lr.');

      Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: async () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) });
      const copyName = [...p.querySelectorAll('button')].find((b) => text(b) === 'Copy optimizer.name')!;
      copyName.click();
      await waitUntil(() => text(copyName) === 'Copy failed optimizer.name', 'button reports the failure');
      const status = root(el).querySelector('[part~="copy-status"]')!;
      expect(text(status)).to.equal('Could not copy optimizer.name: Write permission denied.. Select the text and copy it by hand.');
      expect(status.classList.contains('error')).to.equal(true);
    } finally {
      delete (navigator.clipboard as unknown as Record<string, unknown>).writeText;
    }
    await expect(el).to.be.accessible();
  });

  it('dependencies: name and version, searchable', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()}></experiment-row-detail>`);
    const p = await openTab(el, 'Dependencies');
    const rows = (): string[][] => [...p.querySelectorAll('table.dependencies tbody tr')].map((r) => [...r.querySelectorAll('th, td')].map(text));
    expect(rows()).to.deep.equal([
      ['torch', '2.3.0', 'pip'],
      ['numpy', '1.26.4', 'pip'],
      ['sacred', '0.8.5', 'pip'],
    ]);
    const search = p.querySelector<HTMLInputElement>('input[aria-label="Search dependencies"]')!;
    search.value = 'num';
    search.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rows()).to.deep.equal([['numpy', '1.26.4', 'pip']]);
    search.value = 'tensorflow';
    search.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(text(p.querySelector('.note'))).to.equal('No dependency matches “tensorflow”.');
  });

  describe('artifacts', () => {
    let createdBlobs: Blob[] = [];
    let clicks: { href: string; download: string }[] = [];
    const realCreate = URL.createObjectURL.bind(URL);
    const realClick = HTMLAnchorElement.prototype.click;

    beforeEach(() => {
      createdBlobs = [];
      clicks = [];
      URL.createObjectURL = (obj: Blob | MediaSource): string => {
        if (obj instanceof Blob) createdBlobs.push(obj);
        return realCreate(obj);
      };
      // Record the download instead of letting the browser save a file.
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        clicks.push({ href: this.href, download: this.download });
      };
    });

    afterEach(() => {
      URL.createObjectURL = realCreate;
      HTMLAnchorElement.prototype.click = realClick;
    });

    const artifactRows = (p: HTMLElement): HTMLTableRowElement[] => [...p.querySelectorAll<HTMLTableRowElement>('table.artifacts tbody tr')];

    it('lists name, role and size; a safe URL is a download link, an unsafe one plain text', async () => {
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()}></experiment-row-detail>`);
      const p = await openTab(el, 'Artifacts');
      const rows = artifactRows(p);
      expect(rows.map((r) => [...r.querySelectorAll('th, td')].slice(0, 4).map(text))).to.deep.equal([
        ['weights/best.pt', 'model', '93.5 MiB', 'application/octet-stream'],
        ['report.html', 'other', '12 B', ''],
        ['data/train.csv', 'dataset', '2 KiB', 'text/csv'],
      ]);
      const link = rows[0]!.querySelector('a')!;
      expect(link.getAttribute('href')).to.equal('https://example.org/runs/42/best.pt');
      expect(link.getAttribute('download')).to.equal('best.pt');
      expect(text(link)).to.equal('Download weights/best.pt');
      expect(rows[0]!.textContent).to.contain('sha256:ab12');

      expect(rows[1]!.querySelector('a'), 'javascript: is never a link').to.equal(null);
      expect(text(rows[1]!.querySelector('.location'))).to.equal('javascript:alert(1)');
      expect(text(rows[1]!.lastElementChild)).to.equal('Not a safe link');
      expect(text(rows[2]!.lastElementChild), 'no source to fetch a bare path').to.equal('No download');
      expect([...root(el).querySelectorAll('a')].some((a) => !/^https?:/.test(a.getAttribute('href') ?? ''))).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it("downloads through the source's artifact() with the right file name and bytes", async () => {
      const bytes = 'epoch,loss\n1,2.3\n2,1.1\n';
      const asked: { id: string; artifact: Artifact }[] = [];
      const answer = deferred<Blob>();
      const source = fakeSource({
        artifact: (id: string, artifact: Artifact) => {
          asked.push({ id, artifact });
          return answer.promise;
        },
      });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} .source=${source} section="artifacts"></experiment-row-detail>`);
      const rows = artifactRows(panel(el));
      expect(rows[0]!.querySelector('a'), 'a safe URL stays a link').to.not.equal(null);
      const button = rows[2]!.querySelector('button')!;
      expect(text(button)).to.equal('Download data/train.csv');
      expect(rows[1]!.querySelector('a'), 'the unsafe URI is not a link even with a source').to.equal(null);
      button.click();
      await el.updateComplete;
      expect(text(button)).to.equal('Downloading… data/train.csv');
      expect(button.disabled).to.equal(true);
      expect(asked.map((a) => [a.id, a.artifact.name])).to.deep.equal([['run-42', 'data/train.csv']]);

      answer.resolve(new Blob([bytes], { type: 'text/csv' }));
      await waitUntil(() => clicks.length === 1, 'the download was triggered');
      expect(clicks[0]!.download).to.equal('train.csv');
      expect(clicks[0]!.href).to.match(/^blob:/);
      expect(createdBlobs).to.have.length(1);
      expect(await createdBlobs[0]!.text()).to.equal(bytes);
      expect(await (await fetch(clicks[0]!.href)).text(), 'the link serves those bytes').to.equal(bytes);
      await el.updateComplete;
      expect(text(panel(el).querySelector('.live'))).to.equal('Download of train.csv started.');
      expect(root(el).querySelector('a[download="train.csv"]'), 'the temporary link is gone').to.equal(null);
    });

    it('shows a failed download, and refuses an unsafe URL from the source', async () => {
      let mode: 'fail' | 'unsafe' = 'fail';
      const source = fakeSource({
        artifact: async () => {
          if (mode === 'fail') throw new SourceError('not-found', 'The file data/train.csv is gone.');
          return new URL('javascript:alert(1)');
        },
      });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} .source=${source} section="artifacts"></experiment-row-detail>`);
      const row = (): HTMLTableRowElement => artifactRows(panel(el))[2]!;
      row().querySelector('button')!.click();
      await waitUntil(() => row().querySelector('[role="alert"]'), 'failure shown');
      expect(text(row().querySelector('[role="alert"]'))).to.equal('Could not download data/train.csv: The file data/train.csv is gone.');
      mode = 'unsafe';
      row().querySelector('button')!.click();
      await waitUntil(() => text(row().querySelector('[role="alert"]')).includes('not safe'), 'unsafe answer refused');
      expect(clicks).to.have.length(0);
    });
  });

  it('host: CPU, cores, OS, memory, Python, workspace version, GPUs', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} section="host"></experiment-row-detail>`);
    const p = panel(el);
    expect(field(p, 'Hostname')).to.equal('gpu-node-3');
    expect(field(p, 'Operating system')).to.equal('Linux');
    expect(field(p, 'Platform')).to.equal('Linux-5.15.0-x86_64-with-glibc2.35');
    expect(field(p, 'CPU')).to.equal('AMD EPYC 7742');
    expect(field(p, 'CPU cores')).to.equal('64');
    expect(field(p, 'Memory')).to.equal('512 GiB');
    expect(field(p, 'Python')).to.equal('3.11.4 (CPython)');
    expect(field(p, 'Workspace version')).to.equal('0.8.5');
    expect(field(p, 'GPUs')).to.equal('2');
    expect(field(p, 'GPU driver')).to.equal('535.104.05');
    expect(field(p, 'GPU models')).to.equal('2 × NVIDIA A100-SXM4-40GB (40 GiB)');
    expect(text(p.querySelector('details summary'))).to.equal('Environment variables (1)');
    expect(p.querySelector('details')!.textContent).to.contain('CUDA_VISIBLE_DEVICES');
    await expect(el).to.be.accessible();
  });

  it('git: the repository is a link only when it is http(s); commit, branch and dirty flag', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} section="git"></experiment-row-detail>`);
    const repos = [...panel(el).querySelectorAll<HTMLElement>('.repo')];
    expect(repos).to.have.length(2);
    expect(repos[0]!.querySelector('a')!.getAttribute('href')).to.equal('https://github.com/example/vision.git');
    expect(text(repos[0]!.querySelector('dd code'))).to.equal('3f2a9c1d0b7e');
    expect(text(repos[0]!.querySelector('dd button'))).to.equal('Copy commit');
    expect(field(repos[0]!, 'Branch')).to.equal('main');
    expect(field(repos[0]!, 'Working tree')).to.equal('dirty: uncommitted changes');
    expect(repos[1]!.querySelector('a')).to.equal(null);
    expect(field(repos[1]!, 'Repository')).to.equal('javascript:alert(2)');
    expect(field(repos[1]!, 'Working tree')).to.equal('clean');
    await expect(el).to.be.accessible();
  });

  it('output: the captured stdout as text', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${failedRun()} section="output"></experiment-row-detail>`);
    expect(panel(el).querySelector('[part~="stdout"]')!.textContent).to.equal('epoch 1 loss 2.30\nepoch 2 loss 1.10');
  });

  it('long values: cut with a mark, how much is shown, and the whole value to download', async () => {
    const notes = `${'note '.repeat(4000)}end`;
    const stdout = 'x'.repeat(OUTPUT_TEXT_LIMIT + 5);
    const run: Experiment = { ...failedRun(), notes, output: { stdout } };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run}></experiment-row-detail>`);
    const dd = [...panel(el).querySelectorAll('dt')].find((d) => text(d) === 'Notes')!.nextElementSibling!;
    const shown = [...dd.querySelector('.notes')!.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.length > 100)!.textContent!;
    expect(shown).to.have.length(DETAIL_TEXT_LIMIT);
    expect(shown.endsWith('…')).to.equal(true);
    expect(text(dd.querySelector('.cut-note')!)).to.equal('(10,000 of 20,003 characters shown) Copy all of the notes Download all of the notes');
    // Download saves the whole value as a text file.
    const saved: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      saved.push(blob as Blob);
      return original.call(URL, blob);
    };
    try {
      [...dd.querySelectorAll<HTMLButtonElement>('.cut-note button')].find((b) => text(b).startsWith('Download'))!.click();
    } finally {
      URL.createObjectURL = original;
    }
    expect(saved).to.have.length(1);
    expect(await saved[0]!.text()).to.equal(notes);
    await expect(el).to.be.accessible();

    el.section = 'output';
    await el.updateComplete;
    expect(panel(el).querySelector('[part~="stdout"]')!.textContent).to.have.length(OUTPUT_TEXT_LIMIT);
    expect(text(panel(el).querySelector('.cut-note')!)).to.equal('(100,000 of 100,005 characters shown) Copy all of the output Download all of the output');
  });

  describe('with a source and experiment-id', () => {
    it('fetches the record with get(), showing loading then the record', async () => {
      const answer = deferred<Experiment>();
      const calls: [string, AbortSignal | undefined][] = [];
      const source = fakeSource({
        get: (id: string, signal?: AbortSignal) => {
          calls.push([id, signal]);
          return answer.promise;
        },
      });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .source=${source} experiment-id="run-42"></experiment-row-detail>`);
      expect(calls.map((c) => c[0])).to.deep.equal(['run-42']);
      expect(text(root(el).querySelector('[role="status"]'))).to.equal('Loading experiment run-42…');
      answer.resolve(failedRun());
      await waitUntil(() => root(el).querySelector('[role="tablist"]'), 'record shown');
      expect(field(panel(el), 'ID')).to.equal('run-42');
    });

    it('shows a failure with Retry, and aborts on disconnect', async () => {
      const signals: AbortSignal[] = [];
      let fail = true;
      const source = fakeSource({
        get: (id: string, signal?: AbortSignal) => {
          signals.push(signal!);
          if (fail) return Promise.reject(new SourceError('network', `Could not reach the server for ${id}.`));
          return new Promise<Experiment>(() => {});
        },
      });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .source=${source} experiment-id="run-7"></experiment-row-detail>`);
      await waitUntil(() => root(el).querySelector('[role="alert"]'), 'failure shown');
      const alert = root(el).querySelector('[role="alert"]')!;
      expect(text(alert)).to.equal('Could not load experiment run-7: Could not reach the server for run-7. Retry');
      await expect(el).to.be.accessible();
      fail = false;
      alert.querySelector('button')!.click();
      await el.updateComplete;
      expect(signals).to.have.length(2);
      expect(text(root(el).querySelector('[role="status"]'))).to.equal('Loading experiment run-7…');
      el.remove();
      expect(signals[1]!.aborted).to.equal(true);
    });

    it('falls back to load() when the source has no get()', async () => {
      const source = fakeSource({ load: async () => ({ experiments: [{ id: 'other', status: 'completed' }, failedRun()] }) });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .source=${source} experiment-id="run-42"></experiment-row-detail>`);
      await waitUntil(() => root(el).querySelector('[role="tablist"]'), 'record shown');
      expect(field(panel(el), 'Name')).to.equal('resnet50 <b>sweep</b> #3');
    });
  });
});

describe('<metric-chart> (the chart of the detail and compare views)', () => {
  it('aligns series with different steps on one x axis', () => {
    expect(
      alignSeries([
        { xs: [0, 2, 4], ys: [1, 2, 3] },
        { xs: [1, 2, 3], ys: [9, 8, 7] },
      ]),
    ).to.deep.equal([
      [0, 1, 2, 3, 4],
      [1, null, 2, null, 3],
      [null, 9, 8, 7, null],
    ]);
    expect(alignSeries([{ xs: [3, 1, Number.NaN], ys: [30, 10, 5] }])).to.deep.equal([[1, 3], [10, 30]]);
    // Out of order, repeated x (the last one counts) and a non-finite x in the middle.
    expect(
      alignSeries([
        { xs: [2, 0, 1], ys: [20, 0, 10] },
        { xs: [0, 1, 1, Number.NaN, 3], ys: [5, 6, 7, 8, 9] },
      ]),
    ).to.deep.equal([
      [0, 1, 2, 3],
      [0, 10, 20, null],
      [5, 7, null, 9],
    ]);
  });

  it('aligns a million-point history with a short one (a quadratic merge would not finish)', () => {
    const n = 1_000_000;
    const a = { xs: Array.from({ length: n }, (_, i) => i), ys: Array.from({ length: n }, (_, i) => i / n) };
    const b = { xs: [0, 1, 2], ys: [1, 0.5, 0.25] };
    const [xs, ya, yb] = alignSeries([a, b]);
    expect(xs).to.have.length(n);
    expect(ya![n - 1]).to.equal((n - 1) / n);
    expect(yb!.slice(0, 4)).to.deep.equal([1, 0.5, 0.25, null]);
    expect(yb!.slice(3).every((y) => y === null)).to.equal(true);
  });

  it('says what it cannot draw: no timestamps on the time axis, values ≤ 0 on a log scale', async () => {
    const chart = await fixture<MetricChart>(html`<metric-chart
      .lines=${[
        { label: 'loss', series: { steps: [0, 1, 2], values: [1, 0, -1] } },
        { label: 'acc', series: { steps: [0, 1], values: [0.5, 0.6], timestamps: ['2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z'] } },
      ]}
      x-axis="time"
    ></metric-chart>`);
    await waitForCanvas(chart);
    const notes = (): string[] => [...chart.shadowRoot!.querySelectorAll('.note')].map(text);
    expect(notes()).to.deep.equal(['No timestamps recorded for loss: choose the step axis to see it.']);
    expect([...chart.shadowRoot!.querySelectorAll('.legend .label')].map(text)).to.deep.equal(['acc']);
    chart.xAxis = 'step';
    chart.logScale = true;
    await chart.updateComplete;
    expect(notes()).to.deep.equal(['2 values ≤ 0 left out on the log scale.']);
    chart.lines = [];
    await chart.updateComplete;
    expect(text(chart.shadowRoot!.querySelector('[part~="empty"]'))).to.equal('No metric chosen to plot.');
    expect(chart.shadowRoot!.querySelector('.uplot'), 'the plot is destroyed').to.equal(null);
    await expect(chart).to.be.accessible();
  });

  it('takes histories as in a format-v1 file: "NaN", no steps, naive times; a broken one is named, the others drawn', async () => {
    const raw = JSON.parse(`[
      {"label": "loss", "series": {"values": [2, "NaN", 1, "Infinity", 0.5], "timestamps": ["2024-01-01T00:00:00", "2024-01-01T00:01:00", "2024-01-01T00:02:00", "2024-01-01T00:03:00", "2024-01-01T00:04:00"]}},
      {"label": "acc", "series": {"steps": [0, 1], "values": [0.5, {}]}},
      {"label": "lr", "series": 5}
    ]`) as ChartLine[];
    const chart = await fixture<MetricChart>(html`<metric-chart .lines=${raw} x-axis="time"></metric-chart>`);
    await waitForCanvas(chart);
    expect([...chart.shadowRoot!.querySelectorAll('.legend .label')].map(text)).to.deep.equal(['loss']);
    const problems = chart.shadowRoot!.querySelector('details[part="problems"]')!;
    expect([...problems.querySelectorAll('li')].map(text)).to.deep.equal([
      'lines[1].series.values[1]: expected a number, found an object; the history was dropped',
      'lines[2].series: expected an object {steps, values}, found a number; the history was dropped',
    ]);
    expect(raw[0]!.series!.values, 'the caller\'s data is not changed').to.deep.equal([2, 'NaN', 1, 'Infinity', 0.5]);
    chart.lines = [raw[0]!];
    await chart.updateComplete;
    expect(chart.shadowRoot!.querySelector('[part="problems"]')).to.equal(null);
  });

  it('reports a line it cannot load when there is no source', async () => {
    const chart = await fixture<MetricChart>(html`<metric-chart .lines=${[{ label: 'loss', experimentId: 'r1', metric: 'loss' }]}></metric-chart>`);
    expect(text(chart.shadowRoot!.querySelector('[role="alert"]'))).to.equal('Could not load the history of loss: this data source cannot load metric histories Retry');
  });
});

describe('<experiment-row-detail> words, names, run info and inlined artifacts', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  /** Body rows of the visible table as [name, ...cells] text. */
  const bodyRows = (el: HTMLElement): string[][] => [...panel(el).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => text(c)));

  it('says the status as the table does ("Completed"), in the text itself', async () => {
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${{ id: 'r1', status: 'completed' }}></experiment-row-detail>`);
    expect(text(root(el).querySelector('.status-text'))).to.equal('Completed');
    expect(getComputedStyle(root(el).querySelector('.status-text')!).textTransform).to.equal('none');
  });

  it('metrics: Min, Max and Count come from the history once it has loaded (MLflow gives only the last value)', async () => {
    const source = fakeSource();
    const run: Experiment = { id: 'ml-1', status: 'completed', metrics: { loss: { last: 0.21, lastStep: 3, historyRef: 'loss' } } };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run} .source=${source} section="metrics"></experiment-row-detail>`);
    await chartOf(el);
    expect(bodyRows(el)[0]).to.deep.equal(['', 'loss', '0.21', '', '', '', '3']);
    source.historyCalls[0]!.answer.resolve(lossHistory);
    await waitUntil(() => bodyRows(el)[0]?.[3] !== '', 'the summary fills in');
    expect(bodyRows(el)[0]).to.deep.equal(['', 'loss', '0.21', '0.21', '2.3', '4', '3']);
  });

  it('artifacts: an inlined file shows its recorded path, never its data: URL; a missing file says why', async () => {
    const dataUrl = `data:text/plain;base64,${btoa('x'.repeat(3000))}`;
    const run: Experiment = {
      id: 's-1',
      status: 'completed',
      artifacts: [
        { name: 'log.txt', uri: dataUrl, path: '/home/ada/runs/1/log.txt' },
        { name: 'plot.png', uri: 'DATA:image/png;base64,AAAA' },
        { name: 'model.pt', path: 'model.pt', unavailable: 'the report was made without --inline-artifacts' },
      ],
    };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run} section="artifacts"></experiment-row-detail>`);
    const rows = [...panel(el).querySelectorAll('tbody tr')];
    expect(text(rows[0]!.querySelector('.location'))).to.equal('/home/ada/runs/1/log.txt');
    expect(text(rows[1]!.querySelector('.location'))).to.equal('plot.png');
    expect(panel(el).textContent).to.not.contain('base64');
    expect(text(rows[2]!.lastElementChild)).to.equal('No download: the report was made without --inline-artifacts');
  });

  it("info: Sacred's run info and result in their own tab, flattened like parameters, with Copy", async () => {
    const run: Experiment = {
      id: 's-2',
      status: 'completed',
      params: { lr: 0.1 },
      extensions: { sacred: { info: { best: { epoch: 7, score: 0.93 }, note: '<b>x</b>' }, result: [0.93, 'ok'] } },
    };
    const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run}></experiment-row-detail>`);
    expect(tabs(el).map(text)).to.deep.equal(['Overview', 'Parameters1', 'Info3']);
    const p = await openTab(el, 'Info');
    expect(field(p, 'Result')).to.equal('[0.93,"ok"]Copy the result');
    expect(bodyRows(el)).to.deep.equal([
      ['best.epoch', '7', 'Copy best.epoch'],
      ['best.score', '0.93', 'Copy best.score'],
      ['note', '<b>x</b>', 'Copy note'],
    ]);
    expect(p.querySelector('b'), 'info stays text').to.equal(null);
    await expect(el).to.be.accessible();

    const plain = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${{ id: 'p', status: 'completed', params: { a: 1 } }}></experiment-row-detail>`);
    expect(tabs(plain).map(text), 'no Info tab without info').to.deep.equal(['Overview', 'Parameters1']);
  });

  it('at 360 px names break only after . _ - /, never inside a word', async () => {
    await setViewport({ width: 360, height: 640 });
    const run: Experiment = {
      id: 'n-1',
      status: 'completed',
      params: { data_pipeline: { preprocessing: { text_description: 'a long description of the dataset used for training' } }, model_config_name: 'resnet' },
      metrics: { validation_top_one_classification_accuracy: { last: 0.9, min: 0.1, max: 0.95, count: 10, lastStep: 9 }, 'val/top_5_accuracy': { last: 0.99 } },
    };
    const el = await fixture<ExperimentRowDetail>(html`<div style="width: 340px"><experiment-row-detail .experiment=${run} section="params"></experiment-row-detail></div>`).then(
      (div) => div.querySelector('experiment-row-detail')!,
    );
    await el.updateComplete;
    const lines = (word: string): number => {
      const node = [...panel(el).querySelectorAll('tbody th')]
        .flatMap((th) => [...walkText(th)])
        .find((t) => t.data.includes(word));
      if (!node) throw new Error(`no text node with ${word}`);
      const range = document.createRange();
      range.setStart(node, node.data.indexOf(word));
      range.setEnd(node, node.data.indexOf(word) + word.length);
      return range.getClientRects().length;
    };
    expect(lines('description'), '"description" on one line').to.equal(1);
    await openTab(el, 'Metrics');
    expect(lines('accuracy'), '"accuracy" on one line').to.equal(1);
    expect(text(panel(el).querySelector('tbody tr:nth-child(2) th')), 'the name reads whole').to.equal('val/top_5_accuracy');
  });
});

function* walkText(scope: Node): Generator<Text> {
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) yield n as Text;
}
