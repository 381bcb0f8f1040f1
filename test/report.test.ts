import { expect, waitUntil } from '@open-wc/testing';
import { buildReportHtml, cspHash, escapeInlineScript, toCsv, type CsvColumn } from '../src/data/export.js';
import { importMlflowExportRun, importSacredRun, type SacredRunFiles } from '../src/data/importers/index.js';
import { parseCollection, parseJsonText } from '../src/data/parse.js';
import type { Experiment, ExperimentCollection } from '../src/data/types.js';

const FIXTURES = '/test/fixtures';

async function text(path: string): Promise<string> {
  const res = await fetch(`${FIXTURES}/${path}`);
  if (!res.ok) throw new Error(`fixture ${path}: HTTP ${res.status}`);
  return res.text();
}

const collectionOf = (experiments: Experiment[], extra: Partial<ExperimentCollection> = {}): ExperimentCollection => ({
  schemaVersion: '1.0',
  kind: 'ExperimentCollection',
  generatedAt: '2024-06-01T12:00:00.000Z',
  experiments,
  ...extra,
});

describe('toCsv', () => {
  const columns: CsvColumn[] = [
    { id: 'id', label: 'ID', get: (e) => e.id },
    { id: 'name', label: 'Name, full', get: (e) => e.name },
    { id: 'metrics.loss.last', label: '=Loss', get: (e) => e.metrics?.loss?.last },
    { id: 'tags', label: 'Tags', get: (e) => e.tags },
    { id: 'params', label: 'Params', get: (e) => e.params },
  ];

  it('quotes per RFC 4180, with CRLF line ends', () => {
    const csv = toCsv(
      [
        { id: 'a', status: 'completed', name: 'say "hi", then\nleave', metrics: { loss: { last: 0.5 } }, tags: ['x', 'y'], params: { lr: 0.1 } },
        { id: 'b', status: 'completed' },
      ],
      columns,
    );
    expect(csv).to.equal(
      ['ID,"Name, full",\'=Loss,Tags,Params', 'a,"say ""hi"", then\nleave",0.5,"x, y","{""lr"":0.1}"', 'b,,,,', ''].join('\r\n'),
    );
  });

  it('neutralises text a spreadsheet would run as a formula, and keeps numbers numbers', () => {
    const e = (name: string, loss?: number): Experiment => ({ id: 'r', status: 'completed', name, ...(loss === undefined ? {} : { metrics: { loss: { last: loss } } }) });
    const rows = toCsv([e('=HYPERLINK("http://x")', -0.25), e('+1'), e('-5'), e('@SUM(A1)'), e('\tTab'), e('\rCR'), e('safe', Number.NaN), e('x', Number.NEGATIVE_INFINITY)], columns.slice(0, 3))
      .split('\r\n')
      .slice(1, -1);
    expect(rows).to.deep.equal([
      `r,"'=HYPERLINK(""http://x"")",-0.25`,
      "r,'+1,",
      // Text that looks like a number is still text: guarded.
      "r,'-5,",
      "r,'@SUM(A1),",
      "r,'\tTab,",
      `r,"'\rCR",`,
      'r,safe,NaN',
      "r,x,'-Infinity",
    ]);
  });

  it('starts with a byte order mark only when asked', () => {
    const one = [{ id: 'é', status: 'completed' } as Experiment];
    expect(toCsv(one, columns.slice(0, 1)).charCodeAt(0)).to.equal('I'.charCodeAt(0));
    expect(toCsv(one, columns.slice(0, 1), { bom: true })).to.equal('\uFEFFID\r\né\r\n');
  });
});

describe('buildReportHtml', () => {
  const hostile: Experiment = {
    id: 'evil',
    status: 'completed',
    name: '</script><script>alert(1)</script><!--',
    metrics: { loss: { last: Number.NaN }, best: { last: Number.POSITIVE_INFINITY } },
    tags: ['<b>bold</b>'],
  };
  const bundle = 'const s = "</script><!-- <script>"; window.__reportBundleRan = s.length;';

  it('is one document: the data inside the element, the bundle inlined, nothing outside the file', async () => {
    const html = await buildReportHtml({ collection: collectionOf([hostile]), bundleText: bundle, title: 'Runs <&> "q"' });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.title).to.equal('Runs <&> "q"');
    expect(doc.querySelector('h1')?.textContent).to.equal('Runs <&> "q"');
    const scripts = [...doc.querySelectorAll('script')];
    expect(scripts.map((s) => s.type)).to.deep.equal(['application/json', 'module']);
    const data = doc.querySelector('experiment-dashboard > script[type="application/json"]');
    expect(data).to.equal(scripts[0]);
    expect(html).to.not.contain('<img');
    expect(data?.textContent).to.contain('\\u003c/script>');
    const read = parseCollection(data?.textContent ?? '');
    expect(read.experiments[0]?.name).to.equal(hostile.name);
    expect(read.experiments[0]?.tags).to.deep.equal(['<b>bold</b>']);
    expect(Number.isNaN(read.experiments[0]?.metrics?.loss?.last)).to.equal(true);
    expect(read.experiments[0]?.metrics?.best?.last).to.equal(Number.POSITIVE_INFINITY);
    expect(data?.textContent).to.contain('"last":"NaN"');
    expect(data?.textContent).to.contain('"last":"Infinity"');
    // The bundle survived whole: the parser did not end its script early.
    expect(scripts[1]?.textContent).to.equal(escapeInlineScript(bundle));
    expect(doc.querySelectorAll('[src], [href], link, iframe, object, embed')).to.have.length(0);
  });

  it('allows exactly the inline module script, by its hash, in its Content-Security-Policy', async () => {
    const html = await buildReportHtml({ collection: collectionOf([hostile]), bundleText: bundle });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    const module = doc.querySelector('script[type="module"]')?.textContent ?? '';
    const style = doc.querySelector('style')?.textContent ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).to.deep.equal({
      'default-src': "'none'",
      'script-src': `'${await cspHash(module)}'`,
      'style-src': `'${await cspHash(style)}'`,
      'img-src': 'data: blob:',
      'connect-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
    });
    // The hash is SHA-256 of the script text, as a browser computes it.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(module)));
    expect(await cspHash(module)).to.equal(`sha256-${btoa(String.fromCharCode(...digest))}`);
    // The policy is explained in the document.
    expect(html).to.match(/<!--\s+Content-Security-Policy of this report/);
    expect(html).to.not.match(/https?:\/\//);
  });

  it('records when it was made', async () => {
    const html = await buildReportHtml({ collection: collectionOf([], { generatedAt: undefined }), bundleText: '', generatedAt: '2025-01-02T03:04:05.000Z' });
    expect(html).to.contain('<time datetime="2025-01-02T03:04:05.000Z">');
    expect(html).to.contain('"generatedAt":"2025-01-02T03:04:05.000Z"');
  });
});

describe('the report in a browser', () => {
  let frame: HTMLIFrameElement | undefined;
  let blobUrl: string | undefined;

  afterEach(() => {
    frame?.remove();
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    frame = undefined;
    blobUrl = undefined;
  });

  async function fixtureRuns(): Promise<Experiment[]> {
    const runs: Experiment[] = [];
    for (const id of ['1', '3', '4']) {
      const files: SacredRunFiles = { 'run.json': await text(`sacred-manuel-rhdt-ml-pws/runs/${id}/run.json`) };
      for (const name of ['config.json', 'metrics.json', 'cout.txt'] as const) files[name] = await text(`sacred-manuel-rhdt-ml-pws/runs/${id}/${name}`);
      const r = importSacredRun(files, { runId: id });
      if (r.experiment) runs.push(r.experiment);
    }
    for (const path of [
      'single/experiments/basic/runs/eb66c160957d4a28b11d3f1b968df9cd/run.json',
      'single/experiments/src_tags/runs/4b0ce88fd34e45fc8ca08876127299ce/run.json',
      'bulk/experiments/1/runs/d057cae15f27465988e72c6212e1f226/run.json',
      'bulk/experiments/2/runs/5397ae67ee0c49139bf64834b4d27fab/run.json',
      'bulk/experiments/2/runs/8a6af43e756f433da7a90fd6b4e49c3a/run.json',
    ]) {
      const r = importMlflowExportRun(parseJsonText(await text(`mlflow-export-import/oss_mlflow/${path}`)));
      if (r.experiment) runs.push(r.experiment);
    }
    return runs;
  }

  it('shows every run, offline, with no error', async () => {
    const response = await fetch('/dist/experiment-dashboard.bundle.js');
    expect(response.ok, 'dist/experiment-dashboard.bundle.js (npm test builds it)').to.equal(true);
    const bundleText = await response.text();
    const runs = await fixtureRuns();
    expect(runs).to.have.length(8);
    const html = await buildReportHtml({ collection: collectionOf(runs, { generatedAt: new Date().toISOString() }), bundleText, title: 'Fixture report' });

    blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    frame = document.createElement('iframe');
    frame.style.width = '1200px';
    frame.style.height = '800px';
    const problems: string[] = [];
    let watched: Document | undefined;
    // Listen on the report's own document as early as it exists (the module script runs after parsing).
    const watch = (): void => {
      const doc = frame?.contentDocument;
      if (doc && doc !== watched && doc.URL === blobUrl) {
        watched = doc;
        doc.addEventListener('securitypolicyviolation', (e) => problems.push(`CSP ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`), true);
        frame?.contentWindow?.addEventListener('error', (e) => problems.push(`error: ${e.message}`), true);
        frame?.contentWindow?.addEventListener('unhandledrejection', (e) => problems.push(`rejection: ${String(e.reason)}`));
        doc.addEventListener('source-error', (e) => problems.push(`source-error: ${(e as CustomEvent<{ error: Error }>).detail.error.message}`), true);
      }
      if (!watched) setTimeout(watch, 0);
    };
    document.body.append(frame);
    frame.src = blobUrl;
    watch();

    const rows = (): Element[] => [...(frame?.contentDocument?.querySelector('experiment-dashboard')?.shadowRoot?.querySelectorAll('.tabulator-row') ?? [])];
    await waitUntil(() => rows().length === runs.length, `all ${runs.length} runs shown`, { timeout: 15000 });
    const texts = rows().map((r) => r.textContent ?? '');
    for (const e of runs) expect(texts.some((t) => t.includes(e.name ?? e.id)), e.name ?? e.id).to.equal(true);
    const dashboard = frame.contentDocument?.querySelector('experiment-dashboard');
    expect(dashboard?.shadowRoot?.querySelector('[part~="error"]'), 'no error shown').to.equal(null);
    expect(frame.contentDocument?.title).to.equal('Fixture report');
    expect(watched, 'the report document was watched').to.not.equal(undefined);
    expect(problems).to.deep.equal([]);
  });
});
