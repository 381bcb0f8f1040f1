// The rules of a part that loads on demand (chips, menus, dialogs, pager, live lines, child runs)
// come with its code and join the element's shadow root before the part first renders.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ColumnFilter } from '../src/data/types.js';
import { part, waitForRows } from './helpers.js';

const sized = 'height: 500px; width: 1200px; display: block';
const filter: ColumnFilter = { attribute: 'status', op: 'in', value: ['completed', 'failed'] };

/** The display of each `[part=chips]` at the moment it entered the shadow root (before any paint). */
function watchChips(el: ExperimentDashboard): string[] {
  const seen: string[] = [];
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes) if (n instanceof HTMLElement && n.matches('[part="chips"]')) seen.push(getComputedStyle(n).display);
  }).observe(el.shadowRoot!, { childList: true, subtree: true });
  return seen;
}

const sheetsWith = (el: ExperimentDashboard, selector: string) =>
  el.shadowRoot!.adoptedStyleSheets.filter((s) => [...s.cssRules].some((r) => r instanceof CSSStyleRule && r.selectorText === selector)).length;

describe('styles of the parts that load on demand', () => {
  it('the chips are styled from the moment they first show', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(el, 6);
    expect(sheetsWith(el, '.chips'), 'not in the element before the chips load').to.equal(0);
    const seen = watchChips(el);
    el.setViewState({ filters: [filter] });
    await waitUntil(() => part(el, 'chips'), 'chips shown');
    expect(seen).to.deep.equal(['flex']);
    expect(getComputedStyle(el.shadowRoot!.querySelector('.chip')!).borderTopStyle).to.equal('solid');
  });

  it('a second element gets the rules of a part the first one loaded, once', async () => {
    const first = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(first, 6);
    first.setViewState({ filters: [filter] });
    await waitUntil(() => part(first, 'chips'), 'chips in the first element');
    const second = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} src="/test/data/valid-collection.json"></experiment-dashboard>`);
    await waitForRows(second, 6);
    const seen = watchChips(second);
    second.setViewState({ filters: [filter] });
    await waitUntil(() => part(second, 'chips'), 'chips in the second element');
    expect(seen).to.deep.equal(['flex']);
    second.setViewState({ filters: [{ attribute: 'status', op: 'in', value: ['completed'] }] });
    await second.updateComplete;
    expect(sheetsWith(second, '.chips')).to.equal(1);
    expect(sheetsWith(first, '.chips')).to.equal(1);
  });
});
