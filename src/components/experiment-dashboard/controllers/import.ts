import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { ExperimentSource } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';

// Loaded with the first file a user imports: showing rows does not need it.

/** A source that takes files (IndexedDB): it validates first, then writes in chunks. */
export type ImportTarget = ExperimentSource & {
  importCollection(input: unknown, options?: { onProgress?: (p: { done: number; total: number }) => void }): Promise<{ added: number; updated: number; rejected: number }>;
};

/**
 * Imports files into the store's source one by one, with progress and counts, then reloads the
 * store. Made with the first import; it has no part in the host's lifecycle (an import that runs
 * on after the element left the page still completes, and the store shows it on the next load).
 */
export class ImportController {
  #progress?: string;
  #report?: string;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: { store: () => ExperimentStore; onError: (message: string | undefined) => void },
  ) {}


  async importFiles(files: readonly File[]): Promise<void> {
    const store = this.opts.store();
    // The host offers import only for a source that has importCollection.
    const target = store.source as ImportTarget | undefined;
    if (!target || files.length === 0) return;
    this.#set(undefined, undefined);
    this.opts.onError(undefined);
    for (const file of files) {
      this.#set(`Importing ${file.name}…`, this.#report);
      try {
        const report = await target.importCollection(await file.text(), {
          onProgress: (p) => this.#set(`Importing ${file.name}: ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}`, this.#report),
        });
        this.#set(this.#progress, `${file.name}: ${report.added} added, ${report.updated} updated, ${report.rejected} rejected.`);
      } catch (err) {
        this.opts.onError(`Could not import ${file.name}: ${(err as Error).message}`);
      }
    }
    this.#set(undefined, this.#report);
    await store.load();
  }

  render() {
    return html`${this.#progress ? html`<div part="loading" role="progressbar" aria-label=${this.#progress}>${this.#progress}</div>` : nothing}
    ${this.#report ? html`<div class="import-report" role="status">${this.#report}</div>` : nothing}`;
  }

  #set(progress: string | undefined, report: string | undefined): void {
    this.#progress = progress;
    this.#report = report;
    this.host.requestUpdate();
  }
}

/** The toolbar's Import button: a file picker for collection files. */
export function importButton(onFiles: (files: File[]) => Promise<void>) {
  return html`<label class="import-button"
    >Import<input
      type="file"
      accept=".json,application/json"
      multiple
      class="visually-hidden"
      @change=${(ev: Event) => {
        const input = ev.target as HTMLInputElement;
        void onFiles(input.files ? [...input.files] : []).then(() => (input.value = ''));
      }}
  /></label>`;
}
