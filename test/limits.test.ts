import { expect, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { collectAttributes, resolveAttribute } from '../src/data/attributes.js';
import { CUT_MARK, MAX_LABEL_LENGTH, clipText } from '../src/data/format.js';
import { parseCollection } from '../src/data/parse.js';
import { StaticSource } from '../src/data/static-source.js';
import type { Experiment } from '../src/data/types.js';
import { MEGABYTE, scan, textNodes } from './adversarial.js';
import { rows } from './helpers.js';

/**
 * Issue 9, limits: huge strings, thousands of parameters, deep nesting, a million-point history,
 * duplicate ids and non-finite numbers everywhere. Nothing crashes, no single task blocks the page
 * for a second or more, and whatever is cut for display says so.
 */

const FREEZE_MS = 1000;

interface Measured {
  /** The longest task (PerformanceObserver 'longtask') while the action ran and settled. */
  longest: number;
  wall: number;
}

/** Runs the action and reports the longest main-thread task until things settle. */
async function measure(action: () => unknown, settleMs = 250): Promise<Measured> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const start = performance.now();
  await action();
  await new Promise((r) => setTimeout(r, settleMs));
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  entries.push(...observer.takeRecords());
  observer.disconnect();
  return { longest: Math.max(0, ...entries.map((e) => e.duration)), wall: performance.now() - start };
}

const errors: string[] = [];
const onError = (e: ErrorEvent): void => void errors.push(e.message);
const onRejection = (e: PromiseRejectionEvent): void => void errors.push(String((e.reason as Error)?.message ?? e.reason));

/** Asserts the action neither throws nor blocks the page for FREEZE_MS or more. */
async function noFreeze(what: string, action: () => unknown, settleMs?: number): Promise<void> {
  const { longest } = await measure(action, settleMs);
  expect(errors, `${what}: errors`).to.deep.equal([]);
  expect(longest, `${what}: longest task ${Math.round(longest)} ms`).to.be.below(FREEZE_MS);
}

/** Selects every rendered row and opens Compare, which must not freeze the page. */
async function compareEveryRow(el: ExperimentDashboard, what: string, settleMs: number): Promise<void> {
  for (const r of rows(el)) r.querySelector<HTMLInputElement>('input.select-row')!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('.compare-button'));
  await noFreeze(
    what,
    async () => {
      el.shadowRoot!.querySelector<HTMLButtonElement>('.compare-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-compare')?.shadowRoot?.querySelector('table'), 'compare rendered', { timeout: 10000 });
    },
    settleMs,
  );
}

async function dashboard(): Promise<ExperimentDashboard> {
  const el = document.createElement('experiment-dashboard');
  el.setAttribute('style', 'height: 800px; width: 1400px');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

async function load(el: ExperimentDashboard, data: unknown, count: number): Promise<void> {
  const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
  el.experiments = data;
  await loaded;
  await waitUntil(() => rows(el).length === count, `${count} rows`, { timeout: 20000 });
}

async function openDetail(el: ExperimentDashboard, row: HTMLElement): Promise<HTMLElement & { updateComplete: Promise<boolean> }> {
  row.querySelector<HTMLButtonElement>('.details-button')!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail')?.shadowRoot, 'detail rendered', { timeout: 10000 });
  return el.shadowRoot!.querySelector('experiment-row-detail') as HTMLElement & { updateComplete: Promise<boolean> };
}

async function closeDetail(el: ExperimentDashboard, row: HTMLElement): Promise<void> {
  row.querySelector<HTMLButtonElement>('.details-button')!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail') === null, 'detail closed');
}

/** Every tab of the open detail, each one measured. */
async function everyTab(detail: HTMLElement & { updateComplete: Promise<boolean> }, what: string, check?: (tab: string) => void, settleMs?: number): Promise<string[]> {
  const tabs = [...detail.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  for (const tab of tabs) {
    await noFreeze(
      `${what}, tab ${tab.id}`,
      async () => {
        tab.click();
        await detail.updateComplete;
      },
      settleMs,
    );
    check?.(tab.id);
  }
  return tabs.map((t) => t.id);
}

const rowNamed = (el: ExperimentDashboard, test: (name: string) => boolean): HTMLElement =>
  rows(el).find((r) => test(r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent ?? ''))!;

/** Values of the 1 MiB test that are long on purpose (shown whole, they are not cuts). */
const WHOLE_VALUES = new Set([MEGABYTE, MEGABYTE.slice(0, 4096)]);

/**
 * Text nodes that show part of the 1 MiB string: each shows a whole value, or is cut with a
 * visible mark (…). Counts the 1 MiB values shown whole, for the report.
 */
function truncationMarks(el: Element): { whole: number; cut: number; unmarked: string[] } {
  let whole = 0;
  let cut = 0;
  const unmarked: string[] = [];
  for (const t of textNodes(el)) {
    const at = t.indexOf('<img src=x onerror=window.__xss++>A');
    if (at < 0) continue;
    const shown = t.slice(at);
    if (shown === MEGABYTE) whole++;
    else if (WHOLE_VALUES.has(shown)) continue;
    else if (/…\S{0,2}$/.test(shown) && MEGABYTE.startsWith(shown.replace(/…\S{0,2}$/, ''))) cut++;
    else unmarked.push(`${shown.length} characters, ends ${JSON.stringify(shown.slice(-20))}`);
  }
  return { whole, cut, unmarked };
}

describe('limits (issue 9)', function () {
  this.timeout(120000);
  let el: ExperimentDashboard;

  beforeEach(async () => {
    errors.length = 0;
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    el = await dashboard();
  });

  afterEach(() => {
    el.remove();
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  it('1 MiB strings in every text field: no crash, no freeze, cuts are marked', async () => {
    const mb = MEGABYTE;
    const runs: Record<string, unknown>[] = [
      { id: 'name', name: mb },
      { id: 'operator', name: 'operator', operator: mb },
      { id: 'group', name: 'group', group: { id: 'g', name: mb } },
      { id: 'tags', name: 'tags', tags: [mb] },
      { id: 'notes', name: 'notes', notes: mb, command: mb, statusDetail: { raw: mb, reason: mb } },
      { id: 'params', name: 'params', params: { huge: mb, [mb.slice(0, 4096)]: 1 }, labels: { k: mb } },
      { id: 'output', name: 'output', output: { stdout: mb }, error: { message: mb, trace: mb }, status: 'failed' },
      { id: 'host', name: 'host', host: { hostname: mb, env: { HUGE: mb } }, git: [{ url: `https://example.com/${mb.length}`, commit: mb, branch: mb }] },
      { id: 'artifacts', name: 'artifacts', artifacts: [{ name: mb, uri: `data:text/plain,${encodeURIComponent(mb.slice(0, 65536))}`, mediaType: mb }], dependencies: [{ name: mb, version: mb }] },
    ].map((r) => ({ status: 'completed', ...r }));
    await noFreeze('load', () => load(el, runs, runs.length));
    await noFreeze('group by operator and tags', () => el.setViewState({ groupBy: ['operator', 'tags'] }));
    await noFreeze('ungroup', () => el.setViewState({ groupBy: [] }));
    await noFreeze('search', () => el.setViewState({ search: 'xss' }));
    await noFreeze('clear the search', () => el.setViewState({ search: '' }));
    await waitUntil(() => rows(el).length === runs.length);
    // Cells show the start of a huge value with the cut mark; the tooltip says it was cut.
    const table = truncationMarks(el.shadowRoot!.querySelector('[part="table"]')!);
    expect(table.whole, 'no cell shows a 1 MiB value whole').to.equal(0);
    expect(table.unmarked).to.deep.equal([]);
    expect(table.cut, 'name, operator, group and tags cells are cut, marked').to.be.at.least(4);
    const nameCell = rowNamed(el, (n) => n.includes('onerror')).querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"] span[title]')!;
    expect(nameCell.title).to.match(/1,048,576 characters, cut for display/);
    expect(nameCell.title.length).to.be.below(400);
    // Button labels and tooltips name the run, cut too: nothing in the table carries the 1 MiB whole.
    const named = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="table"] [aria-label], [part="table"] [title]')];
    expect(named.filter((n) => (n.getAttribute('aria-label') ?? '').length > 300 || n.title.length > 400).map((n) => n.outerHTML.slice(0, 80))).to.deep.equal([]);
    expect(named.some((n) => /^Details .*onerror.*…$/.test(n.getAttribute('aria-label') ?? ''))).to.equal(true);
    await noFreeze('group by the 1 MiB group name', () => el.setViewState({ groupBy: ['group'] }));
    const header = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.tabulator-group .group-value')].find((v) => v.textContent!.includes('onerror'))!;
    expect(header.textContent).to.have.length(300);
    expect(header.textContent!.endsWith('…')).to.equal(true);
    await noFreeze('ungroup again', () => el.setViewState({ groupBy: [] }));
    await waitUntil(() => rows(el).length === runs.length);
    await noFreeze('cell menu on the 1 MiB name', async () => {
      rowNamed(el, (n) => n.includes('onerror')).querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"]')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('.cell-menu'));
    });
    const menu = truncationMarks(el.shadowRoot!.querySelector('.cell-menu')!);
    expect(menu.unmarked).to.deep.equal([]);
    expect(menu.cut, 'the cell menu quotes a cut value, marked').to.be.greaterThan(0);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    for (const id of runs.map((r) => r.id as string)) {
      const row = rowNamed(el, (n) => (id === 'name' ? n.includes('onerror') : n === id));
      let detail!: HTMLElement & { updateComplete: Promise<boolean> };
      await noFreeze(
        `open the detail of ${id}`,
        async () => {
          detail = await openDetail(el, row);
        },
        100,
      );
      await everyTab(
        detail,
        id,
        (tab) => {
          const marks = truncationMarks(detail);
          expect(marks.unmarked, `detail of ${id}, ${tab}: a cut without a mark`).to.deep.equal([]);
          expect(marks.whole, `detail of ${id}, ${tab}: a 1 MiB value shown whole`).to.equal(0);
        },
        100,
      );
      await closeDetail(el, row);
    }
    // The whole values stay reachable: the detail says how much it shows and offers them to copy or download.
    const notes = await openDetail(el, rowNamed(el, (n) => n === 'notes'));
    const cutNotes = [...notes.shadowRoot!.querySelectorAll<HTMLElement>('.cut-note')].map((n) => n.textContent!.replace(/\s+/g, ' ').trim());
    expect(cutNotes).to.deep.equal([
      '(1,000 of 1,048,576 characters shown) Copy all of the source status Download all of the source status',
      '(10,000 of 1,048,576 characters shown) Copy all of the reason Download all of the reason',
      '(10,000 of 1,048,576 characters shown) Copy all of the command Download all of the command',
      '(10,000 of 1,048,576 characters shown) Copy all of the notes Download all of the notes',
    ]);
    await closeDetail(el, rowNamed(el, (n) => n === 'notes'));
    // Compare: every run side by side, huge values cut and marked there too.
    await compareEveryRow(el, 'compare all nine', 300);
    const compared = truncationMarks(el.shadowRoot!.querySelector('experiment-compare')!);
    expect(compared.whole, 'compare shows no 1 MiB value whole').to.equal(0);
    expect(compared.unmarked).to.deep.equal([]);
    expect(compared.cut).to.be.greaterThan(5);
    el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.compare')!.close();
    await waitUntil(() => !el.shadowRoot!.querySelector('experiment-compare'), 'compare closed');
    expect(scan(el).problems).to.deep.equal([]);
    expect(window.__xss ?? 0).to.equal(0);
  });

  it('10,000 parameters in one run', async () => {
    const params: Record<string, number | string> = {};
    for (let i = 0; i < 10_000; i++) params[`p${String(i).padStart(5, '0')}`] = i % 3 === 0 ? `value ${i}` : i / 7;
    const runs = [
      { id: 'wide-a', status: 'completed', name: 'wide-a', params },
      { id: 'wide-b', status: 'failed', name: 'wide-b', params: { ...params, p00001: 'changed' } },
    ];
    await noFreeze('load', () => load(el, runs, 2));
    expect(el.availableAttributes.filter((a) => a.category === 'parameters')).to.have.length(10_000);
    await noFreeze('a parameter as a column, sorted and grouped', () => el.setViewState({ columns: ['status', 'name', 'params.p09999'], sort: [{ attribute: 'params.p09999', dir: 'desc' }], groupBy: ['params.p00001'] }));
    await noFreeze('search a parameter value', () => el.setViewState({ search: 'value 9999', groupBy: [] }));
    await noFreeze('clear', () => el.setViewState({ search: '' }));
    await waitUntil(() => rows(el).length === 2);
    // The column chooser shows a first part per category, says so, and shows all on request.
    await noFreeze('open the column chooser', async () => {
      el.shadowRoot!.querySelector<HTMLButtonElement>('.columns-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-column-chooser')?.shadowRoot?.querySelector('[part="show-all"]'), 'chooser rendered');
    });
    const chooser = el.shadowRoot!.querySelector('experiment-column-chooser')!;
    expect(chooser.shadowRoot!.textContent).to.match(/200 of 10,000 shown/);
    await noFreeze('show all 10,000', () => chooser.shadowRoot!.querySelector<HTMLButtonElement>('[part="show-all"]')!.click(), 500);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    const picker = el.shadowRoot!.querySelector('experiment-group-picker')!;
    expect(picker.shadowRoot!.querySelectorAll('option').length).to.be.greaterThan(10_000);
    // The detail lists the first 500 with a visible note and a search box for the rest.
    let detail!: HTMLElement & { updateComplete: Promise<boolean> };
    await noFreeze('open the detail', async () => {
      detail = await openDetail(el, rowNamed(el, (n) => n === 'wide-a'));
    });
    await noFreeze('the parameters tab', async () => {
      detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-params')!.click();
      await detail.updateComplete;
    });
    expect(detail.shadowRoot!.querySelectorAll('table.params tbody tr')).to.have.length(500);
    expect(detail.shadowRoot!.textContent).to.contain('Showing 500 of 10000');
    await noFreeze('search the parameters', async () => {
      const box = detail.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Search parameters"]')!;
      box.value = 'p09998';
      box.dispatchEvent(new Event('input'));
      await detail.updateComplete;
    });
    expect(detail.shadowRoot!.querySelectorAll('table.params tbody tr')).to.have.length(1);
    await closeDetail(el, rowNamed(el, (n) => n === 'wide-a'));
    // Compare: 10,000 rows of two runs.
    await compareEveryRow(el, 'compare the two', 500);
    const compare = el.shadowRoot!.querySelector('experiment-compare')!;
    // The first 500 parameters, with a note; the filter box finds the rest.
    const paramSection = compare.shadowRoot!.querySelector('.section-params')!;
    expect(paramSection.querySelectorAll('tbody tr')).to.have.length(500);
    expect(paramSection.textContent!.replace(/\s+/g, ' ')).to.contain('Showing 500 of 10,000: filter the rows to see the rest.');
    await noFreeze('differences only', () => compare.shadowRoot!.querySelector<HTMLInputElement>('input[role="switch"]')!.click());
    await noFreeze('filter the rows', async () => {
      const box = compare.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Filter rows"]')!;
      box.value = 'p00001';
      box.dispatchEvent(new Event('input'));
      await (compare as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    });
    // Differences only, filtered: the one parameter the two runs disagree on.
    expect([...compare.shadowRoot!.querySelectorAll('.section-params tbody th')].map((th) => th.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal(['≠p00001 (differs)']);
  });

  it('50-deep nested parameters: a column, a filter, a group, the detail and compare', async () => {
    const deep = (leaf: unknown, depth: number): Record<string, unknown> => {
      let v: unknown = leaf;
      for (let i = depth - 1; i >= 0; i--) v = { [`level${i}`]: v };
      return v as Record<string, unknown>;
    };
    const path = Array.from({ length: 50 }, (_, i) => `level${i}`).join('.');
    const runs = [1, 2, 3].map((n) => ({ id: `deep-${n}`, status: 'completed', name: `deep-${n}`, params: deep(n, 50) }));
    await noFreeze('load', () => load(el, runs, 3));
    expect(el.availableAttributes.map((a) => a.id)).to.include(`params.${path}`);
    await noFreeze('as a column, filtered and grouped', () =>
      el.setViewState({ columns: ['name', `params.${path}`], filters: [{ attribute: `params.${path}`, op: 'ge', value: 2 }], groupBy: [`params.${path}`] }),
    );
    await waitUntil(() => rows(el).length === 2, 'the filter on the deep parameter');
    expect(rows(el).map((r) => r.querySelector(`.tabulator-cell[tabulator-field="params.${path}"]`)?.textContent).sort()).to.deep.equal(['2', '3']);
    el.setViewState({ filters: [], groupBy: [] });
    await waitUntil(() => rows(el).length === 3);
    const detail = await openDetail(el, rowNamed(el, (n) => n === 'deep-1'));
    detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-params')!.click();
    await detail.updateComplete;
    expect(detail.shadowRoot!.querySelector('table.params tbody th')!.textContent).to.equal(path);
    await closeDetail(el, rowNamed(el, (n) => n === 'deep-1'));
  });

  it('parameters nested 20,000 deep are read without a stack overflow', async () => {
    // A hostile file: the nesting alone must not stop the other records from loading.
    const depth = 20_000;
    const text = `{"experiments":[{"id":"abyss","status":"completed","params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}},{"id":"fine","status":"completed","params":{"lr":0.1}}]}`;
    const parsed = parseCollection(text);
    expect(parsed.experiments.map((e) => e.id)).to.deep.equal(['abyss', 'fine']);
    const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
    el.source = new StaticSource({ text, label: 'abyss.json' });
    await loaded;
    await waitUntil(() => rows(el).length === 2, 'both rows', { timeout: 10000 });
    const detail = await openDetail(el, rowNamed(el, (n) => n === 'abyss'));
    detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-params')?.click();
    await detail.updateComplete;
    expect(errors).to.deep.equal([]);
  });

  it('a 1,000,000-point metric history in the detail chart', async () => {
    const n = 1_000_000;
    const steps = new Array<number>(n);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      steps[i] = i;
      values[i] = Math.exp(-i / 200_000) + Math.sin(i / 500) / 50;
    }
    const runs = [
      { id: 'long', status: 'completed', name: 'long', mainMetric: { key: 'loss', goal: 'minimize' }, metrics: { loss: { history: { steps, values } } } },
      { id: 'short', status: 'completed', name: 'short', metrics: { loss: { history: { steps: [0, 1, 2], values: [1, 0.5, 0.25] } } } },
    ];
    await noFreeze('load', () => load(el, runs, 2), 500);
    let detail!: HTMLElement & { updateComplete: Promise<boolean> };
    await noFreeze('open the detail', async () => {
      detail = await openDetail(el, rowNamed(el, (n2) => n2 === 'long'));
    });
    await noFreeze('draw the chart', async () => {
      detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-metrics')!.click();
      await detail.updateComplete;
      await waitUntil(() => detail.shadowRoot!.querySelector('metric-chart')?.shadowRoot?.querySelector('.plot canvas'), 'the chart is drawn', { timeout: 15000 });
    }, 500);
    const chart = detail.shadowRoot!.querySelector('metric-chart')!;
    await noFreeze('log scale', async () => {
      const log = [...detail.shadowRoot!.querySelectorAll<HTMLInputElement>('.chart-box input[type="checkbox"]')].find((b) => b.closest('label')?.textContent?.includes('Log scale'))!;
      log.click();
      await detail.updateComplete;
    }, 500);
    expect(chart.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    await closeDetail(el, rowNamed(el, (n2) => n2 === 'long'));
    for (const r of rows(el)) r.querySelector<HTMLInputElement>('input.select-row')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.compare-button'));
    await noFreeze('compare, overlaid', async () => {
      el.shadowRoot!.querySelector<HTMLButtonElement>('.compare-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-compare')?.shadowRoot?.querySelector('metric-chart')?.shadowRoot?.querySelector('.plot canvas'), 'compare chart', { timeout: 15000 });
    }, 500);
  });

  it('duplicate ids: the second is left out, named, and the first is shown', async () => {
    const loaded = new Promise<CustomEvent>((r) => el.addEventListener('experiments-loaded', (e) => r(e), { once: true }));
    el.experiments = [
      { id: 'twin', status: 'completed', name: 'first twin' },
      { id: 'other', status: 'completed', name: 'other' },
      { id: 'twin', status: 'failed', name: 'second twin' },
      { id: 'twin', status: 'failed', name: 'third twin' },
    ];
    const { detail } = await loaded;
    expect((detail.experiments as Experiment[]).map((e) => e.name)).to.deep.equal(['first twin', 'other']);
    const problems = (detail.problems as { index: number; message: string }[]).filter((p) => p.message.includes('duplicate id'));
    expect(problems.map((p) => p.index)).to.deep.equal([2, 3]);
    await waitUntil(() => rows(el).length === 2);
    const panel = el.shadowRoot!.querySelector('[part="problems"]')!;
    expect(panel.textContent).to.contain('duplicate id');
    expect(panel.textContent).to.contain('record 2 (id "twin")');
  });

  it('NaN and ±Infinity in every numeric field', async () => {
    const nf = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const runs = nf.map((x, i) => ({
      id: `nf-${i}`,
      status: (['completed', 'running', 'failed'] as const)[i],
      name: `nf-${i}`,
      mainMetric: { key: 'loss', value: x, goal: 'minimize' },
      metrics: {
        loss: { last: x, min: x, max: x, count: x, lastStep: x, history: { steps: [0, x, 2, Number.NaN], values: [x, x, 1, x] } },
        all_nan: { history: { steps: [0, 1], values: [Number.NaN, Number.NaN] } },
      },
      params: { lr: x, nested: { v: x }, list: [x, 1] },
      artifacts: [{ name: 'a', uri: 'https://example.com/a', sizeBytes: x }],
      host: { memoryBytes: x, cpu: { cores: x }, gpus: { count: x, devices: [{ model: 'A100', memoryBytes: x }] } },
      times: { started: '2024-05-01T00:00:00Z', heartbeat: '2024-05-01T00:00:01Z' },
    }));
    runs.push({ id: 'finite', status: 'completed', name: 'finite', mainMetric: { key: 'loss', value: 0.5, goal: 'minimize' }, metrics: { loss: { last: 0.5, min: 0.5, max: 0.5, count: 1, lastStep: 1, history: { steps: [0], values: [0.5] } }, all_nan: { history: { steps: [0], values: [1] } } }, params: { lr: 0.1, nested: { v: 1 }, list: [1, 1] }, artifacts: [], host: {}, times: { started: '2024-05-01T00:00:00Z', heartbeat: '2024-05-01T00:00:01Z' } } as never);
    // As objects, and as Python's JSON text with bare tokens.
    await noFreeze('load objects', () => load(el, { schemaVersion: '1.0', kind: 'ExperimentCollection', generatedAt: '2024-05-01T00:00:10Z', defaults: { deadAfterMs: Number.POSITIVE_INFINITY }, experiments: runs }, 4));
    const text = JSON.stringify({ experiments: runs, defaults: { deadAfterMs: 'NaN' } }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `@@${v}@@` : v)).replace(/"@@(NaN|Infinity|-Infinity)@@"/g, '$1');
    expect(parseCollection(text).experiments).to.have.length(4);
    const numeric = el.availableAttributes.filter((a) => a.kind === 'number').map((a) => a.id);
    expect(numeric).to.include.members(['mainMetric', 'metrics.loss.last', 'metrics.loss.count', 'params.lr', 'host.memoryBytes', 'host.gpus.count']);
    await noFreeze('every numeric column', () => el.setViewState({ columns: ['name', ...numeric] }));
    const cells = rows(el).flatMap((r) => [...r.querySelectorAll('.tabulator-cell')].map((c) => c.textContent ?? ''));
    expect(cells.join(' ')).to.not.match(/undefined|null|\[object/);
    expect(cells).to.include.members(['NaN', '∞', '−∞']);
    const order = (): string => rows(el).map((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent).join();
    for (const attribute of numeric) {
      for (const dir of ['asc', 'desc'] as const) await noFreeze(`sort ${dir} by ${attribute}`, () => el.setViewState({ sort: [{ attribute, dir }] }), 20);
    }
    // −∞ < 0.5 < ∞; NaN sorts as an empty value: last in both directions.
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'asc' }] });
    await waitUntil(() => order() === 'nf-2,finite,nf-1,nf-0', 'ascending: −∞, 0.5, ∞, NaN');
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'desc' }] });
    await waitUntil(() => order() === 'nf-1,finite,nf-2,nf-0', 'descending: ∞, 0.5, −∞, NaN');
    await noFreeze('grouped by a non-finite parameter', () => el.setViewState({ sort: [], groupBy: ['params.lr', 'mainMetric'] }));
    const headers = [...el.shadowRoot!.querySelectorAll('.tabulator-group')].map((g) => g.textContent ?? '').join('\n');
    expect(headers).to.contain('lr: NaN');
    expect(headers).to.contain('lr: ∞');
    await noFreeze('filtered', () => el.setViewState({ groupBy: [], filters: [{ attribute: 'mainMetric', op: 'ge', value: 0 }] }));
    await waitUntil(() => rows(el).length === 2, '0.5 and ∞ are ≥ 0');
    el.setViewState({ filters: [] });
    await waitUntil(() => rows(el).length === 4);
    for (const name of ['nf-0', 'nf-1', 'nf-2']) {
      const row = rowNamed(el, (n) => n === name);
      const detail = await openDetail(el, row);
      await everyTab(detail, name);
      detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-metrics')!.click();
      await detail.updateComplete;
      for (const box of detail.shadowRoot!.querySelectorAll<HTMLInputElement>('input[aria-label^="Plot"]')) if (!box.checked) box.click();
      await detail.updateComplete;
      await new Promise((r) => setTimeout(r, 100));
      expect(detail.shadowRoot!.textContent).to.not.match(/undefined|\[object/);
      await closeDetail(el, row);
    }
    for (const r of rows(el)) r.querySelector<HTMLInputElement>('input.select-row')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.compare-button'));
    await noFreeze('compare', async () => {
      el.shadowRoot!.querySelector<HTMLButtonElement>('.compare-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-compare')?.shadowRoot?.querySelector('table'), 'compare rendered');
    });
    expect(el.shadowRoot!.querySelector('[part="summary"]')!.textContent).to.not.match(/undefined|NaN experiments/);
  });
});

describe('display limits in src/data (issue 9 fixes)', () => {
  it('clipText cuts long text with a visible mark and never splits a surrogate pair', () => {
    expect(clipText('short', 10)).to.equal('short');
    expect(clipText('0123456789', 10)).to.equal('0123456789');
    expect(clipText('0123456789a', 10)).to.equal(`012345678${CUT_MARK}`);
    const emoji = `12345678${'😀'}rest`;
    const cut = clipText(emoji, 10);
    expect(cut).to.equal(`12345678${CUT_MARK}`);
    expect(cut.length).to.be.at.most(10);
    expect(clipText(MEGABYTE, 1000)).to.have.length(1000);
  });

  it('attribute labels built from data keys are cut; ids stay whole', () => {
    const key = MEGABYTE.slice(0, 50_000);
    const attrs = collectAttributes(parseCollection([{ id: 'k', status: 'completed', params: { [key]: 1 }, labels: { [key]: 'v' }, metrics: { [key]: 1 }, dependencies: [{ name: key, version: '1' }], host: { env: { [key]: 'x' } } }]).experiments);
    const fromKey = attrs.filter((a) => a.id.includes(key));
    expect(fromKey.length).to.be.greaterThan(6);
    for (const a of fromKey) {
      expect(a.label.length, a.category).to.be.at.most(MAX_LABEL_LENGTH);
      expect(a.label.endsWith(CUT_MARK)).to.equal(true);
    }
    expect(attrs.find((a) => a.category === 'parameters')!.id).to.equal(`params.${key}`);
    expect(resolveAttribute(`labels.${key}`)!.label).to.have.length(MAX_LABEL_LENGTH);
    expect(collectAttributes([{ id: 'x', status: 'completed', params: { lr: 1 } }]).find((a) => a.id === 'params.lr')!.label).to.equal('lr');
  });
});
