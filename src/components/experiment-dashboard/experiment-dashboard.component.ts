import { LitElement, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import tabulatorCss from 'tabulator-tables/dist/css/tabulator.min.css';
import { DEFAULT_COLUMNS, collectAttributes, resolveAttribute, type Attribute } from '../../data/attributes.js';
import { formatNumber } from '../../data/format.js';
import { applyMainMetric, formatProblem } from '../../data/parse.js';
import { StaticSource } from '../../data/static-source.js';
import { STATUSES, SourceError, type Experiment, type ExperimentSource, type Goal, type Problem, type Status } from '../../data/types.js';
import { dashboardStyles } from './experiment-dashboard.styles.js';
import { STATUS_ICONS, STATUS_LABELS, TableController } from './table-controller.js';

export interface ExperimentsLoadedDetail {
  experiments: readonly Experiment[];
  problems: readonly Problem[];
}

export interface SourceErrorDetail {
  error: SourceError;
}

/** Parses `main-metric="val_loss:min"` (goal: `max`, `min`, `maximize`, `minimize`). */
export function parseMainMetricAttribute(value: string | undefined): { key: string; goal?: Goal } | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const i = v.lastIndexOf(':');
  const goalWord = i > 0 ? v.slice(i + 1).toLowerCase() : '';
  const goal: Goal | undefined = goalWord === 'min' || goalWord === 'minimize' ? 'minimize' : goalWord === 'max' || goalWord === 'maximize' ? 'maximize' : undefined;
  return goal ? { key: v.slice(0, i), goal } : { key: v };
}

const splitList = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

interface Summary {
  total: number;
  counts: Record<Status, number>;
  best?: { experiment: Experiment; value: number; key: string; goal: Goal };
}

function summarize(experiments: readonly Experiment[]): Summary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let best: Summary['best'];
  for (const e of experiments) {
    counts[e.status] += 1;
    const mm = e.mainMetric;
    if (mm?.value === undefined || !Number.isFinite(mm.value)) continue;
    const goal = mm.goal ?? 'maximize';
    if (!best || (goal === 'maximize' ? mm.value > best.value : mm.value < best.value)) best = { experiment: e, value: mm.value, key: mm.key, goal };
  }
  const s: Summary = { total: experiments.length, counts };
  if (best) s.best = best;
  return s;
}

/**
 * Compares experiments (training runs, hyper-parameter sweeps) in one fast table: status,
 * main metric, any attribute as a column, sorting, and a summary of the runs.
 *
 * Data comes from `src` (a format-v1 collection URL), a child
 * `<script type="application/json">` holding a collection, the `.experiments` property, or any
 * adapter object in `.source`.
 *
 * @summary A table of ML experiments with statuses, a main metric and any attribute as a column.
 *
 * @event experiments-loaded - Data arrived and is shown. `detail: { experiments, problems }`.
 * @event source-error - The source failed. `detail: { error: SourceError }`; the message is also shown.
 *
 * @csspart toolbar - The row of controls above the table.
 * @csspart summary - The summary bar: total, count per status, best main-metric value.
 * @csspart error - The message shown when the source failed.
 * @csspart problems - The list of records or fields that were left out of the data.
 * @csspart loading - The loading indicator.
 * @csspart table - The wrapper around the table.
 * @csspart empty - The message shown when there are no experiments.
 * @csspart status - A status badge in a table cell (also `status-<status>`).
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-background=#ffffff] - Background.
 * @cssproperty [--experiment-dashboard-color=#1d2430] - Text colour.
 * @cssproperty [--experiment-dashboard-muted-color=#5a6472] - Secondary text colour.
 * @cssproperty [--experiment-dashboard-border-color=#d5dae1] - Borders and grid lines.
 * @cssproperty [--experiment-dashboard-header-background=#f3f5f8] - Column header background.
 * @cssproperty [--experiment-dashboard-row-alt-background=#fafbfc] - Background of every other row.
 * @cssproperty [--experiment-dashboard-row-hover-background=#eaf1fb] - Row background under the pointer.
 * @cssproperty [--experiment-dashboard-accent-color=#1f5fbf] - Focus ring and links.
 * @cssproperty [--experiment-dashboard-error-background=#fdecec] - Error message background.
 * @cssproperty [--experiment-dashboard-error-color=#8a1c1c] - Error message text.
 * @cssproperty [--experiment-dashboard-warning-background=#fff6e0] - Problems list background.
 * @cssproperty [--experiment-dashboard-warning-color=#6b4a00] - Problems list text.
 * @cssproperty [--experiment-dashboard-status-completed=#1b7a3a] - Colour of "completed".
 * @cssproperty [--experiment-dashboard-status-failed=#b3261e] - Colour of "failed".
 * @cssproperty [--experiment-dashboard-status-running=#1f5fbf] - Colour of "running".
 * @cssproperty [--experiment-dashboard-status-dead=#4a4f57] - Colour of "dead".
 * @cssproperty [--experiment-dashboard-status-queued=#7a5900] - Colour of "queued".
 * @cssproperty [--experiment-dashboard-status-interrupted=#9a4a00] - Colour of "interrupted".
 * @cssproperty [--experiment-dashboard-min-height=420px] - Minimum height of the whole element.
 */
export class ExperimentDashboard extends LitElement {
  static override styles = [unsafeCSS(tabulatorCss), dashboardStyles];

  /** URL of a format-v1 experiment collection (JSON). */
  @property({ reflect: false }) src?: string;

  /**
   * The comparison metric, overriding the collection's default: `key`, `key:max` or `key:min`.
   * @attr main-metric
   */
  @property({ attribute: 'main-metric' }) mainMetric?: string;

  /** Comma-separated attribute ids of the visible columns, in order, e.g. `status,name,params.lr`. */
  @property() columns?: string;

  /** Colour theme: `light`, `dark` or `auto` (follows the operating system). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'light';

  /** Any adapter implementing `ExperimentSource`; takes precedence over `src` and `.experiments`. */
  @property({ attribute: false }) source?: ExperimentSource;

  /** Experiments given directly, as records or a whole collection object. */
  @property({ attribute: false }) experiments?: unknown;

  @state() private _experiments: Experiment[] = [];
  @state() private _problems: Problem[] = [];
  @state() private _error?: SourceError;
  @state() private _loading = false;
  @state() private _summary: Summary = summarize([]);

  #table?: TableController;
  #abort?: AbortController;
  #loadedOnce = false;
  #catalogue: Attribute[] = [];
  #defaultMainMetric?: { key: string; goal?: Goal };
  /** A snapshot's `generatedAt`: running durations count up to it, not to the viewer's clock. */
  #snapshotTime?: number;

  /** The attributes found in the loaded experiments, for column choosers and filters. */
  get availableAttributes(): readonly Attribute[] {
    return this.#catalogue;
  }

  /** The experiments currently loaded (after validation, before filters). */
  get loadedExperiments(): readonly Experiment[] {
    return this._experiments;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Rebuild after a move in the DOM: the table was destroyed on disconnect.
    if (this.hasUpdated && !this.#table) this.#createTable();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    this.#table?.destroy();
    this.#table = undefined;
  }

  protected override firstUpdated(): void {
    this.#createTable();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') || changed.has('experiments') || changed.has('src') || !this.#loadedOnce) {
      this.#loadedOnce = true;
      void this.#load();
    } else if (changed.has('mainMetric')) {
      this.#setExperiments(this._experiments.map((e) => applyMainMetric(e, this.#mainMetricSpec(), true)));
    }
    if (changed.has('columns') && this.hasUpdated) void this.#applyColumns();
  }

  #mainMetricSpec(): { key: string; goal?: Goal } | undefined {
    return parseMainMetricAttribute(this.mainMetric) ?? this.#defaultMainMetric;
  }

  #createTable(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.table');
    const popups = this.renderRoot.querySelector<HTMLElement>('.popups');
    if (!el || !popups) return;
    this.#table = new TableController(el, popups);
    void this.#applyColumns().then(() => this.#table?.setData(this._experiments));
  }

  #resolveSource(): ExperimentSource | undefined {
    if (this.source) return this.source;
    if (this.experiments !== undefined) return new StaticSource({ data: this.experiments, label: 'the experiments property' });
    if (this.src) return new StaticSource({ url: new URL(this.src, document.baseURI).href, label: this.src });
    const inline = this.querySelector(':scope > script[type="application/json"]');
    if (inline) return new StaticSource({ text: inline.textContent ?? '', label: 'the inline <script type="application/json">' });
    return undefined;
  }

  async #load(): Promise<void> {
    this.#abort?.abort();
    const source = this.#resolveSource();
    if (!source) {
      this._loading = false;
      return;
    }
    const abort = new AbortController();
    this.#abort = abort;
    this._loading = true;
    this._error = undefined;
    try {
      const page = await source.load({}, abort.signal);
      if (abort.signal.aborted) return;
      this.#defaultMainMetric = page.defaults?.mainMetric;
      this.#snapshotTime = page.generatedAt && !source.capabilities.live ? Date.parse(page.generatedAt) : undefined;
      const override = parseMainMetricAttribute(this.mainMetric);
      const experiments = override ? page.experiments.map((e) => applyMainMetric(e, override, true)) : page.experiments;
      this._problems = page.problems ?? [];
      this.#setExperiments(experiments);
      this.dispatchEvent(new CustomEvent<ExperimentsLoadedDetail>('experiments-loaded', { bubbles: true, composed: true, detail: { experiments, problems: this._problems } }));
    } catch (err) {
      if (abort.signal.aborted) return;
      const error = err instanceof SourceError ? err : new SourceError('parse', `The experiments could not be read: ${(err as Error).message}`, { cause: err });
      this._error = error;
      this.#setExperiments([]);
      this.dispatchEvent(new CustomEvent<SourceErrorDetail>('source-error', { bubbles: true, composed: true, detail: { error } }));
    } finally {
      if (this.#abort === abort) this._loading = false;
    }
  }

  #setExperiments(experiments: Experiment[]): void {
    this._experiments = experiments;
    this._summary = summarize(experiments);
    this.#catalogue = collectAttributes(experiments, this.#snapshotTime === undefined ? {} : { now: this.#snapshotTime });
    void this.#applyColumns().then(() => this.#table?.setData(experiments));
  }

  #visibleAttributes(): Attribute[] {
    const ids = this.columns ? splitList(this.columns) : [...DEFAULT_COLUMNS];
    const attrs: Attribute[] = [];
    for (const id of ids) {
      const a = resolveAttribute(id, this.#catalogue);
      const main = a?.id === 'mainMetric' ? this.#mainMetricSpec() : undefined;
      // The main-metric column is titled with the metric it shows and its goal.
      if (a && main) attrs.push({ ...a, label: `${main.key} ${(main.goal ?? 'maximize') === 'maximize' ? '(max)' : '(min)'}` });
      else if (a) attrs.push(a);
      else console.warn(`<experiment-dashboard>: unknown column ${JSON.stringify(id)} in the columns attribute; it was skipped. Use attribute ids like status, name, params.lr, metrics.loss.last.`);
    }
    return attrs;
  }

  async #applyColumns(): Promise<void> {
    await this.#table?.setColumns(this.#visibleAttributes());
  }

  protected override render() {
    const s = this._summary;
    const empty = !this._loading && !this._error && this._experiments.length === 0;
    return html`
      <div part="summary" role="status" aria-live="polite">
        <span><strong>${s.total.toLocaleString('en-US')}</strong> experiments</span>
        <ul class="counts" aria-label="Experiments per status">
          ${STATUSES.filter((st) => s.counts[st] > 0).map(
            (st) => html`<li class="status status-${st}"><span class="status-icon" aria-hidden="true">${STATUS_ICONS[st]}</span>${STATUS_LABELS[st]} ${s.counts[st].toLocaleString('en-US')}</li>`,
          )}
        </ul>
        ${s.best
          ? html`<span class="best"
              >Best ${s.best.key} (${s.best.goal === 'maximize' ? 'max' : 'min'}): <strong>${formatNumber(s.best.value)}</strong> in
              <strong>${s.best.experiment.name ?? s.best.experiment.id}</strong></span
            >`
          : nothing}
      </div>
      ${this._loading ? html`<div part="loading" role="progressbar" aria-label="Loading experiments">Loading experiments…</div>` : nothing}
      ${this._error
        ? html`<div part="error" role="alert">
            <p><strong>Could not load the experiments.</strong> ${this._error.message}</p>
          </div>`
        : nothing}
      ${this._problems.length > 0
        ? html`<details part="problems">
            <summary>${this._problems.length} problem${this._problems.length === 1 ? '' : 's'} in the data: ${this._problems.filter((p) => p.severity === 'error').length} record(s) left out</summary>
            <ul>
              ${this._problems.slice(0, 200).map((p) => html`<li>${formatProblem(p)}</li>`)}
            </ul>
          </details>`
        : nothing}
      ${empty ? html`<div part="empty">No experiments to show.</div>` : nothing}
      <div part="table" class="table-wrap" ?hidden=${empty}>
        <div class="popups"></div>
        <div class="table"></div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementEventMap {
    'experiments-loaded': CustomEvent<ExperimentsLoadedDetail>;
    'source-error': CustomEvent<SourceErrorDetail>;
  }
}
