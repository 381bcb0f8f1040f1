import { expect, fixture, html as testHtml, oneEvent } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { ViewStateController, type ViewChangeDetail } from '../src/components/experiment-dashboard/controllers/view-state.js';
import type { ViewState } from '../src/data/view-state.js';
import type { ViewOrigin } from '../src/store/view-state.js';

/** The smallest element with a view: it records what the controller pushes to its "table". */
class ViewHost extends LitElement {
  static override properties = { columns: {}, groupBy: { attribute: 'group-by' }, search: {}, storageKey: { attribute: 'storage-key' }, syncUrl: { attribute: 'sync-url', type: Boolean } };
  declare columns?: string;
  declare groupBy?: string;
  declare search?: string;
  declare storageKey?: string;
  syncUrl = false;
  pushed: { patch: Partial<ViewState>; origin: ViewOrigin }[] = [];
  readonly viewState = new ViewStateController(this, async (patch, origin) => {
    this.pushed.push({ patch, origin });
  });
  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    this.viewState.update(changed as never, !this.hasUpdated);
  }
  protected override render() {
    return html`${this.viewState.view.search}`;
  }
}
customElements.define('view-state-host', ViewHost);

describe('ViewStateController', () => {
  afterEach(() => {
    localStorage.removeItem('experiment-dashboard:vs-test');
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('starts from the attributes, then the stored view, then the link', async () => {
    localStorage.setItem('experiment-dashboard:vs-test', JSON.stringify({ search: 'stored', groupBy: ['operator'] }));
    history.replaceState(null, '', `#view=${encodeURIComponent(JSON.stringify({ search: 'linked' }))}`);
    const el = await fixture<ViewHost>(testHtml`<view-state-host columns="status,name" group-by="group" search="attr" storage-key="vs-test" sync-url></view-state-host>`);
    expect(el.viewState.view.columns).to.deep.equal(['status', 'name']);
    expect(el.viewState.view.groupBy).to.deep.equal(['operator']);
    expect(el.viewState.view.search).to.equal('linked');
    expect(el.pushed).to.deep.equal([]);
  });

  it('a user or program change is pushed to the table, persisted and announced', async () => {
    const el = await fixture<ViewHost>(testHtml`<view-state-host storage-key="vs-test"></view-state-host>`);
    const changed = oneEvent(el, 'view-change') as Promise<CustomEvent<ViewChangeDetail>>;
    el.viewState.apply({ search: 'lr' }, 'user');
    const ev = await changed;
    expect(ev.detail.view.search).to.equal('lr');
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(el.pushed).to.deep.equal([{ patch: { search: 'lr' }, origin: 'user' }]);
    expect(JSON.parse(localStorage.getItem('experiment-dashboard:vs-test')!).search).to.equal('lr');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('lr');
  });

  it('a change the table reported is persisted and announced but not pushed back; an echo is no change', async () => {
    const el = await fixture<ViewHost>(testHtml`<view-state-host storage-key="vs-test"></view-state-host>`);
    const events: ViewState[] = [];
    el.addEventListener('view-change', (ev) => events.push(ev.detail.view));
    const changed = oneEvent(el, 'view-change');
    el.viewState.apply({ sort: [{ attribute: 'name', dir: 'asc' }] }, 'table');
    await changed;
    // The same layout reported again (as Tabulator does after every change it is given).
    el.viewState.apply({ sort: [{ attribute: 'name', dir: 'asc' }], columns: el.viewState.view.columns }, 'table');
    await new Promise((r) => setTimeout(r, 0));
    expect(el.pushed).to.deep.equal([]);
    expect(events).to.have.length(1);
    expect(JSON.parse(localStorage.getItem('experiment-dashboard:vs-test')!).sort).to.deep.equal([{ attribute: 'name', dir: 'asc' }]);
  });

  it('attribute changes are patches, and a new link in the URL is applied', async () => {
    const el = await fixture<ViewHost>(testHtml`<view-state-host sync-url></view-state-host>`);
    el.groupBy = 'operator, group';
    await oneEvent(el, 'view-change');
    expect(el.pushed.at(-1)).to.deep.equal({ patch: { groupBy: ['operator', 'group'] }, origin: 'api' });
    expect(decodeURIComponent(location.hash)).to.contain('"groupBy":["operator","group"]');
    const linked = oneEvent(el, 'view-change');
    location.hash = `view=${encodeURIComponent(JSON.stringify({ search: 'from a link' }))}`;
    await linked;
    expect(el.viewState.view.search).to.equal('from a link');
  });
});
