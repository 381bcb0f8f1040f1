// RowGroups (src/components/experiment-dashboard/table/group-rows.ts), our module in place of
// Tabulator's GroupRowsModule, on a bare table: the headers and rows a user sees, and the clicks.
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { BUILTIN_ATTRIBUTES } from '../src/data/attributes.js';
import { generateCollection } from '../src/data/sample-data.js';
import type { Experiment, Page } from '../src/data/types.js';
import type { GroupLevel } from '../src/components/experiment-dashboard/table/group-rows.js';
import { groupKey, tagOrdinal } from '../src/components/experiment-dashboard/table/ranks.js';
import { RunFamilies } from '../src/components/experiment-dashboard/table/run-families.js';
import { tabulatorClass, type DashboardTabulator } from '../src/components/experiment-dashboard/table/tabulator.js';

type Run = Experiment & { n: number };

const run = (id: string, operator: string, status: Experiment['status'], n: number, parent?: string): Run => ({ id, name: id, operator, status, n, ...(parent ? { parent } : {}) });

/** Six runs; `n` gives the order of a sort by it. */
const runs = (): Run[] => [run('a', 'ada', 'completed', 3), run('b', 'bob', 'failed', 1), run('c', 'ada', 'failed', 5), run('d', 'cy', 'completed', 2), run('e', 'bob', 'completed', 6), run('f', 'ada', 'completed', 4)];

async function bareTable(data: Run[]): Promise<{ table: DashboardTabulator; el: HTMLElement }> {
  const el = document.body.appendChild(document.createElement('div'));
  el.style.height = '500px';
  const Tabulator = tabulatorClass();
  const table = new Tabulator(el, {
    height: '100%',
    layout: 'fitData',
    index: 'id',
    data,
    columns: [
      { title: 'Name', field: 'name', width: 120 },
      { title: 'N', field: 'n', width: 80, sorter: (a: number, b: number) => a - b },
    ],
  }) as DashboardTabulator;
  await new Promise<void>((resolve) => table.on('tableBuilt', () => resolve()));
  return { table, el };
}

/** A level by a field, its header "field: key (count)"; `calls` counts the keys read. */
function level(field: 'operator' | 'status'): GroupLevel & { calls: number } {
  const l = {
    id: field,
    calls: 0,
    key: (e: Experiment) => {
      l.calls++;
      return e[field];
    },
    header: (key: unknown, count: number, rows: Experiment[]) => Object.assign(document.createElement('span'), { textContent: `${field}: ${String(key)} (${count}) ${rows.map((r) => r.id).join('')}` }),
  };
  return l;
}

/** What the table shows, top to bottom: a group header as `[level] text`, a row as its name. */
const shown = (el: HTMLElement): string[] =>
  [...el.querySelectorAll<HTMLElement>('.tabulator-row')].map((r) =>
    r.classList.contains('tabulator-group') ? `[${r.getAttribute('aria-level')}] ${r.textContent}` : (r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent ?? ''),
  );
const header = (el: HTMLElement, text: string): HTMLElement => [...el.querySelectorAll<HTMLElement>('.tabulator-group')].find((g) => g.textContent!.includes(text))!;

describe('RowGroups: grouped rows on a bare table', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('body > div')) el.remove();
  });

  it("shows nested groups in order of their first row, each with its count and its rows in the table's order, as GroupRowsModule's markup", async () => {
    const { table, el } = await bareTable(runs());
    table.setSort('n', 'asc');
    table.setRowGroups([level('operator'), level('status')]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    expect(shown(el)).to.deep.equal([
      // b (n 1) comes first: bob's group first; within it failed (b) before completed (e).
      '[1] operator: bob (2) be',
      '[2] status: failed (1) b',
      'b',
      '[2] status: completed (1) e',
      'e',
      '[1] operator: cy (1) d',
      '[2] status: completed (1) d',
      'd',
      '[1] operator: ada (3) afc',
      '[2] status: completed (2) af',
      'a',
      'f',
      '[2] status: failed (1) c',
      'c',
    ]);
    const top = header(el, 'operator: bob');
    expect([...top.classList]).to.include.members(['tabulator-row', 'tabulator-group', 'tabulator-group-level-0', 'tabulator-group-visible']);
    expect(header(el, 'status: failed (1) b').classList.contains('tabulator-group-level-1')).to.equal(true);
    expect(top.getAttribute('role')).to.equal('row');
    expect(top.getAttribute('aria-expanded')).to.equal('true');
    // The toggle's arrow first (Tabulator's stylesheet draws it), then the level's header.
    expect(top.firstElementChild!.className).to.equal('tabulator-group-toggle');
    expect(top.firstElementChild!.firstElementChild!.className).to.equal('tabulator-arrow');
    expect(top.children[1]!.textContent).to.equal('operator: bob (2) be');
    // Group headers are not rows of the data: positions count the rows only.
    expect(table.getDataCount('active')).to.equal(6);
    table.setRowGroups([]);
    await waitUntil(() => !el.querySelector('.tabulator-group'), 'ungrouped');
    expect(shown(el)).to.deep.equal(['b', 'd', 'a', 'f', 'c', 'e']);
    table.destroy();
  });

  it('a click on a header closes its group and another opens it; every group at once with setAllGroupsOpen', async () => {
    const { table, el } = await bareTable(runs());
    table.setRowGroups([level('operator'), level('status')]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    header(el, 'operator: ada').click();
    await waitUntil(() => header(el, 'operator: ada').getAttribute('aria-expanded') === 'false', 'ada closed');
    expect(shown(el)).to.deep.equal(['[1] operator: ada (3) acf', '[1] operator: bob (2) be', '[2] status: failed (1) b', 'b', '[2] status: completed (1) e', 'e', '[1] operator: cy (1) d', '[2] status: completed (1) d', 'd']);
    expect(header(el, 'operator: ada').classList.contains('tabulator-group-visible')).to.equal(false);
    // An inner group closes on its own.
    header(el, 'status: failed (1) b').click();
    await waitUntil(() => !shown(el).includes('b'), 'failed of bob closed');
    header(el, 'operator: ada').click();
    await waitUntil(() => shown(el).includes('a'), 'ada open again');
    expect(header(el, 'operator: ada').getAttribute('aria-expanded')).to.equal('true');
    expect(shown(el).filter((s) => !s.startsWith('['))).to.deep.equal(['a', 'f', 'c', 'e', 'd']);
    table.setAllGroupsOpen(false);
    await waitUntil(() => shown(el).length === 3, 'only the outer headers');
    expect(shown(el)).to.deep.equal(['[1] operator: ada (3) acf', '[1] operator: bob (2) be', '[1] operator: cy (1) d']);
    expect([...el.querySelectorAll('.tabulator-group')].map((g) => g.getAttribute('aria-expanded'))).to.deep.equal(['false', 'false', 'false']);
    // Opening one group of a collapsed table shows its subgroups collapsed.
    header(el, 'operator: cy').click();
    await waitUntil(() => shown(el).length === 4, 'cy open');
    expect(shown(el).at(-1)).to.equal('[2] status: completed (1) d');
    table.setAllGroupsOpen(true);
    await waitUntil(() => shown(el).length === 6 + 8, 'every row and header');
    table.destroy();
  });

  it('keeps which groups are open across a filter, a sort and new data; counts what the filter leaves', async () => {
    const data = runs();
    const { table, el } = await bareTable(data);
    table.setRowGroups([level('operator')]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    header(el, 'operator: bob').click();
    await waitUntil(() => !shown(el).includes('b'), 'bob closed');
    table.setRowPredicate((d) => (d as Run).status === 'completed');
    await waitUntil(() => shown(el).length === 6, 'completed only');
    expect(shown(el)).to.deep.equal(['[1] operator: ada (2) af', 'a', 'f', '[1] operator: cy (1) d', 'd', '[1] operator: bob (1) e']);
    table.setSort('n', 'desc');
    await waitUntil(() => shown(el)[0]!.includes('bob'), 'sorted');
    expect(shown(el)).to.deep.equal(['[1] operator: bob (1) e', '[1] operator: ada (2) fa', 'f', 'a', '[1] operator: cy (1) d', 'd']);
    table.setRowPredicate(undefined);
    await table.replaceData([...data, run('g', 'bob', 'queued', 0)]);
    await waitUntil(() => shown(el).some((s) => s.includes('bob (3)')), 'new data');
    expect(shown(el).filter((s) => !s.startsWith('['))).to.deep.equal(['c', 'f', 'a', 'd']);
    expect(header(el, 'operator: bob').getAttribute('aria-expanded')).to.equal('false');
    // Grouped by the same levels again, bob stays closed; by others, every group starts open.
    table.setRowGroups([level('operator')]);
    await waitUntil(() => shown(el).length === 7, 'regrouped by operator');
    expect(header(el, 'operator: bob').getAttribute('aria-expanded')).to.equal('false');
    table.setRowGroups([level('status')]);
    await waitUntil(() => shown(el).some((s) => s.includes('status: failed')), 'by status');
    table.setRowGroups([level('operator')]);
    await waitUntil(() => shown(el).length === 10, 'by operator, all open');
    expect([...el.querySelectorAll('.tabulator-group')].every((g) => g.getAttribute('aria-expanded') === 'true')).to.equal(true);
    table.destroy();
  });

  it("a group's open state is its own, whatever its key holds (no key passes for two levels' keys)", async () => {
    const { table, el } = await bareTable([run('r1', 'a', 'failed', 1), run('r2', 'a\u0001failed', 'completed', 2)]);
    table.setRowGroups([level('operator'), level('status')]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    header(el, 'status: failed (1) r1').click();
    await waitUntil(() => !shown(el).includes('r1'), 'a > failed closed');
    expect(shown(el).filter((s) => !s.startsWith('['))).to.deep.equal(['r2']);
    table.destroy();
  });

  it('a deleted row leaves its group, which keeps its place; a group left empty goes', async () => {
    const { table, el } = await bareTable(runs());
    table.setRowGroups([level('operator')]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    await table.deleteRow(['d', 'a']);
    await waitUntil(() => !shown(el).some((s) => s.includes('cy')), 'cy gone');
    expect(shown(el)).to.deep.equal(['[1] operator: ada (2) cf', 'c', 'f', '[1] operator: bob (2) be', 'b', 'e']);
    table.destroy();
  });

  it('opening or closing a group reads no key: the groups built are listed again', async () => {
    const { table, el } = await bareTable(runs());
    const levels = [level('operator'), level('status')];
    table.setRowGroups(levels);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    expect(levels.map((l) => l.calls)).to.deep.equal([6, 6]);
    header(el, 'operator: ada').click();
    table.setAllGroupsOpen(false);
    table.setAllGroupsOpen(true);
    header(el, 'status: failed (1) b').click();
    await waitUntil(() => !shown(el).includes('b'), 'failed of bob closed');
    expect(levels.map((l) => l.calls)).to.deep.equal([6, 6]);
    table.destroy();
  });

  it("with each ordinal's class (sort ranks), reads a key once per class while the classes stay: a filter and a sort read none; rows without a class read their own", async () => {
    const data = [...runs(), run('g', '', 'queued', 7)];
    data.forEach((e, i) => tagOrdinal(e, i));
    const { table, el } = await bareTable(data);
    // ada 0, bob 1, cy 2; g has no value (-1).
    let ranks = Int32Array.from(data, (e) => ['ada', 'bob', 'cy'].indexOf(e.operator!));
    const byOperator = Object.assign(level('operator'), { classes: () => ranks });
    table.setRowGroups([byOperator]);
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    expect(shown(el).filter((s) => s.startsWith('['))).to.deep.equal(['[1] operator: ada (3) acf', '[1] operator: bob (2) be', '[1] operator: cy (1) d', '[1] operator:  (1) g']);
    expect(byOperator.calls).to.equal(3 + 1);
    table.setRowPredicate((d) => (d as Run).n > 1);
    table.setSort('n', 'desc');
    await waitUntil(() => shown(el)[0]!.includes('operator:  (1) g'), 'filtered and sorted');
    expect(shown(el).filter((s) => s.startsWith('['))).to.deep.equal(['[1] operator:  (1) g', '[1] operator: bob (1) e', '[1] operator: ada (3) cfa', '[1] operator: cy (1) d']);
    // g's key again at each regrouping (the filter, the sort); the classes' keys are kept.
    expect(byOperator.calls).to.equal(4 + 2);
    table.setRowPredicate(undefined);
    expect(byOperator.calls).to.equal(4 + 3);
    // New data, new classes (b moved to cy): their keys are read anew.
    const changed = { ...data[1]!, operator: 'cy' };
    tagOrdinal(changed, 1);
    ranks = Int32Array.from(data, (e) => ['ada', 'bob', 'cy'].indexOf(e.id === 'b' ? 'cy' : e.operator!));
    await table.replaceData(data.map((e) => (e.id === 'b' ? changed : e)));
    await waitUntil(() => shown(el).some((s) => s.includes('cy (2)')), 'b is with cy');
    expect(byOperator.calls).to.equal(7 + 4);
    table.destroy();
  });

  it('child runs nest under their parent within a group; a group counts the children of a collapsed parent', async () => {
    const data = [run('p', 'ada', 'completed', 1), run('c1', 'ada', 'completed', 2, 'p'), run('c2', 'bob', 'completed', 3, 'p'), run('q', 'ada', 'failed', 4), run('c3', 'ada', 'failed', 5, 'p')];
    data.forEach((e, i) => tagOrdinal(e, i));
    const { table, el } = await bareTable(data);
    const operator = BUILTIN_ATTRIBUTES.find((a) => a.id === 'operator')!;
    const families = new RunFamilies({ rows: () => data, table: () => table, groups: () => [operator], allTagged: () => true, name: (e) => e.id, formatRow: () => undefined });
    families.link();
    table.setSort('n', 'asc');
    table.setRowArranger(families.arranger);
    table.setRowGroups([{ ...level('operator'), key: (e) => groupKey(operator, e) }]);
    families.rearrange();
    await waitUntil(() => el.querySelector('.tabulator-group'), 'grouped');
    // p is collapsed: its children in its group are folded away, and still counted.
    expect(shown(el)).to.deep.equal(['[1] operator: ada (4) pc1c3q', 'p', 'q', '[1] operator: bob (1) c2', 'c2']);
    families.setOpen('p', true);
    await waitUntil(() => shown(el).includes('c1'), 'p open');
    expect(shown(el)).to.deep.equal(['[1] operator: ada (4) pc1c3q', 'p', 'c1', 'c3', 'q', '[1] operator: bob (1) c2', 'c2']);
    table.destroy();
  });
});

describe('RowGroups in the dashboard', () => {
  it('a group header stays whole in view while the columns scroll sideways: its arrow and text do not move', async function () {
    this.timeout(30000);
    await setViewport({ width: 360, height: 740 });
    const { experiments } = generateCollection({ n: 40, seed: 3, historyPoints: 0 });
    const el = await fixture<ExperimentDashboard>(document.createElement('experiment-dashboard'));
    el.setAttribute('style', 'display: block; height: 720px');
    el.setAttribute('group-by', 'operator');
    el.source = { capabilities: { delete: false, live: false, serverQuery: false, history: false }, load: async (): Promise<Page> => ({ experiments }) };
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator-group .group-count'), 'grouped', { timeout: 10000 });
    const group = el.shadowRoot!.querySelector<HTMLElement>('.tabulator-group')!;
    const arrow = group.querySelector<HTMLElement>('.tabulator-arrow')!;
    const holder = el.shadowRoot!.querySelector<HTMLElement>('.tabulator-tableholder')!;
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await frame();
    const before = { arrow: arrow.getBoundingClientRect(), group: group.getBoundingClientRect() };
    expect(holder.scrollWidth, 'the columns are wider than a phone').to.be.greaterThan(holder.clientWidth + 200);
    holder.scrollLeft = 200;
    holder.dispatchEvent(new Event('scroll'));
    await frame();
    expect(holder.scrollLeft).to.equal(200);
    const after = { arrow: arrow.getBoundingClientRect(), group: group.getBoundingClientRect() };
    expect(after.arrow.left).to.be.closeTo(before.arrow.left, 1);
    expect(after.group.left).to.be.closeTo(before.group.left, 1);
    expect(after.group.height).to.be.closeTo(before.group.height, 1);
    await setViewport({ width: 800, height: 600 });
  });
});
