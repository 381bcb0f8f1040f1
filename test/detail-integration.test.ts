import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { importSacredRun } from '../src/data/importers/index.js';
import { generateCollection } from '../src/data/sample-data.js';
import { rows } from './helpers.js';

const sized = 'height: 600px; width: 1400px; display: block';
const holder = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLElement>('.tabulator-tableholder')!;
const detailOf = (el: ExperimentDashboard, id: string) =>
  rows(el)
    .find((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent?.includes(id))
    ?.querySelector('experiment-row-detail');

describe('inline details in the virtual table', () => {
  it('keep their place and content while scrolling 100,000 rows, without a scroll jump', async function () {
    this.timeout(60000);
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.experiments = generateCollection({ n: 100_000, historyPoints: 0 });
    await waitUntil(() => rows(el).length > 0, 'rows', { timeout: 30000 });
    el.setViewState({ columns: ['status', 'name', 'mainMetric'] });
    await waitUntil(() => rows(el)[0]?.querySelector('.tabulator-cell[tabulator-field="name"]'));
    const first = rows(el)[1]!.querySelector('.tabulator-cell[tabulator-field="name"]')!.textContent!;
    rows(el)[1]!.querySelector<HTMLButtonElement>('button[aria-label^="Details "]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail')?.shadowRoot?.querySelector('[role="tablist"]'), 'detail rendered');
    // Open a second one further down, while scrolled: the view must not move.
    holder(el).scrollTop = 2000;
    await waitUntil(() => rows(el).some((r) => r.getBoundingClientRect().top > 0));
    await new Promise((r) => setTimeout(r, 100));
    const before = holder(el).scrollTop;
    const target = rows(el).find((r) => r.getBoundingClientRect().top > holder(el).getBoundingClientRect().top + 40)!;
    const second = target.querySelector('.tabulator-cell[tabulator-field="name"]')!.textContent!;
    target.querySelector<HTMLButtonElement>('button[aria-label^="Details "]')!.click();
    await waitUntil(() => detailOf(el, second), 'second detail');
    expect(Math.abs(holder(el).scrollTop - before)).to.be.below(2);
    // To the middle of 100,000 rows and back: both details are still there, still open.
    holder(el).scrollTop = holder(el).scrollHeight / 2;
    await new Promise((r) => setTimeout(r, 200));
    expect(rows(el).length).to.be.greaterThan(5);
    holder(el).scrollTop = 0;
    await waitUntil(() => detailOf(el, first), 'first detail back after scrolling', { timeout: 5000 });
    expect(detailOf(el, first)!.shadowRoot!.textContent).to.contain(first);
    // The detail scrolls inside itself instead of making a huge row.
    const detailBox = detailOf(el, first)!.closest<HTMLElement>('.row-detail')!;
    expect(detailBox.getBoundingClientRect().height).to.be.at.most(421);
  });

  it('shows a column in place: scroll position, open detail and every row in view keep, each row gets its cell', async function () {
    this.timeout(60000);
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    const experiments = generateCollection({ n: 20_000, historyPoints: 0 });
    el.experiments = experiments;
    await waitUntil(() => rows(el).length > 0, 'rows', { timeout: 30000 });
    el.setViewState({ columns: ['status', 'name', 'mainMetric'] });
    await waitUntil(() => !rows(el)[0]?.querySelector('.tabulator-cell[tabulator-field="operator"]'));
    holder(el).scrollTop = holder(el).scrollHeight / 2;
    await new Promise((r) => setTimeout(r, 200));
    const target = rows(el).find((r) => r.getBoundingClientRect().top > holder(el).getBoundingClientRect().top + 40)!;
    const opened = target.querySelector('.tabulator-cell[tabulator-field="name"]')!.textContent!;
    target.querySelector<HTMLButtonElement>('button[aria-label^="Details "]')!.click();
    await waitUntil(() => detailOf(el, opened)?.shadowRoot?.querySelector('[role="tablist"]'), 'detail open');
    const scrolled = holder(el).scrollTop;
    const fields = (row: HTMLElement) => [...row.querySelectorAll<HTMLElement>(':scope > .tabulator-cell')].map((c) => c.getAttribute('tabulator-field'));
    const byId = new Map(experiments.experiments.map((e) => [e.id, e]));
    const check = () => {
      for (const row of rows(el)) {
        expect(fields(row).filter((f) => !f!.startsWith('__'))).to.deep.equal(['status', 'name', 'operator', 'mainMetric']);
        const id = row.querySelector<HTMLInputElement>('input.select-row')!.dataset.id!;
        expect(row.querySelector('.tabulator-cell[tabulator-field="operator"]')!.textContent).to.equal(byId.get(id)!.operator);
      }
    };
    el.setViewState({ columns: ['status', 'name', 'operator', 'mainMetric'] });
    await waitUntil(() => rows(el)[0]?.querySelector('.tabulator-cell[tabulator-field="operator"]'), 'operator cells');
    // Nothing moved: same place in the table, the detail still open and after the cells.
    expect(Math.abs(holder(el).scrollTop - scrolled)).to.be.below(2);
    expect(detailOf(el, opened)?.shadowRoot?.querySelector('[role="tablist"]')).to.not.equal(null);
    expect(detailOf(el, opened)!.closest('.tabulator-row')!.lastElementChild!.querySelector('experiment-row-detail')).to.not.equal(null);
    check();
    // The header fills the header row like its neighbours.
    const header = (f: string) => el.shadowRoot!.querySelector<HTMLElement>(`.tabulator-col[tabulator-field="${f}"]`)!.getBoundingClientRect();
    expect(header('operator').height).to.equal(header('name').height);
    expect(header('operator').left).to.be.closeTo(header('name').right, 1);
    // Cells line up with their header, and are as tall as their neighbours.
    const cell = rows(el)[0]!.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="operator"]')!.getBoundingClientRect();
    expect(cell.left).to.be.closeTo(header('operator').left, 1);
    const nameCell = rows(el)[0]!.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"]')!.getBoundingClientRect();
    expect(cell.height).to.equal(nameCell.height);
    expect(cell.top).to.equal(nameCell.top);
    // Rows rendered later (scrolled to) have the cell too.
    holder(el).scrollTop = 0;
    await waitUntil(() => rows(el).some((r) => r.getBoundingClientRect().top >= holder(el).getBoundingClientRect().top - 1 && holder(el).scrollTop === 0));
    await new Promise((r) => setTimeout(r, 100));
    check();
  });

  it('filter chips coming and going resize the table, and the rows still fill it and scroll to the end', async function () {
    this.timeout(60000);
    // The element's own flex layout: the table takes the height the toolbar and chips leave.
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="height: 700px; width: 1380px"></experiment-dashboard>`);
    el.experiments = generateCollection({ n: 20_000, historyPoints: 0 });
    await waitUntil(() => rows(el).length > 0, 'rows', { timeout: 30000 });
    const box = () => holder(el).getBoundingClientRect();
    const lowest = () => Math.max(...rows(el).map((r) => r.getBoundingClientRect().bottom));
    const fills = async (what: string) => {
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
      expect(lowest(), `${what}: rows reach the bottom of the table`).to.be.at.least(box().bottom - 1);
    };
    const before = box().height;
    holder(el).scrollTop = 5000;
    await fills('scrolled');
    el.setViewState({ filters: [{ attribute: 'status', op: 'eq', value: 'completed' }] });
    await waitUntil(() => el.shadowRoot!.querySelector('[part="chips"]') && box().height < before, 'chips shown, table shorter', { timeout: 10000 });
    await fills('with the chip row');
    // To the very end: the last rows are there, nothing left blank under them.
    holder(el).scrollTop = holder(el).scrollHeight;
    await waitUntil(() => Math.abs(lowest() - box().bottom) < 2, `the last row ends at the bottom (${lowest()} vs ${box().bottom})`);
    el.setViewState({ filters: [] });
    await waitUntil(() => !el.shadowRoot!.querySelector('[part="chips"]') && box().height === before, 'chips gone, table as tall as before', { timeout: 10000 });
    await fills('without the chip row');
    holder(el).scrollTop = 0;
    await fills('back at the top');
  });

  it('shows a real Sacred run: host, git, dependencies, metrics', async () => {
    const base = '/test/fixtures/sacred-manuel-rhdt-ml-pws/runs/4/';
    const files = Object.fromEntries(await Promise.all(['run.json', 'config.json', 'metrics.json', 'cout.txt'].map(async (f) => [f, await (await fetch(base + f)).text()])));
    const { experiment } = importSacredRun(files as never, { runId: '4' });
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized}></experiment-dashboard>`);
    el.experiments = [experiment];
    await waitUntil(() => rows(el).length === 1);
    rows(el)[0]!.querySelector<HTMLButtonElement>('button[aria-label^="Details "]')!.click();
    const detail = await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail')?.shadowRoot?.querySelector('[role="tablist"]'), 'detail').then(() => el.shadowRoot!.querySelector('experiment-row-detail')!);
    const tabs = [...detail.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
    const text = async (name: RegExp) => {
      tabs.find((t) => name.test(t.textContent!))!.click();
      await detail.updateComplete;
      return detail.shadowRoot!.querySelector('[role="tabpanel"]')!.textContent!.replace(/\s+/g, ' ');
    };
    expect(await text(/Host/)).to.contain('Intel(R) Xeon(R) Gold 6226 CPU @ 2.70GHz').and.contain('NVIDIA GeForce RTX 2080 Ti').and.contain('3.12.1');
    expect(await text(/Git/)).to.contain('34c5ea6bebc779115962365252593cd77b67fbec');
    expect(await text(/Dependencies/)).to.contain('torch').and.contain('2.2.0');
    expect(await text(/Metrics/)).to.match(/loss/i);
  });
});
