import { nothing, type ReactiveController } from 'lit';
import type { Experiment } from '../../../data/types.js';
import type { ViewState } from '../../../data/view-state.js';
import { canDelete } from '../../../shared/capabilities.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import type { DeleteFlowController, DeleteFlowHost } from './delete-flow.js';
import type { ImportController } from './import.js';
import type { LazyParts, Loaded } from './lazy-parts.js';
import type { LiveController } from './live.js';

const importCode = () => import('./import.js');
const liveCode = () => import('./live.js');
const deleteCode = () => import('./delete-flow.js');

export interface SourceFeaturesOptions {
  parts: LazyParts;
  /** The store shown (read at each step: the host may switch stores). */
  store: () => ExperimentStore;
  view: () => ViewState;
  labelOf: (attribute: string) => string;
  /** Resolves once the table shows the last change of the store. */
  settled: () => Promise<void>;
  onError: (message: string | undefined) => void;
}

/**
 * What a source can do beyond showing rows, loaded only when the source can: the live status
 * (live changes, a server that may go offline or answers queries), delete with its confirmation
 * and Undo, and the import of files (also dropped on the element). A static JSON file needs none.
 */
export class SourceFeaturesController implements ReactiveController {
  live?: LiveController;
  deleteFlow?: DeleteFlowController;
  importer?: ImportController;

  constructor(
    private readonly host: DeleteFlowHost,
    private readonly opts: SourceFeaturesOptions,
  ) {
    host.addController(this);
    // Files dropped on a dashboard whose source takes imports (IndexedDB) are imported.
    host.addEventListener('dragover', (ev) => {
      if (this.importable && ev.dataTransfer?.types.includes('Files')) {
        ev.preventDefault();
        ev.dataTransfer.dropEffect = 'copy';
      }
    });
    host.addEventListener('drop', (ev) => {
      if (!this.importable || !ev.dataTransfer?.files.length) return;
      ev.preventDefault();
      void this.importFiles([...ev.dataTransfer.files]);
    });
  }

  hostUpdate(): void {
    const { store, parts, view, labelOf } = this.opts;
    const s = store();
    const can = s.source?.capabilities;
    if (can?.live || can?.serverQuery || s.connection || s.refreshError) {
      void parts.load('the live status', liveCode).then((m) => (this.live ??= m && new m.LiveController(this.host, store, { view, labelOf })));
    }
    void this.ready();
    // Made at once: it also shows an interrupted import the source found.
    if (this.importable) void this.#withImport();
  }

  /** The source can delete and the delete code is there (the table offers Delete then). */
  get deletable(): boolean {
    return this.deleteFlow !== undefined && canDelete(this.opts.store().source);
  }

  /**
   * Resolves when the rows can show: with a source that can delete, once the delete code came
   * (asked for as soon as the source is known), so a row's Delete opens its confirmation at once.
   */
  ready(): Promise<unknown> {
    return canDelete(this.opts.store().source) ? this.#withDelete() : Promise.resolve();
  }

  /** The source can take files (IndexedDB). */
  get importable(): boolean {
    return typeof this.opts.store().source?.importCollection === 'function';
  }

  /** Asks to delete these rows (the confirmation first). */
  askDelete(experiments: Experiment[]): void {
    this.deleteFlow?.ask(experiments);
  }

  /** Imports files (the Import button, or files dropped on the element). */
  async importFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0 || !this.importable) return;
    await (await this.#withImport())?.importFiles(files);
  }

  /** The Import button, when the source takes files and its code is there. */
  importButton() {
    const code = this.importable ? this.opts.parts.loaded<Loaded<typeof importCode>>('the import') : undefined;
    return code?.importButton((files) => this.importFiles(files)) ?? nothing;
  }

  #withDelete(): Promise<DeleteFlowController | undefined> {
    const { store, settled, onError } = this.opts;
    // The table shows rows of a source that can delete only once this resolved (see `ready`).
    return this.opts.parts.load('the delete controls', deleteCode).then((m) => (this.deleteFlow ??= m && new m.DeleteFlowController(this.host, { store, settled, onError })));
  }

  #withImport(): Promise<ImportController | undefined> {
    const { store, onError } = this.opts;
    return this.opts.parts.load('the import', importCode).then((m) => (this.importer ??= m && new m.ImportController(this.host, { store, onError })));
  }
}
