import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { isObject } from '../shared/guards.js';
import { formatProblem, parseCollection, type ParseResult } from './parse.js';
import {
  SourceError,
  type Change,
  type CollectionDefaults,
  type DiscardReport,
  type Experiment,
  type ExperimentCollection,
  type ExperimentSource,
  type ImportOptions,
  type ImportReport,
  type Metric,
  type Page,
  type PendingImport,
  type Query,
  type Series,
  type SourceCapabilities,
} from './types.js';

export type { DiscardReport, ImportOptions, ImportProgress, ImportReport, PendingImport } from './types.js';

/**
 * Schema history:
 * - v1: store `experiments` (keyPath `id`), histories inline in the records.
 * - v2: indexes `status`, `times.started`, `mainMetric.value` on `experiments`; histories moved
 *   to their own store `histories` keyed `[id, metric]` (records keep `historyRef`), so listing
 *   100,000 records does not drag every curve along; store `meta` for collection defaults
 *   (and the journal of an import in progress, see below: new keys, no new version).
 */
export const IDB_SCHEMA_VERSION = 2;

/** `historyRef` of a metric whose history lives in this database's `histories` store. */
export const IDB_HISTORY_REF = 'indexeddb:histories';

interface StoredHistory extends Series {
  id: string;
  metric: string;
}

interface ExperimentDb extends DBSchema {
  experiments: {
    key: string;
    value: Experiment;
    indexes: { status: string; 'times.started': string; 'mainMetric.value': number };
  };
  histories: { key: [string, string]; value: StoredHistory };
  meta: { key: string; value: unknown };
}

type Db = IDBPDatabase<ExperimentDb>;

export interface IndexedDbSourceOptions {
  /** Records per write transaction during import. Default 2000. */
  chunkSize?: number;
  /** Records per read batch in `load()` and `exportCollection()`. Default 2000. */
  readBatchSize?: number;
}

/*
 * The import journal. An import writes its records chunk by chunk, one transaction each; a reload
 * or a crash between two chunks would leave half the file stored with no trace that it is half.
 * So each chunk's transaction also writes, in `meta`:
 * - `import`: the journal ({@link ImportJournal}), with the count of records stored so far;
 * - `import-added:<chunk>`: the ids this chunk added (records that were not stored before), so a
 *   discard removes exactly those and never a record that was there before.
 * Written in the same transaction as the records, the journal is never ahead of or behind them.
 * A finished import deletes it; one found when the database opens is an interrupted import.
 */
const JOURNAL_KEY = 'import';
const ADDED_PREFIX = 'import-added:';
const addedKey = (chunk: number): string => `${ADDED_PREFIX}${String(chunk).padStart(9, '0')}`;
const addedKeys = (): IDBKeyRange => IDBKeyRange.bound(ADDED_PREFIX, `${ADDED_PREFIX}\uffff`);

interface ImportJournal extends PendingImport {
  /** Chunks written so far (numbers the `import-added:` entries). */
  chunks: number;
  /** Records it replaced (stored before it, so a discard keeps them). */
  updated: number;
  /** `meta` defaults and generatedAt before the import, put back by a discard (absent: there were none). */
  before: { defaults?: unknown; generatedAt?: unknown };
}

/** The journal as read back: the database is not trusted more than any other input. */
function readJournal(value: unknown): ImportJournal | undefined {
  if (!isObject(value)) return undefined;
  const { name, total, done, startedAt, chunks, updated, before } = value;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (typeof name !== 'string' || typeof startedAt !== 'string' || !count(total) || !count(done) || !count(chunks) || !count(updated)) return undefined;
  return { name, total, done, startedAt, chunks, updated, before: isObject(before) ? before : {} };
}

/** Whether a stored record already is what writing `record` would store (resume skips it). */
const sameRecord = (stored: Experiment, record: Experiment): boolean => JSON.stringify(stored) === JSON.stringify(record);

/** What one chunk's transaction writes besides the records. */
interface ChunkPlan {
  /** The journal before this chunk. */
  journal: ImportJournal;
  /** Records handled once this chunk is written. */
  done: number;
  /** The collection's defaults: written with the first chunk, so even a cut-short import has them. */
  meta?: ParseResult;
  /** A new journal: note the defaults as they were, and drop entries an older import left. */
  fresh: boolean;
  /** Resuming: records already stored with the same content are left alone. */
  skipSame: boolean;
}

interface ChunkCounts {
  added: number;
  updated: number;
  unchanged: number;
}

interface ChannelMessage {
  change: Change;
}

const DEFAULT_CHUNK = 2000;
const DEFAULT_READ_BATCH = 2000;
/** Above this many records an import tells other tabs to reload instead of sending the records. */
const BROADCAST_RECORD_LIMIT = 1000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const errorName = (err: unknown): string | undefined => (err instanceof DOMException || err instanceof Error ? err.name : undefined);

/** Moves inline histories out of a record; a summary-only update keeps the stored history. */
function splitHistories(e: Experiment, previous: Experiment | undefined): { record: Experiment; histories: StoredHistory[] } {
  if (!e.metrics) return { record: e, histories: [] };
  const metrics: Record<string, Metric> = {};
  const histories: StoredHistory[] = [];
  let changed = false;
  for (const [key, m] of Object.entries(e.metrics)) {
    if (m.history) {
      const { history, ...summary } = m;
      histories.push({ ...history, id: e.id, metric: key });
      metrics[key] = { ...summary, historyRef: IDB_HISTORY_REF };
      changed = true;
    } else if (m.historyRef === undefined && previous?.metrics?.[key]?.historyRef === IDB_HISTORY_REF) {
      metrics[key] = { ...m, historyRef: IDB_HISTORY_REF };
      changed = true;
    } else metrics[key] = m;
  }
  return { record: changed ? { ...e, metrics } : e, histories };
}

function toSeries(h: StoredHistory): Series {
  const series: Series = { steps: h.steps, values: h.values };
  if (h.timestamps) series.timestamps = h.timestamps;
  return series;
}

/** Every history of one experiment: keys `[id, <any metric>]` sort between `[id]` and `[id, []]`. */
const historiesOf = (id: string): IDBKeyRange => IDBKeyRange.bound([id], [id, []]);

function upgradeSchema(db: Db, oldVersion: number, tx: IDBPTransaction<ExperimentDb, StoreNames<ExperimentDb>[], 'versionchange'>): void {
  if (oldVersion < 1) db.createObjectStore('experiments', { keyPath: 'id' });
  if (oldVersion < 2) {
    const experiments = tx.objectStore('experiments');
    experiments.createIndex('status', 'status');
    experiments.createIndex('times.started', 'times.started');
    experiments.createIndex('mainMetric.value', 'mainMetric.value');
    db.createObjectStore('histories', { keyPath: ['id', 'metric'] });
    db.createObjectStore('meta');
    if (oldVersion === 1) {
      // Runs inside the versionchange transaction: either every record moves or none does.
      migrateHistoriesOut(tx).catch(() => {
        try {
          tx.abort();
        } catch {
          // The transaction already ended; its own error is reported by the open request.
        }
      });
    }
  }
}

async function migrateHistoriesOut(tx: IDBPTransaction<ExperimentDb, StoreNames<ExperimentDb>[], 'versionchange'>): Promise<void> {
  const histories = tx.objectStore('histories');
  let cursor = await tx.objectStore('experiments').openCursor();
  while (cursor) {
    const { record, histories: moved } = splitHistories(cursor.value, undefined);
    if (moved.length > 0) await Promise.all([cursor.update(record), ...moved.map((h) => histories.put(h))]);
    cursor = await cursor.continue();
  }
}

/**
 * An experiment store in the browser's IndexedDB: import collections (100,000 records without
 * freezing the page), delete durably, and see changes made in other tabs of the same origin.
 *
 * Filtering, sorting and grouping happen in the table (`serverQuery: false`): `load()` returns
 * every record, read in batches. Metric histories are kept apart and read with `history()`.
 *
 * Records are written as `parseCollection` normalises them; export with `exportCollection()`
 * and write the result with `collectionToJson` (non-finite numbers as format-v1 strings).
 */
export class IndexedDbSource implements ExperimentSource {
  readonly capabilities: SourceCapabilities = { delete: true, live: true, serverQuery: false, history: true };
  readonly label: string;
  readonly name: string;
  readonly #chunkSize: number;
  readonly #readBatch: number;
  #db: Promise<Db> | undefined;
  #pending: PendingImport | undefined;
  #channel: BroadcastChannel | undefined;
  readonly #listeners = new Set<(change: Change) => void>();

  constructor(name = 'experiment-dashboard', options: IndexedDbSourceOptions = {}) {
    this.name = name;
    this.label = `the browser database "${name}"`;
    this.#chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
    this.#readBatch = Math.max(1, options.readBatchSize ?? DEFAULT_READ_BATCH);
  }

  // ---- connection ----

  #open(): Promise<Db> {
    this.#db ??= this.#connect()
      .then(async (db) => {
        const journal = readJournal(await db.get('meta', JOURNAL_KEY));
        this.#pending = journal && !(await this.#importRunningElsewhere()) ? this.#toPending(journal) : undefined;
        return db;
      })
      .catch((err: unknown) => {
        this.#db = undefined;
        throw err;
      });
    return this.#db;
  }

  /**
   * Imports and discards of one database run one at a time, across the tabs of the origin (a Web
   * Lock, released by the browser when a tab closes), and the journal of an import that another
   * tab is still running is not taken for an interrupted one.
   */
  #exclusively<T>(run: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? (locks.request(this.#lockName, run) as Promise<T>) : run();
  }

  get #lockName(): string {
    return `experiment-dashboard:indexeddb-import:${this.name}`;
  }

  async #importRunningElsewhere(): Promise<boolean> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    if (!locks) return false;
    try {
      const { held = [] } = await locks.query();
      return held.some((lock) => lock.name === this.#lockName);
    } catch {
      return false;
    }
  }

  #toPending(journal: ImportJournal | undefined): PendingImport | undefined {
    return journal && { name: journal.name, total: journal.total, done: journal.done, startedAt: journal.startedAt };
  }

  /** Opens the database (see `pendingImport`); the capabilities never change. */
  async ready(signal?: AbortSignal): Promise<SourceCapabilities> {
    await this.#open();
    if (signal?.aborted) throw this.#aborted('Opening the database', signal);
    return this.capabilities;
  }

  /**
   * An import into this database that stopped before its end (the page was reloaded or closed,
   * the import was cancelled, the disk was full): `{ name, total, done, startedAt }`. Known once
   * `ready()` or `load()` has resolved, or an import of this source stopped; undefined when there
   * is none. Offer `resumeImport(file)` or `discardImport()`.
   */
  get pendingImport(): PendingImport | undefined {
    return this.#pending;
  }

  #connect(): Promise<Db> {
    if (typeof indexedDB === 'undefined' || !indexedDB) {
      return Promise.reject(
        new SourceError(
          'unsupported',
          'This browser does not offer IndexedDB here (private browsing, or site data is disabled), so experiments cannot be stored in it. Open the page in a normal window, allow site data, or load a file or a server instead.',
          { location: this.name },
        ),
      );
    }
    return new Promise<Db>((resolve, reject) => {
      let blocked = false;
      openDB<ExperimentDb>(this.name, IDB_SCHEMA_VERSION, {
        upgrade: (db, oldVersion, _newVersion, tx) => upgradeSchema(db, oldVersion, tx),
        blocked: () => {
          blocked = true;
          reject(
            new SourceError(
              'blocked',
              `The experiment database "${this.name}" needs an upgrade, but another tab of this page still uses the old version. Close other tabs of this page, then reload this one.`,
              { location: this.name },
            ),
          );
        },
        // A newer version of this page wants to upgrade: step aside instead of blocking it.
        blocking: () => this.#disconnect(),
        terminated: () => {
          this.#db = undefined;
        },
      }).then(
        (db) => {
          // Opened after all once the other tab closed; the caller was already told, start afresh.
          if (blocked) db.close();
          else resolve(db);
        },
        (err: unknown) => reject(this.#openError(err)),
      );
    });
  }

  #openError(err: unknown): SourceError {
    const name = errorName(err);
    if (name === 'VersionError') {
      return new SourceError('unsupported', `The experiment database "${this.name}" was upgraded by a newer version of this page in another tab. Reload this page.`, {
        location: this.name,
        cause: err,
      });
    }
    if (name === 'InvalidStateError' || name === 'SecurityError') {
      return new SourceError('unsupported', 'This browser does not allow IndexedDB here (private browsing, or site data is disabled). Open the page in a normal window or load a file or a server instead.', {
        location: this.name,
        cause: err,
      });
    }
    if (name === 'QuotaExceededError') return this.#quotaError(err, 'opening the database');
    return new SourceError('unsupported', `The experiment database "${this.name}" could not be opened (${name ?? 'error'}: ${(err as Error)?.message}). Nothing was changed; reload the page and try again.`, {
      location: this.name,
      cause: err,
    });
  }

  #quotaError(err: unknown, doing: string, detail = ''): SourceError {
    return new SourceError('quota', `The browser's storage for this site is full, so ${doing} stopped.${detail} Delete experiments you no longer need (or other data of this site) and try again.`, {
      location: this.name,
      cause: err,
    });
  }

  #disconnect(): void {
    const db = this.#db;
    this.#db = undefined;
    void db?.then((d) => d.close()).catch(() => undefined);
  }

  /** Closes the database connection and the change channel; the source reopens on next use. */
  close(): void {
    this.#disconnect();
    this.#channel?.close();
    this.#channel = undefined;
    this.#listeners.clear();
  }

  #aborted(doing: string, signal: AbortSignal): SourceError {
    return new SourceError('aborted', `${doing} was cancelled.`, { location: this.name, cause: signal.reason });
  }

  // ---- reading ----

  /** Every stored record (the query is applied by the table), read in batches between which the page stays responsive. */
  async load(_query: Query = {}, signal?: AbortSignal, onPartial?: (first: Experiment[]) => void): Promise<Page> {
    const db = await this.#open();
    const experiments = await this.#readAll(db, signal, 'Loading experiments', onPartial);
    const page: Page = { experiments, total: experiments.length };
    const [defaults, generatedAt] = await Promise.all([db.get('meta', 'defaults'), db.get('meta', 'generatedAt')]);
    if (defaults && typeof defaults === 'object') page.defaults = defaults as CollectionDefaults;
    if (typeof generatedAt === 'string') page.generatedAt = generatedAt;
    return page;
  }

  async #readAll(db: Db, signal: AbortSignal | undefined, doing: string, onPartial?: (first: Experiment[]) => void): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let after: string | undefined;
    for (;;) {
      if (signal?.aborted) throw this.#aborted(doing, signal);
      const batch = await db.getAll('experiments', after === undefined ? null : IDBKeyRange.lowerBound(after, true), this.#readBatch);
      for (const e of batch) out.push(e);
      if (batch.length < this.#readBatch) return out;
      // More to come: the first batch is enough for a first screen of rows.
      if (out.length === batch.length) onPartial?.(out.slice());
      after = batch[batch.length - 1]?.id;
      await yieldToEventLoop();
    }
  }

  async get(id: string, signal?: AbortSignal): Promise<Experiment> {
    const db = await this.#open();
    if (signal?.aborted) throw this.#aborted('Reading the experiment', signal);
    const e = await db.get('experiments', id);
    if (!e) throw new SourceError('not-found', `No experiment with id ${JSON.stringify(id)} in ${this.label}; it may have been deleted in another tab.`, { location: this.name });
    return e;
  }

  /** The full history of one metric, read only when asked for (e.g. when a row expands). */
  async history(id: string, metric: string, signal?: AbortSignal): Promise<Series> {
    const db = await this.#open();
    if (signal?.aborted) throw this.#aborted('Reading the metric history', signal);
    const stored = await db.get('histories', [id, metric]);
    if (stored) return toSeries(stored);
    const inline = (await db.get('experiments', id))?.metrics?.[metric]?.history;
    if (inline) return inline;
    throw new SourceError('not-found', `Experiment ${JSON.stringify(id)} has no stored history for metric ${JSON.stringify(metric)} in ${this.label}.`, { location: this.name });
  }

  // ---- writing ----

  /**
   * Validates a collection (JSON text or parsed) with `parseCollection`, then writes the valid
   * records in chunked transactions, yielding to the page between chunks. Records with the same
   * id are replaced. A failing chunk (e.g. the disk is full) is rolled back whole: no record is
   * ever half-written, and the error says how many were stored before it. The collection's
   * defaults (main metric, dead threshold) are written with the first chunk.
   *
   * An import that stops before its end (cancelled, disk full, page reloaded) is kept in a
   * journal: `pendingImport` reports it, now and when the database is next opened, until
   * `resumeImport()` finishes it or `discardImport()` undoes it. A new import replaces it.
   *
   * Rejects with a `SourceError` (`parse`: not JSON; `schema`: not a collection, or not one
   * usable record) before anything is written, so the stored experiments stay as they were.
   */
  importCollection(input: unknown, options: ImportOptions = {}): Promise<ImportReport> {
    return this.#import(input, options, false);
  }

  /**
   * Finishes the interrupted import (`pendingImport`) from the same file: records already stored
   * with the same content are skipped (`unchanged` in the report), only the missing ones are
   * written. Without an interrupted import it imports the file the same way.
   */
  resumeImport(input: unknown, options: ImportOptions = {}): Promise<ImportReport> {
    return this.#import(input, options, true);
  }

  async #import(input: unknown, options: ImportOptions, resume: boolean): Promise<ImportReport> {
    const { signal } = options;
    const origin = options.origin ?? (resume ? this.#pending?.name : undefined) ?? 'the imported file';
    if (signal?.aborted) throw this.#aborted('The import', signal);
    let parsed: ParseResult;
    try {
      parsed = parseCollection(input, { origin });
    } catch (err) {
      throw new SourceError(err instanceof SyntaxError ? 'parse' : 'schema', `${(err as Error).message} Nothing was imported; the stored experiments are unchanged.`, {
        location: origin,
        cause: err,
      });
    }
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    const rejected = new Set(errors.filter((p) => p.index !== undefined).map((p) => p.index)).size;
    if (parsed.experiments.length === 0 && errors.length > 0) {
      const shown = errors.slice(0, 3).map(formatProblem).join('; ');
      const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
      throw new SourceError('schema', `Nothing was imported from ${origin}: ${shown}${more}. Fix the file and import it again; the stored experiments are unchanged.`, { location: origin });
    }
    const report = await this.#exclusively(() => this.#write(parsed, origin, options, resume));
    return { ...report, rejected, problems: parsed.problems };
  }

  async #write(parsed: ParseResult, origin: string, { signal, onProgress }: ImportOptions, resume: boolean): Promise<Omit<ImportReport, 'rejected' | 'problems'>> {
    const db = await this.#open();
    const { experiments } = parsed;
    const total = experiments.length;
    // Resuming continues the interrupted import's journal (its added ids stay discardable).
    const previous = resume ? readJournal(await db.get('meta', JOURNAL_KEY)) : undefined;
    let journal: ImportJournal = previous
      ? { ...previous, name: origin, total }
      : { name: origin, total, done: 0, startedAt: new Date().toISOString(), chunks: 0, updated: 0, before: {} };
    // Running here, not interrupted: an error or a cancellation below sets it again.
    this.#pending = undefined;
    const counts: ChunkCounts = { added: 0, updated: 0, unchanged: 0 };
    let done = 0;
    try {
      // At least one chunk, so an empty collection still stores its defaults.
      for (let start = 0; start === 0 || start < total; start += this.#chunkSize) {
        if (signal?.aborted) throw this.#aborted(`The import (${done} of ${total} experiments stored)`, signal);
        const chunk = experiments.slice(start, start + this.#chunkSize);
        const plan: ChunkPlan = { journal, done: Math.max(journal.done, done + chunk.length), fresh: !previous && start === 0, skipSame: resume };
        if (start === 0) plan.meta = parsed;
        const written = await this.#writeChunk(db, chunk, plan);
        journal = written.journal;
        counts.added += written.counts.added;
        counts.updated += written.counts.updated;
        counts.unchanged += written.counts.unchanged;
        done += chunk.length;
        onProgress?.({ done, total, added: counts.added, updated: counts.updated });
        if (done < total) await yieldToEventLoop();
      }
      const tx = db.transaction('meta', 'readwrite');
      await Promise.all([tx.store.delete(JOURNAL_KEY), tx.store.delete(addedKeys()), tx.done]);
    } catch (err) {
      this.#pending = this.#toPending(readJournal(await db.get('meta', JOURNAL_KEY).catch(() => undefined)));
      if (done > 0) this.#emit(experiments.length <= BROADCAST_RECORD_LIMIT ? { type: 'upsert', experiments: experiments.slice(0, done) } : { type: 'reload' });
      if (err instanceof SourceError) throw err;
      const kept = done > 0 ? ` ${done} of ${total} experiments were stored before it; the rest were not written.` : ' Nothing was written.';
      if (errorName(err) === 'QuotaExceededError') throw this.#quotaError(err, `the import from ${origin}`, kept);
      throw new SourceError('unsupported', `Writing to ${this.label} failed (${errorName(err) ?? 'error'}: ${(err as Error)?.message}).${kept} Reload the page and import again.`, {
        location: this.name,
        cause: err,
      });
    }
    if (total > 0) this.#emit(total <= BROADCAST_RECORD_LIMIT ? { type: 'upsert', experiments: await this.#storedVersions(db, experiments) } : { type: 'reload' });
    return counts;
  }

  /** One chunk of records, with the journal (and, first, the defaults) in the same transaction. */
  async #writeChunk(db: Db, chunk: Experiment[], plan: ChunkPlan): Promise<{ counts: ChunkCounts; journal: ImportJournal }> {
    const tx = db.transaction(['experiments', 'histories', 'meta'], 'readwrite');
    const store = tx.objectStore('experiments');
    const historyStore = tx.objectStore('histories');
    const meta = tx.objectStore('meta');
    const pending: Promise<unknown>[] = [];
    try {
      const [previous, defaultsBefore, generatedAtBefore] = await Promise.all([Promise.all(chunk.map((e) => store.get(e.id))), meta.get('defaults'), meta.get('generatedAt')]);
      const counts: ChunkCounts = { added: 0, updated: 0, unchanged: 0 };
      const addedIds: string[] = [];
      chunk.forEach((e, i) => {
        const before = previous[i];
        const { record, histories } = splitHistories(e, before);
        if (before && plan.skipSame && sameRecord(before, record)) {
          counts.unchanged += 1;
          return;
        }
        if (before) counts.updated += 1;
        else {
          counts.added += 1;
          addedIds.push(e.id);
        }
        pending.push(store.put(record));
        for (const h of histories) pending.push(historyStore.put(h));
      });
      const journal: ImportJournal = { ...plan.journal, done: plan.done, chunks: plan.journal.chunks + 1, updated: plan.journal.updated + counts.updated };
      if (plan.fresh) {
        pending.push(meta.delete(addedKeys()));
        journal.before = {};
        if (defaultsBefore !== undefined) journal.before.defaults = defaultsBefore;
        if (generatedAtBefore !== undefined) journal.before.generatedAt = generatedAtBefore;
      }
      const parsed = plan.meta;
      if (parsed && Object.keys(parsed.defaults).length > 0) pending.push(meta.put({ ...(isObject(defaultsBefore) ? defaultsBefore : {}), ...parsed.defaults }, 'defaults'));
      if (parsed?.generatedAt) pending.push(meta.put(parsed.generatedAt, 'generatedAt'));
      pending.push(meta.put(journal, JOURNAL_KEY));
      if (addedIds.length > 0) pending.push(meta.put(addedIds, addedKey(plan.journal.chunks)));
      await Promise.all([...pending, tx.done]);
      return { counts, journal };
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // Already aborted by the failing request.
      }
      await Promise.allSettled([...pending, tx.done]);
      throw (tx.error as unknown) ?? err;
    }
  }

  /**
   * Undoes the interrupted import (`pendingImport`): removes the records it added and their
   * histories, and puts the collection defaults back as they were. Records that were stored
   * before it are never removed; those it replaced keep the imported content (`kept`). One
   * chunk's records per transaction: a discard that is itself cut short goes on from there.
   */
  discardImport(): Promise<DiscardReport> {
    return this.#exclusively(() => this.#discard());
  }

  async #discard(): Promise<DiscardReport> {
    const db = await this.#open();
    const journal = readJournal(await db.get('meta', JOURNAL_KEY));
    if (!journal) {
      this.#pending = undefined;
      return { removed: 0, kept: 0 };
    }
    const removed: string[] = [];
    try {
      for (;;) {
        const tx = db.transaction(['experiments', 'histories', 'meta'], 'readwrite', { durability: 'strict' });
        const cursor = await tx.objectStore('meta').openCursor(addedKeys());
        if (!cursor) {
          const meta = tx.objectStore('meta');
          const writes: Promise<unknown>[] = [meta.delete(JOURNAL_KEY)];
          for (const key of ['defaults', 'generatedAt'] as const) {
            const value = journal.before[key];
            writes.push(value === undefined ? meta.delete(key) : meta.put(value, key));
          }
          await Promise.all([...writes, tx.done]);
          break;
        }
        const ids = Array.isArray(cursor.value) ? cursor.value.filter((id): id is string => typeof id === 'string') : [];
        const requests: Promise<unknown>[] = [cursor.delete()];
        for (const id of ids) requests.push(tx.objectStore('experiments').delete(id), tx.objectStore('histories').delete(historiesOf(id)));
        await Promise.all([...requests, tx.done]);
        removed.push(...ids);
        await yieldToEventLoop();
      }
    } catch (err) {
      if (removed.length > 0) this.#emitRemoved(removed);
      const where = removed.length > 0 ? ` ${removed.length} of the records it added were removed; discard again to remove the rest.` : ' Nothing was removed.';
      if (errorName(err) === 'QuotaExceededError') throw this.#quotaError(err, 'discarding the interrupted import', where);
      throw new SourceError('unsupported', `Discarding the interrupted import of ${journal.name} from ${this.label} failed (${errorName(err) ?? 'error'}: ${(err as Error)?.message}).${where}`, {
        location: this.name,
        cause: err,
      });
    }
    this.#pending = undefined;
    if (removed.length > 0) this.#emitRemoved(removed);
    return { removed: removed.length, kept: journal.updated };
  }

  #emitRemoved(ids: string[]): void {
    this.#emit(ids.length <= BROADCAST_RECORD_LIMIT ? { type: 'delete', ids } : { type: 'reload' });
  }

  /** The records as stored (histories replaced by references), for change notifications. */
  async #storedVersions(db: Db, experiments: Experiment[]): Promise<Experiment[]> {
    const tx = db.transaction('experiments');
    const stored = await Promise.all(experiments.map((e) => tx.store.get(e.id)));
    await tx.done;
    return stored.filter((e): e is Experiment => e !== undefined);
  }

  /** Deletes the experiments and their histories; resolves once the deletion is on disk. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const db = await this.#open();
    const tx = db.transaction(['experiments', 'histories'], 'readwrite', { durability: 'strict' });
    const requests: Promise<unknown>[] = [];
    try {
      for (const id of ids) {
        requests.push(tx.objectStore('experiments').delete(id));
        requests.push(tx.objectStore('histories').delete(historiesOf(id)));
      }
      await Promise.all([...requests, tx.done]);
    } catch (err) {
      await Promise.allSettled([...requests, tx.done]);
      if (errorName(err) === 'QuotaExceededError') throw this.#quotaError(err, 'deleting', ' Nothing was deleted.');
      throw new SourceError('unsupported', `Deleting from ${this.label} failed (${errorName(err) ?? 'error'}: ${(err as Error)?.message}); nothing was deleted. Reload the page and try again.`, {
        location: this.name,
        cause: err,
      });
    }
    this.#emit({ type: 'delete', ids: [...ids] });
  }

  // ---- export ----

  /** Everything stored, as a format-v1 collection with the histories back inline. */
  async exportCollection(signal?: AbortSignal): Promise<ExperimentCollection> {
    const db = await this.#open();
    const records = await this.#readAll(db, signal, 'The export');
    const histories = new Map<string, Map<string, Series>>();
    let after: [string, string] | undefined;
    for (;;) {
      if (signal?.aborted) throw this.#aborted('The export', signal);
      const batch = await db.getAll('histories', after === undefined ? null : IDBKeyRange.lowerBound(after, true), this.#readBatch);
      for (const h of batch) {
        let byMetric = histories.get(h.id);
        if (!byMetric) histories.set(h.id, (byMetric = new Map()));
        byMetric.set(h.metric, toSeries(h));
      }
      const last = batch[batch.length - 1];
      if (batch.length < this.#readBatch || !last) break;
      after = [last.id, last.metric];
      await yieldToEventLoop();
    }
    const experiments = records.map((e) => {
      const byMetric = histories.get(e.id);
      if (!e.metrics) return e;
      const metrics: Record<string, Metric> = {};
      for (const [key, m] of Object.entries(e.metrics)) {
        if (m.historyRef !== IDB_HISTORY_REF) {
          metrics[key] = m;
          continue;
        }
        const { historyRef: _ref, ...summary } = m;
        const history = byMetric?.get(key);
        metrics[key] = history ? { ...summary, history } : summary;
      }
      return { ...e, metrics };
    });
    const collection: ExperimentCollection = {
      schemaVersion: '1.0',
      kind: 'ExperimentCollection',
      generatedAt: new Date().toISOString(),
      source: { type: 'indexeddb', producer: 'experiment-dashboard', database: this.name },
      experiments,
    };
    const defaults = await db.get('meta', 'defaults');
    if (defaults && typeof defaults === 'object') collection.defaults = defaults as CollectionDefaults;
    return collection;
  }

  // ---- live updates ----

  /**
   * Calls `onChange` for every change to this database: made through this source (also in this
   * tab) or through another source on the same database name in any tab of this origin.
   */
  subscribe(onChange: (change: Change) => void): () => void {
    this.#listeners.add(onChange);
    this.#ensureChannel();
    return () => {
      this.#listeners.delete(onChange);
    };
  }

  #ensureChannel(): BroadcastChannel | undefined {
    if (!this.#channel && typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(`experiment-dashboard:indexeddb:${this.name}`);
      this.#channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
        const change = event.data?.change;
        if (change && typeof change === 'object' && typeof change.type === 'string') this.#deliver(change);
      };
    }
    return this.#channel;
  }

  #deliver(change: Change): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        // One failing listener must not starve the others.
        globalThis.reportError?.(err);
      }
    }
  }

  #emit(change: Change): void {
    this.#deliver(change);
    try {
      this.#ensureChannel()?.postMessage({ change } satisfies ChannelMessage);
    } catch (err) {
      globalThis.reportError?.(err);
    }
  }
}
