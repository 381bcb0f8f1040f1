// The table follows its element's size without Tabulator's ResizeTableModule: the element's own
// size observer redraws it (table-controller.ts), so a table built while hidden is drawn when it
// shows, and a taller element shows more rows.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { generateCollection } from '../src/data/sample-data.js';
import { rows } from './helpers.js';

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
const holder = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLElement>('.tabulator-tableholder')!;
/** Rows a person sees: inside the scroll area, with a height. */
const shownRows = (el: ExperimentDashboard) => {
  const box = el.shadowRoot!.querySelector('.tabulator-tableholder')?.getBoundingClientRect();
  if (!box) return [];
  return rows(el).filter((r) => {
    const b = r.getBoundingClientRect();
    return b.height > 0 && b.top < box.bottom && b.bottom > box.top;
  });
};

describe('the table follows its element’s size', () => {
  it('a table built while hidden shows its rows once the element shows', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div hidden><experiment-dashboard style="height: 500px; width: 1200px"></experiment-dashboard></div>`);
    const el = wrap.querySelector('experiment-dashboard')!;
    el.experiments = generateCollection({ n: 200, historyPoints: 0 });
    await waitUntil(() => el.shadowRoot!.querySelector('.tabulator'), 'the table built');
    await el.updateComplete;
    await frame();
    wrap.hidden = false;
    await waitUntil(() => shownRows(el).length >= 10, 'rows filling the table once shown', { timeout: 5000 });
    const header = el.shadowRoot!.querySelector<HTMLElement>('.tabulator-header')!;
    expect(header.getBoundingClientRect().height).to.be.greaterThan(0);
  });

  it('a taller element shows more rows', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style="height: 300px; width: 1200px"></experiment-dashboard>`);
    el.experiments = generateCollection({ n: 300, historyPoints: 0 });
    await waitUntil(() => shownRows(el).length > 0, 'rows');
    await frame();
    const before = shownRows(el).length;
    el.style.height = '1400px';
    // Rows fill the taller table to its bottom (the renderer drew for the new height).
    const filled = () => Math.max(...shownRows(el).map((r) => r.getBoundingClientRect().bottom)) >= holder(el).getBoundingClientRect().bottom - 1;
    await waitUntil(() => shownRows(el).length > before && filled(), `rows filling a taller table (${before} before)`, { timeout: 5000 });
  });
});
