// Layout as a user sees it, measured in the browser: numbers under their headers, names kept whole
// on a phone-sized screen, buttons that stay buttons, chart ticks that exist, compare columns that
// line up from one section to the next.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-compare/experiment-compare.js';
import '../src/components/experiment-row-detail/experiment-row-detail.js';
import type { ExperimentCompare } from '../src/components/experiment-compare/experiment-compare.component.js';
import type { ExperimentRowDetail } from '../src/components/experiment-row-detail/experiment-row-detail.component.js';
import type { MetricChart } from '../src/components/metric-chart/metric-chart.component.js';
import type { Experiment } from '../src/data/types.js';

const PARAM = 'optimizer.scheduler.warmup_steps';

function run(id: string, extra: Partial<Experiment> = {}): Experiment {
  return {
    id,
    name: `run ${id}`,
    status: 'completed',
    command: 'python train.py --config configs/cifar10-resnet.yaml --lr 0.003609 --batch-size 128',
    params: { optimizer: { name: 'adamw', scheduler: { warmup_steps: 500 } }, data: { path: '/datasets/cifar10/train-v2-augmented-with-random-crops-and-flips' } },
    metrics: {
      val_accuracy: { last: 0.913, min: 0.41, max: 0.92, count: 5, lastStep: 400 },
      train_loss: { last: 0.21, min: 0.2, max: 2.3, count: 1000, lastStep: 999 },
    },
    mainMetric: { key: 'val_accuracy', value: 0.913, goal: 'maximize' },
    ...extra,
  };
}

const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;

async function openTab(el: ExperimentRowDetail, label: string): Promise<void> {
  const tab = [...root(el).querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((t) => t.textContent?.trim().startsWith(label));
  if (!tab) throw new Error(`no tab ${label}`);
  tab.click();
  await el.updateComplete;
}

/** Lines a piece of text takes: a word broken across lines has one box per line. */
function linesOf(node: Node): number {
  const range = document.createRange();
  range.selectNodeContents(node);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size;
}

function textNodeWith(scope: ParentNode, text: string): Text {
  const walker = document.createTreeWalker(scope as Node, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent?.includes(text)) return n as Text;
  throw new Error(`no text ${text}`);
}

describe('layout', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  describe('<experiment-row-detail>', () => {
    it('metrics: each number header shares its right edge with the numbers under it', async () => {
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run('a')}></experiment-row-detail>`);
      await openTab(el, 'Metrics');
      const table = root(el).querySelector('table.metrics')!;
      const headers = [...table.querySelectorAll('thead th')];
      const firstRow = [...table.querySelectorAll('tbody tr')][0]!;
      for (const name of ['Last', 'Min', 'Max', 'Count', 'Last step']) {
        const th = headers.find((h) => h.textContent?.trim() === name)!;
        const column = [...th.parentElement!.children].indexOf(th);
        const cell = firstRow.children[column]!;
        const headerText = textNodeWith(th, name);
        const range = document.createRange();
        range.selectNodeContents(headerText);
        const valueRange = document.createRange();
        valueRange.selectNodeContents(cell);
        expect(Math.abs(range.getBoundingClientRect().right - valueRange.getBoundingClientRect().right), `${name}: header and number right edges`).to.be.at.most(1);
      }
      expect(getComputedStyle(firstRow.querySelector('td.num')!).fontVariantNumeric).to.include('tabular-nums');
    });

    it('parameters at 360 px: names stay whole and the Copy button is wider than tall', async () => {
      await setViewport({ width: 360, height: 640 });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run('a')}></experiment-row-detail>`);
      await openTab(el, 'Parameters');
      const table = root(el).querySelector('table.params')!;
      expect(linesOf(textNodeWith(table, PARAM)), `${PARAM} on one line`).to.equal(1);
      for (const button of table.querySelectorAll<HTMLButtonElement>('tbody button')) {
        const box = button.getBoundingClientRect();
        expect(box.width, `"${button.textContent?.trim()}" wider than tall`).to.be.greaterThan(box.height);
        expect(linesOf(textNodeWith(button, 'Copy')), 'Copy on one line').to.equal(1);
      }
    });

    it('parameters on a wide screen: each value sits next to its name', async () => {
      await setViewport({ width: 1280, height: 800 });
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run('a')}></experiment-row-detail>`);
      await openTab(el, 'Parameters');
      const names = [...root(el).querySelectorAll<HTMLElement>('table.params tbody th')];
      const widest = Math.max(...names.map((th) => th.querySelector('code')!.getBoundingClientRect().width));
      // The name column is as wide as the longest name and its padding, not half the table.
      expect(names[0]!.getBoundingClientRect().width).to.be.at.most(widest + 24);
    });

    it('writes the status as the table does: "Completed"', async () => {
      const el = await fixture<ExperimentRowDetail>(html`<experiment-row-detail .experiment=${run('a')}></experiment-row-detail>`);
      expect(root(el).querySelector<HTMLElement>('.status-text')!.innerText).to.equal('Completed');
    });
  });

  describe('design tokens', () => {
    it('one spacing unit scales the spacing; the colours follow the inherited color-scheme', async () => {
      const wrap = await fixture<HTMLDivElement>(html`<div style="color-scheme: dark; --experiment-dashboard-space: 8px">
        <experiment-row-detail .experiment=${run('a')}></experiment-row-detail>
      </div>`);
      const el = wrap.querySelector<ExperimentRowDetail>('experiment-row-detail')!;
      await el.updateComplete;
      const tab = root(el).querySelector<HTMLElement>('[role="tab"]')!;
      expect(getComputedStyle(tab).paddingTop).to.equal('8px');
      expect(getComputedStyle(tab).paddingLeft).to.equal('20px');
      expect(getComputedStyle(el).color).to.equal('rgb(227, 232, 239)');
      wrap.style.colorScheme = 'light';
      wrap.style.removeProperty('--experiment-dashboard-space');
      expect(getComputedStyle(tab).paddingTop).to.equal('4px');
      expect(getComputedStyle(el).color).to.equal('rgb(29, 36, 48)');
    });
  });

  describe('<metric-chart>', () => {
    it('puts x ticks on whole steps only when every step is an integer', async () => {
      // uPlot draws its tick labels on a canvas: record what it writes.
      const drawn: { text: string; y: number }[] = [];
      const original = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
        drawn.push({ text, y: y + (this.getTransform().f ?? 0) });
        return original.call(this, text, x, y, maxWidth);
      };
      try {
        const chart = await fixture<MetricChart>(
          html`<metric-chart style="width: 700px" .lines=${[{ label: 'loss', series: { steps: [1, 2, 3], values: [0.9, 0.5, 0.3] } }]}></metric-chart>`,
        );
        await waitUntil(() => drawn.length > 0, 'uPlot drew its axes', { timeout: 10000 });
        // The x axis labels are the lowest ones on the canvas.
        const bottom = Math.max(...drawn.map((d) => d.y));
        const xLabels = drawn.filter((d) => Math.abs(d.y - bottom) < 1).map((d) => d.text);
        expect(xLabels).to.include.members(['1', '2', '3']);
        expect(xLabels.filter((t) => !/^-?\d+$/.test(t)), 'x labels that are not whole steps').to.deep.equal([]);
        chart.remove();
      } finally {
        CanvasRenderingContext2D.prototype.fillText = original;
      }
    });
  });

  describe('<experiment-compare>', () => {
    const three = (): Experiment[] => [run('a'), run('b', { name: 'bert-adamw-lr0.000382-bs128-with-a-much-longer-name', params: { optimizer: { name: 'sgd' } }, metrics: { val_accuracy: { last: 0.5 } } }), run('c', { status: 'queued', mainMetric: { key: 'val_accuracy' }, metrics: {} })];

    it('lines up the runs’ columns in every section', async () => {
      const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${three()}></experiment-compare>`);
      const lefts = (id: string): number[] => {
        const table = root(el).querySelector(`section.section-${id} table`)!;
        const headers = [...table.querySelectorAll('thead th')].filter((th) => th.querySelector('.muted'));
        return headers.map((th) => Math.round(th.getBoundingClientRect().left));
      };
      const overview = lefts('overview');
      // Each run's name stays inside its own column.
      for (const th of root(el).querySelectorAll('section.section-overview thead th')) {
        expect(th.scrollWidth, `"${th.textContent?.trim()}" fits its column`).to.be.at.most(th.clientWidth + 1);
      }
      expect(overview).to.have.length(3);
      for (const id of ['params', 'metrics']) {
        lefts(id).forEach((left, i) => expect(Math.abs(left - overview[i]!), `${id}: run ${i + 1} column`).to.be.at.most(1));
      }
    });

    it('keeps labels whole at 360 px ("Command", not "Comman/d"), and says when a main metric has no value', async () => {
      await setViewport({ width: 360, height: 640 });
      const el = await fixture<ExperimentCompare>(html`<experiment-compare .experiments=${three()}></experiment-compare>`);
      const overview = root(el).querySelector('section.section-overview')!;
      for (const label of ['Command', 'Main metric']) expect(linesOf(textNodeWith(overview, label)), label).to.equal(1);
      const params = root(el).querySelector('section.section-params')!;
      // A name is text parts with <wbr> after "." (breakableName): measure the whole name.
      const nameNode = (label: string): Node => [...params.querySelectorAll('tbody th .name')].find((n) => n.textContent === label) ?? textNodeWith(params, label);
      for (const label of ['optimizer.name', 'data.path']) expect(linesOf(nameNode(label)), label).to.equal(1);
      const mainRow = [...overview.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')?.textContent?.includes('Main metric'))!;
      const values = [...mainRow.querySelectorAll('td')].map((td) => td.textContent!.trim());
      expect(values).to.deep.equal(['val_accuracy = 0.913', 'val_accuracy = 0.913', 'val_accuracy: no value yet']);
      expect(root(el).querySelector<HTMLElement>('thead th .muted')!.innerText).to.equal('Completed');
    });
  });
});
