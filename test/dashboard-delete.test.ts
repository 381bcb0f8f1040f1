import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import '../src/components/experiment-data/experiment-data.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import type { ExperimentData } from '../src/components/experiment-data/experiment-data.component.js';
import { HttpSource } from '../src/data/http-source.js';
import { rows } from './helpers.js';

// The reference server (server/web-test-runner-plugin.mjs) wants its token for deletes and restores.
const sized = 'height: 600px; width: 1400px; display: block';
let info: { url: string; token: string };

const deleteButtons = (el: ExperimentDashboard) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[aria-label^="Delete "]')];
const dialog = (el: ExperimentDashboard) => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog.confirm')!;
const button = (root: ParentNode, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;
const onServer = async (): Promise<string[]> => (await new HttpSource({ baseUrl: info.url, mode: 'client' }).load({})).experiments.map((e) => e.id);

before(async () => {
  info = (await (await fetch('/__reference-server')).json()) as { url: string; token: string };
});
beforeEach(async () => {
  expect((await fetch(new URL('__test/reset', info.url), { method: 'POST' })).ok).to.equal(true);
});

describe('<experiment-dashboard endpoint> with the token property, against the reference server', () => {
  let realFetch: typeof fetch;
  const sent: { url: string; authorization: string | null }[] = [];
  beforeEach(() => {
    realFetch = window.fetch;
    // Every request the element's source makes, with the header that carries the token.
    window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(input instanceof Request ? input.url : input), authorization: new Headers(init?.headers).get('authorization') });
      return realFetch(input, init);
    }) as typeof fetch;
  });
  afterEach(() => {
    window.fetch = realFetch;
    sent.length = 0;
  });

  it('offers delete once the token is set, sends it as a bearer token, never in the markup; Undo restores on the server', async () => {
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} endpoint=${info.url}></experiment-dashboard>`);
    await waitUntil(() => rows(el).length > 0, 'rows from the server', { timeout: 10000 });
    // Without the token the server's changes are out of reach: no button that could only fail.
    expect(deleteButtons(el)).to.have.length(0);
    el.token = info.token;
    await waitUntil(() => deleteButtons(el).length > 0, 'delete offered with the token', { timeout: 10000 });
    expect(el.outerHTML).to.not.contain(info.token);
    expect(el.getAttribute('token')).to.equal(null);

    const target = deleteButtons(el)[0]!;
    const id = target.getAttribute('aria-label')!.replace(/^Delete /, '');
    const before = await onServer();
    target.click();
    await el.updateComplete;
    expect(dialog(el).open).to.equal(true);
    // The server moves deletes to its trash: the dialog says so, and Undo is offered at once.
    expect(dialog(el).textContent).to.contain('You can restore it afterwards').and.not.contain('cannot be undone');
    button(dialog(el), 'Delete').click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part="undo"]'), 'the undo bar', { timeout: 10000 });
    const writes = sent.filter((r) => r.url.endsWith('/experiments/delete'));
    expect(writes).to.have.length(1);
    expect(writes[0]!.authorization).to.equal(`Bearer ${info.token}`);
    expect(sent.filter((r) => !/\/experiments\/(delete|restore)$/.test(r.url)).every((r) => r.authorization === null)).to.equal(true);
    const afterDelete = await onServer();
    expect(afterDelete).to.have.length(before.length - 1);

    button(el.shadowRoot!.querySelector('[part="undo"]')!, 'Undo').click();
    await waitUntil(() => sent.some((r) => r.url.endsWith('/experiments/restore')), 'restore sent', { timeout: 10000 });
    expect(sent.find((r) => r.url.endsWith('/experiments/restore'))!.authorization).to.equal(`Bearer ${info.token}`);
    await waitUntil(async () => (await onServer()).length === before.length, 'restored on the server', { timeout: 10000 });
    await waitUntil(() => deleteButtons(el).some((b) => b.getAttribute('aria-label') === `Delete ${id}`), 'the row is back', { timeout: 10000 });
    expect(el.shadowRoot!.querySelector('.action-error')).to.equal(null);
  });

  it('<experiment-data endpoint> takes the token the same way: the dashboard inside may delete, the markup has no token', async () => {
    const root = await fixture<ExperimentData>(html`<experiment-data endpoint=${info.url}><experiment-dashboard style=${sized}></experiment-dashboard></experiment-data>`);
    const el = root.querySelector('experiment-dashboard')!;
    await waitUntil(() => rows(el).length > 0, 'rows from the server', { timeout: 10000 });
    expect(deleteButtons(el)).to.have.length(0);
    root.token = info.token;
    await waitUntil(() => deleteButtons(el).length > 0, 'delete offered with the token', { timeout: 10000 });
    expect(root.outerHTML).to.not.contain(info.token);
  });
});
