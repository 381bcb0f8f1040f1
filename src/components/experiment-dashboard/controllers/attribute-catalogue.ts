import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AttributeCollector, PARENT_ATTRIBUTE, builtinAttributes, collectAttributes, resolveAttribute, type Attribute } from '../../../data/attributes.js';
import { parentIdOf } from '../../../data/parent.js';
import { durationMs } from '../../../data/parse.js';
import type { Experiment } from '../../../data/types.js';

/** Loads up to this size collect their attributes at once (well under 20 ms). */
const SYNC_MAX = 5000;

/**
 * The attributes found in the loaded experiments (column chooser, filters, grouping), with the
 * duration of running records counted up to the store's clock wherever it is read.
 *
 * The catalogue reads every record (~0.2 s at 100,000): it is not needed for the first rows when
 * the view names only built-in attributes, so large loads collect it in background slices of
 * ~10 ms (timer tasks, which a busy page does not starve as it does idle callbacks) after the
 * first paint, with the built-ins meanwhile. Anything that needs a non-built-in attribute, or
 * `attributes`, finishes it at once.
 */
export class AttributeCatalogueController implements ReactiveController {
  #attributes: Attribute[] = [];
  /** Set while the catalogue of a large load is still being collected. */
  #job?: { collector: AttributeCollector; experiments: readonly Experiment[]; next: number };
  /** Durations count up to the clock when they are read: a column made before the data still reads the snapshot's time. */
  readonly #duration: Attribute;
  /** The parent run by its name, looked up in the loaded runs (falling back to its id). */
  readonly #parent: Attribute;
  #experiments: readonly Experiment[] = [];
  /** Name of every loaded run by id, built on the first read of a parent's name after a load. */
  #names?: Map<string, string>;
  readonly #paused: () => boolean;
  /** Background slices run while the host is on the page; a finished job is picked up again on return. */
  #resume?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    opts: {
      /** The instant running durations count up to (the store's clock); undefined: now. */
      now: () => number | undefined;
      /** True while the background time belongs to something more urgent (a search waiting for its text). */
      paused: () => boolean;
    },
  ) {
    this.#duration = { ...(resolveAttribute('duration') as Attribute), get: (e: Experiment) => durationMs(e, opts.now()) };
    this.#parent = {
      ...(resolveAttribute(PARENT_ATTRIBUTE) as Attribute),
      get: (e: Experiment) => {
        const id = parentIdOf(e);
        if (id === undefined) return undefined;
        if (!this.#names) {
          this.#names = new Map();
          for (const x of this.#experiments) this.#names.set(x.id, x.name ?? x.id);
        }
        return this.#names.get(id) ?? id;
      },
    };
    this.#paused = opts.paused;
    host.addController(this);
  }

  hostConnected(): void {
    this.#resume?.();
  }

  /** Every attribute, complete. */
  get attributes(): Attribute[] {
    this.#finish();
    return this.#attributes;
  }

  /** What is known now (the built-ins while a large load is still being read). */
  get known(): Attribute[] {
    return this.#attributes;
  }

  /** The attribute with this id, also for ids not (yet) seen (`params.x`, `metrics.k.stat`). */
  get(id: string): Attribute | undefined {
    if (id === 'duration') return this.#duration;
    if (id === PARENT_ATTRIBUTE) return this.#parent;
    if (this.#job) {
      const builtin = this.#attributes.find((a) => a.id === id);
      if (builtin) return builtin;
      this.#finish();
    }
    return resolveAttribute(id, this.#attributes);
  }

  /** Collects at once (a few records changed or came in). */
  collect(experiments: readonly Experiment[]): void {
    this.#job = undefined;
    this.#loaded(experiments);
    this.#set(collectAttributes(experiments));
  }

  /** Collects a new load: small ones at once; large ones in slices once the returned function is called (after the first rows are drawn). */
  start(experiments: readonly Experiment[]): () => void {
    this.#loaded(experiments);
    if (experiments.length <= SYNC_MAX) {
      this.collect(experiments);
      return () => undefined;
    }
    const job = { collector: new AttributeCollector(), experiments, next: 0 };
    this.#job = job;
    this.#set(builtinAttributes());
    const schedule = (fn: () => void) => setTimeout(fn, 0);
    const slice = () => {
      if (this.#job !== job) return;
      if (!this.host.isConnected) {
        this.#resume = () => {
          this.#resume = undefined;
          schedule(slice);
        };
        return;
      }
      if (this.#paused()) {
        setTimeout(slice, 50);
        return;
      }
      const until = performance.now() + 10;
      do {
        const end = Math.min(job.next + 2000, experiments.length);
        job.collector.add(experiments, job.next, end);
        job.next = end;
      } while (job.next < experiments.length && performance.now() < until);
      if (job.next < experiments.length) schedule(slice);
      else this.#finish();
    };
    return () => schedule(slice);
  }

  /** True while a large load is still being collected. */
  get pending(): boolean {
    return this.#job !== undefined;
  }

  #finish(): void {
    const job = this.#job;
    if (!job) return;
    job.collector.add(job.experiments, job.next);
    this.#job = undefined;
    this.#set(job.collector.result());
  }

  #loaded(experiments: readonly Experiment[]): void {
    this.#experiments = experiments;
    this.#names = undefined;
  }

  #set(attributes: Attribute[]): void {
    this.#attributes = attributes.map((a) => (a.id === 'duration' ? this.#duration : a.id === PARENT_ATTRIBUTE ? this.#parent : a));
    this.host.requestUpdate();
  }
}
