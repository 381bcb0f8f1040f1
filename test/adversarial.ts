/**
 * Shared by the adversarial tests (xss, csp, limits, data safety): a corpus of hostile strings,
 * records that carry it in every string field and key, and a scanner for what must never appear
 * in the rendered DOM.
 */
import { StaticSource } from '../src/data/static-source.js';
import type { Experiment, ExperimentSource, Page, Query, Series } from '../src/data/types.js';

declare global {
  interface Window {
    /** Incremented by every payload of the corpus that manages to run. */
    __xss: number;
  }
}

const RUN = 'window.__xss++';

/** 1 MiB of text, with markup in it so it is hostile as well as big. */
export const MEGABYTE = `<img src=x onerror=${RUN}>`.padEnd(1024 * 1024, 'A\u202E<b>x</b>');

/**
 * Hostile strings. Each one, if it ever ran as script (markup, an event handler, a URL that is
 * followed, a template that is evaluated), would increment `window.__xss`.
 */
export const PAYLOADS: readonly string[] = [
  `<script>${RUN}</script>`,
  `<img src=x onerror="${RUN}">`,
  `<img src=x onerror=${RUN}>`,
  `"><img src=x onerror=${RUN}>`,
  `'><img src=x onerror=${RUN}>`,
  `\`><img src=x onerror=${RUN}>`,
  `<svg onload=${RUN}>`,
  `<svg/onload=${RUN}><circle r=1 /></svg>`,
  `<svg><script>${RUN}</script></svg>`,
  `<svg><a xlink:href="javascript:${RUN}"><text y="9">x</text></a></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `<iframe srcdoc="<script>parent.${RUN}</script>"></iframe>`,
  `<object data="javascript:${RUN}"></object>`,
  `<embed src="javascript:${RUN}">`,
  `<details open ontoggle=${RUN}>`,
  `<input autofocus onfocus=${RUN}>`,
  `<body onload=${RUN}>`,
  `<a href="javascript:${RUN}">click</a>`,
  `<textarea></textarea><img src=x onerror=${RUN}>`,
  `<!--<img src=x onerror=${RUN}>-->`,
  `<![CDATA[<img src=x onerror=${RUN}>]]>`,
  `javascript:${RUN}`,
  `JaVaScRiPt:${RUN}`,
  ` \t\njavascript:${RUN}`,
  `java\nscript:${RUN}`,
  `java\tscript:${RUN}`,
  `\u0001javascript:${RUN}`,
  `java&#x09;script:${RUN}`,
  `javascript&colon;${RUN}`,
  `&#106;avascript:${RUN}`,
  `%6Aavascript:${RUN}`,
  `data:text/html,<script>parent.${RUN}</script>`,
  `DATA:TEXT/HTML;charset=utf-8,<script>parent.${RUN}</script>`,
  `data:text/html;base64,${btoa(`<script>parent.${RUN}</script>`)}`,
  ` data:text/html ;,<script>parent.${RUN}</script>`,
  `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="parent.${RUN}"/>`,
  `data:application/xhtml+xml,<html xmlns="http://www.w3.org/1999/xhtml"><script>parent.${RUN}</script></html>`,
  `vbscript:msgbox(1)`,
  `VBScript:${RUN}`,
  `file:///etc/passwd`,
  `//evil.example/${RUN}`,
  '${window.__xss++}',
  '`${window.__xss++}`',
  "{{constructor.constructor('window.__xss++')()}}",
  "<%= window.__xss++ %>",
  `</style><img src=x onerror=${RUN}>`,
  `</script><script>${RUN}</script>`,
  `background:url(javascript:${RUN})`,
  `x;background-image:url("javascript:${RUN}")`,
  `expression(${RUN})`,
  `@import 'javascript:${RUN}';`,
  `\u202Egnp.exe<img src=x onerror=${RUN}>`,
  '\u202Eevil\u202C safe',
  'a\u0000b<img src=x onerror=window.__xss++>',
  '\uD800 lone high, lone low \uDFFF',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'a.b.c',
  '',
  ' ',
  '=cmd|\' /C calc\'!A0',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
];

/** A payload's own index, for ids (ids must be unique; payloads may collide once trimmed). */
export const idOf = (i: number): string => `${PAYLOADS[i] ?? ''}#${i}`;

/** The key every record shares, with an enum-like value (at most 20 distinct): a pick list in the filter editor. */
export const PICK_KEY = `<img src=x onerror=${RUN}>`;
/** The parameter every record shares, with a hostile value per record: group by it. */
export const SHARED_KEY = 'shared';

function hostile(p: string, i: number): Record<string, unknown> {
  const other = PAYLOADS[(i + 1) % PAYLOADS.length] ?? '';
  return {
    id: idOf(i),
    status: 'completed',
    name: p,
    group: { id: p, name: p },
    statusDetail: { raw: p, reason: p },
    operator: p,
    command: p,
    notes: p,
    tags: [p, other],
    labels: { [p]: p, kind: PAYLOADS[i % 20] },
    mainMetric: { key: 'acc', value: i / 100, goal: 'maximize' },
    metrics: {
      acc: { last: i / 100, history: { steps: [0, 1, 2], values: [0, i / 200, i / 100] } },
      [p]: { last: i, min: 0, max: i, count: 3, lastStep: 2, history: { steps: [0, 1, 2], values: [1, 2, 3], timestamps: ['2024-05-01T00:00:00Z', '2024-05-01T00:01:00Z', '2024-05-01T00:02:00Z'] } },
    },
    params: {
      [p]: p,
      [SHARED_KEY]: p,
      [PICK_KEY]: PAYLOADS[i % 20],
      nested: { [p]: { [other]: p, list: [p, other, 1] } },
      layers: [{ [p]: p }],
    },
    dependencies: [{ name: p, version: p, manager: p }, `${other}==${p}`],
    artifacts: [
      { name: p, role: 'model', uri: p, mediaType: p, digest: p, sizeBytes: 12 },
      { name: `${p} (path)`, role: 'other', path: p, mediaType: 'text/html' },
      { name: 'weights.bin', role: 'model', uri: 'https://example.com/weights.bin', mediaType: 'application/octet-stream' },
      { name: 'inline.txt', role: 'log', uri: 'data:text/plain;base64,aGVsbG8=', mediaType: 'text/plain' },
    ],
    host: {
      hostname: p,
      os: { system: p, platform: p },
      cpu: { model: p, cores: 8 },
      memoryBytes: 1024,
      python: { version: p, implementation: p },
      workspaceVersion: p,
      gpus: { count: 1, driverVersion: p, devices: [{ model: p, memoryBytes: 1024 }] },
      env: { [p]: p, PATH: p },
    },
    git: [{ url: p, commit: p, branch: p, dirty: true }, { url: `https://example.com/${encodeURIComponent(p.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}.git`, commit: p }],
    error: { message: p, trace: p },
    output: { stdout: p },
    source: { type: p, nativeId: p, producer: p },
    times: { started: '2024-05-01T10:00:00Z', stopped: '2024-05-01T11:00:00Z' },
  };
}

/**
 * One record per payload (its `id` carries the payload too), the payload in every string field
 * and as a key wherever the format has keys. JSON round trip: keys such as `__proto__` become
 * own properties, as they do when a file is read.
 */
export function hostileRecords(): unknown[] {
  const raw = PAYLOADS.map((p, i) => hostile(p, i));
  return JSON.parse(JSON.stringify(raw)) as unknown[];
}

/** Records the validator must leave out (hostile status, hostile times), so the problems list shows them. */
export function rejectedRecords(): unknown[] {
  return JSON.parse(
    JSON.stringify([
      { id: 'bad-status', status: `<img src=x onerror=${RUN}>` },
      { id: `<img src=x onerror=${RUN}>`, status: 'completed', times: { started: `<img src=x onerror=${RUN}>` }, metrics: { [`<svg onload=${RUN}>`]: `<svg onload=${RUN}>` } },
      { id: `<img src=x onerror=${RUN}>`, status: 'completed' },
      { status: 'completed', name: `<script>${RUN}</script>` },
    ]),
  ) as unknown[];
}

/** A record whose objects pretend to be Lit template results (JSON cannot make real ones). */
export function litSpoofRecord(): unknown {
  const spoof = { _$litType$: 1, strings: [`<img src=x onerror=${RUN}>`], values: [] };
  const directive = { _$litDirective$: 'x', values: [] };
  return JSON.parse(
    JSON.stringify({
      id: 'lit-spoof',
      status: 'failed',
      name: 'lit-spoof',
      host: { hostname: spoof, os: { system: directive, platform: spoof }, cpu: { model: spoof, cores: spoof }, workspaceVersion: spoof, gpus: { driverVersion: spoof, devices: spoof, count: spoof }, env: { A: spoof, B: directive }, memoryBytes: spoof },
      error: { message: spoof, trace: directive },
      output: { stdout: spoof },
      source: { type: spoof, nativeId: spoof },
    }),
  );
}

/** Element names the components render (their own markup, Tabulator's and uPlot's). */
const ALLOWED_TAGS = new Set([
  'a', 'button', 'canvas', 'caption', 'code', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'form', 'h2', 'h3', 'h4',
  'input', 'label', 'legend', 'li', 'nav', 'ol', 'optgroup', 'option', 'p', 'pre', 'section', 'select', 'span', 'strong', 'summary',
  'table', 'tbody', 'td', 'th', 'thead', 'time', 'tr', 'ul', 'svg', 'path', 'rect', 'circle', 'br', 'b', 'bdi', 'wbr',
  'experiment-dashboard', 'experiment-row-detail', 'experiment-compare', 'metric-chart', 'experiment-column-chooser',
  'experiment-group-picker', 'experiment-filter-editor',
]);

const URL_ATTRIBUTES = ['src', 'srcdoc', 'srcset', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'ping', 'codebase', 'lowsrc', 'dynsrc'];
const ACTIVE_MEDIA = /html|xml|svg|javascript|ecmascript/i;

/** Why an `a[href]` is not acceptable, or undefined when it is (http(s), blob, or a non-document data: download). */
export function badHref(a: Element): string | undefined {
  const href = a.getAttribute('href') ?? '';
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return `unparsable or relative href ${JSON.stringify(href.slice(0, 80))}`;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'blob:') return undefined;
  if (url.protocol === 'data:') {
    if (!a.hasAttribute('download')) return `data: href without download: ${href.slice(0, 80)}`;
    const type = url.pathname.slice(0, Math.max(0, url.pathname.indexOf(','))).split(';', 1)[0] ?? '';
    return ACTIVE_MEDIA.test(type) || !url.pathname.includes(',') ? `data: href of a document type: ${href.slice(0, 80)}` : undefined;
  }
  return `href with scheme ${url.protocol}: ${href.slice(0, 80)}`;
}

export interface ScanResult {
  problems: string[];
  /** Every text node's text, for checking that the payload was actually shown. */
  text: string;
  /** `a[href]` elements seen. */
  links: number;
  elements: number;
}

/**
 * Walks the element, its light DOM and every shadow root below it, and lists everything an
 * injection would leave behind: script-capable elements, event-handler attributes, SVG other
 * than the filter button's icon, links and URL attributes that are not http(s)/blob (or a data:
 * download of a non-document type), style attributes that load or run anything.
 */
/** The shapes our icons draw with, and the only attributes they carry: geometry and fill. */
const ICON_SHAPES = new Set(['path', 'rect', 'circle']);
const SHAPE_ATTRIBUTES = new Set(['d', 'fill', 'stroke-width', 'x', 'y', 'width', 'height', 'rx', 'ry', 'cx', 'cy', 'r']);

/**
 * One of the elements' own icons (src/components/icons.ts, table/icons.ts): decorative, marked
 * `svg-icon`, nothing in it but paths, rectangles and circles with geometry (the filter button's
 * older icon: a filled path).
 */
function ownIcon(svg: Element): boolean {
  if (svg.getAttribute('aria-hidden') !== 'true' || !(svg.classList.contains('svg-icon') || svg.parentElement?.matches('button.filter-button'))) return false;
  const inner = [...svg.querySelectorAll('*')];
  return inner.length > 0 && inner.every((p) => ICON_SHAPES.has(p.localName) && p.parentElement === svg && [...p.attributes].every((a) => SHAPE_ATTRIBUTES.has(a.name)));
}

export function scan(root: Element): ScanResult {
  const problems: string[] = [];
  const texts: string[] = [];
  let links = 0;
  let elements = 0;
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      texts.push(node.nodeValue ?? '');
      return;
    }
    if (node.nodeType === Node.ELEMENT_NODE) {
      const element = node as Element;
      // The inline data of a dashboard (the HTML report): data, not script.
      if (element.localName === 'script' && element.getAttribute('type') === 'application/json' && element.parentElement?.localName === 'experiment-dashboard') return;
      elements++;
      const tag = element.localName;
      const where = `<${tag}${element.id ? `#${element.id}` : ''}${element.getAttribute('class') ? `.${element.getAttribute('class')!.split(/\s+/).join('.')}` : ''}>`;
      if (!ALLOWED_TAGS.has(tag)) problems.push(`unexpected element ${where}`);
      if (tag === 'svg' && !ownIcon(element)) problems.push(`svg other than our icons: ${where}`);
      if (element.namespaceURI === 'http://www.w3.org/2000/svg' && tag !== 'svg' && !(ICON_SHAPES.has(tag) && element.parentElement?.localName === 'svg' && ownIcon(element.parentElement))) {
        problems.push(`${tag} outside our icons: ${where}`);
      }
      for (const attr of [...element.attributes]) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) problems.push(`event handler attribute ${name}=${JSON.stringify(attr.value.slice(0, 60))} on ${where}`);
        if (URL_ATTRIBUTES.includes(name)) problems.push(`URL attribute ${name}=${JSON.stringify(attr.value.slice(0, 60))} on ${where}`);
        if (name === 'href' && tag !== 'a') problems.push(`href on ${where}`);
        if (name === 'style' && /url\(|expression|javascript:|@import|behavior/i.test(attr.value)) problems.push(`active style attribute ${JSON.stringify(attr.value.slice(0, 60))} on ${where}`);
      }
      if (tag === 'a' && element.hasAttribute('href')) {
        links++;
        const bad = badHref(element);
        if (bad) problems.push(`${bad} on ${where}`);
      }
      if (element.shadowRoot) for (const child of element.shadowRoot.childNodes) visit(child);
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return { problems, text: texts.join(''), links, elements };
}

/** Every text node under the element, its light DOM and every shadow root below it. */
export function textNodes(root: Node): string[] {
  const out: string[] = [];
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) out.push(node.nodeValue ?? '');
    const shadow = (node as Element).shadowRoot;
    if (shadow) for (const child of shadow.childNodes) visit(child);
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return out;
}

/** Waits for timers, image error events and a frame or two. */
export async function settle(ms = 60): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  await new Promise((r) => requestAnimationFrame(() => r(null)));
}

/** A source over records (validated as a file would be) that can delete, recording what it was asked. */
export class DeletableSource implements ExperimentSource {
  readonly capabilities = { delete: true, live: false, serverQuery: false, history: true };
  readonly label: string;
  deleted: string[][] = [];
  /** The next delete fails with this message. */
  failWith?: string;
  #inner: StaticSource;
  constructor(public data: unknown[], label = 'the test store') {
    this.label = label;
    this.#inner = new StaticSource({ data, label });
  }
  load(query: Query, signal?: AbortSignal): Promise<Page> {
    return this.#inner.load(query, signal);
  }
  get(id: string): Promise<Experiment> {
    return this.#inner.get(id);
  }
  history(id: string, metric: string): Promise<Series> {
    return this.#inner.history(id, metric);
  }
  async delete(ids: string[]): Promise<void> {
    this.deleted.push([...ids]);
    if (this.failWith !== undefined) {
      const message = this.failWith;
      this.failWith = undefined;
      throw new Error(message);
    }
    const gone = new Set(ids);
    this.data = this.data.filter((e) => !gone.has((e as { id?: string }).id ?? ''));
    this.#inner = new StaticSource({ data: this.data, label: this.label });
  }
}
