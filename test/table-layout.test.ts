// What a user sees of the table at common screen sizes: details, headers, row controls, icons,
// group numbers and the phone layout, measured in the browser (rectangles, not markup).
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { generateCollection } from '../src/data/sample-data.js';
import type { Experiment, ExperimentSource, Page } from '../src/data/types.js';
import { rows } from './helpers.js';

/** A source that can delete (so rows have a Delete button), holding `experiments`. */
function deletableSource(experiments: Experiment[]): ExperimentSource {
  return {
    capabilities: { delete: true, live: false, serverQuery: false, history: false },
    load: async (): Promise<Page> => ({ experiments }),
    delete: async () => undefined,
  };
}

/** The page's width and height, and a dashboard filling it on the sample runs. */
async function dashboardAt(width: number, height: number, experiments = generateCollection({ n: 60, seed: 3, historyPoints: 20 }).experiments, attrs: Record<string, string> = {}): Promise<ExperimentDashboard> {
  await setViewport({ width, height });
  const el = document.createElement('experiment-dashboard');
  el.setAttribute('style', `display: block; height: ${height - 20}px`);
  el.setAttribute('main-metric', 'val_accuracy:max');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.source = deletableSource(experiments);
  await fixture(el);
  await waitUntil(() => rows(el).length > 0, 'rows rendered', { timeout: 10000 });
  await frames(3);
  return el;
}

const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
};
const holder = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLElement>('.tabulator-tableholder')!;
const cell = (row: HTMLElement, field: string) => row.querySelector<HTMLElement>(`.tabulator-cell[tabulator-field="${field}"]`)!;
/** The part of the table holder a user sees (without its scroll bars), in page coordinates. */
const visibleBox = (el: ExperimentDashboard) => {
  const h = holder(el);
  const r = h.getBoundingClientRect();
  return { left: r.left + h.clientLeft, top: r.top + h.clientTop, right: r.left + h.clientLeft + h.clientWidth, bottom: r.top + h.clientTop + h.clientHeight };
};
const inside = (inner: DOMRect, outer: { left: number; top: number; right: number; bottom: number }, what: string) => {
  expect(inner.left, `${what}: left`).to.be.at.least(outer.left - 1);
  expect(inner.top, `${what}: top`).to.be.at.least(outer.top - 1);
  expect(inner.right, `${what}: right`).to.be.at.most(outer.right + 1);
  expect(inner.bottom, `${what}: bottom`).to.be.at.most(outer.bottom + 1);
};

afterEach(async () => {
  await setViewport({ width: 800, height: 600 });
});

describe('the inline detail', () => {
  async function openDetail(el: ExperimentDashboard, tab: RegExp) {
    const row = rows(el)[1]!;
    row.querySelector<HTMLButtonElement>('button.details-button')!.click();
    const detail = () => row.querySelector('experiment-row-detail');
    await waitUntil(() => detail()?.shadowRoot?.querySelector('[role="tab"]'), 'detail rendered', { timeout: 10000 });
    const d = detail()!;
    [...d.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => tab.test(t.textContent ?? ''))!.click();
    return { row, d };
  }
  /** Waits until the detail's box has kept its size for a few frames (its parts load and lay out). */
  async function settled(box: HTMLElement) {
    let last = '';
    let same = 0;
    await waitUntil(
      async () => {
        await frames(1);
        const r = box.getBoundingClientRect();
        const now = `${r.width}x${r.height}`;
        same = now === last ? same + 1 : 0;
        last = now;
        return same >= 4;
      },
      'detail settled',
      { timeout: 10000 },
    );
  }

  it('shows the whole Metrics tab (table and chart) inside the visible table, above the next row', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 900);
    const { row, d } = await openDetail(el, /metrics/i);
    await waitUntil(() => d.shadowRoot!.querySelector('metric-chart')?.shadowRoot?.querySelector('canvas, svg'), 'chart drawn', { timeout: 10000 });
    const box = row.querySelector<HTMLElement>('.row-detail')!;
    await settled(box);
    const panel = box.getBoundingClientRect();
    const chart = d.shadowRoot!.querySelector('metric-chart')!.getBoundingClientRect();
    const lastMetric = [...d.shadowRoot!.querySelectorAll('table.metrics tbody tr')].at(-1)!.getBoundingClientRect();
    expect(chart.height).to.be.greaterThan(100);
    inside(chart, panel, 'chart');
    inside(lastMetric, panel, 'last metric row');
    // As wide as what the user sees of the table, not as all columns.
    expect(panel.right).to.be.at.most(visibleBox(el).right + 1);
    expect(panel.left).to.be.at.least(visibleBox(el).left - 1);
    // The next row starts below the detail.
    const next = row.nextElementSibling as HTMLElement;
    expect(next.getBoundingClientRect().top).to.be.at.least(panel.bottom - 1);
    // Scrolled sideways, the detail stays in view.
    holder(el).scrollLeft = 300;
    await frames(2);
    expect(holder(el).scrollLeft).to.be.greaterThan(0);
    expect(box.getBoundingClientRect().left).to.be.closeTo(visibleBox(el).left, 1);
  });

  it('shows every parameter row and its Copy button', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 900);
    const { row, d } = await openDetail(el, /parameters/i);
    await waitUntil(() => d.shadowRoot!.querySelector('table.params tbody tr'), 'parameters shown');
    const box = row.querySelector<HTMLElement>('.row-detail')!;
    await settled(box);
    const panel = box.getBoundingClientRect();
    const last = [...d.shadowRoot!.querySelectorAll<HTMLElement>('table.params tbody tr')].at(-1)!;
    inside(last.getBoundingClientRect(), panel, 'last parameter row');
    const copy = last.querySelector('button');
    if (copy) inside(copy.getBoundingClientRect(), panel, 'its Copy button');
    expect((row.nextElementSibling as HTMLElement).getBoundingClientRect().top).to.be.at.least(panel.bottom - 1);
  });
});

describe('the inline detail, taller than the table', () => {
  it('scrolls inside itself, and no row shows above its table header', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 480);
    const row = rows(el)[1]!;
    row.querySelector<HTMLButtonElement>('button.details-button')!.click();
    await waitUntil(() => row.querySelector('experiment-row-detail')?.shadowRoot?.querySelector('[role="tab"]'), 'detail rendered', { timeout: 10000 });
    const d = row.querySelector('experiment-row-detail')!;
    [...d.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => /metrics/i.test(t.textContent ?? ''))!.click();
    await waitUntil(() => d.shadowRoot!.querySelector('table.metrics tbody tr'), 'metrics shown');
    const panel = [...d.shadowRoot!.querySelectorAll<HTMLElement>('[role="tabpanel"]')].find((p) => p.offsetParent)!;
    await waitUntil(() => panel.scrollHeight > panel.clientHeight, 'the panel scrolls');
    // Capped near the table's height, so the row stays workable in the virtual table.
    expect(row.querySelector('.row-detail')!.getBoundingClientRect().height).to.be.at.most(holder(el).clientHeight);
    panel.scrollTop = 45;
    await frames(2);
    const top = panel.getBoundingClientRect().top + panel.clientTop;
    const th = d.shadowRoot!.querySelector('table.metrics thead th')!.getBoundingClientRect();
    const peeking = [...d.shadowRoot!.querySelectorAll('table.metrics tbody tr')].map((r) => r.getBoundingClientRect()).reduce((sum, r) => sum + Math.max(0, Math.min(r.bottom, th.top) - Math.max(r.top, top)), 0);
    expect(peeking, 'px of rows above the sticky header').to.equal(0);
  });
});

describe('the columns at 1280 px', () => {
  it('show every default header whole, and each row keeps its Delete button in view', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 800);
    const titles = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-col .col-title-text')];
    expect(titles.length).to.be.at.least(8);
    for (const t of titles) expect(t.scrollWidth, `"${t.textContent}" whole`).to.be.at.most(t.clientWidth);
    const view = visibleBox(el);
    const row = rows(el)[0]!;
    const del = row.querySelector<HTMLElement>('button.delete-button')!;
    inside(del.getBoundingClientRect(), view, 'Delete button');
    // Scrolled to the far right: status and name stay at the left, Delete at the right.
    holder(el).scrollLeft = holder(el).scrollWidth;
    await frames(2);
    expect(holder(el).scrollLeft).to.be.greaterThan(0);
    inside(cell(row, 'status').getBoundingClientRect(), view, 'status cell');
    inside(cell(row, 'name').getBoundingClientRect(), view, 'name cell');
    inside(del.getBoundingClientRect(), view, 'Delete button after scrolling');
    // And no other cell is drawn over them.
    const name = cell(row, 'name').getBoundingClientRect();
    const top = el.shadowRoot!.elementFromPoint(name.left + name.width / 2, name.top + name.height / 2);
    expect(cell(row, 'name').contains(top)).to.equal(true);
  });
});

describe('a column shown at 1280 px', () => {
  it('has its whole title, and its cells are as wide as its header', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 800);
    const ids = el.shadowRoot!.querySelectorAll('.tabulator-col[tabulator-field]:not([tabulator-field^="__"])');
    const shown = [...ids].map((c) => c.getAttribute('tabulator-field')!);
    const added = 'metrics.learning_rate.last';
    el.columns = [...shown, added].join(',');
    const header = () => el.shadowRoot!.querySelector<HTMLElement>(`.tabulator-col[tabulator-field="${added}"]`);
    await waitUntil(() => header() && rows(el)[0] && cell(rows(el)[0]!, added), 'column shown', { timeout: 10000 });
    await frames(2);
    const title = header()!.querySelector<HTMLElement>('.col-title-text')!;
    expect(title.textContent?.length ?? 0).to.be.greaterThan(10);
    expect(title.scrollWidth, `"${title.textContent}" whole`).to.be.at.most(title.clientWidth);
    for (const row of rows(el).slice(0, 5)) expect(cell(row, added).getBoundingClientRect().width).to.be.closeTo(header()!.getBoundingClientRect().width, 1);
  });
});

describe('the controls in the table', () => {
  it('are drawn with SVG icons, never emoji or symbol characters', async function () {
    this.timeout(30000);
    const el = await dashboardAt(1280, 800);
    const controls = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator button, .tabulator .status-icon')];
    const kinds = new Set(controls.map((c) => c.className));
    for (const k of ['details-button', 'delete-button', 'filter-button', 'status-icon']) expect([...kinds].some((c) => c.includes(k)), k).to.equal(true);
    for (const c of controls) {
      expect(c.textContent, `${c.className} text`).to.not.match(/[\p{Extended_Pictographic}\u2020\u2190-\u2bff]/u);
      expect(c.querySelector('svg'), `${c.className} icon`).to.not.equal(null);
      expect(c.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    }
  });
});

describe('group headers', () => {
  it('print the best and mean main metric with the precision of the column beside them', async function () {
    this.timeout(30000);
    const e = (id: string, value: number): Experiment => ({ id, name: id, status: 'completed', operator: 'ada', metrics: { acc: { last: value } }, mainMetric: { key: 'acc', value, goal: 'maximize' } });
    const el = await dashboardAt(1280, 800, [e('a', 0.5), e('b', 0.25), e('c', 0.26)], { 'group-by': 'operator', 'main-metric': 'acc:max' });
    await waitUntil(() => el.shadowRoot!.querySelector('.group-agg'), `group header: ${el.shadowRoot!.querySelector('.tabulator-group')?.textContent}`);
    const cells = rows(el).map((r) => cell(r, 'mainMetric').textContent);
    expect(cells).to.have.members(['0.5', '0.25', '0.26']);
    expect(el.shadowRoot!.querySelector('.group-agg')!.textContent).to.equal(' · best 0.5 · mean 0.34');
  });
});

describe('on a phone (360 px)', () => {
  it('shows status, name and main metric of each row, without the page scrolling sideways', async function () {
    this.timeout(30000);
    const el = await dashboardAt(360, 740);
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator-col[tabulator-field="name"]')!.getBoundingClientRect().width < 200, 'narrow columns');
    await frames(2);
    const view = visibleBox(el);
    for (const row of rows(el).slice(0, 5)) {
      for (const f of ['status', 'name', 'mainMetric']) inside(cell(row, f).getBoundingClientRect(), { ...view, left: Math.max(0, view.left), right: Math.min(360, view.right) }, f);
      // A cut name keeps its whole text in a tooltip; the status keeps its word for screen readers.
      const name = cell(row, 'name');
      expect(name.querySelector('[title]')?.getAttribute('title')).to.equal(name.textContent);
      expect(cell(row, 'status').textContent).to.match(/Completed|Failed|Running|Dead|Queued|Interrupted/);
    }
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
    // The cut main-metric title is whole in its tooltip.
    expect(el.shadowRoot!.querySelector<HTMLElement>('.tabulator-col[tabulator-field="mainMetric"] .col-title-text')!.title).to.equal('val_accuracy (max) (mainMetric)');
  });

  it('wraps a long group header within the screen', async function () {
    this.timeout(30000);
    const el = await dashboardAt(360, 740, undefined, { 'group-by': 'params.optimizer' });
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator-group .group-agg'), 'group header');
    await frames(2);
    const group = el.shadowRoot!.querySelector<HTMLElement>('.tabulator-group')!;
    inside(group.querySelector('.group-agg')!.getBoundingClientRect(), { left: 0, top: 0, right: 360, bottom: 740 }, 'group numbers');
    expect(group.scrollWidth).to.be.at.most(group.clientWidth);
  });
});
