import { css, html, nothing, type ReactiveControllerHost } from 'lit';
import type { ImportProgress, PendingImport } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import { statusLineStyles } from './status-line.styles.js';

/** Adopted when the import code loads (LazyParts). */
export const partStyles = [
  statusLineStyles,
  css`
  .import-button {
    display: inline-block;
  }
  .import-button:focus-within {
    outline: 2px solid var(--_accent);
  }
  .import-report {
    padding: 4px 8px;
    color: var(--_muted);
  }
  `,
];

// Loaded with the first file a user imports: showing rows does not need it.

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Imports files into the store's source one by one, with progress and counts, then reloads the
 * store. Made with the first import; it has no part in the host's lifecycle (an import that runs
 * on after the element left the page still completes, and the store shows it on the next load).
 */
export class ImportController {
  #progress?: string;
  #report?: string;
  /** An import, resume or discard is running: the interrupted-import line waits. */
  #busy = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: { store: () => ExperimentStore; onError: (message: string | undefined) => void },
  ) {}

  async importFiles(files: readonly File[]): Promise<void> {
    const store = this.opts.store();
    const source = store.source;
    if (!source?.importCollection || files.length === 0) return;
    await this.#run(store, async () => {
      for (const file of files) {
        this.#set(`Importing ${file.name}…`, this.#report);
        try {
          const report = await source.importCollection!(await file.text(), { origin: file.name, onProgress: this.#onProgress('Importing', file.name) });
          this.#set(this.#progress, `${file.name}: ${report.added} added, ${report.updated} updated, ${report.rejected} rejected.`);
        } catch (err) {
          this.opts.onError(`Could not import ${file.name}: ${(err as Error).message}`);
        }
      }
    });
  }

  /** Finishes the interrupted import from the file a user chose again. */
  async resume(file: File): Promise<void> {
    const store = this.opts.store();
    const source = store.source;
    if (!source?.resumeImport) return;
    await this.#run(store, async () => {
      this.#set(`Resuming the import of ${file.name}…`, undefined);
      try {
        const report = await source.resumeImport!(await file.text(), { origin: file.name, onProgress: this.#onProgress('Resuming the import of', file.name) });
        this.#set(this.#progress, `${file.name}: ${report.added} added, ${report.updated} updated, ${report.unchanged} already there, ${report.rejected} rejected.`);
      } catch (err) {
        this.opts.onError(`Could not resume the import of ${file.name}: ${(err as Error).message}`);
      }
    });
  }

  /** Undoes the interrupted import: removes what it added (records stored before it stay). */
  async discard(pending: PendingImport): Promise<void> {
    const store = this.opts.store();
    const source = store.source;
    if (!source?.discardImport) return;
    await this.#run(store, async () => {
      this.#set(`Removing what the import of ${pending.name} added…`, undefined);
      try {
        const { removed, kept } = await source.discardImport!();
        this.#set(this.#progress, `Import of ${pending.name} discarded: ${count(removed)} removed${kept > 0 ? `, ${count(kept)} that replaced stored records kept` : ''}.`);
      } catch (err) {
        this.opts.onError(`Could not discard the import of ${pending.name}: ${(err as Error).message}`);
      }
    });
  }

  /** One import action at a time, then the store shows what it left. */
  async #run(store: ExperimentStore, work: () => Promise<void>): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#set(undefined, undefined);
    this.opts.onError(undefined);
    try {
      await work();
    } finally {
      this.#busy = false;
      this.#set(undefined, this.#report);
    }
    await store.load();
  }

  #onProgress(what: string, name: string) {
    return (p: ImportProgress) => this.#set(`${what} ${name}: ${count(p.done)} of ${count(p.total)}`, this.#report);
  }

  render() {
    const pending = this.#busy ? undefined : this.opts.store().source?.pendingImport;
    return html`${pending ? this.#renderPending(pending) : nothing}${this.#progress ? html`<div part="loading" role="progressbar" aria-label=${this.#progress}>${this.#progress}</div>` : nothing}
    ${this.#report ? html`<div class="import-report" role="status">${this.#report}</div>` : nothing}`;
  }

  /** An import that stopped before its end (found when the source opened): resume it or undo it. */
  #renderPending(pending: PendingImport) {
    return html`<div class="pending-import" part="pending-import" role="status">
      <p>Import of ${pending.name} stopped at ${count(pending.done)} of ${count(pending.total)}.</p>
      <label class="import-button"
        >Resume (choose the file again)<input
          type="file"
          accept=".json,application/json"
          class="visually-hidden"
          @change=${(ev: Event) => {
            const input = ev.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void this.resume(file).then(() => (input.value = ''));
          }}
      /></label>
      <button type="button" class="discard-import" @click=${() => void this.discard(pending)}>Discard the ${count(pending.done)} imported</button>
    </div>`;
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
