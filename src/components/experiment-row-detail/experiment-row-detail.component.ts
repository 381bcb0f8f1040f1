// One piece (~930 lines): every tab renders from one validated record and shares the history
// cache, the Copy/Download helpers and the per-section filter and paging. Moving the tabs into
// template functions (as the dashboard's templates/) is the next step when it grows.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ExperimentContextConsumer } from '../../context/consumer.js';
import { parentIdOf, type RunFamily } from '../../data/parent.js';
import { durationMs, formatProblem, parseRecords } from '../../data/parse.js';
import {
  MISSING,
  clipText,
  describeHost,
  fileNameOf,
  flattenParams,
  formatBytes,
  formatParamValue,
  formatDuration,
  formatNumber,
  formatTime,
  gpuModels,
  safeHref,
  type ParamRow,
} from '../../data/format.js';
import { summarizeSeries } from '../../data/series-summary.js';
import { SourceError, type Artifact, type Experiment, type ExperimentSource, type Metric, type ParamValue, type Problem, type Series } from '../../data/types.js';
import { isObject } from '../../shared/guards.js';
import { breakableName } from '../../shared/names.js';
import { STATUS_LABELS } from '../../shared/status.js';
import { canChart, historyKey, type ChartLine, type ChartXAxis } from '../metric-chart/metric-chart.component.js';
import { problemList, problemListStyles } from '../problem-list.js';
import { detailBaseStyles, experimentRowDetailStyles } from './experiment-row-detail.styles.js';

/** The sections of the detail, in tab order. Empty ones are not shown. */
export const DETAIL_SECTIONS = ['overview', 'metrics', 'params', 'info', 'dependencies', 'artifacts', 'host', 'git', 'output'] as const;
export type DetailSection = (typeof DETAIL_SECTIONS)[number];

const SECTION_LABELS: Record<DetailSection, string> = {
  overview: 'Overview',
  metrics: 'Metrics',
  params: 'Parameters',
  info: 'Info',
  dependencies: 'Dependencies',
  artifacts: 'Artifacts',
  host: 'Host',
  git: 'Git',
  output: 'Output',
};

/** Long lists are cut here; the search box narrows them down. */
const ROW_LIMIT = 500;

/**
 * Longest value shown whole in a field; a longer one is cut with a visible mark and offered whole
 * through Copy and Download. Records can hold megabytes in one string, and laying that out
 * blocks the page for a second or more.
 */
export const DETAIL_TEXT_LIMIT = 10_000;
/** Longest output or error trace shown (they are read in a scrolling box). */
export const OUTPUT_TEXT_LIMIT = 100_000;
/** Longest name, key or id shown (parameter and metric names, packages, artifacts). */
export const DETAIL_KEY_LIMIT = 1_000;

/** A name, key or id cut for display. */
const clipKey = (text: string): string => clipText(text, DETAIL_KEY_LIMIT);

/** What a Sacred run recorded besides its config: `_run.info` (flattened like parameters) and its return value. */
interface RunInfo {
  rows: ParamRow[];
  /** The return value as text; absent when the run returned nothing. */
  result?: string;
}

const runInfos = new WeakMap<Experiment, RunInfo>();

function runInfoOf(e: Experiment): RunInfo {
  let info = runInfos.get(e);
  if (!info) {
    const sacred = e.extensions?.['sacred'];
    const raw = isObject(sacred) ? sacred : {};
    const result = raw['result'];
    info = { rows: isObject(raw['info']) ? flattenParams(raw['info'] as Record<string, ParamValue>) : [] };
    if (result !== undefined && result !== null) info.result = formatParamValue(result as ParamValue);
    runInfos.set(e, info);
  }
  return info;
}

/** An inlined file (`data:` URL): its text is the file itself, not a place to show. */
const isDataUrl = (uri: string | undefined): boolean => uri !== undefined && /^\s*data:/i.test(uri);

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isAbort = (err: unknown, signal: AbortSignal): boolean =>
  signal.aborted || (err instanceof SourceError && err.kind === 'aborted') || (err instanceof DOMException && err.name === 'AbortError');

interface Download {
  status: 'loading' | 'error';
  message?: string;
  controller?: AbortController;
}

interface CopyNotice {
  id: string;
  ok: boolean;
  message: string;
}

/**
 * @summary Everything about one experiment: overview, metrics with charts, parameters, run info (Sacred),
 * dependencies, artifacts, host, git and output, in keyboard-operable tabs. Shown under an
 * expanded row of `<experiment-dashboard>`, or on its own.
 *
 * Give it a record with `.experiment`, or a `.source` and an `experiment-id` to fetch the full
 * record with `source.get()` (both together: the record shows at once, the full one replaces it
 * when it arrives). Metric histories that are not inline load through `source.history()` when a
 * chart needs them; artifacts without a safe link download through `source.artifact()`.
 *
 * @csspart detail - The wrapper of everything.
 * @csspart tabs - The tab list.
 * @csspart tab - One tab; the selected one also has `tab-selected`.
 * @csspart section - The visible tab panel (it scrolls; the element caps its height).
 * @csspart fields - A list of label/value fields (overview, host, git).
 * @csspart status - The status text, and loading messages.
 * @csspart error - A failure message (loading the record, a download).
 * @csspart empty - Shown when there is no experiment.
 * @csspart table - The metrics, parameters, dependencies and artifacts tables.
 * @csspart search - The search boxes of parameters and dependencies.
 * @csspart chart - The metric chart (`<metric-chart>`).
 * @csspart error-message - The error message of a failed run.
 * @csspart trace - The error trace of a failed run.
 * @csspart stdout - The captured standard output.
 * @csspart download - A download link or button.
 * @csspart copy-status - The "Copied" confirmation or copy failure message.
 * @csspart problems - What was wrong with the records given (a closed `<details>`), as the dashboard lists it.
 * @csspart run-link - A button naming a parent or child run (see `family`).
 *
 * @event experiment-reveal - A parent or child run's button was pressed. `detail: { id }`; the
 * dashboard scrolls to that run's row (opening its parent), a host page may show it its own way.
 *
 * @cssproperty [--experiment-dashboard-detail-max-height=420px] - Height cap; the panel scrolls inside.
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-mono-font=ui-monospace] - Font of code, commands and traces.
 * @cssproperty [--experiment-dashboard-color=CanvasText] - Text colour.
 * @cssproperty [--experiment-dashboard-background=Canvas] - Background of sticky table headers and inputs.
 * @cssproperty [--experiment-dashboard-muted-color] - Secondary text colour.
 * @cssproperty [--experiment-dashboard-border-color] - Lines between rows, around inputs.
 * @cssproperty [--experiment-dashboard-accent-color=LinkText] - Selected tab, links, focus ring.
 * @cssproperty [--experiment-dashboard-status-failed] - Failed status and error text.
 * @cssproperty [--experiment-dashboard-status-completed] - Completed status text.
 * @cssproperty [--experiment-dashboard-radius=4px] - Corner radius of controls.
 * @cssproperty [--experiment-dashboard-chart-palette] - Comma-separated chart line colours.
 */
export class ExperimentRowDetail extends LitElement {
  static override styles = [detailBaseStyles, experimentRowDetailStyles, problemListStyles];

  /**
   * The record to show, as read from a format-v1 file: it is validated like the dashboard's data,
   * and what was wrong with it is listed (`problems` part).
   */
  @property({ attribute: false }) experiment?: Experiment;

  /** Where the full record, metric histories and artifact files come from. */
  @property({ attribute: false }) source?: ExperimentSource;

  /**
   * The id of the record to show: fetched with `source.get()` when `source` is set, else looked up
   * in the experiments of an `<experiment-data>` around the element.
   * @attr experiment-id
   */
  @property({ attribute: 'experiment-id' }) experimentId?: string;

  /** The selected section (`overview`, `metrics`, `params`, ...); follows the user's choice. */
  @property() section: DetailSection = 'overview';

  /** The instant a running experiment's duration is measured to (ms); default: now. */
  @property({ attribute: false }) now?: number;

  /**
   * The run's parent and child runs among the runs loaded around it (the dashboard sets it): the
   * overview names them as buttons that fire `experiment-reveal`. Without it, a child run's
   * overview names its parent's id as text.
   */
  @property({ attribute: false }) family?: RunFamily;

  @state() private _loaded?: Experiment;
  @state() private _loadedProblems: readonly Problem[] = [];
  @state() private _loadState: 'idle' | 'loading' | 'error' = 'idle';
  @state() private _loadError = '';
  @state() private _chosenMetrics?: string[];
  @state() private _xAxis: ChartXAxis = 'step';
  @state() private _logScale = false;
  @state() private _paramQuery = '';
  @state() private _depQuery = '';
  @state() private _copy?: CopyNotice;
  @state() private _downloads = new Map<number, Download>();
  @state() private _downloadNotice = '';

  /** Store and clock of an `<experiment-data>` or dashboard around the element; its own properties win. */
  #context = new ExperimentContextConsumer(this, { watchRows: true });
  #fetch?: AbortController;
  #refetchOnConnect = false;
  #shownId?: string;
  #shownRecord?: Experiment;
  /** `.experiment`, validated. */
  #given?: Experiment;
  #givenProblems: readonly Problem[] = [];
  #paramRows: ParamRow[] = [];
  #historyCache = this.#newHistoryCache();
  #copyTimer?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#refetchOnConnect) {
      this.#refetchOnConnect = false;
      this.#startFetch();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this._loadState === 'loading') {
      this.#fetch?.abort();
      this.#refetchOnConnect = true;
    }
    this.#abortDownloads();
    clearTimeout(this.#copyTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('source') || changed.has('experimentId')) this.#startFetch();
    if (changed.has('experiment') || changed.has('now')) [this.#given, this.#givenProblems] = this.#check(this.experiment);
    const record = this.#record;
    if (record !== this.#shownRecord) {
      this.#shownRecord = record;
      this.#paramRows = flattenParams(record?.params);
      if (record?.id !== this.#shownId) {
        // Another experiment: nothing of the previous one's transient state applies.
        this.#shownId = record?.id;
        this.#historyCache = this.#newHistoryCache();
        this._chosenMetrics = undefined;
        this.#abortDownloads();
        this._downloads = new Map();
        this._downloadNotice = '';
        this._copy = undefined;
      }
    }
  }

  /** The chart's store of loaded histories; a history arriving re-renders the metrics' Min/Max/Count. */
  #newHistoryCache(): Map<string, Series> {
    const cache = new Map<string, Series>();
    const set = cache.set.bind(cache);
    cache.set = (key, series) => {
      set(key, series);
      this.requestUpdate();
      return cache;
    };
    return cache;
  }

  /** A record validated as the dashboard validates its data (records it validated pass as they are). */
  #check(raw: unknown): [Experiment | undefined, readonly Problem[]] {
    if (raw === undefined || raw === null) return [undefined, []];
    const { experiments, problems } = parseRecords(raw, this.now === undefined ? {} : { now: this.now });
    return [experiments[0], problems];
  }

  /** The record on screen: the fetched one when it belongs to `experiment-id`, else `.experiment`. */
  get #record(): Experiment | undefined {
    if (this._loaded && (this.experimentId === undefined || this._loaded.id === this.experimentId)) return this._loaded;
    if (this.#given && this.experimentId !== undefined && this.#given.id !== this.experimentId) return undefined;
    return this.#given ?? (this.experimentId === undefined ? undefined : this.#context.store?.get(this.experimentId));
  }

  get #source(): ExperimentSource | undefined {
    return this.source ?? this.#context.store?.source;
  }

  /** What was wrong with the record on screen (or with the one given, when none is shown). */
  get #problems(): readonly Problem[] {
    const e = this.#record;
    return e !== undefined && e === this._loaded ? this._loadedProblems : this.#givenProblems;
  }

  #startFetch(): void {
    this.#fetch?.abort();
    this.#fetch = undefined;
    this._loaded = undefined;
    this._loadedProblems = [];
    const id = this.experimentId;
    const source = this.source;
    if (!id || !source) {
      this._loadState = 'idle';
      return;
    }
    const controller = new AbortController();
    this.#fetch = controller;
    this._loadState = 'loading';
    this._loadError = '';
    const { signal } = controller;
    const request: Promise<Experiment> = source.get
      ? source.get(id, signal)
      : source.load({ filters: [{ attribute: 'id', op: 'eq', value: id }] }, signal).then((page) => {
          const found = page.experiments.find((e) => e.id === id);
          if (!found) throw new SourceError('not-found', `There is no experiment with id ${JSON.stringify(id)}${source.label ? ` in ${source.label}` : ''}.`);
          return found;
        });
    request.then(
      (e) => {
        if (this.#fetch !== controller || signal.aborted) return;
        [this._loaded, this._loadedProblems] = this.#check(e);
        this._loadState = this._loaded ? 'idle' : 'error';
        if (!this._loaded) this._loadError = `the source's record cannot be shown: ${this._loadedProblems.map(formatProblem).join('; ')}`;
      },
      (err: unknown) => {
        if (this.#fetch !== controller || isAbort(err, signal)) return;
        this._loadState = 'error';
        this._loadError = messageOf(err);
      },
    );
  }

  #abortDownloads(): void {
    for (const d of this._downloads.values()) d.controller?.abort();
  }

  // ---- Sections ----

  #sections(e: Experiment): DetailSection[] {
    const has: Record<DetailSection, boolean> = {
      overview: true,
      metrics: Object.keys(e.metrics ?? {}).length > 0,
      params: this.#paramRows.length > 0,
      info: runInfoOf(e).rows.length > 0 || runInfoOf(e).result !== undefined,
      dependencies: (e.dependencies?.length ?? 0) > 0,
      artifacts: (e.artifacts?.length ?? 0) > 0,
      host: describeHost(e.host).length > 0 || gpuModels(e.host).length > 0 || Object.keys(e.host?.env ?? {}).length > 0,
      git: (e.git ?? []).some((g) => g.url || g.commit || g.branch || g.dirty !== undefined),
      output: Boolean(e.output?.stdout || e.output?.stdoutRef),
    };
    return DETAIL_SECTIONS.filter((s) => has[s]);
  }

  #count(e: Experiment, s: DetailSection): number | undefined {
    switch (s) {
      case 'metrics':
        return Object.keys(e.metrics ?? {}).length;
      case 'params':
        return this.#paramRows.length;
      case 'info':
        return runInfoOf(e).rows.length || undefined;
      case 'dependencies':
        return e.dependencies?.length;
      case 'artifacts':
        return e.artifacts?.length;
      default:
        return undefined;
    }
  }

  #select(s: DetailSection, focus = false): void {
    this.section = s;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${s}`)?.focus());
  }

  #onTabKey(e: KeyboardEvent, sections: DetailSection[], active: DetailSection): void {
    const i = sections.indexOf(active);
    let next: DetailSection | undefined;
    if (e.key === 'ArrowRight') next = sections[(i + 1) % sections.length];
    else if (e.key === 'ArrowLeft') next = sections[(i - 1 + sections.length) % sections.length];
    else if (e.key === 'Home') next = sections[0];
    else if (e.key === 'End') next = sections[sections.length - 1];
    if (!next) return;
    e.preventDefault();
    this.#select(next, true);
  }

  // ---- Actions ----

  async #copyText(id: string, text: string, what: string): Promise<void> {
    clearTimeout(this.#copyTimer);
    try {
      if (!navigator.clipboard?.writeText) throw new Error('this page has no access to the clipboard');
      await navigator.clipboard.writeText(text);
      this._copy = { id, ok: true, message: `Copied ${clipKey(what)}.` };
      this.#copyTimer = setTimeout(() => {
        if (this._copy?.id === id && this._copy.ok) this._copy = undefined;
      }, 4000);
    } catch (err) {
      this._copy = { id, ok: false, message: `Could not copy ${clipKey(what)}: ${messageOf(err)}. Select the text and copy it by hand.` };
    }
  }

  #copyButton(id: string, text: string, what: string): TemplateResult {
    const done = this._copy?.id === id ? this._copy : undefined;
    return html`<button type="button" class="inline-action" @click=${() => void this.#copyText(id, text, what)}>
      ${done ? (done.ok ? 'Copied' : 'Copy failed') : 'Copy'}<span class="sr-only"> ${clipKey(what)}</span>
    </button>`;
  }

  /** Saves text as a file through a temporary link (no network, works under a strict CSP). */
  #saveText(text: string, fileName: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    this.#clickDownload(url, fileName);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** Starts a download of `href` as `fileName` through a temporary hidden link. */
  #clickDownload(href: string, fileName: string): void {
    const link = document.createElement('a');
    link.href = href;
    link.download = fileName;
    link.rel = 'noopener';
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
  }

  /**
   * A value as text: whole when short, else cut at `max` with a visible mark, followed by how
   * long it is and Copy / Download buttons for the whole value.
   */
  #text(id: string, text: string | undefined, what: string, max = DETAIL_TEXT_LIMIT): TemplateResult | string | undefined {
    if (text === undefined || text.length <= max) return text;
    return html`${clipText(text, max)}${this.#cutNote(id, text, what, max)}`;
  }

  /** After a value cut at `max`: how much is shown, and the whole value to copy (unless the row has its own Copy) or download. */
  #cutNote(id: string, text: string, what: string, max = DETAIL_TEXT_LIMIT, copy = true): TemplateResult | typeof nothing {
    if (text.length <= max) return nothing;
    return html`<span class="cut-note muted"
      >(${max.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters shown)
      ${copy ? this.#copyButton(id, text, `all of ${what}`) : nothing}
      <button type="button" class="inline-action" @click=${() => this.#saveText(text, `${fileNameOf(clipKey(what)).slice(0, 100)}.txt`)}>
        Download<span class="sr-only"> all of ${clipKey(what)}</span>
      </button></span
    >`;
  }

  async #download(a: Artifact, index: number): Promise<void> {
    const source = this.#source;
    const record = this.#record;
    if (!source?.artifact || !record) return;
    this._downloads.get(index)?.controller?.abort();
    const controller = new AbortController();
    const entry: Download = { status: 'loading', controller };
    this._downloads = new Map(this._downloads).set(index, entry);
    this._downloadNotice = '';
    const fileName = fileNameOf(a.name);
    try {
      const result = await source.artifact(record.id, a, controller.signal);
      if (this._downloads.get(index) !== entry || controller.signal.aborted) return;
      let href: string | undefined;
      let objectUrl: string | undefined;
      if (result instanceof Blob) href = objectUrl = URL.createObjectURL(result);
      else {
        href = safeHref(result, { download: true });
        if (!href) throw new Error('the source answered with an address that is not safe to open');
      }
      this.#clickDownload(href, fileName);
      // The browser reads the Blob asynchronously once the download starts: revoke later.
      if (objectUrl) setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
      const next = new Map(this._downloads);
      next.delete(index);
      this._downloads = next;
      this._downloadNotice = `Download of ${clipKey(fileName)} started.`;
    } catch (err) {
      if (this._downloads.get(index) !== entry || isAbort(err, controller.signal)) return;
      this._downloads = new Map(this._downloads).set(index, { status: 'error', message: `Could not download ${clipKey(a.name)}: ${messageOf(err)}` });
    }
  }

  // ---- Rendering ----

  protected override render(): TemplateResult {
    const e = this.#record;
    if (!e) {
      if (this._loadState === 'loading' || this.#context.store?.status === 'pending')
        return html`<div class="detail" part="detail"><p part="status" role="status">Loading experiment ${clipKey(this.experimentId ?? '')}…</p></div>`;
      if (this._loadState === 'error') return html`<div class="detail" part="detail">${this.#loadErrorTemplate()}</div>`;
      return html`<div class="detail" part="detail">${problemList(this.#problems)}<p class="muted" part="empty">No experiment to show.</p></div>`;
    }
    const sections = this.#sections(e);
    const active = sections.includes(this.section) ? this.section : 'overview';
    const name = clipKey(e.name ?? e.id);
    return html`<div class="detail" part="detail">
      ${this._loadState === 'loading' ? html`<p class="muted" part="status" role="status">Loading the full record…</p>` : nothing}
      ${this._loadState === 'error' ? this.#loadErrorTemplate() : nothing} ${problemList(this.#problems)}
      <div class="tabs" part="tabs" role="tablist" aria-label=${`Details of ${name}`} @keydown=${(ev: KeyboardEvent) => this.#onTabKey(ev, sections, active)}>
        ${sections.map((s) => {
          const selected = s === active;
          const count = this.#count(e, s);
          return html`<button
            type="button"
            class="tab"
            part=${selected ? 'tab tab-selected' : 'tab'}
            role="tab"
            id=${`tab-${s}`}
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls=${selected ? `panel-${s}` : nothing}
            tabindex=${selected ? 0 : -1}
            @click=${() => this.#select(s)}
          >
            ${SECTION_LABELS[s]}${count !== undefined ? html`<span class="count">${count}</span>` : nothing}
          </button>`;
        })}
      </div>
      <div class="panel" part="section" role="tabpanel" id=${`panel-${active}`} aria-labelledby=${`tab-${active}`} tabindex="0">
        ${this.#panel(e, active)}
        <p class=${this._copy && !this._copy.ok ? 'live error' : 'live muted'} part="copy-status" role="status">${this._copy?.message ?? ''}</p>
      </div>
    </div>`;
  }

  #loadErrorTemplate(): TemplateResult {
    return html`<p class="error" part="error" role="alert">
      Could not load experiment ${clipKey(this.experimentId ?? '')}: ${clipText(this._loadError, DETAIL_TEXT_LIMIT)}
      <button type="button" @click=${() => this.#startFetch()}>Retry</button>
    </p>`;
  }

  #panel(e: Experiment, s: DetailSection): TemplateResult {
    switch (s) {
      case 'overview':
        return this.#overview(e);
      case 'metrics':
        return this.#metrics(e);
      case 'params':
        return this.#params();
      case 'info':
        return this.#info(e);
      case 'dependencies':
        return this.#dependencies(e);
      case 'artifacts':
        return this.#artifacts(e);
      case 'host':
        return this.#host(e);
      case 'git':
        return this.#git(e);
      case 'output':
        return this.#output(e);
    }
  }

  #field(label: string, value: unknown): TemplateResult | typeof nothing {
    if (value === undefined || value === null || value === '' || value === nothing) return nothing;
    return html`<dt>${label}</dt>
      <dd>${value}</dd>`;
  }

  #time(iso: string | undefined): TemplateResult | undefined {
    if (!iso) return undefined;
    return html`<time datetime=${iso} title=${iso}>${formatTime(iso) || iso}</time>`;
  }

  #overview(e: Experiment): TemplateResult {
    const sd = e.statusDetail;
    const raw = sd?.raw;
    const status = html`<span class=${`status-text status-${e.status}`} part="status">${STATUS_LABELS[e.status] ?? e.status}</span>${raw
        ? html` <span class="muted">(source status: ${this.#text('status-raw', raw, 'the source status', DETAIL_KEY_LIMIT)})</span>`
        : nothing}${sd?.derived || sd?.reason
        ? html`<div class="muted">${sd.derived ? 'Derived by the dashboard' : 'Reason'}${sd.reason ? html`: ${this.#text('status-reason', sd.reason, 'the reason')}` : nothing}</div>`
        : nothing}`;
    const duration = formatDuration(durationMs(e, this.now ?? this.#context.now));
    const mm = e.mainMetric;
    const tags = e.tags?.length ? html`<ul class="tags" aria-label="Tags">${e.tags.map((t, i) => html`<li>${this.#text(`tag:${i}`, t, 'the tag', DETAIL_KEY_LIMIT)}</li>`)}</ul>` : undefined;
    const labels = Object.entries(e.labels ?? {});
    const src = e.source ? [e.source.type, e.source.nativeId, e.source.producer].filter(Boolean).join(' · ') : '';
    return html`<dl class="fields" part="fields">
        ${this.#field('Status', status)} ${this.#field('Name', this.#text('name', e.name, 'the name', DETAIL_KEY_LIMIT))}
        ${this.#field('ID', this.#text('id', e.id, 'the id', DETAIL_KEY_LIMIT))}
        ${this.#field('Group', this.#text('group', e.group?.name ?? e.group?.id, 'the group', DETAIL_KEY_LIMIT))} ${this.#field('Queued', this.#time(e.times?.queued))}
        ${this.#field('Started', this.#time(e.times?.started))} ${this.#field('Stopped', this.#time(e.times?.stopped))}
        ${this.#field('Last heartbeat', this.#time(e.times?.heartbeat))} ${this.#field('Updated', this.#time(e.times?.updated))}
        ${this.#field('Duration', duration ? `${duration}${e.status === 'running' && !e.times?.stopped ? ' (still running)' : ''}` : undefined)}
        ${this.#field('Operator', this.#text('operator', e.operator, 'the operator', DETAIL_KEY_LIMIT))}
        ${this.#field(
          'Command',
          e.command
            ? e.command.length > DETAIL_TEXT_LIMIT
              ? html`<code>${this.#text('command', e.command, 'the command')}</code>`
              : html`<code>${e.command}</code>${this.#copyButton('command', e.command, 'command')}`
            : undefined,
        )}
        ${this.#field(
          'Main metric',
          mm ? html`${clipKey(mm.key)}${mm.value !== undefined ? ` = ${formatNumber(mm.value)}` : ''}${mm.goal ? ` (${mm.goal})` : ''}` : undefined,
        )}
        ${this.#familyFields(e)} ${this.#field('Tags', tags)}
        ${this.#field(
          'Labels',
          labels.length
            ? html`<ul class="plain-list">
                ${labels.map(([k, v], i) => html`<li><span class="muted">${clipKey(k)}:</span> ${this.#text(`label:${i}`, v, `label ${k}`)}</li>`)}
              </ul>`
            : undefined,
        )}
        ${this.#field('Recorded by', this.#text('recorded-by', src || undefined, 'the source'))}
        ${this.#field('Notes', e.notes ? html`<div class="notes">${this.#text('notes', e.notes, 'the notes')}</div>` : undefined)}
      </dl>
      ${e.error && (e.error.message || e.error.trace)
        ? html`<section class="error-block" aria-labelledby="error-heading">
            <p id="error-heading" class="error section-title">Error</p>
            ${e.error.message ? html`<p class="error" part="error-message">${this.#text('error-message', e.error.message, 'the error message')}</p>` : nothing}
            ${e.error.trace ? html`<pre class="trace" part="trace" tabindex="0" aria-label="Error trace">${clipText(e.error.trace, OUTPUT_TEXT_LIMIT)}</pre>${this.#cutNote('trace', e.error.trace, 'the trace', OUTPUT_TEXT_LIMIT)}` : nothing}
          </section>`
        : nothing}`;
  }

  /** "Parent run" and "Child runs", as buttons that ask the dashboard to show that run. */
  #familyFields(e: Experiment) {
    const family = this.family;
    const parentId = family?.parentId ?? parentIdOf(e);
    const link = (run: { id: string; name: string }, label: string) =>
      html`<button type="button" class="run-link" part="run-link" aria-label=${clipText(`${label} ${run.name}`, 200)} @click=${() => this.dispatchEvent(new CustomEvent('experiment-reveal', { bubbles: true, composed: true, detail: { id: run.id } }))}>
        ${clipKey(run.name)}
      </button>`;
    const children = family?.children ?? [];
    const more = (family?.childCount ?? 0) - children.length;
    return html`${this.#field(
      'Parent run',
      family?.parent ? link(family.parent, 'Show parent run') : parentId !== undefined ? html`${this.#text('parent-id', parentId, 'the parent id', DETAIL_KEY_LIMIT)} <span class="muted">(not loaded)</span>` : undefined,
    )}
    ${this.#field(
      `Child runs (${(family?.childCount ?? 0).toLocaleString('en-US')})`,
      children.length > 0
        ? html`<ul class="plain-list run-links">
            ${children.map((c) => html`<li>${link(c, 'Show child run')}</li>`)}${more > 0 ? html`<li class="muted">and ${more.toLocaleString('en-US')} more</li>` : nothing}
          </ul>`
        : undefined,
    )}`;
  }

  #chosenMetrics(e: Experiment): string[] {
    const metrics = e.metrics ?? {};
    if (this._chosenMetrics) return this._chosenMetrics.filter((k) => metrics[k] !== undefined);
    const plottable = Object.keys(metrics).filter((k) => canChart(metrics[k] as Metric, this.#source));
    const main = e.mainMetric?.key;
    const first = main !== undefined && plottable.includes(main) ? main : plottable[0];
    return first !== undefined ? [first] : [];
  }

  #toggleMetric(e: Experiment, key: string, on: boolean): void {
    const now = this.#chosenMetrics(e).filter((k) => k !== key);
    this._chosenMetrics = on ? [...now, key] : now;
  }

  #metrics(e: Experiment): TemplateResult {
    const metrics = Object.entries(e.metrics ?? {});
    const chosen = this.#chosenMetrics(e);
    const anyPlottable = metrics.some(([, m]) => canChart(m, this.#source));
    const lines: ChartLine[] = chosen.map((metric, i) => {
      const m = e.metrics?.[metric];
      const line: ChartLine = { label: clipText(metric, DETAIL_KEY_LIMIT), experimentId: e.id, metric, colorIndex: i };
      if (m?.history) line.series = m.history;
      return line;
    });
    return html`<table part="table" class="metrics">
        <caption class="sr-only">Metrics</caption>
        <thead>
          <tr>
            ${anyPlottable ? html`<th scope="col">Plot</th>` : nothing}
            <th scope="col">Metric</th>
            <th scope="col">Last</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Count</th>
            <th scope="col">Last step</th>
          </tr>
        </thead>
        <tbody>
          ${metrics.map(([name, given]) => {
            const m = this.#summary(e, name, given);
            return html`<tr>
                ${anyPlottable
                  ? html`<td>
                      ${canChart(m, this.#source)
                        ? html`<input
                            type="checkbox"
                            aria-label=${`Plot ${clipKey(name)}`}
                            .checked=${chosen.includes(name)}
                            @change=${(ev: Event) => this.#toggleMetric(e, name, (ev.target as HTMLInputElement).checked)}
                          />`
                        : html`<span class="muted" title="No history recorded">${MISSING}</span>`}
                    </td>`
                  : nothing}
                <th scope="row">${breakableName(clipKey(name))}${e.mainMetric?.key === name ? html` <span class="muted">(main)</span>` : nothing}</th>
                <td class="num">${formatNumber(m.last)}</td>
                <td class="num">${formatNumber(m.min)}</td>
                <td class="num">${formatNumber(m.max)}</td>
                <td class="num">${formatNumber(m.count)}</td>
                <td class="num">${formatNumber(m.lastStep)}</td>
              </tr>`;
          })}
        </tbody>
      </table>
      ${anyPlottable
        ? html`<div class="chart-box">
            <div class="toolbar" role="group" aria-label="Chart options">
              <label
                >X axis
                <select @change=${(ev: Event) => (this._xAxis = (ev.target as HTMLSelectElement).value === 'time' ? 'time' : 'step')}>
                  <option value="step" ?selected=${this._xAxis === 'step'}>Step</option>
                  <option value="time" ?selected=${this._xAxis === 'time'}>Time</option>
                </select>
              </label>
              <label>
                <input type="checkbox" .checked=${this._logScale} @change=${(ev: Event) => (this._logScale = (ev.target as HTMLInputElement).checked)} />
                Log scale
              </label>
            </div>
            <metric-chart
              part="chart"
              .lines=${lines}
              .source=${this.#source}
              .cache=${this.#historyCache}
              x-axis=${this._xAxis}
              ?log-scale=${this._logScale}
              label=${`Chart of ${clipText(chosen.join(', '), DETAIL_KEY_LIMIT) || 'no metric'} by ${this._xAxis}${this._logScale ? ', log scale' : ''}`}
            ></metric-chart>
          </div>`
        : html`<p class="note">No metric histories were recorded.</p>`}`;
  }

  /**
   * A metric with Min, Max and Count from its history when the record lacks them (MLflow's run
   * lists give only the last value) and the history is inline or loaded for the chart.
   */
  #summary(e: Experiment, name: string, m: Metric): Metric {
    if (m.min !== undefined && m.max !== undefined && m.count !== undefined) return m;
    const series = m.history ?? this.#historyCache.get(historyKey(e.id, name));
    if (!series) return m;
    const s = summarizeSeries(series);
    return { ...m, min: m.min ?? s.min, max: m.max ?? s.max, count: m.count ?? s.count };
  }

  #params(): TemplateResult {
    const q = this._paramQuery.trim().toLowerCase();
    const all = this.#paramRows;
    const matches = q ? all.filter((r) => r.key.toLowerCase().includes(q) || r.text.toLowerCase().includes(q)) : all;
    const rows = matches.slice(0, ROW_LIMIT);
    return html`<div class="toolbar">
        <input
          type="search"
          part="search"
          aria-label="Search parameters"
          placeholder="Search parameters"
          .value=${this._paramQuery}
          @input=${(ev: Event) => (this._paramQuery = (ev.target as HTMLInputElement).value)}
        />
        <span class="muted">${matches.length === all.length ? `${all.length} parameters` : `${matches.length} of ${all.length} parameters`}</span>
      </div>
      ${matches.length === 0
        ? html`<p class="note">No parameter matches “${clipKey(this._paramQuery)}”.</p>`
        : this.#keyTable('param', 'Parameters', 'Parameter', rows)}
      ${matches.length > rows.length ? html`<p class="note">Showing ${rows.length} of ${matches.length}: refine the search to see the rest.</p>` : nothing}`;
  }

  /** Flattened dotted keys with their values and Copy (parameters, run info); `id` keeps their Copy states apart. */
  #keyTable(id: string, caption: string, header: string, rows: readonly ParamRow[]): TemplateResult {
    return html`<table part="table" class="params">
      <caption class="sr-only">${caption}</caption>
      <thead>
        <tr>
          <th scope="col">${header}</th>
          <th scope="col">Value</th>
          <th scope="col"><span class="sr-only">Copy</span></th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <th scope="row"><code>${breakableName(clipKey(r.key))}</code></th>
              <td class="mono">${clipText(r.text, DETAIL_TEXT_LIMIT)}${this.#cutNote(`${id}:${r.key}`, r.text, r.key, DETAIL_TEXT_LIMIT, false)}</td>
              <td>${this.#copyButton(`${id}:${r.key}`, r.text, r.key)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /** Sacred's `_run.info` and the run's return value. */
  #info(e: Experiment): TemplateResult {
    const { rows, result } = runInfoOf(e);
    const shown = rows.slice(0, ROW_LIMIT);
    return html`${result !== undefined
        ? html`<dl class="fields" part="fields">
            ${this.#field(
              'Result',
              html`<span class="mono">${clipText(result, DETAIL_TEXT_LIMIT)}</span>${this.#cutNote('result', result, 'the result', DETAIL_TEXT_LIMIT, false)}${this.#copyButton(
                  'result',
                  result,
                  'the result',
                )}`,
            )}
          </dl>`
        : nothing}
      ${rows.length ? this.#keyTable('info', 'Run info', 'Info', shown) : nothing}
      ${rows.length > shown.length ? html`<p class="note">Showing ${shown.length} of ${rows.length}: copy the record to see the rest.</p>` : nothing}`;
  }

  #dependencies(e: Experiment): TemplateResult {
    const all = e.dependencies ?? [];
    const q = this._depQuery.trim().toLowerCase();
    const matches = q ? all.filter((d) => d.name.toLowerCase().includes(q) || (d.version ?? '').toLowerCase().includes(q)) : all;
    const rows = matches.slice(0, ROW_LIMIT);
    const anyManager = all.some((d) => d.manager);
    return html`<div class="toolbar">
        <input
          type="search"
          part="search"
          aria-label="Search dependencies"
          placeholder="Search dependencies"
          .value=${this._depQuery}
          @input=${(ev: Event) => (this._depQuery = (ev.target as HTMLInputElement).value)}
        />
        <span class="muted">${matches.length === all.length ? `${all.length} packages` : `${matches.length} of ${all.length} packages`}</span>
      </div>
      ${matches.length === 0
        ? html`<p class="note">No dependency matches “${clipKey(this._depQuery)}”.</p>`
        : html`<table part="table" class="dependencies">
            <caption class="sr-only">Dependencies</caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Version</th>
                ${anyManager ? html`<th scope="col">Manager</th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (d) =>
                  html`<tr>
                    <th scope="row">${clipKey(d.name)}</th>
                    <td class="mono">${clipKey(d.version ?? MISSING)}</td>
                    ${anyManager ? html`<td>${clipKey(d.manager ?? '')}</td>` : nothing}
                  </tr>`,
              )}
            </tbody>
          </table>`}
      ${matches.length > rows.length ? html`<p class="note">Showing ${rows.length} of ${matches.length}: refine the search to see the rest.</p>` : nothing}`;
  }

  #downloadCell(a: Artifact, index: number): TemplateResult {
    const href = safeHref(a.uri, { download: true });
    if (href) {
      return html`<a part="download" href=${href} download=${fileNameOf(a.name)} target="_blank" rel="noopener noreferrer"
        >Download<span class="sr-only"> ${clipKey(a.name)}</span></a
      >`;
    }
    if (this.#source?.artifact) {
      const d = this._downloads.get(index);
      return html`<button type="button" part="download" ?disabled=${d?.status === 'loading'} @click=${() => void this.#download(a, index)}>
          ${d?.status === 'loading' ? 'Downloading…' : 'Download'}<span class="sr-only"> ${clipKey(a.name)}</span>
        </button>
        ${d?.status === 'error' ? html`<div class="error" part="error" role="alert">${d.message}</div>` : nothing}`;
    }
    if (a.unavailable) return html`<span class="muted">No download: ${this.#text(`unavailable:${index}`, a.unavailable, 'the reason', DETAIL_KEY_LIMIT)}</span>`;
    return html`<span class="muted">${a.uri ? 'Not a safe link' : 'No download'}</span>`;
  }

  #artifacts(e: Experiment): TemplateResult {
    const all = e.artifacts ?? [];
    return html`<table part="table" class="artifacts">
        <caption class="sr-only">Artifacts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Size</th>
            <th scope="col">Type</th>
            <th scope="col">Location</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          ${all.map((a, i) => {
            // An inlined file's URL is the file itself: show where Sacred found it instead.
            const location = isDataUrl(a.uri) ? (a.path ?? a.name) : (a.uri ?? a.path);
            return html`<tr>
                <th scope="row">${clipKey(a.name)}</th>
                <td>${clipKey(a.role ?? '')}</td>
                <td class="num">${formatBytes(a.sizeBytes)}</td>
                <td>${clipKey(a.mediaType ?? '')}</td>
                <td>
                  ${location ? html`<code class="location">${this.#text(`location:${i}`, location, 'the location')}</code>` : nothing}
                  ${a.digest ? html`<div class="muted mono">${clipKey(a.digest)}</div>` : nothing}
                </td>
                <td>${this.#downloadCell(a, i)}</td>
              </tr>`;
          })}
        </tbody>
      </table>
      <p class="live muted" role="status">${this._downloadNotice}</p>`;
  }

  #host(e: Experiment): TemplateResult {
    const h = e.host;
    const gpus = gpuModels(h);
    const env = Object.entries(h?.env ?? {});
    return html`<dl class="fields" part="fields">
        ${describeHost(h).map(([label, value]) => this.#field(label, this.#text(`host:${label}`, value, label, DETAIL_KEY_LIMIT)))}
        ${this.#field('GPU models', gpus.length ? html`<ul class="plain-list">${gpus.map((g) => html`<li>${clipKey(g)}</li>`)}</ul>` : undefined)}
      </dl>
      ${env.length
        ? html`<details>
            <summary>Environment variables (${env.length})</summary>
            <table part="table" class="env">
              <caption class="sr-only">Environment variables</caption>
              <thead>
                <tr>
                  <th scope="col">Variable</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                ${env.map(
                  ([k, v]) =>
                    html`<tr>
                      <th scope="row"><code>${clipKey(k)}</code></th>
                      <td class="mono">${this.#text(`env:${k}`, v, k)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </details>`
        : nothing}`;
  }

  #git(e: Experiment): TemplateResult {
    const repos = (e.git ?? []).filter((g) => g.url || g.commit || g.branch || g.dirty !== undefined);
    return html`${repos.map((g, i) => {
      const href = g.url && /^https?:/i.test(g.url.trim()) ? safeHref(g.url) : undefined;
      const headingId = `repo-${i}`;
      return html`<section class="repo" aria-labelledby=${headingId}>
        <p id=${headingId} class=${repos.length > 1 ? 'section-title' : 'sr-only'}>Repository ${repos.length > 1 ? i + 1 : ''}</p>
        <dl class="fields" part="fields">
          ${this.#field(
            'Repository',
            g.url
              ? href
                ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${clipKey(g.url)}</a>`
                : html`<span class="mono">${this.#text(`url:${i}`, g.url, 'the repository address', DETAIL_KEY_LIMIT)}</span>`
              : undefined,
          )}
          ${this.#field('Commit', g.commit ? html`<code>${clipKey(g.commit)}</code>${this.#copyButton(`commit:${i}`, g.commit, 'commit')}` : undefined)}
          ${this.#field('Branch', this.#text(`branch:${i}`, g.branch, 'the branch', DETAIL_KEY_LIMIT))}
          ${this.#field(
            'Working tree',
            g.dirty === undefined ? undefined : g.dirty ? html`<span class="error">dirty: uncommitted changes</span>` : 'clean',
          )}
        </dl>
      </section>`;
    })}`;
  }

  #output(e: Experiment): TemplateResult {
    const out = e.output;
    return html`${out?.stdout
      ? html`<pre class="stdout" part="stdout" tabindex="0" aria-label="Standard output">${clipText(out.stdout, OUTPUT_TEXT_LIMIT)}</pre>${this.#cutNote(
            'stdout',
            out.stdout,
            'the output',
            OUTPUT_TEXT_LIMIT,
          )}`
      : nothing}
    ${!out?.stdout && out?.stdoutRef ? html`<p class="note">The output is stored separately: <span class="mono">${clipKey(out.stdoutRef)}</span></p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementEventMap {
    'experiment-reveal': CustomEvent<{ id: string }>;
  }
}
