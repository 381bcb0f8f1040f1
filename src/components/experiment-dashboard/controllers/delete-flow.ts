import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Experiment, ExperimentSource } from '../../../data/types.js';
import type { ExperimentStore } from '../../../store/experiment-store.js';
import { confirmDialog, undoBar } from '../templates/confirm-dialog.js';
import { nameOf } from '../templates/summary.js';

export interface ExperimentDeleteDetail {
  ids: string[];
  experiments: Experiment[];
}
export interface ExperimentsDeletedDetail {
  ids: string[];
}

export interface DeleteFlowHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Milliseconds a confirmed delete can be undone; 0 deletes at once. */
  deleteUndoMs: number;
}

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
 * from the store only once the source confirmed; with `deleteUndoMs`, hides them at once and asks
 * the source when the undo window closes (a failure puts them back). Nothing the user has is
 * deleted when the element leaves the page during the window.
 */
export class DeleteFlowController implements ReactiveController {
  #confirm?: Experiment[];
  #deleting = false;
  #undo?: { experiments: Experiment[]; timer: ReturnType<typeof setTimeout> };

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
    const source = this.#source;
    return Boolean(source?.capabilities.delete && source.delete);
  }

  hostUpdated(): void {
    const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm');
    if (this.#confirm && dialog && !dialog.open && dialog.isConnected) dialog.showModal();
    else if (!this.#confirm && dialog?.open) dialog.close();
  }

  hostDisconnected(): void {
    // A delete still in its undo window is not sent: nothing is lost when the page goes away.
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
    return this.enabled
      ? confirmDialog({
          experiments: this.#confirm ?? [],
          sourceLabel: this.#source?.label,
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

  /** Puts the rows of the delete waiting in its undo window back; the source is never asked. */
  async undo(): Promise<void> {
    const pending = this.#undo;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#set(() => (this.#undo = undefined));
    this.opts.store().restore(pending.experiments);
    await this.opts.settled();
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
    if (this.host.deleteUndoMs > 0) {
      // Hidden now, deleted when the undo window closes: until then nothing has left the source.
      this.#set(() => (this.#confirm = undefined));
      this.#finishPending();
      await this.#hide(ids);
      const timer = setTimeout(() => void this.#commit(source, experiments), this.host.deleteUndoMs);
      this.#set(() => (this.#undo = { experiments, timer }));
      return;
    }
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
    void this.#commit(source, pending.experiments);
  }

  #deleted(ids: string[]): void {
    this.host.dispatchEvent(new CustomEvent<ExperimentsDeletedDetail>('experiments-deleted', { bubbles: true, composed: true, detail: { ids } }));
  }

  #failed(experiments: Experiment[], err: unknown): string {
    const what = experiments.length === 1 ? `"${nameOf(experiments[0]!)}"` : `${experiments.length} experiments`;
    return `Could not delete ${what}: ${(err as Error).message} Nothing was removed; try again.`;
  }

  #set(change: () => unknown): void {
    change();
    this.host.requestUpdate();
  }
}
