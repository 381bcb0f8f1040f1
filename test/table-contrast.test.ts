// Text in every state of the table (hovered and focused header, active, selected and hovered row,
// group header, filter chip) keeps WCAG AA contrast (4.5:1) in the light and the dark theme:
// colours read with getComputedStyle, the background composed through the layers under the text.
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { Experiment } from '../src/data/types.js';
import { rows } from './helpers.js';

type RGBA = [number, number, number, number];

/** A computed colour: `rgb()`/`rgba()`, or `color(srgb …)` (what color-mix() computes to). */
function parseColor(text: string): RGBA {
  const rgb = /^rgba?\(([^)]+)\)$/.exec(text);
  if (rgb) {
    const [r, g, b, a] = rgb[1]!.split(/[\s,/]+/).map(Number);
    return [r!, g!, b!, a ?? 1];
  }
  const srgb = /^color\(srgb ([^)]+)\)$/.exec(text);
  if (srgb) {
    const [r, g, b, a] = srgb[1]!.split(/[\s/]+/).filter(Boolean).map(Number);
    return [r! * 255, g! * 255, b! * 255, a ?? 1];
  }
  throw new Error(`unreadable colour ${text}`);
}

const over = (top: RGBA, below: RGBA): RGBA => {
  const a = top[3] + below[3] * (1 - top[3]);
  if (a === 0) return [0, 0, 0, 0];
  const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
  return [mix(0), mix(1), mix(2), a];
};

const parentOf = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);

/** The colour behind `el`: its background and its ancestors' (across shadow roots), composed. */
function backgroundOf(el: Element): RGBA {
  const layers: RGBA[] = [];
  for (let e: Element | null = el; e; e = parentOf(e)) {
    const c = parseColor(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  return layers.reduceRight<RGBA>((below, top) => over(top, below), [255, 255, 255, 1]);
}

const luminance = ([r, g, b]: RGBA) => {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};

function contrast(el: Element): number {
  const bg = backgroundOf(el);
  const fg = over(parseColor(getComputedStyle(el).color), bg);
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Elements under `root` that hold text themselves. */
function textHolders(root: Element): Element[] {
  const all = [root, ...root.querySelectorAll('*')];
  return all.filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '') && (e as HTMLElement).offsetParent !== null && !e.closest('.visually-hidden, .status-label-hidden'));
}

function expectReadable(root: Element, what: string): void {
  const holders = textHolders(root);
  expect(holders.length, `${what}: text found`).to.be.greaterThan(0);
  for (const e of holders) expect(contrast(e), `${what}: "${e.textContent!.trim().slice(0, 30)}"`).to.be.at.least(4.5);
}

/**
 * Headless Chromium reports no fine pointer, so the stylesheets' `(hover: hover) and (pointer:
 * fine)` blocks (Tabulator's hover colours and ours) never apply there. They are switched to
 * `all` while these tests run, in place, so order and specificity stay as in a desktop browser.
 */
function asOnADesktop(root: ShadowRoot): () => void {
  const changed: [MediaList, string][] = [];
  const walk = (rules: CSSRuleList) => {
    for (const rule of rules) {
      if (rule instanceof CSSMediaRule && /hover:\s*hover/.test(rule.media.mediaText)) {
        changed.push([rule.media, rule.media.mediaText]);
        rule.media.mediaText = 'all';
      }
      if (rule instanceof CSSGroupingRule) walk(rule.cssRules);
    }
  };
  for (const sheet of root.adoptedStyleSheets) walk(sheet.cssRules);
  expect(changed.length, 'hover rules found').to.be.greaterThan(1);
  return () => {
    for (const [media, text] of changed) media.mediaText = text;
  };
}

const center = (el: Element): [number, number] => {
  const r = el.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
};

function runs(): Experiment[] {
  const statuses = ['completed', 'failed', 'running', 'dead', 'queued', 'interrupted'] as const;
  return statuses.map((status, i) => ({ id: `r${i}`, name: `run-${i}`, status, operator: i % 2 ? 'ada' : 'alan', tags: ['base'], metrics: { acc: { last: 0.5 + i / 20 } }, mainMetric: { key: 'acc', value: 0.5 + i / 20, goal: 'maximize' } }));
}

for (const theme of ['light', 'dark']) {
  describe(`contrast in the ${theme} theme`, () => {
    let el: ExperimentDashboard;
    let restore: () => void = () => undefined;
    beforeEach(async () => {
      await setViewport({ width: 1280, height: 700 });
      el = document.createElement('experiment-dashboard');
      el.setAttribute('style', 'display: block; height: 600px');
      el.setAttribute('theme', theme);
      el.setAttribute('main-metric', 'acc:max');
      el.experiments = runs();
      await fixture(el);
      await waitUntil(() => rows(el).length === 6, 'rows');
      restore = asOnADesktop(el.shadowRoot!);
    });
    afterEach(async () => {
      restore();
      await resetMouse();
    });
    const header = (field: string) => el.shadowRoot!.querySelector<HTMLElement>(`.tabulator-col[tabulator-field="${field}"]`)!;

    it('a hovered and a focused column header', async () => {
      await sendMouse({ type: 'move', position: center(header('name').querySelector('.col-title-text')!) });
      await new Promise((r) => requestAnimationFrame(r));
      expect(header('name').matches(':hover')).to.equal(true);
      expectReadable(header('name'), 'hovered header');
      await resetMouse();
      header('operator').querySelector<HTMLElement>('.col-title-text')!.focus();
      expectReadable(header('operator'), 'focused header');
    });

    it('the active, a selected and a hovered row', async () => {
      const grid = el.shadowRoot!.querySelector<HTMLElement>('.table')!;
      grid.focus();
      await sendKeys({ press: 'ArrowDown' });
      await waitUntil(() => el.shadowRoot!.querySelector('.row-active'), 'active row');
      expectReadable(el.shadowRoot!.querySelector('.row-active')!, 'active row');
      const second = rows(el)[2]!;
      second.querySelector<HTMLInputElement>('input.select-row')!.click();
      await waitUntil(() => second.classList.contains('row-selected'), 'selected row marked');
      expectReadable(second, 'selected row');
      const third = () => rows(el).find((r) => r.querySelector('input[data-id="r3"]'))!;
      await sendMouse({ type: 'move', position: center(third().querySelector('.tabulator-cell[tabulator-field="operator"]')!) });
      expect(third().matches(':hover')).to.equal(true);
      expectReadable(third(), 'hovered row');
      // Every status colour on every row background.
      for (const row of rows(el)) expectReadable(row.querySelector('.status')!, `status ${row.textContent}`);
    });

    it('group headers, plain and hovered, and filter chips', async () => {
      el.setViewState({ groupBy: ['operator'], filters: [{ attribute: 'operator', op: 'contains', value: 'a' }] });
      await waitUntil(() => el.shadowRoot!.querySelector('.chip') && el.shadowRoot!.querySelector('.tabulator-group .group-agg'), 'grouped and filtered');
      await new Promise((r) => setTimeout(r, 100));
      const group = () => el.shadowRoot!.querySelector<HTMLElement>('.tabulator-group')!;
      expectReadable(group(), 'group header');
      await sendMouse({ type: 'move', position: center(group()) });
      expect(group().matches(':hover')).to.equal(true);
      expectReadable(group(), 'hovered group header');
      await resetMouse();
      expectReadable(el.shadowRoot!.querySelector('.chip')!, 'filter chip');
      expectReadable(el.shadowRoot!.querySelector('.tag')!, 'tag');
    });
  });
}
