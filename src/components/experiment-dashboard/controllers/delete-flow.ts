import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Experiment, ExperimentSource } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import { canDelete } from '../../../shared/capabilities.js';
import { confirmDialog, confirmStyles, undoBar } from '../templates/confirm-dialog.js';
import { dialogStyles } from '../templates/dialog.styles.js';
import { nameOf } from '../templates/summary.js';
import { statusLineStyles } from './status-line.styles.js';

/** Adopted when the delete code loads (LazyParts), before its dialog or Undo line first shows. */
export const partStyles = [dialogStyles, statusLineStyles, confirmStyles];

export interface ExperimentDeleteDetail {
  ids: string[];
  experiments: Experiment[];
}
export interface ExperimentsDeletedDetail {
  ids: string[];
}

export interface DeleteFlowHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /**
   * Milliseconds a confirmed delete can be undone; 0 deletes at once. With a source that can
   * restore, the delete is sent at once and Undo asks the source to restore (0: {@link RESTORE_UNDO_MS}).
   */
  deleteUndoMs: number;
}

/** How long Undo is offered after a delete a source can restore, when `delete-undo-ms` is 0. */
export const RESTORE_UNDO_MS = 10_000;

export interface DeleteFlowOptions {
  /** The store whose rows are deleted (read at each step: the host may switch stores). */
  store: () => ExperimentStore;
  /** Resolves once the views show the last change of the store. */
  settled: () => Promise<void>;
  /** Shows (or, with undefined, clears) a message about the delete. */
  onError: (message: string | undefined) => void;
}

/**
 * Delete with a confirmation: asks, fires the cancelable `experiment-delete`, and removes rows
 * from the store only once the source confirmed. A source that keeps deleted records
 * (`capabilities.restore`) is asked at once and Undo asks it to restore them; otherwise, with
 * `deleteUndoMs`, the rows are hidden at once and the source is asked when the undo window closes
 * (a failure puts them back), and nothing the user has is deleted when the element leaves the
 * page during the window.
 */
export class DeleteFlowController implements ReactiveController {
  #confirm?: Experiment[];
  #deleting = false;
  /** The delete Undo is offered for; `restoreFrom`: the source that already deleted it and can restore it. */
  #undo?: { experiments: Experiment[]; timer: ReturnType<typeof setTimeout>; restoreFrom?: ExperimentSource };

  constructor(
    private readonly host: DeleteFlowHost,
    private readonly opts: DeleteFlowOptions,
  ) {
    host.addController(this);
  }

  get #source(): ExperimentSource | undefined {
    return this.opts.store().source;
  }

  /** True when the source can delete. */
  get enabled(): boolean {
    return canDelete(this.#source);
  }

  #canRestore(source: ExperimentSource | undefined): boolean {
    return Boolean(source?.capabilities.restore && source.restore);
  }

  hostUpdated(): void {
    const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm');
    if (this.#confirm && dialog && !dialog.open && dialog.isConnected) dialog.showModal();
    else if (!this.#confirm && dialog?.open) dialog.close();
  }

  hostDisconnected(): void {
    // A delete still in its undo window is not sent: nothing is lost when the page goes away
    // (one the source already has stays deleted, restorable there).
    if (this.#undo) clearTimeout(this.#undo.timer);
    this.#undo = undefined;
  }

  /** Asks the user to confirm deleting these experiments. */
  ask(experiments: Experiment[]): void {
    if (experiments.length === 0 || !this.#source?.delete) return;
    this.opts.onError(undefined);
    this.#set(() => (this.#confirm = experiments));
  }

  /** The confirmation dialog (when the source can delete) and the undo bar. */
  render() {
    const source = this.#source;
    return this.enabled
      ? confirmDialog({
          experiments: this.#confirm ?? [],
          sourceLabel: source?.label,
          restorable: this.#canRestore(source),
          restoreNote: source?.restoreNote,
          deleting: this.#deleting,
          onCancel: () => this.#set(() => (this.#confirm = undefined)),
          onConfirm: () => void this.#confirmed(),
        })
      : nothing;
  }

  renderUndo() {
    const pending = this.#undo;
    return pending ? undoBar(pending.experiments, () => void this.undo()) : nothing;
  }

  /**
   * Undoes the last delete while Undo is offered: rows still waiting for their window come back
   * without asking the source; rows the source deleted come back once its `restore()` resolves.
   */
  async undo(): Promise<void> {
    const pending = this.#undo;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#set(() => (this.#undo = undefined));
    if (pending.restoreFrom) return this.#restore(pending.restoreFrom, pending.experiments);
    this.opts.store().restore(pending.experiments);
    await this.opts.settled();
  }

  async #restore(source: ExperimentSource, experiments: Experiment[]): Promise<void> {
    this.opts.onError(undefined);
    try {
      await source.restore?.(experiments.map((e) => e.id));
    } catch (err) {
      // Still offered, so the user can try again.
      this.#offerRestore(source, experiments);
      this.opts.onError(`Could not restore ${this.#what(experiments)}: ${(err as Error).message} ${experiments.length === 1 ? 'It is' : 'They are'} still deleted; press Undo to try again.`);
      return;
    }
    // The rows belong to that source: none come back into a store that switched to another.
    if (this.#source !== source) return;
    // A live change may have brought them back already: the store keeps one row per id.
    this.opts.store().restore(experiments);
    await this.opts.settled();
  }

  #offerRestore(source: ExperimentSource, experiments: Experiment[]): void {
    const ms = this.host.deleteUndoMs > 0 ? this.host.deleteUndoMs : RESTORE_UNDO_MS;
    const timer = setTimeout(() => {
      if (this.#undo?.experiments === experiments) this.#set(() => (this.#undo = undefined));
    }, ms);
    this.#set(() => (this.#undo = { experiments, timer, restoreFrom: source }));
  }

  async #confirmed(): Promise<void> {
    const source = this.#source;
    const experiments = this.#confirm ?? [];
    const ids = experiments.map((e) => e.id);
    if (!source?.delete || ids.length === 0) return;
    const proceed = this.host.dispatchEvent(new CustomEvent<ExperimentDeleteDetail>('experiment-delete', { bubbles: true, composed: true, cancelable: true, detail: { ids, experiments } }));
    if (!proceed) {
      this.#set(() => (this.#confirm = undefined));
      return;
    }
    const restorable = this.#canRestore(source);
    if (this.host.deleteUndoMs > 0 && !restorable) {
      // Hidden now, deleted when the undo window closes: until then nothing has left the source.
      this.#set(() => (this.#confirm = undefined));
      this.#finishPending();
      await this.#hide(ids);
      const timer = setTimeout(() => void this.#commit(source, experiments), this.host.deleteUndoMs);
      this.#set(() => (this.#undo = { experiments, timer }));
      return;
    }
    if (restorable) this.#finishPending();
    this.#set(() => (this.#deleting = true));
    try {
      await source.delete(ids);
    } catch (err) {
      this.opts.onError(this.#failed(experiments, err));
      return;
    } finally {
      this.#set(() => {
        this.#deleting = false;
        this.#confirm = undefined;
      });
    }
    await this.#hide(ids);
    this.#deleted(ids);
    if (restorable) this.#offerRestore(source, experiments);
  }

  async #hide(ids: readonly string[]): Promise<void> {
    this.opts.store().remove(ids);
    await this.opts.settled();
  }

  async #commit(source: ExperimentSource, experiments: Experiment[]): Promise<void> {
    if (this.#undo?.experiments === experiments) this.#set(() => (this.#undo = undefined));
    const ids = experiments.map((e) => e.id);
    try {
      await source.delete?.(ids);
      this.#deleted(ids);
    } catch (err) {
      this.opts.store().restore(experiments);
      await this.opts.settled();
      this.opts.onError(this.#failed(experiments, err));
    }
  }

  /** A second delete while one waits for its undo window sends the first one now. */
  #finishPending(): void {
    const pending = this.#undo;
    const source = this.#source;
    if (!pending || !source) return;
    clearTimeout(pending.timer);
    if (pending.restoreFrom) this.#set(() => (this.#undo = undefined));
    else void this.#commit(source, pending.experiments);
  }

  #deleted(ids: string[]): void {
    this.host.dispatchEvent(new CustomEvent<ExperimentsDeletedDetail>('experiments-deleted', { bubbles: true, composed: true, detail: { ids } }));
  }

  #what(experiments: readonly Experiment[]): string {
    return experiments.length === 1 ? `"${nameOf(experiments[0]!)}"` : `${experiments.length} experiments`;
  }

  #failed(experiments: Experiment[], err: unknown): string {
    return `Could not delete ${this.#what(experiments)}: ${(err as Error).message} Nothing was removed; try again.`;
  }

  #set(change: () => unknown): void {
    change();
    this.host.requestUpdate();
  }
}
