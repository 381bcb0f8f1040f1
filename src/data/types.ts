/**
 * Record format v1: the one document format every source reads and the report writes.
 * The JSON Schema in `schema/experiment-collection.v1.schema.json` describes the same shape
 * for producers in other languages.
 *
 * In memory, metric values are JS numbers (`NaN`, `Infinity` included); in JSON the
 * non-finite ones are the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
 */

/** The six statuses the dashboard knows. */
export const STATUSES = ['completed', 'failed', 'running', 'dead', 'queued', 'interrupted'] as const;
export type Status = (typeof STATUSES)[number];

export type Goal = 'maximize' | 'minimize';

export interface MainMetricSpec {
  key: string;
  goal: Goal;
}

export interface StatusDetail {
  /** The source's own word, e.g. `TIMEOUT`, `KILLED`, `PROBABLY_DEAD`. */
  raw?: string;
  /** True when the dashboard derived the status (e.g. `dead` from a stale heartbeat). */
  derived?: boolean;
  /** Why the status was derived, in words. */
  reason?: string;
}

export interface Times {
  queued?: string;
  started?: string;
  stopped?: string;
  heartbeat?: string;
  updated?: string;
}

export interface Series {
  steps: number[];
  timestamps?: string[];
  values: number[];
}

export interface Metric {
  last?: number;
  min?: number;
  max?: number;
  count?: number;
  lastStep?: number;
  history?: Series;
  /** Opaque reference a source's `history()` resolves when the history is not inline. */
  historyRef?: string;
}

export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };

export interface Dependency {
  name: string;
  version?: string;
  manager?: string;
}

export const ARTIFACT_ROLES = ['input', 'output', 'model', 'dataset', 'source', 'log', 'other'] as const;
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];

export interface Artifact {
  name: string;
  role?: ArtifactRole;
  uri?: string;
  path?: string;
  sizeBytes?: number;
  mediaType?: string;
  digest?: string;
  /** Why the file cannot be downloaded from here, in words, when the producer knows (e.g. a report made without `--inline-artifacts`). */
  unavailable?: string;
}

export interface Host {
  hostname?: string;
  os?: { system?: string; platform?: string };
  cpu?: { model?: string; cores?: number };
  memoryBytes?: number;
  python?: { version?: string; implementation?: string };
  workspaceVersion?: string;
  gpus?: { count?: number; driverVersion?: string; devices?: { model?: string; memoryBytes?: number }[] };
  env?: Record<string, string>;
}

export interface GitInfo {
  url?: string;
  commit?: string;
  branch?: string;
  dirty?: boolean;
}

export interface Experiment {
  id: string;
  status: Status;
  name?: string;
  group?: { id?: string; name?: string };
  /**
   * The `id` of this run's parent run in the same collection (a trial of a sweep, a fold of a
   * cross-validation): the dashboard nests the run under it. Never the run's own id.
   */
  parent?: string;
  statusDetail?: StatusDetail;
  times?: Times;
  operator?: string;
  command?: string;
  notes?: string;
  tags?: string[];
  labels?: Record<string, string>;
  mainMetric?: { key: string; value?: number; goal?: Goal };
  metrics?: Record<string, Metric>;
  params?: Record<string, ParamValue>;
  dependencies?: Dependency[];
  artifacts?: Artifact[];
  host?: Host;
  git?: GitInfo[];
  error?: { message?: string; trace?: string };
  output?: { stdout?: string; stdoutRef?: string };
  source?: { type?: string; nativeId?: string; producer?: string };
  extensions?: Record<string, unknown>;
}

export interface CollectionDefaults {
  mainMetric?: MainMetricSpec;
  /** A `running` record silent for longer than this is shown as `dead`. Default 120000. */
  deadAfterMs?: number;
}

export interface ExperimentCollection {
  schemaVersion: '1.0';
  kind: 'ExperimentCollection';
  generatedAt?: string;
  source?: { type?: string; producer?: string; [key: string]: unknown };
  defaults?: CollectionDefaults;
  experiments: Experiment[];
}

export const DEFAULT_DEAD_AFTER_MS = 120_000;

/** One thing wrong with the input, named so a person can find and fix it. */
export interface Problem {
  /** `error`: the record was left out. `warning`: the field was dropped, the record kept. */
  severity: 'error' | 'warning';
  /** Index of the record in `experiments`, absent for collection-level problems. */
  index?: number;
  /** The record's id when it has a usable one. */
  id?: string;
  /** JSON path of the offending value, e.g. `$.experiments[3].times.started`. */
  path: string;
  message: string;
}

// ---- Query model: one serialisable object for client-side filtering and server queries ----

/** Every filter operator, in the order the filter editor offers them. */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'between',
  'empty',
  'notEmpty',
  'before',
  'after',
  'on',
  'contains',
  'notContains',
  'startsWith',
  'matches',
  'in',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface ColumnFilter {
  /** Attribute id, e.g. `params.optimizer.lr` or `status`. */
  attribute: string;
  op: FilterOperator;
  value?: string | number | (string | number)[];
  /** Upper bound for `between`. */
  value2?: string | number;
}

export interface SortSpec {
  attribute: string;
  dir: 'asc' | 'desc';
}

export interface Query {
  search?: string;
  filters?: ColumnFilter[];
  sort?: SortSpec[];
  groupBy?: string[];
  page?: { size: number; token?: string; index?: number };
}

// ---- Adapter contract ----

export interface SourceCapabilities {
  delete: boolean;
  /** Deleted records can be brought back with `restore()` (the source keeps them). Absent: no. */
  restore?: boolean;
  live: boolean;
  serverQuery: boolean;
  history: boolean;
}

export interface Page {
  experiments: Experiment[];
  total?: number;
  nextToken?: string;
  /** Records or fields the source could not use, named. Valid records are still in `experiments`. */
  problems?: Problem[];
  /** Collection-level defaults (main metric, dead threshold) when the source has them. */
  defaults?: CollectionDefaults;
  generatedAt?: string;
  /**
   * Set by a server-query source when its server could not do the whole query: the parts that
   * ran in the browser over what the server sent, as the attribute id of each such filter,
   * `search` for the search text and `sort` for the sort (e.g. MLflow cannot compare params as
   * numbers). The rest of the query ran on the server.
   */
  localFilters?: string[];
  /**
   * True when `localFilters` ran over only part of what the server matched (the source stops
   * reading at a limit, e.g. MLflow's `localScanLimit`): matches beyond it are missing from
   * `experiments` and `total`. Narrowing the query with filters the server can do helps.
   */
  partial?: boolean;
  /** With `partial`: how many records the source read (its limit) before it stopped, for "over the first 10,000 runs". */
  scanned?: number;
  /**
   * True when `total` is a lower bound rather than a count: the server does not count matches
   * (MLflow), and more follow (`nextToken`). Show it as "at least".
   */
  totalIsLowerBound?: boolean;
}

export type Change =
  | { type: 'upsert'; experiments: Experiment[] }
  | { type: 'delete'; ids: string[] }
  /** Load everything again: the source cannot tell what changed (`reason` says why, in words). */
  | { type: 'reload'; reason?: string };

/**
 * The state of a source's live connection, for a line such as "offline, last updated 10:42".
 * A source with a connection (HttpSource) passes it to `subscribe`'s `onConnection`.
 */
export interface ConnectionState {
  /** `connecting`: first contact; `online`: changes arrive; `offline`: the server does not answer, and the source keeps trying. */
  status: 'connecting' | 'online' | 'offline';
  /** How changes arrive: a Server-Sent Events stream, or polling. */
  transport: 'sse' | 'poll';
  /** When the source last knew it had every change (ms since 1970); absent before the first contact. */
  lastUpdated?: number;
  /** Why the source is offline, in words. */
  reason?: string;
  /** When the next attempt is due (ms since 1970), while offline. */
  retryAt?: number;
}

export interface ExperimentSource {
  readonly capabilities: SourceCapabilities;
  /** A short human label for errors and the summary, e.g. the URL. */
  readonly label?: string;
  /**
   * The experiments matching the query. A source that reads in batches may call `onPartial` with
   * the first records as soon as it has them, so the table shows a first screen early.
   */
  load(query: Query, signal?: AbortSignal, onPartial?: (first: Experiment[]) => void): Promise<Page>;
  get?(id: string, signal?: AbortSignal): Promise<Experiment>;
  history?(id: string, metric: string, signal?: AbortSignal): Promise<Series>;
  artifact?(id: string, artifact: Artifact, signal?: AbortSignal): Promise<Blob | URL>;
  /** Resolves only once the deletion is durable. */
  delete?(ids: string[]): Promise<void>;
  /**
   * Brings deleted records back; present only when the source keeps deleted records
   * (`capabilities.restore`). Resolves once that is durable; ids it no longer holds are skipped.
   */
  restore?(ids: string[], signal?: AbortSignal): Promise<void>;
  /**
   * How the source keeps deleted records, in words, for the delete confirmation (e.g. "MLflow
   * keeps deleted runs: Undo brings them back."). Only read when `capabilities.restore` is true.
   */
  readonly restoreNote?: string;
  /**
   * Live changes. `onConnection`, when the source has a connection to tell about (HttpSource),
   * is called at once and on every change of its state (online, offline, how).
   */
  subscribe?(onChange: (change: Change) => void, onConnection?: (state: ConnectionState) => void): () => void;
  /** Releases connections (IndexedDB, event streams) when the dashboard stops using the source. */
  close?(): void;
  /**
   * Gets the source ready before the first `load()`: a source that learns its capabilities from
   * its server (HttpSource) asks it, so the first request already pages on the server when it
   * can; IndexedDbSource opens its database and finds an interrupted import (`pendingImport`).
   * Resolves with the capabilities as they then are.
   */
  ready?(signal?: AbortSignal): Promise<SourceCapabilities>;
  /**
   * Stores a format-v1 collection (JSON text or parsed) in the source, e.g. a file a user
   * dropped: validated first, then written in chunks. Records with a known id are replaced.
   */
  importCollection?(input: unknown, options?: ImportOptions): Promise<ImportReport>;
  /**
   * An import that stopped before its end (the page was closed or reloaded, the tab crashed,
   * the import was cancelled or the disk was full), found when the source opened (`ready()` or
   * `load()`) or when an import of this source stopped. Undefined when there is none.
   */
  readonly pendingImport?: PendingImport;
  /**
   * Finishes the interrupted import from the same file: writes only what is missing (records
   * already stored with the same content are skipped, counted as `unchanged`).
   */
  resumeImport?(input: unknown, options?: ImportOptions): Promise<ImportReport>;
  /**
   * Undoes the interrupted import: removes the records it added, never records that were stored
   * before it; records it replaced keep the imported version (counted as `kept`). The collection
   * defaults it wrote are put back as they were.
   */
  discardImport?(): Promise<DiscardReport>;
}

/** Progress of an import, after each chunk written. */
export interface ImportProgress {
  /** Records handled so far (written, or skipped as already stored when resuming). */
  done: number;
  /** Valid records in the input. */
  total: number;
  added: number;
  updated: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Stops between chunks; chunks already written stay, and the import becomes `pendingImport`. */
  signal?: AbortSignal;
  /** Where the input came from (a file name), for messages and `pendingImport.name`. */
  origin?: string;
}

export interface ImportReport {
  /** Records that were not in the source before. */
  added: number;
  /** Records that replaced one with the same id. */
  updated: number;
  /** Records already stored with the same content, left as they were (when resuming). */
  unchanged: number;
  /** Records left out because they were unusable (no id, unknown status, duplicate id). */
  rejected: number;
  /** Everything found wrong with the input, each naming the record and field. */
  problems: Problem[];
}

/** An import that stopped before its end; see `ExperimentSource.pendingImport`. */
export interface PendingImport {
  /** The file it read (`ImportOptions.origin`). */
  name: string;
  /** Valid records in that file. */
  total: number;
  /** Records stored before it stopped. */
  done: number;
  /** When it started, ISO-8601 UTC. */
  startedAt: string;
}

/** What `discardImport()` did. */
export interface DiscardReport {
  /** Records the interrupted import had added, now removed. */
  removed: number;
  /** Records that were stored before the import and that it replaced: kept, with the imported content. */
  kept: number;
}

export type SourceErrorKind =
  | 'network'
  | 'http'
  | 'not-allowed'
  | 'not-found'
  | 'parse'
  | 'schema'
  | 'quota'
  | 'aborted'
  | 'timeout'
  | 'blocked'
  | 'unsupported';

/** A failure of a source, in words a user understands, with what to do next. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly kind: SourceErrorKind;
  /** The URL, database or file the error is about. */
  readonly location?: string;
  readonly status?: number;

  constructor(
    kind: SourceErrorKind,
    message: string,
    options: { location?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    if (options.location !== undefined) this.location = options.location;
    if (options.status !== undefined) this.status = options.status;
  }
}
