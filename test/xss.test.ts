import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ExperimentRowDetail } from '../src/components/experiment-row-detail/experiment-row-detail.component.js';
import { collectAttributes } from '../src/data/attributes.js';
import { MAX_NESTING, NESTING_CUT, parseCollection, parseJsonText } from '../src/data/parse.js';
import { SourceError, type ExperimentSource, type Page } from '../src/data/types.js';
import { DeletableSource, PAYLOADS, PICK_KEY, SHARED_KEY, hostileRecords, idOf, litSpoofRecord, rejectedRecords, scan, settle } from './adversarial.js';
import { rows } from './helpers.js';

/**
 * Issue 9: hostile strings in every string field and key of a record stay text on every surface
 * of the dashboard. A payload that runs increments `window.__xss`; the DOM is scanned for what an
 * injection leaves behind (scripts, handlers, foreign SVG, non-http(s) links).
 */

const sized = 'height: 2600px; width: 1600px';
/** Markers that prove a surface really showed hostile text (as text). */
const MARKERS = ['<img src=x onerror=window.__xss++>', '<script>window.__xss++</script>', 'javascript:window.__xss++', '<svg onload=window.__xss++>'];

const errors: string[] = [];
const onError = (e: ErrorEvent): void => void errors.push(`error: ${e.message}`);
const onRejection = (e: PromiseRejectionEvent): void => void errors.push(`rejection: ${String((e.reason as Error)?.message ?? e.reason)}`);

function buttonLabelled(root: ParentNode, label: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.getAttribute('aria-label') === label);
}

/** Runs the scan and the counter check: nothing ran, nothing dangerous is in the DOM, no error was thrown. */
async function assertClean(el: Element, surface: string, markers: readonly string[] = [], wait = 80): Promise<string> {
  // wait < 0: scan at once (a later call waits for late events).
  if (wait >= 0) await settle(wait);
  const result = scan(el);
  expect(window.__xss, `${surface}: a payload ran`).to.equal(0);
  expect(result.problems, `${surface}: dangerous DOM`).to.deep.equal([]);
  expect(errors, `${surface}: errors thrown`).to.deep.equal([]);
  for (const m of markers) expect(result.text.includes(m), `${surface} shows ${JSON.stringify(m)} as text`).to.equal(true);
  return result.text;
}

/**
 * Waits for an element to appear in the dashboard's shadow root (popovers render a moment after
 * the click) and, for a custom element, to be defined and rendered (they load lazily).
 */
async function shown<T extends Element = HTMLElement & { updateComplete: Promise<boolean> }>(el: ExperimentDashboard, selector: string): Promise<T> {
  await waitUntil(
    () => {
      const found = el.shadowRoot!.querySelector(selector);
      return found !== null && (!found.localName.includes('-') || found.shadowRoot !== null);
    },
    `${selector} shown`,
    { timeout: 5000 },
  );
  return el.shadowRoot!.querySelector(selector) as unknown as T;
}

async function view(el: ExperimentDashboard, state: Parameters<ExperimentDashboard['setViewState']>[0]): Promise<void> {
  const changed = new Promise((r) => el.addEventListener('view-change', r, { once: true }));
  el.setViewState(state);
  await changed;
  await el.updateComplete;
  await settle(30);
}

describe('hostile data stays text on every surface (issue 9)', function () {
  this.timeout(90000);
  let el: ExperimentDashboard;
  let source: DeletableSource;
  const total = PAYLOADS.length + 2;

  before(async () => {
    window.__xss = 0;
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    source = new DeletableSource([...hostileRecords(), litSpoofRecord(), ...rejectedRecords()], `<img src=x onerror=window.__xss++> store`);
    // Not fixture(): its cleanup after each test would disconnect the shared dashboard.
    el = document.createElement('experiment-dashboard');
    el.setAttribute('style', sized);
    document.body.append(el);
    const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
    el.source = source;
    await loaded;
    await waitUntil(() => rows(el).length === total, `all ${total} records shown (${rows(el).length}; ${errors.join('; ')}; ${el.shadowRoot!.querySelector('[part="error"]')?.textContent ?? ''})`, { timeout: 15000 });
  });

  after(() => {
    el.remove();
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  beforeEach(() => {
    errors.length = 0;
  });

  it('the corpus is big and reaches every field', () => {
    expect(PAYLOADS.length).to.be.greaterThan(60);
    const { experiments, problems } = parseCollection([...hostileRecords(), litSpoofRecord(), ...rejectedRecords()]);
    expect(experiments).to.have.length(total);
    // Left out: hostile status, missing id, a duplicate id; a hostile time is dropped, named.
    expect(problems.filter((p) => p.severity === 'error')).to.have.length(3);
    expect(problems.some((p) => p.path.endsWith('.times.started'))).to.equal(true);
  });

  it('table cells, summary and problems list, with every attribute as a column', async () => {
    await assertClean(el, 'first render', ['<img src=x onerror=window.__xss++>']);
    const ids = el.availableAttributes.map((a) => a.id);
    expect(ids.length).to.be.greaterThan(PAYLOADS.length * 4);
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i += 60) {
      const columns = ['status', 'name', ...ids.slice(i, i + 60)];
      await view(el, { columns });
      await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-col').length >= Math.min(columns.length, 3), 'columns shown');
      const text = await assertClean(el, `columns ${i}..${i + 60}`);
      for (const m of MARKERS) if (text.includes(m)) seen.add(m);
    }
    expect([...seen].sort()).to.deep.equal([...MARKERS].sort());
    const problems = el.shadowRoot!.querySelector('[part="problems"]')!;
    expect(problems.textContent).to.contain('<img src=x onerror=window.__xss++>');
  });

  it('group headers, nested, by hostile parameters, labels, tags and groups', async () => {
    await view(el, { columns: ['status', 'name', 'operator', 'tags'] });
    for (const groupBy of [[`params.${SHARED_KEY}`], ['operator', 'labels.kind'], ['tags'], ['group', `params.${PICK_KEY}`], ['statusDetail.raw'], ['host.hostname', 'git.url']]) {
      await view(el, { groupBy });
      await waitUntil(() => el.shadowRoot!.querySelectorAll('.tabulator-group').length > 0, `grouped by ${groupBy.join()}`);
      const headers = [...el.shadowRoot!.querySelectorAll('.tabulator-group')].map((g) => g.textContent ?? '').join('\n');
      expect(headers, `group headers by ${groupBy.join()}`).to.contain('<img src=x onerror=window.__xss++>');
      await assertClean(el, `grouped by ${groupBy.join(', ')}`);
    }
    await view(el, { groupBy: [] });
  });

  it('the group picker lists hostile attribute names as options', async () => {
    const picker = el.shadowRoot!.querySelector('experiment-group-picker')!;
    const select = picker.shadowRoot!.querySelector('select')!;
    const options = [...select.querySelectorAll('option')].map((o) => o.textContent ?? '');
    expect(options.length).to.be.greaterThan(PAYLOADS.length);
    expect(options).to.include(PICK_KEY);
    select.value = `params.${PICK_KEY}`;
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await picker.updateComplete;
    expect(el.getViewState().groupBy).to.deep.equal([`params.${PICK_KEY}`]);
    await assertClean(el, 'group picker', [PICK_KEY]);
    await view(el, { groupBy: [] });
  });

  it('the filter editor lists hostile values, and the chips describe hostile filters', async () => {
    await view(el, { columns: ['status', 'name', 'operator', `params.${PICK_KEY}`, 'labels.kind'] });
    const filterButton = buttonLabelled(el.shadowRoot!, `Filter ${PICK_KEY}`);
    expect(filterButton, 'the filter button of a hostile column').to.not.equal(undefined);
    filterButton!.click();
    const editor = await shown(el, 'experiment-filter-editor');
    await editor.updateComplete;
    const choices = [...editor.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(choices.length).to.equal(20);
    await assertClean(el, 'filter editor pick list', ['<img src=x onerror=window.__xss++>', `Filter ${PICK_KEY}`]);
    for (const c of choices.slice(0, 6)) c.click();
    await editor.updateComplete;
    editor.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="chips"]') !== null, 'a chip');
    await assertClean(el, 'chip of a pick-list filter', [PICK_KEY]);

    // Free-text values too: every operator's chip.
    const p = (i: number) => PAYLOADS[i] as string;
    await view(el, {
      filters: [
        { attribute: 'operator', op: 'ne', value: p(0) },
        { attribute: 'name', op: 'notContains', value: p(2) },
        { attribute: 'notes', op: 'matches', value: '.*' },
        { attribute: 'labels.kind', op: 'in', value: PAYLOADS.slice(0, 6) as string[] },
        { attribute: `params.${SHARED_KEY}`, op: 'between', value: p(1), value2: p(3) },
        { attribute: 'command', op: 'notEmpty' },
        { attribute: `params.${PICK_KEY}`, op: 'startsWith', value: '' },
      ],
    });
    await assertClean(el, 'chips of free-text filters', ['<script>window.__xss++</script>']);
    // The text editor of a column with too many values for a pick list.
    buttonLabelled(el.shadowRoot!, 'Filter Operator')!.click();
    await shown(el, 'experiment-filter-editor');
    await assertClean(el, 'filter editor with a hostile active filter');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.clear-all')!.click();
    await waitUntil(() => rows(el).length === total, 'filters cleared');
  });

  it('the column chooser lists every hostile attribute', async () => {
    el.shadowRoot!.querySelector<HTMLButtonElement>('.columns-button')!.click();
    const chooser = await shown(el, 'experiment-column-chooser');
    await chooser.updateComplete;
    for (const more of chooser.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="show-all"]')) more.click();
    await chooser.updateComplete;
    await assertClean(el, 'column chooser', ['<img src=x onerror=window.__xss++>', 'javascript:window.__xss++']);
    const search = chooser.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = '<svg';
    search.dispatchEvent(new Event('input'));
    await chooser.updateComplete;
    await assertClean(el, 'column chooser search', ['<svg onload=window.__xss++>']);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await el.updateComplete;
  });

  it('the cell menu quotes a hostile value', async () => {
    await view(el, { columns: ['status', 'name', 'operator'] });
    const cell = rows(el)
      .map((r) => r.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"]'))
      .find((c) => c?.textContent === '<img src=x onerror=window.__xss++>')!;
    cell.click();
    await shown(el, '.cell-menu');
    await assertClean(el, 'cell menu', ['Filter to Name = “<img src=x onerror=window.__xss++>”']);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await el.updateComplete;
  });

  /** The records shown in batches (a filter on their ids), so every row of a batch is rendered. */
  async function inBatches(size: number, each: (ids: string[]) => Promise<void>): Promise<void> {
    const records = [...PAYLOADS.map((_, i) => idOf(i)), 'lit-spoof'];
    for (let i = 0; i < records.length; i += size) {
      // No batch of one (nothing to compare): the last one takes the remainder.
      const ids = records.slice(i, records.length - i - size < 2 ? undefined : i + size);
      if (ids.length > size) i = records.length;
      await view(el, { filters: [{ attribute: 'id', op: 'in', value: ids }] });
      await waitUntil(() => rows(el).length === ids.length, `${ids.length} rows shown`);
      await each(ids);
    }
    await view(el, { filters: [] });
    await waitUntil(() => rows(el).length === total, 'every row back');
  }

  it('every tab of the detail of every record', async function () {
    this.timeout(60000);
    await view(el, { columns: ['status', 'name'] });
    const tabsSeen = new Set<string>();
    let text = '';
    let links = 0;
    await inBatches(6, async (ids) => {
      for (const row of rows(el)) row.querySelector<HTMLButtonElement>('.details-button')!.click();
      await waitUntil(() => [...el.shadowRoot!.querySelectorAll('experiment-row-detail')].filter((d) => d.shadowRoot).length === ids.length, `${ids.length} details open`);
      for (const detail of el.shadowRoot!.querySelectorAll<ExperimentRowDetail>('experiment-row-detail')) {
        await detail.updateComplete;
        for (const tab of [...detail.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')]) {
          tabsSeen.add(tab.id);
          tab.click();
          await detail.updateComplete;
          for (const d of detail.shadowRoot!.querySelectorAll('details')) d.open = true;
          text += await assertClean(detail, `detail of ${detail.experiment?.id}, tab ${tab.id}`, [], -1);
          links += scan(detail).links;
        }
      }
      await assertClean(el, `details of ${ids.length} records`, [], 0);
      for (const row of rows(el)) row.querySelector<HTMLButtonElement>('.details-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-row-detail') === null, 'details closed');
    });
    // Image error events and the like arrive late: one last look after a pause.
    await assertClean(el, 'after every detail', [], 300);
    expect([...tabsSeen].sort()).to.deep.equal(['tab-artifacts', 'tab-dependencies', 'tab-git', 'tab-host', 'tab-metrics', 'tab-output', 'tab-overview', 'tab-params']);
    for (const m of MARKERS) expect(text.includes(m), `the details show ${m}`).to.equal(true);
    // The safe links (https artifacts and repositories, data: downloads) were there, and checked.
    expect(links).to.be.greaterThan(PAYLOADS.length * 2);
  });

  it('the compare dialog of every record, every metric plotted', async function () {
    this.timeout(60000);
    let text = '';
    await inBatches(6, async () => {
      el.shadowRoot!.querySelector<HTMLInputElement>('input.select-all')!.click();
      (await shown(el, '.compare-button')).click();
      const compare = await shown(el, 'experiment-compare');
      await compare.updateComplete;
      text += await assertClean(el, 'compare', [], 0);
      for (const box of compare.shadowRoot!.querySelectorAll<HTMLInputElement>('input[aria-label^="Plot"]')) if (!box.checked) box.click();
      await compare.updateComplete;
      const diff = compare.shadowRoot!.querySelector<HTMLInputElement>('input[role="switch"]')!;
      diff.click();
      await compare.updateComplete;
      await assertClean(el, 'compare, differences only, every metric plotted', [], 0);
      el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.compare')!.close();
      await waitUntil(() => el.shadowRoot!.querySelector('experiment-compare') === null, 'compare closed');
      el.shadowRoot!.querySelector<HTMLInputElement>('input.select-all')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('.compare-button') === null, 'selection cleared');
    });
    await assertClean(el, 'after every compare', [], 300);
    for (const m of MARKERS) expect(text.includes(m), `compare shows ${m}`).to.equal(true);
  });

  it('the delete confirmation, and a hostile error from the source', async () => {
    el.shadowRoot!.querySelector<HTMLInputElement>('input.select-all')!.click();
    (await shown(el, '.delete-selected')).click();
    const dialog = el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
    await waitUntil(() => dialog.open, 'the confirmation is open');
    await assertClean(el, 'bulk delete confirmation', ['<img src=x onerror=window.__xss++> store']);
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await waitUntil(() => !dialog.open, 'the confirmation is closed');
    // One row: its name in the title; the source fails with a hostile message.
    const row = rows(el).find((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent === '<script>window.__xss++</script>')!;
    row.querySelector<HTMLButtonElement>('.delete-button')!.click();
    await waitUntil(() => dialog.open, 'the confirmation is open');
    expect(dialog.querySelector('h2')!.textContent).to.equal('Delete "<script>window.__xss++</script>"?');
    await assertClean(el, 'single delete confirmation');
    source.failWith = '<img src=x onerror=window.__xss++>';
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Delete')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.action-error') !== null, 'the failure is shown');
    await assertClean(el, 'delete failure', ['<img src=x onerror=window.__xss++>']);
    expect(rows(el)).to.have.length(total);
  });

  it('the export menu, when there is one', async () => {
    const exportButton = el.shadowRoot!.querySelector<HTMLButtonElement>('.export-button');
    if (!exportButton) return;
    exportButton.click();
    await shown(el, '[part="popover"]');
    await assertClean(el, 'export menu');
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
  });

  it('a hostile message from a failing source', async () => {
    const failing: ExperimentSource = {
      capabilities: { delete: false, live: false, serverQuery: false, history: false },
      label: '<svg onload=window.__xss++>',
      load(): Promise<Page> {
        return Promise.reject(new SourceError('http', '<img src=x onerror=window.__xss++> answered HTTP 500', { location: 'javascript:window.__xss++' }));
      },
    };
    const other = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="height: 400px; display: block"></experiment-dashboard>`);
    const failed = new Promise((r) => other.addEventListener('source-error', r, { once: true }));
    other.source = failing;
    await failed;
    await other.updateComplete;
    await assertClean(other, 'source error', ['<img src=x onerror=window.__xss++> answered HTTP 500']);
  });
});

describe('CSV and HTML report exports of hostile data', function () {
  this.timeout(60000);

  /** RFC 4180 fields of a CSV text (quoted fields may hold commas, quotes and line breaks). */
  function parseCsv(text: string): string[][] {
    const out: string[][] = [];
    let row: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        row.push(field);
        field = '';
      } else if (c === '\r' && text[i + 1] === '\n') {
        row.push(field);
        out.push(row);
        row = [];
        field = '';
        i++;
      } else field += c;
    }
    return out;
  }

  it('CSV: no cell a spreadsheet would run as a formula, headers included', async () => {
    let exportModule: typeof import('../src/data/export.js');
    try {
      exportModule = await import('../src/data/export.js');
    } catch {
      return; // export.ts is not there (yet)
    }
    const { experiments } = parseCollection(hostileRecords());
    const columns = collectAttributes(experiments);
    const csv = exportModule.toCsv(experiments, columns);
    const table = parseCsv(csv);
    expect(table).to.have.length(experiments.length + 1);
    const bad: string[] = [];
    for (const [r, cells] of table.entries()) {
      for (const [c, cell] of cells.entries()) {
        if (/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !Number.isFinite(Number(cell)))) bad.push(`row ${r}, column ${c}: ${JSON.stringify(cell.slice(0, 40))}`);
        // A formula can also hide behind leading whitespace or a full-width sign in some spreadsheets.
        if (/^\s+[=+@-]/.test(cell) && !/^\s+-?\d/.test(cell)) bad.push(`row ${r}, column ${c} (after spaces): ${JSON.stringify(cell.slice(0, 40))}`);
      }
    }
    expect(bad).to.deep.equal([]);
    expect(csv).to.contain(`'=cmd|`);
    expect(csv).to.contain(`'@SUM(A1:A9)`);
  });

  it('the HTML report, opened in a frame, runs no payload and shows the records', async () => {
    let exportModule: typeof import('../src/data/export.js');
    try {
      exportModule = await import('../src/data/export.js');
    } catch {
      return;
    }
    const bundle = await fetch('/dist/experiment-dashboard.bundle.js');
    expect(bundle.ok, 'dist/experiment-dashboard.bundle.js (run `npx rollup -c --silent`)').to.equal(true);
    const { experiments } = parseCollection([...hostileRecords(), litSpoofRecord()]);
    const reportHtml = await exportModule.buildReportHtml({
      collection: { schemaVersion: '1.0', kind: 'ExperimentCollection', generatedAt: '2024-06-01T00:00:00Z', experiments },
      bundleText: await bundle.text(),
      title: '<img src=x onerror=window.__xss++></title><script>window.__xss++</script>',
    });
    const url = URL.createObjectURL(new Blob([reportHtml], { type: 'text/html' }));
    const frame = document.createElement('iframe');
    frame.style.width = '1400px';
    frame.style.height = '2400px';
    const violations: string[] = [];
    const frameErrors: string[] = [];
    let watched: Document | undefined;
    const watch = (): void => {
      const doc = frame.contentDocument;
      if (doc && doc !== watched && doc.URL === url) {
        watched = doc;
        doc.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sample}`), true);
        frame.contentWindow!.addEventListener('error', (e) => frameErrors.push(`${e.message} ${String((e.error as Error)?.stack).slice(0, 300)}`));
        (frame.contentWindow as unknown as Window).__xss = 0;
      }
      if (!watched) setTimeout(watch, 0);
    };
    document.body.append(frame);
    frame.src = url;
    watch();
    try {
      const dashboard = (): ExperimentDashboard | null | undefined => frame.contentDocument?.querySelector('experiment-dashboard');
      await waitUntil(() => (dashboard()?.shadowRoot?.querySelectorAll('.tabulator-row').length ?? 0) > 10, 'the report shows the records', { timeout: 15000 });
      const d = dashboard()!;
      d.shadowRoot!.querySelector<HTMLButtonElement>('.details-button')!.click();
      await waitUntil(() => d.shadowRoot!.querySelector('experiment-row-detail') !== null);
      await settle(200);
      const result = scan(d);
      expect(frame.contentDocument!.title).to.equal('<img src=x onerror=window.__xss++></title><script>window.__xss++</script>');
      expect(frame.contentDocument!.querySelectorAll('script')).to.have.length(2);
      expect((frame.contentWindow as unknown as Window).__xss).to.equal(0);
      expect(window.__xss).to.equal(0);
      expect(result.problems).to.deep.equal([]);
      expect(result.text.includes('<img src=x onerror=window.__xss++>'), 'the report shows the payload as text').to.equal(true);
      expect(violations, 'CSP violations in the report (an injection attempt, or a component breaking the policy)').to.deep.equal([]);
      expect(frameErrors).to.deep.equal([]);
    } finally {
      frame.remove();
      URL.revokeObjectURL(url);
    }
  });
});

describe('the validator against hostile shapes (issue 9 fixes in src/data/parse.ts)', () => {
  const one = (record: string): { e: Record<string, unknown>; warnings: string[] } => {
    const { experiments, problems } = parseCollection(`[${record}]`);
    return { e: experiments[0] as unknown as Record<string, unknown>, warnings: problems.map((p) => `${p.path}: ${p.message}`) };
  };

  it('drops a "__proto__" field instead of letting it replace the record\'s prototype', () => {
    const { e, warnings } = one('{"id":"p","status":"completed","__proto__":{"tags":"not a list","metrics":5,"host":{"hostname":{"_$litType$":1}}}}');
    expect(Object.getPrototypeOf(e)).to.equal(Object.prototype);
    expect(e.tags).to.equal(undefined);
    expect(e.host).to.equal(undefined);
    expect(warnings.some((w) => w.includes('__proto__'))).to.equal(true);
  });

  it('keeps a metric named "__proto__" as a metric', () => {
    const { e } = one('{"id":"m","status":"completed","metrics":{"__proto__":{"history":{"values":[1,2]}},"acc":{"last":1}}}');
    const metrics = e.metrics as Record<string, { last?: number }>;
    expect(Object.keys(metrics)).to.deep.equal(['__proto__', 'acc']);
    expect(Object.hasOwn(metrics, '__proto__')).to.equal(true);
    expect(metrics['__proto__']!.last).to.equal(2);
    expect(Object.getPrototypeOf(metrics)).to.equal(Object.prototype);
  });

  it('host, error, output and source hold text where text is shown: objects are dropped, named', () => {
    const spoof = '{"_$litType$":1,"strings":["<img src=x onerror=window.__xss++>"],"values":[]}';
    const { e, warnings } = one(
      `{"id":"h","status":"failed","host":{"hostname":${spoof},"os":{"system":${spoof},"platform":"linux"},"cpu":{"model":7,"cores":"many"},"memoryBytes":"NaN","gpus":{"count":2,"devices":${spoof},"driverVersion":true},"env":{"A":${spoof},"B":1,"C":"c"},"custom":{"kept":1}},` +
        `"error":{"message":${spoof},"trace":["x"]},"output":{"stdout":42},"source":{"type":${spoof},"producer":"p"}}`,
    );
    expect(e.host).to.deep.equal({ os: { platform: 'linux' }, cpu: { model: '7' }, memoryBytes: Number.NaN, gpus: { count: 2, driverVersion: 'true' }, env: { B: '1', C: 'c' }, custom: { kept: 1 } });
    expect(e.error).to.deep.equal({});
    expect(e.output).to.deep.equal({ stdout: '42' });
    expect(e.source).to.deep.equal({ producer: 'p' });
    for (const path of ['.host.hostname', '.host.os.system', '.host.cpu.cores', '.host.gpus.devices', '.host.env.A', '.error.message', '.error.trace', '.source.type']) {
      expect(warnings.some((w) => w.startsWith(`$[0]${path}:`) || w.startsWith(`$.experiments[0]${path}:`)), path).to.equal(true);
    }
  });

  it('keeps a valid host object as it is (no copy)', () => {
    const raw = parseJsonText('[{"id":"v","status":"completed","host":{"hostname":"h","cpu":{"cores":8},"gpus":{"devices":[{"model":"A100"}]},"env":{"A":"1"},"extra":{"x":[1]}}}]') as { host: unknown }[];
    expect(parseCollection(raw).experiments[0]!.host).to.equal(raw[0]!.host);
  });

  it(`cuts free-form values nested deeper than ${MAX_NESTING} levels, visibly, and keeps the rest as it is`, () => {
    const nest = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const ok = parseJsonText(`[{"id":"ok","status":"completed","params":${nest(MAX_NESTING - 1)}}]`) as { params: unknown }[];
    const kept = parseCollection(ok);
    expect(kept.problems).to.deep.equal([]);
    expect(kept.experiments[0]!.params).to.equal(ok[0]!.params);
    const { e, warnings } = one(`{"id":"deep","status":"completed","params":{"lr":0.1,"net":${nest(5000)}},"custom":[${nest(300)}],"group":{"id":"g","x":${nest(200)}}}`);
    let v: unknown = (e.params as Record<string, unknown>).net;
    let depth = 1;
    while (typeof v === 'object' && v !== null) {
      v = (v as Record<string, unknown>).a;
      depth++;
    }
    expect(v).to.equal(NESTING_CUT);
    expect(depth).to.equal(MAX_NESTING);
    expect((e.params as Record<string, unknown>).lr).to.equal(0.1);
    expect(warnings.filter((w) => w.includes(`more than ${MAX_NESTING} levels`))).to.have.length(3);
    expect(JSON.stringify(e).length).to.be.below(5000);
  });
});

describe('right-to-left and override characters in data stay inside their own words (issue 9)', () => {
  // U+202E (right-to-left override) turns around everything after it up to the end of its
  // paragraph, unless the data is isolated: `<bdi>` around every data part of a sentence.
  const rlo = 'evil\u202Egnp.exe';

  /** Whether the text after `before` (its next sibling text) is drawn right of it, as in a left-to-right sentence. */
  function drawnAfter(before: Element): boolean {
    const next = before.nextSibling;
    if (!next || next.nodeType !== Node.TEXT_NODE || (next.nodeValue ?? '').trim() === '') return true;
    const range = document.createRange();
    range.selectNodeContents(next);
    return range.getBoundingClientRect().left >= before.getBoundingClientRect().right - 1;
  }

  const bdis = (root: Element | null | undefined): string[] => [...(root?.querySelectorAll('bdi') ?? [])].map((b) => b.textContent ?? '');

  it('the delete title, filter chips, cell menu and summary isolate data in <bdi>', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="height: 600px; width: 1200px"></experiment-dashboard>`);
    const loaded = new Promise((r) => el.addEventListener('experiments-loaded', r, { once: true }));
    el.source = new DeletableSource(
      [
        { id: 'r1', status: 'completed', name: rlo, operator: rlo, mainMetric: { key: `acc${rlo}`, value: 0.9, goal: 'maximize' } },
        { id: 'r2', status: 'failed', name: 'other', operator: 'ada' },
      ],
      `store ${rlo}`,
    );
    await loaded;
    await waitUntil(() => rows(el).length === 2, 'both rows');

    const best = el.shadowRoot!.querySelector('[part="summary"] .best')!;
    expect(bdis(best)).to.deep.equal([`acc${rlo}`, rlo]);
    for (const b of best.querySelectorAll('bdi')) expect(drawnAfter(b), 'summary text after the data').to.equal(true);

    const row = rows(el).find((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent === rlo)!;
    row.querySelector<HTMLElement>('.tabulator-cell[tabulator-field="name"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.cell-menu'), 'the cell menu');
    const item = el.shadowRoot!.querySelector<HTMLButtonElement>('.cell-menu [role="menuitem"]')!;
    expect(item.textContent).to.equal(`Filter to Name = “${rlo}”`);
    expect(bdis(item)).to.deep.equal(['Name', rlo]);
    for (const b of item.querySelectorAll('bdi')) expect(drawnAfter(b), 'menu text after the data').to.equal(true);
    item.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="chips"] .chip'), 'a chip');
    const chip = el.shadowRoot!.querySelector('[part="chips"] .chip span')!;
    expect(chip.textContent).to.equal(`Name is ${rlo}`);
    expect(bdis(chip)).to.deep.equal(['Name', rlo]);
    el.setViewState({ filters: [{ attribute: 'operator', op: 'in', value: [rlo, 'ada'] }] });
    await waitUntil(() => bdis(el.shadowRoot!.querySelector('[part="chips"] .chip span')).length === 3, 'the chip of the in filter');
    expect(bdis(el.shadowRoot!.querySelector('[part="chips"] .chip span'))).to.deep.equal(['Operator', rlo, 'ada']);
    el.setViewState({ filters: [] });
    await waitUntil(() => rows(el).length === 2, 'both rows again');

    rows(el)
      .find((r) => r.querySelector('.tabulator-cell[tabulator-field="name"]')?.textContent === rlo)!
      .querySelector<HTMLButtonElement>('.delete-button')!
      .click();
    const dialog = el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
    await waitUntil(() => dialog.open, 'the confirmation is open');
    const title = dialog.querySelector('h2')!;
    expect(title.textContent).to.equal(`Delete "${rlo}"?`);
    expect(bdis(title)).to.deep.equal([rlo]);
    expect(drawnAfter(title.querySelector('bdi')!), 'the question mark after the name').to.equal(true);
    expect(bdis(dialog.querySelector('p'))).to.deep.equal([`store ${rlo}`]);
    expect(bdis(dialog.querySelector('.confirm-list'))).to.deep.equal([rlo, 'r1']);
  });
});
