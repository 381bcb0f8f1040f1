import { applyMainMetric, rejudgeStatus } from '../data/parse.js';
import { DEFAULT_DEAD_AFTER_MS, SourceError, type Change, type ConnectionState, type Experiment, type ExperimentSource, type Problem, type Query } from '../data/types.js';
import { guessMainMetric, type MainMetricSpec } from '../shared/main-metric.js';

/** Where a load stands, as Lit's Task names it. */
export type StoreStatus = 'initial' | 'pending' | 'complete' | 'error';

/** What changed in the store, so each view updates only what it must. */
export type StoreChange =
  /** The load started, failed or finished; rows unchanged. */
  | { kind: 'status' }
  /**
   * Every row replaced: `partial` is a first screen while the rest loads, `load` a finished load,
   * `main-metric` the same records with another main metric, `dead-after` the same records
   * judged alive or dead with another limit, `error` the rows dropped on a failure.
   */
  | { kind: 'reset'; cause: 'partial' | 'load' | 'main-metric' | 'dead-after' | 'error' }
  /** Records changed in place or added (a live change, an undo); `added`: the ids that are new. */
  | { kind: 'upsert'; experiments: readonly Experiment[]; added: readonly string[] }
  /** Records gone (a delete, a live change). */
  | { kind: 'remove'; ids: readonly string[] };

/** How much of the query the server ran, from the last page (see `Page`). */
export interface PageCoverage {
  localFilters?: readonly string[];
  partial?: boolean;
  scanned?: number;
  totalIsLowerBound?: boolean;
}

/** Fired on the store (`change`) after every change, with the store's new revision. */
export class StoreChangeEvent extends Event {
  constructor(
    readonly change: StoreChange,
    readonly revision: number,
  ) {
    super('change');
  }
}

/** A source that learns what it can do from its server before the first load (HttpSource). */
type ReadySource = ExperimentSource & { ready?: (signal?: AbortSignal) => Promise<unknown> };

/**
 * The one owner of the rows every view shows. It loads through the adapter (every load aborts
 * the previous one and a superseded answer is dropped, as Lit's Task does), applies the main
 * metric once, merges live changes, removes and restores rows for delete and undo, and counts a
 * revision. Views listen to `change` ({@link StoreChangeEvent}) instead of being called back.
 */
export class ExperimentStore extends EventTarget {
  #rows: readonly Experiment[] = [];
  #revision = 0;
  #status: StoreStatus = 'initial';
  #error?: SourceError;
  #problems: readonly Problem[] = [];
  #total?: number;
  #now?: number;
  #defaultMainMetric?: MainMetricSpec;
  #override?: MainMetricSpec;
  /** The collection's own limit for silent running records, and the host's override of it. */
  #defaultDeadAfter?: number;
  #deadAfter?: number;
  /** The user's pick (the view state's `mainMetric`); the host's override wins over it. */
  #chosen?: MainMetricSpec;
  /** Guessed from the metric names when the collection names no main metric (Sacred, MLflow). */
  #guessed?: MainMetricSpec;
  #source?: ReadySource;
  #owned = false;
  #abort?: AbortController;
  #unsubscribe?: () => void;
  #connection?: ConnectionState;
  #refreshError?: SourceError;
  #lastUpdated?: number;
  #livePaused = false;
  #coverage: PageCoverage = {};

  /** The query each load sends; server-query sources filter, sort and page by it. */
  query: () => Query = () => ({});

  /** The loaded records (after validation and the main metric, before filters). */
  get experiments(): readonly Experiment[] {
    return this.#rows;
  }

  /** Counts every change of the rows. */
  get revision(): number {
    return this.#revision;
  }

  get status(): StoreStatus {
    return this.#status;
  }

  /** Why the last load failed, in words for a user. */
  get error(): SourceError | undefined {
    return this.#error;
  }

  /** Records or fields of the last load that were left out, named. */
  get problems(): readonly Problem[] {
    return this.#problems;
  }

  /** In server-query mode: how many records the server has for the query. */
  get total(): number | undefined {
    return this.#total;
  }

  /**
   * The instant the records were read at (the collection's `generatedAt`), in ms: the source
   * derived "dead" against it, so running durations count up to it too. Undefined: the clock.
   */
  get now(): number | undefined {
    return this.#now;
  }

  /** The live connection as the source reports it (HttpSource, MlflowSource); undefined when it reports none or live updates are off. */
  get connection(): ConnectionState | undefined {
    return this.#connection;
  }

  /**
   * Why the last load (a view change, a page) failed while rows were shown: the rows are kept,
   * from before, and the store loads again when the connection is back.
   */
  get refreshError(): SourceError | undefined {
    return this.#refreshError;
  }

  /** When the rows were last known current (a load, a live change, a live check), in ms. */
  get lastUpdated(): number | undefined {
    return this.#connection?.lastUpdated ?? this.#lastUpdated;
  }

  /** The source can send live changes (whether or not they are paused). */
  get live(): boolean {
    return Boolean(this.#source?.subscribe && this.#source.capabilities.live);
  }

  /** Live updates were paused (`pauseLive`). */
  get livePaused(): boolean {
    return this.#livePaused;
  }

  /** What the server could not do of the last query (filters run in the browser, a partial scan, a total that is a lower bound). */
  get coverage(): PageCoverage {
    return this.#coverage;
  }

  get source(): ExperimentSource | undefined {
    return this.#source;
  }

  /** The main metric in force: the override, else the user's pick, else the collection's default, else a guess from the metric names. */
  get mainMetric(): MainMetricSpec | undefined {
    return this.#forced ?? this.#defaultMainMetric;
  }

  /** The main metric the rows are given in place of the one the source applied (the collection's). */
  get #forced(): MainMetricSpec | undefined {
    return this.#override ?? this.#chosen ?? (this.#defaultMainMetric ? undefined : this.#guessed);
  }

  /** The collection's own main metric, for a report that writes the collection again. */
  get defaultMainMetric(): MainMetricSpec | undefined {
    return this.#defaultMainMetric;
  }

  /**
   * Overrides how long a running record may stay silent before it shows as dead (ms; undefined:
   * the collection's `defaults.deadAfterMs`). Every row is judged again against the store's clock.
   */
  setDeadAfter(ms: number | undefined): void {
    if (ms === this.#deadAfter) return;
    const had = this.#deadAfter !== undefined;
    this.#deadAfter = ms;
    // Back to no override: the rows as the source judged them, with the collection's limit.
    if (this.#rows.length === 0 || (!had && ms === undefined)) return;
    this.#reset(this.#judged(this.#rows, ms ?? this.#defaultDeadAfter ?? DEFAULT_DEAD_AFTER_MS), 'dead-after');
  }

  /** The record with this id, if loaded. */
  get(id: string): Experiment | undefined {
    return this.#rows.find((e) => e.id === id);
  }

  /**
   * Uses another source (nothing is loaded until `load`). A source the store was given as
   * `owned` (one its host made from attributes) is closed when replaced; a user's is theirs.
   */
  setSource(source: ExperimentSource | undefined, owned = false): void {
    if (source === this.#source) return;
    this.#abort?.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#connection = undefined;
    this.#refreshError = undefined;
    this.#coverage = {};
    if (this.#owned) this.#source?.close?.();
    this.#source = source;
    this.#owned = owned;
  }

  /** Overrides the collection's main metric (undefined: back to the default); re-applied to every row. */
  setMainMetric(spec: MainMetricSpec | undefined): void {
    if (JSON.stringify(spec) === JSON.stringify(this.#override)) return;
    this.#override = spec;
    this.#reapply();
  }

  /** The user's pick of main metric (undefined: none picked); an override set with `setMainMetric` wins. */
  setChosenMainMetric(spec: MainMetricSpec | undefined): void {
    if (JSON.stringify(spec) === JSON.stringify(this.#chosen)) return;
    const before = JSON.stringify(this.mainMetric);
    this.#chosen = spec;
    if (JSON.stringify(this.mainMetric) !== before) this.#reapply();
  }

  #reapply(): void {
    if (this.#rows.length === 0) return;
    const applied = this.mainMetric;
    this.#reset(
      this.#rows.map((e) => applyMainMetric(e, applied, true)),
      'main-metric',
    );
  }

  /** Loads through the source: the previous request is aborted, a late answer dropped. */
  async load(): Promise<void> {
    this.#abort?.abort();
    const source = this.#source;
    if (!source) {
      this.#setStatus('initial');
      return;
    }
    const abort = new AbortController();
    this.#abort = abort;
    const current = () => this.#abort === abort && !abort.signal.aborted;
    this.#error = undefined;
    this.#setStatus('pending');
    try {
      // A source that learns its capabilities from its server says first whether it pages on
      // the server, so the first request already carries the view and the page size.
      if (typeof source.ready === 'function') await source.ready(abort.signal);
      if (!current()) return;
      const page = await source.load(this.query(), abort.signal, (first) => {
        // A first screen while the rest loads, only when nothing is shown yet.
        if (current() && this.#rows.length === 0) this.#reset(first, 'partial');
      });
      if (!current()) return;
      this.#total = source.capabilities.serverQuery ? (page.total ?? page.experiments.length) : undefined;
      // Only a live source is listened to (a subscription may open a connection or a channel).
      if (!this.#livePaused) this.#subscribe();
      this.#lastUpdated = Date.now();
      this.#refreshError = undefined;
      this.#coverage = { ...(page.localFilters?.length ? { localFilters: page.localFilters } : {}), ...(page.partial ? { partial: true } : {}), ...(page.scanned !== undefined ? { scanned: page.scanned } : {}), ...(page.totalIsLowerBound ? { totalIsLowerBound: true } : {}) };
      this.#defaultMainMetric = page.defaults?.mainMetric;
      this.#guessed = this.#defaultMainMetric ? undefined : guessMainMetric(metricKeys(page.experiments));
      this.#now = page.generatedAt ? Date.parse(page.generatedAt) : undefined;
      this.#defaultDeadAfter = page.defaults?.deadAfterMs;
      this.#problems = page.problems ?? [];
      this.#status = 'complete';
      this.#reset(this.#withOverride(page.experiments), 'load');
    } catch (err) {
      if (!current()) return;
      const error = err instanceof SourceError ? err : new SourceError('parse', `The experiments could not be read: ${(err as Error).message}`, { cause: err });
      if (this.#rows.length > 0 && unreachable(error)) {
        // A view change or a page while the server cannot be reached: the rows shown stay, said
        // to be from before, and the view is asked again once the connection is back.
        this.#refreshError = error;
        this.#setStatus('complete');
        return;
      }
      this.#error = error;
      this.#refreshError = undefined;
      this.#status = 'error';
      this.#reset([], 'error');
    }
  }

  /** Takes rows out (a delete the user confirmed); returns the records taken, for an undo. */
  remove(ids: readonly string[]): Experiment[] {
    const gone = new Set(ids);
    const removed = this.#rows.filter((e) => gone.has(e.id));
    if (removed.length === 0) return removed;
    this.#rows = this.#rows.filter((e) => !gone.has(e.id));
    this.#emit({ kind: 'remove', ids: removed.map((e) => e.id) });
    return removed;
  }

  /** Puts records back (an undo, a delete the source refused); ones still present stay as they are. */
  restore(experiments: readonly Experiment[]): void {
    const present = new Set(this.#rows.map((e) => e.id));
    const back = experiments.filter((e) => !present.has(e.id));
    if (back.length === 0) return;
    this.#rows = [...this.#rows, ...back];
    this.#emit({ kind: 'upsert', experiments: back, added: back.map((e) => e.id) });
  }

  /** Stops live updates until `resumeLive` (the rows stay as they are). */
  pauseLive(): void {
    this.#livePaused = true;
    this.#stopLive();
    this.#setStatus(this.#status);
  }

  /** Listens again and loads, so what changed while paused shows. */
  resumeLive(): Promise<void> {
    this.#livePaused = false;
    return this.load();
  }

  /** Tries the connection at once ("Retry now"): listens anew and loads again. */
  reconnect(): Promise<void> {
    this.#stopLive();
    if (!this.#livePaused) this.#subscribe();
    return this.load();
  }

  #subscribe(): void {
    const source = this.#source;
    if (this.#unsubscribe || !source?.subscribe || !source.capabilities.live) return;
    this.#unsubscribe = source.subscribe(
      (c) => this.#onChange(c),
      (state) => this.#onConnection(state),
    );
  }

  #stopLive(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#connection = undefined;
  }

  #onConnection(state: ConnectionState): void {
    const wasOnline = this.#connection?.status === 'online';
    this.#connection = state;
    // Back online: a view asked for while offline is loaded now.
    if (state.status === 'online' && !wasOnline && this.#refreshError) void this.load();
    else this.#setStatus(this.#status);
  }

  /** Stops a load in flight and live updates (the host left the page); the source and rows stay. */
  pause(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#stopLive();
    if (this.#status === 'pending') this.#setStatus(this.#rows.length > 0 ? 'complete' : 'initial');
  }

  /** Stops listening and loading; closes a source the store owns. */
  dispose(): void {
    this.setSource(undefined);
  }

  #withOverride(experiments: Experiment[]): Experiment[] {
    const override = this.#forced;
    const withMetric = override ? experiments.map((e) => applyMainMetric(e, override, true)) : experiments;
    return this.#deadAfter === undefined ? withMetric : this.#judged(withMetric, this.#deadAfter);
  }

  #judged(experiments: readonly Experiment[], deadAfterMs: number): Experiment[] {
    const now = this.#now ?? Date.now();
    return experiments.map((e) => rejudgeStatus(e, now, deadAfterMs));
  }

  /** Live updates from the source: rows change in place. */
  #onChange(change: Change): void {
    this.#lastUpdated = Date.now();
    if (change.type === 'reload' || this.#source?.capabilities.serverQuery) {
      void this.load();
      return;
    }
    if (change.type === 'delete') {
      this.remove(change.ids);
      return;
    }
    const incoming = this.#withOverride(change.experiments);
    const byId = new Map(incoming.map((e) => [e.id, e]));
    const merged = this.#rows.map((e) => {
      const next = byId.get(e.id);
      if (next) byId.delete(e.id);
      return next ?? e;
    });
    const added = [...byId.values()];
    this.#rows = [...merged, ...added];
    this.#emit({ kind: 'upsert', experiments: incoming, added: added.map((e) => e.id) });
  }

  #reset(rows: readonly Experiment[], cause: 'partial' | 'load' | 'main-metric' | 'dead-after' | 'error'): void {
    this.#rows = rows;
    this.#emit({ kind: 'reset', cause });
  }

  #setStatus(status: StoreStatus): void {
    this.#status = status;
    this.dispatchEvent(new StoreChangeEvent({ kind: 'status' }, this.#revision));
  }

  #emit(change: StoreChange): void {
    this.#revision += 1;
    this.dispatchEvent(new StoreChangeEvent(change, this.#revision));
  }
}

/** The server did not answer (or answered that it is down for now): the rows shown may still hold. */
function unreachable(error: SourceError): boolean {
  return error.kind === 'network' || error.kind === 'timeout' || (error.kind === 'http' && (error.status ?? 0) >= 500);
}

function metricKeys(experiments: readonly Experiment[]): Set<string> {
  const keys = new Set<string>();
  for (const e of experiments) for (const k in e.metrics) keys.add(k);
  return keys;
}
