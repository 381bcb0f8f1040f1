import { expect, waitUntil } from '@open-wc/testing';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';

/**
 * The bundle under a strict Content-Security-Policy (test/pages/csp.html): `script-src 'self'`,
 * `style-src 'self'`, no `'unsafe-inline'`, no `'unsafe-eval'`. Every interaction that renders
 * something new (grouping, filters, the column chooser, a detail with its chart, compare) must
 * cause no violation: no inline script or handler, no `style="..."` attribute written as markup,
 * no `<style>` element, no eval.
 */

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  source: string;
  line: number;
  column: number;
  element: string;
}

interface CspWindow extends Window {
  __violations: Violation[];
  __errors: string[];
  __xss: number;
}

describe('under a strict Content-Security-Policy', function () {
  this.timeout(60000);
  let frame: HTMLIFrameElement;
  let win: CspWindow;
  let el: ExperimentDashboard;

  const root = (): ShadowRoot => el.shadowRoot!;
  const rows = (): HTMLElement[] => [...root().querySelectorAll<HTMLElement>('.tabulator-row:not(.tabulator-group)')];
  const byLabel = (scope: ParentNode, label: string): HTMLButtonElement | undefined =>
    [...scope.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.getAttribute('aria-label') === label);
  /** Waits for a (lazily defined) element to render in the dashboard's shadow root. */
  const rendered = async <T extends Element>(selector: string): Promise<T> => {
    await waitUntil(() => {
      const found = root().querySelector(selector);
      return found !== null && (!found.localName.includes('-') || found.shadowRoot !== null);
    }, `${selector} rendered`, { timeout: 10000 });
    return root().querySelector(selector) as T;
  };
  const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const violations = (): string[] =>
    win.__violations.map((v) => `${v.directive} blocked ${v.blocked} on <${v.element}> at ${v.source}:${v.line}:${v.column}${v.sample ? ` sample ${JSON.stringify(v.sample)}` : ''}`);

  before(async () => {
    const bundle = await fetch('/dist/experiment-dashboard.bundle.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/experiment-dashboard.bundle.js exists (npm test builds it; or `npx rollup -c --silent`)').to.equal(true);
    frame = document.createElement('iframe');
    frame.style.width = '1400px';
    frame.style.height = '900px';
    document.body.append(frame);
    frame.src = '/test/pages/csp.html';
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    win = frame.contentWindow as unknown as CspWindow;
    el = frame.contentDocument!.querySelector('experiment-dashboard') as ExperimentDashboard;
    // A height through the CSSOM, which a CSP allows (a style="" attribute would not be).
    el.style.height = '850px';
    await waitUntil(() => el.shadowRoot && rows().length > 0, 'the bundle rendered rows', { timeout: 15000 });
  });

  after(() => frame.remove());

  afterEach(function () {
    // Every test ends clean: nothing blocked, nothing thrown, no payload of the data ran.
    if (this.currentTest?.state === 'failed') return;
    expect(violations(), 'CSP violations').to.deep.equal([]);
    expect(win.__errors, 'uncaught errors').to.deep.equal([]);
    expect(win.__xss, 'a payload of the data ran').to.equal(0);
  });

  it('really enforces the policy (an inline style attribute is reported)', async () => {
    const probe = frame.contentDocument!.createElement('div');
    probe.setAttribute('style', 'color: red');
    frame.contentDocument!.body.append(probe);
    await waitUntil(() => win.__violations.length > 0, 'the probe was reported');
    expect(win.__violations[0]!.directive).to.match(/^style-src/);
    probe.remove();
    win.__violations.length = 0;
  });

  it('renders, sorts, groups, searches and filters', async () => {
    expect(rows().length).to.equal(12);
    el.setViewState({ sort: [{ attribute: 'mainMetric', dir: 'desc' }] });
    el.setViewState({ groupBy: ['operator', 'status'] });
    await waitUntil(() => root().querySelectorAll('.tabulator-group').length > 0, 'grouped');
    el.setViewState({ search: 'adam' });
    await waitUntil(() => rows().length === 8, 'searched');
    el.setViewState({ search: '', filters: [{ attribute: 'status', op: 'in', value: ['completed', 'failed'] }] });
    await waitUntil(() => root().querySelector('[part="chips"]') !== null, 'a chip');
    // The chips' rules come with their code (LazyParts), as a constructable stylesheet: allowed.
    expect(win.getComputedStyle(root().querySelector('[part="chips"]')!).display).to.equal('flex');
    root().querySelector<HTMLButtonElement>('.clear-all')!.click();
    el.setViewState({ groupBy: [] });
    await waitUntil(() => rows().length === 12 && root().querySelectorAll('.tabulator-group').length === 0, 'back to all rows');
    await tick(100);
  });

  it('opens the filter editor, the column chooser and the cell menu', async () => {
    byLabel(root(), 'Filter Operator')!.click();
    const editor = await rendered<HTMLElement & { updateComplete: Promise<boolean> }>('experiment-filter-editor');
    await editor.updateComplete;
    editor.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await editor.updateComplete;
    editor.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root().querySelector('experiment-filter-editor') === null, 'editor closed');
    root().querySelector<HTMLButtonElement>('.columns-button')!.click();
    const chooser = await rendered<HTMLElement>('experiment-column-chooser');
    const box = [...chooser.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].find((b) => !b.checked)!;
    box.click();
    await tick(100);
    frame.contentDocument!.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    root().querySelector<HTMLButtonElement>('.clear-all')?.click();
    await waitUntil(() => rows().length === 12);
    rows()[0]!.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"]')!.click();
    await rendered('.cell-menu');
    frame.contentDocument!.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await tick(100);
  });

  it('opens a detail, every tab, and draws its metric chart', async () => {
    rows()[0]!.querySelector<HTMLButtonElement>('.details-button')!.click();
    const detail = await rendered<HTMLElement & { updateComplete: Promise<boolean> }>('experiment-row-detail');
    for (const tab of [...detail.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')]) {
      tab.click();
      await detail.updateComplete;
    }
    detail.shadowRoot!.querySelector<HTMLButtonElement>('#tab-metrics')!.click();
    await detail.updateComplete;
    const chart = detail.shadowRoot!.querySelector('metric-chart')!;
    await waitUntil(() => chart.shadowRoot?.querySelector('.plot canvas') !== null && chart.shadowRoot?.querySelector('.plot canvas') !== undefined, 'uPlot drew the chart', { timeout: 10000 });
    // Every plottable metric, then the time axis and the log scale.
    for (const box of detail.shadowRoot!.querySelectorAll<HTMLInputElement>('input[aria-label^="Plot"]')) if (!box.checked) box.click();
    const axis = detail.shadowRoot!.querySelector<HTMLSelectElement>('.chart-box select')!;
    axis.value = 'time';
    axis.dispatchEvent(new Event('change'));
    await detail.updateComplete;
    // The cursor fills the legend (its colour swatches).
    const over = () => chart.shadowRoot!.querySelector<HTMLElement>('.u-over');
    await waitUntil(() => over() !== null, 'the plot area');
    const r = over()!.getBoundingClientRect();
    over()!.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true }));
    await waitUntil(() => chart.shadowRoot!.querySelector('.legend .swatch') !== null, 'legend swatches');
    await tick(200);
  });

  it('compares two experiments with overlaid charts', async () => {
    for (const row of rows().slice(0, 3)) row.querySelector<HTMLInputElement>('input.select-row')!.click();
    (await rendered<HTMLButtonElement>('.compare-button')).click();
    const compare = await rendered<HTMLElement & { updateComplete: Promise<boolean> }>('experiment-compare');
    await compare.updateComplete;
    await waitUntil(() => compare.shadowRoot!.querySelector('metric-chart')?.shadowRoot?.querySelector('.plot canvas'), 'compare chart drawn', { timeout: 10000 });
    compare.shadowRoot!.querySelector<HTMLInputElement>('input[role="switch"]')!.click();
    await compare.updateComplete;
    await tick(200);
    root().querySelector<HTMLDialogElement>('dialog.compare')!.close();
  });

  it('switches to the dark theme and the compact density', async () => {
    el.setAttribute('theme', 'dark');
    el.setAttribute('density', 'compact');
    await tick(200);
  });
});
