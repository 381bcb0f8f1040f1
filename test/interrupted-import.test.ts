import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { deleteDB } from 'idb';
import '../src/components/experiment-dashboard/experiment-dashboard.js';
import type { ExperimentDashboard } from '../src/components/experiment-dashboard/experiment-dashboard.component.js';
import { IndexedDbSource } from '../src/data/idb-source.js';
import { collectionToJson, generateCollection } from '../src/data/sample-data.js';
import { part, rejection, rows } from './helpers.js';

const sized = 'display:block;height:500px;width:900px';
const FILE = 'runs.json';
const text = collectionToJson(generateCollection({ n: 500, seed: 21, historyPoints: 3 }));
const names: string[] = [];

/** A database holding an import of runs.json cancelled after 200 of its 500 records (as idb-source.test.ts cuts one short). */
async function interruptedImport(): Promise<string> {
  const name = `import-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  const first = new IndexedDbSource(name, { chunkSize: 100 });
  const stop = new AbortController();
  const err = await rejection(first.importCollection(text, { origin: FILE, signal: stop.signal, onProgress: (p) => p.done >= 200 && stop.abort() }));
  expect(err.kind).to.equal('aborted');
  first.close();
  return name;
}

const line = (el: ExperimentDashboard) => part(el, 'pending-import');
const say = (el: HTMLElement | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<experiment-dashboard database>: an interrupted import', () => {
  after(async () => {
    for (const name of names) await deleteDB(name);
  });

  it('is shown when a new element opens the database; Discard removes the line and the rows it added', async () => {
    const name = await interruptedImport();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} database=${name}></experiment-dashboard>`);
    await waitUntil(() => line(el), 'the interrupted import is said', { timeout: 10000 });
    expect(line(el)!.getAttribute('role')).to.equal('status');
    expect(say(line(el)!.querySelector('p'))).to.equal('Import of runs.json stopped at 200 of 500.');
    expect(say(line(el)!.querySelector('label'))).to.equal('Resume (choose the file again)');
    const discard = line(el)!.querySelector<HTMLButtonElement>('button.discard-import')!;
    expect(say(discard)).to.equal('Discard the 200 imported');
    await waitUntil(() => el.loadedExperiments.length === 200 && rows(el).length > 0, 'what it stored shows meanwhile');

    discard.click();
    await waitUntil(() => line(el) === null && el.loadedExperiments.length === 0, 'the line and the rows are gone', { timeout: 10000 });
    expect(say(el.shadowRoot!.querySelector('.import-report'))).to.equal('Import of runs.json discarded: 200 removed.');
    const again = new IndexedDbSource(name);
    await again.ready();
    expect(again.pendingImport).to.equal(undefined);
    again.close();
  });

  it('Resume takes the file again and finishes the import, with progress', async () => {
    const name = await interruptedImport();
    const el = await fixture<ExperimentDashboard>(html`<experiment-dashboard style=${sized} database=${name}></experiment-dashboard>`);
    await waitUntil(() => line(el), 'the interrupted import is said', { timeout: 10000 });
    const input = line(el)!.querySelector<HTMLInputElement>('input[type=file]')!;
    const data = new DataTransfer();
    data.items.add(new File([text], FILE, { type: 'application/json' }));
    const progress = new Set<string>();
    const watch = setInterval(() => progress.add(say(el.shadowRoot!.querySelector('[part=loading][role=progressbar]'))), 1);
    input.files = data.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => el.loadedExperiments.length === 500, 'all 500 stored and shown', { timeout: 20000 });
    clearInterval(watch);
    expect([...progress].some((t) => /^Resuming the import of runs\.json: \d+ of 500$/.test(t)), [...progress].join(' | ')).to.equal(true);
    expect(line(el)).to.equal(null);
    expect(say(el.shadowRoot!.querySelector('.import-report'))).to.equal('runs.json: 300 added, 0 updated, 200 already there, 0 rejected.');
  });
});
