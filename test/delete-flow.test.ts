import { expect, fixture, html as testHtml, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { DeleteFlowController } from '../src/components/experiment-dashboard/controllers/delete-flow.js';
import type { Change, Experiment, ExperimentSource, Page } from '../src/data/types.js';
import { ExperimentStore } from '../src/store/experiment-store.js';

/** A source that deletes when told to, or fails with a message. */
class DeletingSource implements ExperimentSource {
  readonly capabilities = { delete: true, live: false, serverQuery: false, history: false };
  readonly label = 'the test store';
  deleted: string[][] = [];
  failWith?: string;
  constructor(private readonly records: Experiment[]) {}
  async load(): Promise<Page> {
    return { experiments: this.records };
  }
  async delete(ids: string[]): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.deleted.push(ids);
  }
}

/** A source that keeps what it deletes: `restore()` brings it back, and it can send live changes. */
class RestoringSource extends DeletingSource {
  override readonly capabilities = { delete: true, restore: true, live: true, serverQuery: false, history: false };
  restored: string[][] = [];
  restoreFailsWith?: string;
  restoreNote?: string;
  #listeners: ((c: Change) => void)[] = [];
  async restore(ids: string[]): Promise<void> {
    if (this.restoreFailsWith) throw new Error(this.restoreFailsWith);
    this.restored.push(ids);
  }
  subscribe(onChange: (c: Change) => void): () => void {
    this.#listeners.push(onChange);
    return () => (this.#listeners = this.#listeners.filter((l) => l !== onChange));
  }
  send(change: Change): void {
    for (const l of this.#listeners) l(change);
  }
}

/** The smallest host: a store, the controller, a message line and the controller's templates. */
class DeleteHost extends LitElement {
  deleteUndoMs = 0;
  message = '';
  readonly store = new ExperimentStore();
  readonly flow = new DeleteFlowController(this, {
    store: () => this.store,
    settled: () => Promise.resolve(),
    onError: (m) => {
      this.message = m ?? '';
      this.requestUpdate();
    },
  });
  protected override render() {
    return html`<p class="message">${this.message}</p>
      ${this.flow.renderUndo()} ${this.flow.render()}`;
  }
}
customElements.define('delete-flow-host', DeleteHost);

const runs = (): Experiment[] => [
  { id: 'r1', name: 'first', status: 'completed' },
  { id: 'r2', status: 'failed' },
];

async function host<S extends DeletingSource = DeletingSource>(source: S = new DeletingSource(runs()) as S): Promise<{ el: DeleteHost; source: S }> {
  const el = await fixture<DeleteHost>(testHtml`<delete-flow-host></delete-flow-host>`);
  el.store.setSource(source);
  await el.store.load();
  await el.updateComplete;
  return { el, source };
}
const dialog = (el: DeleteHost) => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
const button = (el: DeleteHost, name: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
const ids = (el: DeleteHost) => el.store.experiments.map((e) => e.id);

describe('DeleteFlowController', () => {
  it('asks first, naming the run and the source, then removes the row once the source confirms', async () => {
    const { el, source } = await host();
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    expect(dialog(el).open).to.equal(true);
    expect(dialog(el).textContent!.replace(/\s+/g, ' ')).to.contain('Delete "first"?').and.contain('from the test store');
    await expect(el).to.be.accessible();
    const asked = oneEvent(el, 'experiment-delete');
    const deleted = oneEvent(el, 'experiments-deleted');
    button(el, 'Delete').click();
    expect((await asked).detail.ids).to.deep.equal(['r1']);
    expect((await deleted).detail.ids).to.deep.equal(['r1']);
    expect(source.deleted).to.deep.equal([['r1']]);
    expect(ids(el)).to.deep.equal(['r2']);
    await el.updateComplete;
    expect(dialog(el).open).to.equal(false);
  });

  it('keeps everything when the event is cancelled or the source fails, and says why', async () => {
    const { el, source } = await host();
    el.addEventListener('experiment-delete', (e) => e.preventDefault(), { once: true });
    el.flow.ask([el.store.get('r2')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await el.updateComplete;
    expect(source.deleted).to.deep.equal([]);
    expect(ids(el)).to.deep.equal(['r1', 'r2']);
    source.failWith = 'The store is read-only right now.';
    el.flow.ask([el.store.get('r2')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await waitUntil(() => el.message !== '');
    expect(el.message).to.equal('Could not delete "r2": The store is read-only right now. Nothing was removed; try again.');
    expect(ids(el)).to.deep.equal(['r1', 'r2']);
  });

  it('with an undo window: hidden at once, undo puts it back, the source is asked only when the window closes', async () => {
    const { el, source } = await host();
    el.deleteUndoMs = 300;
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="undo"]'));
    expect(ids(el)).to.deep.equal(['r2']);
    expect(el.shadowRoot!.querySelector('[part="undo"]')!.textContent).to.contain('Deleted "first".');
    button(el, 'Undo').click();
    await waitUntil(() => ids(el).includes('r1'));
    await new Promise((r) => setTimeout(r, 400));
    expect(source.deleted).to.deep.equal([]);
    // A failure when the window closes puts the rows back and says so.
    source.failWith = 'Gone away.';
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await waitUntil(() => !ids(el).includes('r1'));
    await waitUntil(() => el.message.includes('Gone away.'), 'the failure', { timeout: 3000 });
    expect(ids(el)).to.include('r1');
  });

  it('sends nothing when the host leaves the page during the undo window', async () => {
    const { el, source } = await host();
    el.deleteUndoMs = 200;
    el.flow.ask([el.store.get('r2')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await waitUntil(() => !ids(el).includes('r2'));
    el.remove();
    await new Promise((r) => setTimeout(r, 300));
    expect(source.deleted).to.deep.equal([]);
  });

  it('a source that can restore: deletes at once, says it can be undone, and Undo restores through the source', async () => {
    const { el, source } = await host(new RestoringSource(runs()));
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    const text = dialog(el).textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('You can restore it afterwards').and.not.contain('cannot be undone');
    button(el, 'Delete').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="undo"]'), 'the undo bar');
    // Sent at once: no waiting window with a source that keeps what it deletes.
    expect(source.deleted).to.deep.equal([['r1']]);
    expect(ids(el)).to.deep.equal(['r2']);
    expect(el.shadowRoot!.querySelector('[part="undo"]')!.textContent).to.contain('Deleted "first".');
    // The live feed may bring the restored record before restore() resolves: one row, not two.
    let resolve = (): void => undefined;
    const restoring = new Promise<void>((r) => (resolve = r));
    const restore = source.restore.bind(source);
    source.restore = async (wanted) => {
      await restoring;
      return restore(wanted);
    };
    button(el, 'Undo').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="undo"]')).to.equal(null);
    source.send({ type: 'upsert', experiments: [{ id: 'r1', name: 'first', status: 'completed' }] });
    resolve();
    await waitUntil(() => source.restored.length === 1, 'the source restores');
    await el.updateComplete;
    expect(source.restored).to.deep.equal([['r1']]);
    expect([...ids(el)].sort()).to.deep.equal(['r1', 'r2']);
    expect(el.message).to.equal('');
  });

  it('a failed restore says so, and Undo is offered again', async () => {
    const { el, source } = await host(new RestoringSource(runs()));
    source.restoreFailsWith = 'The trash was emptied.';
    el.flow.ask([el.store.get('r2')!]);
    await el.updateComplete;
    button(el, 'Delete').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="undo"]'), 'the undo bar');
    button(el, 'Undo').click();
    await waitUntil(() => el.message !== '', 'the failure');
    expect(el.message).to.equal('Could not restore "r2": The trash was emptied. It is still deleted; press Undo to try again.');
    expect(ids(el)).to.deep.equal(['r1']);
    await el.updateComplete;
    source.restoreFailsWith = undefined;
    button(el, 'Undo').click();
    await waitUntil(() => ids(el).includes('r2'), 'restored on the second try');
    expect(el.message).to.equal('');
  });

  it('a restorable delete: Undo is offered for delete-undo-ms, the source note is shown, several rows are named', async () => {
    const restoring = new RestoringSource(runs());
    restoring.restoreNote = 'MLflow keeps deleted runs: Undo brings them back.';
    const { el, source } = await host(restoring);
    el.deleteUndoMs = 150;
    el.flow.ask(el.store.experiments.slice());
    await el.updateComplete;
    expect(dialog(el).textContent).to.contain('MLflow keeps deleted runs: Undo brings them back.').and.not.contain('cannot be undone');
    button(el, 'Delete 2 experiments').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="undo"]'), 'the undo bar');
    expect(source.deleted).to.deep.equal([['r1', 'r2']]);
    expect(el.shadowRoot!.querySelector('[part="undo"]')!.textContent).to.contain('Deleted 2 experiments.');
    await waitUntil(() => !el.shadowRoot!.querySelector('[part="undo"]'), 'the bar goes when the window closes', { timeout: 2000 });
    expect(source.restored).to.deep.equal([]);
    expect(ids(el)).to.deep.equal([]);
  });

  it('says "It cannot be undone." when the source cannot restore', async () => {
    const { el } = await host();
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    expect(dialog(el).textContent).to.contain('It cannot be undone.');
  });

  it('offers nothing for a source that cannot delete', async () => {
    const el = await fixture<DeleteHost>(testHtml`<delete-flow-host></delete-flow-host>`);
    el.store.setSource({ capabilities: { delete: false, live: false, serverQuery: false, history: false }, load: async () => ({ experiments: runs() }) });
    await el.store.load();
    el.flow.ask([el.store.get('r1')!]);
    await el.updateComplete;
    expect(el.flow.enabled).to.equal(false);
    expect(el.shadowRoot!.querySelector('dialog')).to.equal(null);
  });
});
