import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { setViewport } from '@web/test-runner-commands';
import { generateCollection } from '../src/data/sample-data.js';
import { headerTitles, part, rows, waitForRows } from './helpers.js';

const sized = 'height: 500px; width: 1200px; display: block';
const text = (e: Element | null) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Runs as Sacred or MLflow give them: metrics, no main metric. */
const runs = (metrics: (i: number) => Record<string, number>) =>
  Array.from({ length: 6 }, (_, i) => ({
    id: `r${i}`,
    name: `run ${i}`,
    status: i < 4 ? 'completed' : 'failed',
    metrics: Object.fromEntries(Object.entries(metrics(i)).map(([k, v]) => [k, { last: v }])),
  }));

const select = (el: ExperimentDashboard, name: string) => part(el, 'summary')!.querySelector<HTMLSelectElement>(`select[aria-label="${name}"]`)!;

async function pick(el: ExperimentDashboard, name: string, value: string) {
  const s = select(el, name);
  s.value = value;
  s.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

describe('summary: the main metric when the data names none', () => {
  afterEach(() => localStorage.removeItem('experiment-dashboard:mm-test'));

  it('guesses one from the metric names (accuracy: max), and shows it in the header and the summary', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .experiments=${runs((i) => ({ val_loss: 1 - i / 10, val_accuracy: 0.5 + i / 20, lr: 0.1 }))}></experiment-dashboard>`);
    await waitForRows(el, 6);
    await waitUntil(() => headerTitles(el)[2] === 'val_accuracy (max)', `header: ${headerTitles(el).join(', ')}`);
    expect(text(part(el, 'summary'))).to.contain('Best val_accuracy (max): 0.75 in run 5');
    expect(select(el, 'Main metric').value).to.equal('val_accuracy');
    expect(select(el, 'Goal').value).to.equal('maximize');
  });

  it('says "No main metric: pick one" when no name fits, and the pick is used, remembered and reported', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} storage-key="mm-test" .experiments=${runs((i) => ({ throughput: 100 + i, rmsle: 0.3 - i / 100 }))}></experiment-dashboard>`);
    await waitForRows(el, 6);
    await waitUntil(() => text(part(el, 'summary')).includes('No main metric: pick one'));
    expect([...select(el, 'Main metric').options].map((o) => o.value)).to.deep.equal(['', 'rmsle', 'throughput']);
    const changed = oneEvent(el, 'view-change');
    await pick(el, 'Main metric', 'rmsle');
    expect((await changed).detail.view.mainMetric).to.equal('rmsle:max');
    await pick(el, 'Goal', 'minimize');
    await waitUntil(() => headerTitles(el)[2] === 'rmsle (min)', `header: ${headerTitles(el).join(', ')}`);
    await waitUntil(() => text(part(el, 'summary')).includes('Best rmsle (min): 0.25 in run 5'));
    expect(el.getViewState().mainMetric).to.equal('rmsle:min');
    expect(JSON.parse(localStorage.getItem('experiment-dashboard:mm-test')!).mainMetric).to.equal('rmsle:min');

    // A new element with the same storage key starts from the pick.
    const again = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} storage-key="mm-test" .experiments=${runs((i) => ({ throughput: 100 + i, rmsle: 0.3 - i / 100 }))}></experiment-dashboard>`);
    await waitForRows(again, 6);
    await waitUntil(() => headerTitles(again)[2] === 'rmsle (min)', `header: ${headerTitles(again).join(', ')}`);
  });

  it('setViewState picks one; the main-metric attribute still wins, and the picker says so', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} .experiments=${runs((i) => ({ acc: i / 10, loss: 1 - i / 10 }))}></experiment-dashboard>`);
    await waitForRows(el, 6);
    el.setViewState({ mainMetric: 'loss:min' });
    await waitUntil(() => headerTitles(el)[2] === 'loss (min)', `header: ${headerTitles(el).join(', ')}`);
    el.mainMetric = 'acc:max';
    await waitUntil(() => headerTitles(el)[2] === 'acc (max)', `header: ${headerTitles(el).join(', ')}`);
    await el.updateComplete;
    expect(select(el, 'Main metric').disabled).to.equal(true);
    expect(select(el, 'Main metric').value).to.equal('acc');
  });
});

describe('summary: counts beside the totals while filtering', () => {
  it('shows what the search leaves of the total and of each status', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(text(part(el, 'summary'))).to.contain('6 experiments');
    el.setViewState({ search: 'ada' });
    await waitUntil(() => text(part(el, 'summary')).includes('2 of 6 experiments shown'), text(part(el, 'summary')));
    const counts = [...part(el, 'summary')!.querySelectorAll('.counts li')].map(text);
    expect(counts).to.include('Completed 1 of 1');
    expect(counts).to.include('Queued 1 of 1');
    expect(counts).to.include('Failed 0 of 1');
    el.setViewState({ search: '' });
    await waitUntil(() => !text(part(el, 'summary')).includes('shown'));
    expect([...part(el, 'summary')!.querySelectorAll('.counts li')].map(text)).to.include('Failed 1');
  });
});

describe('filter chips', () => {
  it('name a column by its header: the main metric by its metric and goal', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    el.setViewState({ filters: [{ attribute: 'mainMetric', op: 'ge', value: 0.9 }] });
    await waitUntil(() => part(el, 'chips'), 'a chip');
    expect(text(part(el, 'chips')!.querySelector('.chip'))).to.equal('accuracy (max) ≥ 0.9');
    expect(part(el, 'chips')!.querySelector('.chip button')!.getAttribute('aria-label')).to.equal('Remove filter accuracy (max) ≥ 0.9');
  });
});

/** Text a user sees or hears in a subtree, shadow roots included: text, labels and tooltips. */
function allText(node: Node): string {
  let out = '';
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) out += n.textContent;
    if (n instanceof Element) {
      for (const a of ['aria-label', 'title', 'placeholder']) out += ` ${n.getAttribute(a) ?? ''}`;
      if (n.shadowRoot) n.shadowRoot.childNodes.forEach(walk);
    }
    n.childNodes.forEach(walk);
  };
  walk(node);
  return out;
}

describe('no emoji or symbol characters in the controls and the summary', () => {
  it('the toolbar, chips and summary draw their icons in SVG', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    el.setViewState({ groupBy: ['operator', 'status'], filters: [{ attribute: 'mainMetric', op: 'ge', value: 0.1 }] });
    await waitUntil(() => part(el, 'chips') && text(part(el, 'toolbar')).includes('Expand all'), 'chips and grouping buttons');
    await waitUntil(() => customElements.get('experiment-group-picker'));
    await el.updateComplete;
    const summary = part(el, 'summary')!;
    expect(summary.querySelectorAll('.counts svg').length, 'a status icon per count').to.equal(summary.querySelectorAll('.counts li').length);
    for (const name of ['toolbar', 'chips', 'summary']) {
      const t = allText(part(el, name)!);
      expect(t.match(/[\p{Extended_Pictographic}\u2700-\u27BF\u25A0-\u25FF\u00D7\u2020]/gu), `${name}: ${t}`).to.equal(null);
    }
  });
});

describe('toolbar layout', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  /** The distinct tops (to the pixel) of the toolbar's controls: one per line. */
  const toolbarLines = (el: ExperimentDashboard) => {
    const bar = part(el, 'toolbar')!;
    const controls = [...bar.querySelectorAll<HTMLElement>('input, button, experiment-group-picker, .match-count')].filter((c) => c.getBoundingClientRect().width > 0);
    // A control starts a new line when it sits below the bottom of the line before.
    const boxes = controls.map((c) => c.getBoundingClientRect()).sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const b of boxes) {
      if (b.top >= bottom - 2) {
        lines += 1;
        bottom = b.bottom;
      } else bottom = Math.max(bottom, b.bottom);
    }
    return lines;
  };

  it('at 1280 px with two groupings the toolbar is one line', async () => {
    await setViewport({ width: 1280, height: 800 });
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="display: block; height: 700px" .experiments=${generateCollection({ n: 200, seed: 3 })}></experiment-dashboard>`);
    await waitUntil(() => rows(el).length > 0);
    el.setViewState({ groupBy: ['operator', 'params.optimizer.name'] });
    await waitUntil(() => text(part(el, 'toolbar')).includes('Expand all'));
    await waitUntil(() => customElements.get('experiment-group-picker'));
    await new Promise((r) => requestAnimationFrame(r));
    const bar = part(el, 'toolbar')!;
    expect(toolbarLines(el), `toolbar ${bar.getBoundingClientRect().height}px: ${text(bar)}`).to.equal(1);
  });

  it('at 360 px the toolbar and the summary take at most 30% of an 800 px screen', async () => {
    await setViewport({ width: 360, height: 800 });
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="display: block; height: 800px" .experiments=${generateCollection({ n: 200, seed: 3 })}></experiment-dashboard>`);
    await waitUntil(() => rows(el).length > 0);
    el.setViewState({ groupBy: ['operator'] });
    await waitUntil(() => text(part(el, 'toolbar')).includes('Expand all'));
    await waitUntil(() => customElements.get('experiment-group-picker'));
    await new Promise((r) => requestAnimationFrame(r));
    const top = part(el, 'toolbar')!.getBoundingClientRect().top;
    const bottom = part(el, 'summary')!.getBoundingClientRect().bottom;
    expect(bottom - top, 'toolbar + summary height').to.be.at.most(240);
  });
});

describe('empty states say what to do', () => {
  it('no data: names the ways to give the element data', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    await waitUntil(() => part(el, 'empty'));
    expect(text(part(el, 'empty'))).to.equal('Point the element at data: src, endpoint, database, mlflow or .experiments.');
  });

  it('everything filtered out: says so, and "Clear filters" brings the rows back', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(part(el, 'empty')).to.equal(null);
    el.setViewState({ search: 'nothing matches this', filters: [{ attribute: 'mainMetric', op: 'ge', value: 0.5 }] });
    await waitUntil(() => part(el, 'empty'), 'the empty message');
    expect(text(part(el, 'empty'))).to.equal('No experiment matches the search and filters. Clear filters');
    part(el, 'empty')!.querySelector<HTMLButtonElement>('button')!.click();
    await waitForRows(el, 6);
    expect(el.getViewState().filters).to.deep.equal([]);
    expect(el.getViewState().search).to.equal('');
    await waitUntil(() => part(el, 'empty') === null);
  });
});

describe('a src the browser cannot fetch from disk', () => {
  it('says why (file://) and what to do, in the error part', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const failed = oneEvent(el, 'source-error');
    el.src = 'file:///home/me/runs.json';
    expect((await failed).detail.error.kind).to.equal('network');
    await el.updateComplete;
    expect(text(part(el, 'error'))).to.equal(
      'Could not load the experiments. Could not load runs.json: it is a file on disk (file://), and browsers do not let a page fetch files. Serve the folder over HTTP (for example `npx experiment-dashboard serve` or `python3 -m http.server`), or put the data inside the element in a <script type="application/json">.',
    );
  });
});
