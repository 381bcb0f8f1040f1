// The Tabulator modules of our own (src/components/experiment-dashboard/table/tabulator.ts), on a
// bare table: what a user of the table sees and what its API returns.
import { expect, waitUntil } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import type { CellComponent } from 'tabulator-tables';
import tabulatorCss from 'tabulator-tables/dist/css/tabulator.min.css';
import { tabulatorClass, type DashboardTabulator } from '../src/components/experiment-dashboard/table/tabulator.js';

const HOSTILE = '<img src=x onerror="window.__pwned = true">';

async function bareTable(options: Record<string, unknown>): Promise<{ table: DashboardTabulator; el: HTMLElement }> {
  const el = document.body.appendChild(document.createElement('div'));
  el.style.height = '300px';
  const Tabulator = tabulatorClass();
  const table = new Tabulator(el, { height: '100%', layout: 'fitData', index: 'id', ...options }) as DashboardTabulator;
  await new Promise<void>((resolve) => table.on('tableBuilt', () => resolve()));
  return { table, el };
}

const rowTexts = (el: HTMLElement, field: string) => [...el.querySelectorAll(`.tabulator-row .tabulator-cell[tabulator-field="${field}"]`)].map((c) => c.textContent);

describe("the dashboard's own Tabulator modules", () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('body > div')) el.remove();
  });

  it('a column without a formatter shows its value as text, never as HTML; so does a plain title', async () => {
    const { table, el } = await bareTable({ columns: [{ title: HOSTILE, field: 'name', width: 300 }], data: [{ id: 1, name: HOSTILE }, { id: 2, name: 42 }, { id: 3 }] });
    expect(rowTexts(el, 'name')).to.deep.equal([HOSTILE, '42', '']);
    expect(el.querySelector('.tabulator-col-title')?.textContent).to.equal(HOSTILE);
    expect(el.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    table.destroy();
  });

  it("a column's formatter and titleFormatter give the cell's and the header's nodes", async () => {
    const { table, el } = await bareTable({
      columns: [
        {
          title: 'Name',
          field: 'name',
          width: 300,
          titleFormatter: (h: { getValue(): string }) => Object.assign(document.createElement('b'), { textContent: `[${h.getValue()}]` }),
          formatter: (c: CellComponent) => Object.assign(document.createElement('i'), { textContent: String(c.getValue()).toUpperCase() }),
        },
      ],
      data: [{ id: 1, name: 'adam' }],
    });
    expect(el.querySelector('.tabulator-col-title b')?.textContent).to.equal('[Name]');
    expect(el.querySelector('.tabulator-row .tabulator-cell i')?.textContent).to.equal('ADAM');
    table.destroy();
  });

  it('setRowPredicate shows only the rows it accepts, before sorting; undefined shows all again', async () => {
    const data = [1, 2, 3, 4, 5, 6].map((n) => ({ id: n, n }));
    const { table, el } = await bareTable({ columns: [{ title: 'N', field: 'n', width: 100, sorter: (a: number, b: number) => a - b }], data });
    table.setSort('n', 'desc');
    table.setRowPredicate((d) => (d as { n: number }).n % 2 === 0);
    await waitUntil(() => rowTexts(el, 'n').length === 3, 'three even rows');
    expect(rowTexts(el, 'n')).to.deep.equal(['6', '4', '2']);
    expect(table.getDataCount('active')).to.equal(3);
    table.setRowPredicate(undefined);
    await waitUntil(() => rowTexts(el, 'n').length === 6, 'every row again');
    expect(rowTexts(el, 'n')).to.deep.equal(['6', '5', '4', '3', '2', '1']);
    // New rows go through the predicate too.
    table.setRowPredicate((d) => (d as { n: number }).n > 5);
    await table.addData([{ id: 7, n: 7 }, { id: 0, n: 0 }]);
    await waitUntil(() => rowTexts(el, 'n').length === 2, 'rows above 5');
    expect(rowTexts(el, 'n')).to.deep.equal(['7', '6']);
    table.destroy();
  });

  it('sorts on a header click (ascending, then descending), adds a column with Shift, and shows the order in aria-sort', async () => {
    const data = [
      { id: 1, g: 'b', n: 1 },
      { id: 2, g: 'a', n: 2 },
      { id: 3, g: 'b', n: 3 },
      { id: 4, g: 'a', n: 4 },
    ];
    const byValue = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
    const { table, el } = await bareTable({
      columns: [
        { title: 'G', field: 'g', width: 100, sorter: byValue },
        { title: 'N', field: 'n', width: 100, sorter: byValue },
        { title: 'X', field: 'x', width: 100, headerSort: false },
      ],
      data,
    });
    const sorting: string[] = [];
    table.on('dataSorting', (sorters) => sorting.push(sorters.map((s) => `${s.field}:${s.dir}`).join(',')));
    const header = (field: string) => el.querySelector<HTMLElement>(`.tabulator-col[tabulator-field="${field}"]`)!;
    const ids = () => rowTexts(el, 'n');
    expect(header('n').classList.contains('tabulator-sortable')).to.equal(true);
    expect(header('x').classList.contains('tabulator-sortable')).to.equal(false);
    expect(header('x').querySelector('.sort-arrow')).to.equal(null);
    expect(header('n').querySelector('.tabulator-col-sorter .sort-arrow')?.getAttribute('aria-hidden')).to.equal('true');
    header('n').click();
    await waitUntil(() => header('n').getAttribute('aria-sort') === 'ascending', 'ascending');
    expect(ids()).to.deep.equal(['1', '2', '3', '4']);
    header('n').click();
    await waitUntil(() => header('n').getAttribute('aria-sort') === 'descending', 'descending');
    expect(ids()).to.deep.equal(['4', '3', '2', '1']);
    expect(header('g').getAttribute('aria-sort')).to.equal('none');
    // A plain click sorts by that column alone; Shift adds one, the clicked column first.
    header('n').dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await waitUntil(() => header('n').getAttribute('aria-sort') === 'ascending', 'ascending again');
    header('g').dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await waitUntil(() => header('g').getAttribute('aria-sort') === 'ascending', 'g ascending');
    expect(table.getSorters().map((s) => `${s.field}:${s.dir}`)).to.deep.equal(['n:asc', 'g:asc']);
    expect(ids()).to.deep.equal(['2', '4', '1', '3']);
    header('g').dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await waitUntil(() => header('g').getAttribute('aria-sort') === 'descending', 'g descending');
    expect(ids()).to.deep.equal(['1', '3', '2', '4']);
    header('g').click();
    await waitUntil(() => header('n').getAttribute('aria-sort') === 'none', 'n no longer sorted');
    expect(table.getSorters().map((s) => `${s.field}:${s.dir}`)).to.deep.equal(['g:asc']);
    table.setSort([{ column: 'n', dir: 'desc' }]);
    expect(ids()).to.deep.equal(['4', '3', '2', '1']);
    expect(header('n').getAttribute('aria-sort')).to.equal('descending');
    table.clearSort();
    expect(table.getSorters()).to.deep.equal([]);
    expect(header('n').getAttribute('aria-sort')).to.equal('none');
    expect(sorting).to.include.members(['n:asc', 'n:desc', 'n:asc,g:asc', 'g:asc', '']);
    table.destroy();
  });

  it("reports a click in a cell to table.on('cellClick') with that cell", async () => {
    const { table, el } = await bareTable({ columns: [{ title: 'Name', field: 'name', width: 200 }], data: [{ id: 1, name: 'first' }, { id: 2, name: 'second' }] });
    const clicks: string[] = [];
    table.on('cellClick', (_ev, cell) => clicks.push(`${cell.getField()}=${String(cell.getValue())}`));
    el.querySelectorAll<HTMLElement>('.tabulator-row .tabulator-cell')[1]!.click();
    expect(clicks).to.deep.equal(['name=second']);
    table.destroy();
  });

  it('keeps frozen columns in view while the table scrolls sideways, at their offsets after a resize; they do not move', async () => {
    const columns = [
      { title: 'A', field: 'a', width: 80, frozen: true },
      { title: 'B', field: 'b', width: 90, frozen: true },
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ title: `C${n}`, field: `c${n}`, width: 150 })),
      { title: 'Z', field: 'z', width: 60, frozen: true },
    ];
    // Scrolling needs Tabulator's stylesheet (as the dashboard adopts it).
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(tabulatorCss);
    document.adoptedStyleSheets = [sheet];
    const { table, el } = await bareTable({ columns, movableColumns: true, data: [1, 2, 3].map((id) => ({ id, a: 'a', b: 'b', c1: 1, z: 'z' })) });
    el.style.width = '500px';
    table.redraw(true);
    const holder = el.querySelector<HTMLElement>('.tabulator-tableholder')!;
    const header = (field: string) => el.querySelector<HTMLElement>(`.tabulator-col[tabulator-field="${field}"]`)!.getBoundingClientRect();
    const cell = (field: string) => el.querySelector<HTMLElement>(`.tabulator-row .tabulator-cell[tabulator-field="${field}"]`)!.getBoundingClientRect();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    holder.scrollLeft = 400;
    await frame();
    expect(holder.scrollLeft).to.equal(400);
    const view = holder.getBoundingClientRect();
    for (const box of [header('a'), cell('a')]) expect(box.left).to.be.closeTo(view.left, 1);
    for (const box of [header('b'), cell('b')]) expect(box.left).to.be.closeTo(view.left + 80, 1);
    // At the right edge of the rows (left of the vertical scrollbar, if any), header above cell.
    expect(cell('z').right).to.be.closeTo(view.left + holder.clientWidth, 1);
    expect(header('z').left).to.be.closeTo(cell('z').left, 1);
    // (That they are drawn over the scrolled columns is the dashboard's stylesheet: table-layout.test.ts.)
    // The first one widened: the second follows it.
    await table.getColumn('a').setWidth(120);
    await frame();
    for (const box of [header('b'), cell('b')]) expect(box.left).to.be.closeTo(view.left + 120, 1);
    // A held header starts a column drag; a frozen one does not.
    holder.scrollLeft = 0;
    await frame();
    const held = async (field: string) => {
      const from = header(field);
      await sendMouse({ type: 'move', position: [Math.round(from.left + 20), Math.round(from.top + from.height / 2)] });
      await sendMouse({ type: 'down' });
      await new Promise((r) => setTimeout(r, 400));
      const dragging = el.querySelector('.tabulator-moving') !== null;
      await sendMouse({ type: 'up' });
      await resetMouse();
      return dragging;
    };
    expect(await held('c1')).to.equal(true);
    expect(await held('a')).to.equal(false);
    expect(await held('z')).to.equal(false);
    table.destroy();
    document.adoptedStyleSheets = [];
  });

  it('keeps frozen columns at the start of a right-to-left table', async () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(tabulatorCss);
    document.adoptedStyleSheets = [sheet];
    const el = document.body.appendChild(document.createElement('div'));
    el.dir = 'rtl';
    el.style.cssText = 'height: 300px; width: 500px';
    const Tabulator = tabulatorClass();
    const columns = [{ title: 'A', field: 'a', width: 80, frozen: true }, ...[1, 2, 3, 4, 5].map((n) => ({ title: `C${n}`, field: `c${n}`, width: 150 }))];
    const table = new Tabulator(el, { height: '100%', layout: 'fitData', index: 'id', columns, data: [{ id: 1, a: 'a' }] });
    await new Promise<void>((resolve) => table.on('tableBuilt', () => resolve()));
    const holder = el.querySelector<HTMLElement>('.tabulator-tableholder')!;
    holder.scrollLeft = -300;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(holder.scrollLeft).to.equal(-300);
    const view = holder.getBoundingClientRect();
    for (const sel of ['.tabulator-col[tabulator-field="a"]', '.tabulator-row .tabulator-cell[tabulator-field="a"]']) {
      expect(el.querySelector(sel)!.getBoundingClientRect().right, sel).to.be.closeTo(view.left + holder.clientLeft + holder.clientWidth, 1);
    }
    table.destroy();
    document.adoptedStyleSheets = [];
  });
});
