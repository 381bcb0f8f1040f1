import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ExperimentContextConsumer } from '../../context/consumer.js';
import { durationMs, parseRecords } from '../../data/parse.js';
import { clipText, describeHost, flattenParams, formatDuration, formatNumber, formatTime, gpuModels } from '../../data/format.js';
import type { Experiment, ExperimentSource, Problem, Series } from '../../data/types.js';
import { canChart, type ChartLine, type ChartXAxis } from '../metric-chart/metric-chart.component.js';
import { detailBaseStyles } from '../experiment-row-detail/experiment-row-detail.styles.js';
import { problemList, problemListStyles } from '../problem-list.js';
import { breakableName } from '../../shared/names.js';
import { STATUS_LABELS } from '../../shared/status.js';
import { experimentCompareStyles } from './experiment-compare.styles.js';

/**
 * Longest value shown in a cell of the comparison, and longest run or row name: records can hold
 * megabytes in one string; the detail of each run offers the whole value.
 */
export const COMPARE_TEXT_LIMIT = 2000;
export const COMPARE_LABEL_LIMIT = 300;
/** Rows shown per section; the filter box narrows a longer one (10,000 parameters would block the page). */
export const COMPARE_ROW_LIMIT = 500;

/** One compared attribute: its label and each run's value as text (`undefined`: the run has none). */
export interface ComparisonRow {
  label: string;
  values: (string | undefined)[];
  /** Not every run has the same value (a missing value differs from any present one). */
  differs: boolean;
  /** Show the values in the code font (commands, versions, hashes). */
  mono?: boolean;
}

/**
 * Rows from a value getter per run: a row per label in first-seen order; values compared by
 * their `key` (canonical form), shown as `text`.
 */
export function compareRows(
  runs: readonly Experiment[],
  entries: (e: Experiment) => Iterable<{ label: string; key: string; text: string }>,
  mono = false,
): ComparisonRow[] {
  const byLabel = new Map<string, { keys: (string | undefined)[]; texts: (string | undefined)[] }>();
  runs.forEach((run, i) => {
    for (const { label, key, text } of entries(run)) {
      let row = byLabel.get(label);
      if (!row) {
        row = { keys: new Array<string | undefined>(runs.length).fill(undefined), texts: new Array<string | undefined>(runs.length).fill(undefined) };
        byLabel.set(label, row);
      }
      row.keys[i] = key;
      row.texts[i] = text;
    }
  });
  return [...byLabel].map(([label, { keys, texts }]) => ({
    label,
    values: texts,
    differs: keys.some((k) => k !== keys[0]),
    mono,
  }));
}

const same = (label: string, text: string | undefined): { label: string; key: string; text: string }[] =>
  text === undefined || text === '' ? [] : [{ label, key: text, text }];

type SectionId = 'overview' | 'params' | 'metrics' | 'host' | 'git' | 'dependencies';

/**
 * @summary Two or more experiments side by side: parameters with the differing ones highlighted
 * (and a "Differences only" switch), metrics overlaid in charts, and differences of host, git and
 * dependencies.
 *
 * @csspart compare - The wrapper of everything.
 * @csspart toolbar - The "Differences only" switch and the row filter.
 * @csspart body - The scrolling area holding the sections.
 * @csspart section - One section (overview, parameters, metrics, host, git, dependencies).
 * @csspart table - A comparison table.
 * @csspart row - A table row; a row whose values differ also has `row-differs`.
 * @csspart chart - A metric chart (`<metric-chart>`), one per chosen metric.
 * @csspart empty - Shown with fewer than two experiments.
 * @csspart problems - What was wrong with the records given (a closed `<details>`), as the dashboard lists it.
 *
 * @cssproperty [--experiment-dashboard-compare-max-height=640px] - Height cap; the body scrolls inside.
 * @cssproperty [--experiment-dashboard-diff-bg] - Background of rows whose values differ.
 * @cssproperty [--experiment-dashboard-diff-marker=#c78c00] - Edge marking a differing row.
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-mono-font=ui-monospace] - Font of values such as commands.
 * @cssproperty [--experiment-dashboard-color=CanvasText] - Text colour.
 * @cssproperty [--experiment-dashboard-background=Canvas] - Background of sticky headers.
 * @cssproperty [--experiment-dashboard-muted-color] - Secondary text colour.
 * @cssproperty [--experiment-dashboard-border-color] - Lines between rows.
 * @cssproperty [--experiment-dashboard-accent-color=LinkText] - Focus ring.
 * @cssproperty [--experiment-dashboard-chart-palette] - Comma-separated colours, one per run.
 */
export class ExperimentCompare extends LitElement {
  static override styles = [detailBaseStyles, experimentCompareStyles, problemListStyles];

  /**
   * The runs to compare, in column order, as read from a format-v1 file: they are validated like
   * the dashboard's data, and what was wrong with them is listed (`problems` part). Not set, inside
   * an `<experiment-data>` (or a dashboard): the runs checked in a table there (the shared selection).
   */
  @property({ attribute: false }) experiments?: Experiment[];

  /** Loads metric histories that are not inline. */
  @property({ attribute: false }) source?: ExperimentSource;

  /**
   * Hide the rows whose values are the same in every run.
   * @attr differences-only
   */
  @property({ type: Boolean, attribute: 'differences-only' }) differencesOnly = false;

  /** The instant running experiments' durations are measured to (ms); default: now. */
  @property({ attribute: false }) now?: number;

  /** Store, clock and selection of an `<experiment-data>` or dashboard around the element; its own properties win. */
  #context = new ExperimentContextConsumer(this, { watchRows: true });
  get #source(): ExperimentSource | undefined {
    return this.source ?? this.#context.store?.source;
  }

  @state() private _filter = '';
  @state() private _chosenMetrics?: string[];
  @state() private _xAxis: ChartXAxis = 'step';
  @state() private _logScale = false;

  #historyCache = new Map<string, Series>();
  /** `.experiments`, validated (records the dashboard validated pass as they are). */
  #runs: Experiment[] = [];
  #problems: readonly Problem[] = [];

  /** The shared selection's records last compared (when `.experiments` is not set). */
  #selected: readonly Experiment[] = [];

  protected override willUpdate(changed: PropertyValues): void {
    const selected = this.experiments === undefined ? this.#selectedRecords() : undefined;
    const newSelection = selected !== undefined && (selected.length !== this.#selected.length || selected.some((e, i) => e !== this.#selected[i]));
    if (selected) this.#selected = selected;
    if (changed.has('experiments') || changed.has('now') || newSelection) {
      ({ experiments: this.#runs, problems: this.#problems } = parseRecords(this.experiments ?? selected ?? [], this.now === undefined ? {} : { now: this.now }));
    }
    // Another set of runs (or fresher records): histories may have grown.
    if (changed.has('experiments') || newSelection) this.#historyCache = new Map();
  }

  /** The runs checked in a table that shares this element's provider, as the store holds them now. */
  #selectedRecords(): Experiment[] {
    const { store, selection } = this.#context;
    if (!store || !selection) return [];
    const { ids } = selection;
    // A few checked rows are looked up; many (a select-all) through one index of the rows.
    const find = ids.length <= 16 ? (id: string) => store.get(id) : ((byId) => (id: string) => byId.get(id))(new Map(store.experiments.map((e) => [e.id, e])));
    return ids.map(find).filter((e): e is Experiment => e !== undefined);
  }

  /** Column titles: the name, made unique with the id where two runs share one. */
  #runLabels(): string[] {
    const names = this.#runs.map((e) => e.name ?? e.id);
    const counts = new Map<string, number>();
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    return this.#runs.map((e, i) => {
      const n = names[i] as string;
      return clipText((counts.get(n) ?? 0) > 1 && e.name !== undefined ? `${n} (${e.id})` : n, COMPARE_LABEL_LIMIT);
    });
  }

  #overviewRows(): ComparisonRow[] {
    const now = this.now ?? this.#context.now ?? Date.now();
    return compareRows(this.#runs, (e) => [
      ...same('Status', e.statusDetail?.raw ? `${STATUS_LABELS[e.status]} (${e.statusDetail.raw})` : STATUS_LABELS[e.status]),
      ...same('Group', e.group?.name ?? e.group?.id),
      ...same('Started', formatTime(e.times?.started)),
      ...same('Duration', formatDuration(durationMs(e, now))),
      ...same('Operator', e.operator),
      ...same('Command', e.command),
      ...same('Tags', e.tags?.length ? e.tags.join(', ') : undefined),
      ...same('Main metric', e.mainMetric ? `${e.mainMetric.key}${e.mainMetric.value === undefined ? ': no value yet' : ` = ${formatNumber(e.mainMetric.value)}`}` : undefined),
    ]);
  }

  #paramRows(): ComparisonRow[] {
    return compareRows(
      this.#runs,
      (e) => flattenParams(e.params).map((r) => ({ label: r.key, key: JSON.stringify(r.value) ?? 'undefined', text: r.text })),
      true,
    );
  }

  #hostRows(): ComparisonRow[] {
    return compareRows(this.#runs, (e) => [
      ...describeHost(e.host).flatMap(([label, text]) => same(label, text)),
      ...same('GPU models', gpuModels(e.host).join(', ')),
    ]);
  }

  #gitRows(): ComparisonRow[] {
    const many = this.#runs.some((e) => (e.git?.length ?? 0) > 1);
    return compareRows(
      this.#runs,
      (e) =>
        (e.git ?? []).flatMap((g, i) => {
          const p = many ? `Repository ${i + 1}: ` : '';
          return [
            ...same(`${p}URL`, g.url),
            ...same(`${p}Commit`, g.commit),
            ...same(`${p}Branch`, g.branch),
            ...same(`${p}Working tree`, g.dirty === undefined ? undefined : g.dirty ? 'dirty' : 'clean'),
          ];
        }),
      true,
    );
  }

  #dependencyRows(): ComparisonRow[] {
    const rows = compareRows(
      this.#runs,
      (e) => (e.dependencies ?? []).map((d) => ({ label: d.name, key: d.version ?? '', text: d.version ?? '(any version)' })),
      true,
    );
    return rows.sort((a, b) => a.label.localeCompare(b.label));
  }

  #metricKeys(): string[] {
    const keys = new Set<string>();
    for (const e of this.#runs) for (const k of Object.keys(e.metrics ?? {})) keys.add(k);
    return [...keys];
  }

  #chartable(key: string): boolean {
    return this.#runs.some((e) => {
      const m = e.metrics?.[key];
      return m !== undefined && canChart(m, this.#source);
    });
  }

  #chosenMetrics(keys: string[]): string[] {
    if (this._chosenMetrics) return this._chosenMetrics.filter((k) => keys.includes(k));
    const main = this.#runs.find((e) => e.mainMetric)?.mainMetric?.key;
    const first = main !== undefined && keys.includes(main) && this.#chartable(main) ? main : keys.find((k) => this.#chartable(k));
    return first !== undefined ? [first] : [];
  }

  #toggleMetric(keys: string[], key: string, on: boolean): void {
    const now = this.#chosenMetrics(keys).filter((k) => k !== key);
    this._chosenMetrics = on ? [...now, key] : now;
  }

  #onDifferencesOnly(ev: Event): void {
    this.differencesOnly = (ev.target as HTMLInputElement).checked;
  }

  protected override render(): TemplateResult {
    if (this.#runs.length < 2) {
      return html`<div class="compare" part="compare">
        ${problemList(this.#problems)}
        <p class="muted" part="empty">Choose two or more experiments to compare.</p>
      </div>`;
    }
    const labels = this.#runLabels();
    return html`<div class="compare" part="compare">
      <div class="toolbar" part="toolbar">
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked=${this.differencesOnly ? 'true' : 'false'}
            .checked=${this.differencesOnly}
            @change=${this.#onDifferencesOnly}
          />
          Differences only
        </label>
        <input
          type="search"
          aria-label="Filter rows"
          placeholder="Filter rows"
          .value=${this._filter}
          @input=${(ev: Event) => (this._filter = (ev.target as HTMLInputElement).value)}
        />
        <span class="muted">${this.#runs.length} experiments</span>
      </div>
      ${problemList(this.#problems)}
      <div class="body" part="body">
        ${this.#section('overview', 'Overview', 'Attribute', this.#overviewRows(), labels)}
        ${this.#section('params', 'Parameters', 'Parameter', this.#paramRows(), labels)} ${this.#metrics(labels)}
        ${this.#section('host', 'Host', 'Host', this.#hostRows(), labels)} ${this.#section('git', 'Git', 'Git', this.#gitRows(), labels)}
        ${this.#section('dependencies', 'Dependencies', 'Package', this.#dependencyRows(), labels)}
      </div>
    </div>`;
  }

  #head(first: string, labels: string[]): TemplateResult {
    return html`<thead>
      <tr>
        <th scope="col">${first}</th>
        ${this.#runs.map(
          (e, i) => html`<th scope="col">
            ${labels[i]}
            <div class="muted">${STATUS_LABELS[e.status]}</div>
          </th>`,
        )}
      </tr>
    </thead>`;
  }

  #section(id: SectionId, title: string, first: string, all: ComparisonRow[], labels: string[]): TemplateResult | typeof nothing {
    if (all.length === 0) return nothing;
    const q = this._filter.trim().toLowerCase();
    const matching = q ? all.filter((r) => r.label.toLowerCase().includes(q)) : all;
    const differing = all.filter((r) => r.differs).length;
    const wanted = this.differencesOnly ? matching.filter((r) => r.differs) : matching;
    const rows = wanted.length > COMPARE_ROW_LIMIT ? wanted.slice(0, COMPARE_ROW_LIMIT) : wanted;
    const headingId = `heading-${id}`;
    return html`<section part="section" class=${`section-${id}`} aria-labelledby=${headingId}>
      <p class="section-title" id=${headingId}>${title}<span class="muted">${differing} of ${all.length} differ</span></p>
      ${rows.length === 0
        ? html`<p class="note">${this.differencesOnly && differing === 0 ? `All ${all.length} are the same in every experiment.` : 'No row matches the filter.'}</p>`
        : html`<table part="table">
            <caption class="sr-only">${title}</caption>
            ${this.#head(first, labels)}
            <tbody>
              ${rows.map(
                (r) =>
                  html`<tr class=${r.differs ? 'differs' : ''} part=${r.differs ? 'row row-differs' : 'row'} ?data-differs=${r.differs}>
                    <th scope="row">
                      ${r.differs ? html`<span class="marker" aria-hidden="true">≠</span>` : nothing}<span class=${r.mono ? 'mono' : ''}
                        >${breakableName(clipText(r.label, COMPARE_LABEL_LIMIT))}</span
                      >${r.differs ? html`<span class="sr-only"> (differs)</span>` : nothing}
                    </th>
                    ${r.values.map((v) =>
                      v === undefined
                        ? html`<td class="missing"><span aria-hidden="true">—</span><span class="sr-only">not set</span></td>`
                        : html`<td class=${r.mono ? 'mono' : ''}>${clipText(v, COMPARE_TEXT_LIMIT)}</td>`,
                    )}
                  </tr>`,
              )}
            </tbody>
          </table>`}
      ${wanted.length > rows.length
        ? html`<p class="note">
            Showing ${rows.length.toLocaleString('en-US')} of ${wanted.length.toLocaleString('en-US')}: filter the rows to see the rest.
          </p>`
        : nothing}
    </section>`;
  }

  #metrics(labels: string[]): TemplateResult | typeof nothing {
    const keys = this.#metricKeys();
    if (keys.length === 0) return nothing;
    const q = this._filter.trim().toLowerCase();
    const shown = q ? keys.filter((k) => k.toLowerCase().includes(q)) : keys;
    const chosen = this.#chosenMetrics(keys);
    const anyChartable = keys.some((k) => this.#chartable(k));
    return html`<section part="section" class="section-metrics" aria-labelledby="heading-metrics">
      <p class="section-title" id="heading-metrics">Metrics<span class="muted">last values</span></p>
      ${shown.length === 0
        ? html`<p class="note">No row matches the filter.</p>`
        : html`<table part="table">
            <caption class="sr-only">Metrics, last values</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                ${anyChartable ? html`<th scope="col">Plot</th>` : nothing}
                ${this.#runs.map(
                  (e, i) => html`<th scope="col">
                    ${labels[i]}
                    <div class="muted">${STATUS_LABELS[e.status]}</div>
                  </th>`,
                )}
              </tr>
            </thead>
            <tbody>
              ${shown.map(
                (key) =>
                  html`<tr part="row">
                    <th scope="row"><span class="mono">${breakableName(clipText(key, COMPARE_LABEL_LIMIT))}</span></th>
                    ${anyChartable
                      ? html`<td>
                          ${this.#chartable(key)
                            ? html`<input
                                type="checkbox"
                                aria-label=${`Plot ${clipText(key, COMPARE_LABEL_LIMIT)}`}
                                .checked=${chosen.includes(key)}
                                @change=${(ev: Event) => this.#toggleMetric(keys, key, (ev.target as HTMLInputElement).checked)}
                              />`
                            : nothing}
                        </td>`
                      : nothing}
                    ${this.#runs.map((e) => {
                      const m = e.metrics?.[key];
                      return m === undefined || m.last === undefined
                        ? html`<td class="missing"><span aria-hidden="true">—</span><span class="sr-only">not recorded</span></td>`
                        : html`<td class="num">${formatNumber(m.last)}</td>`;
                    })}
                  </tr>`,
              )}
            </tbody>
          </table>`}
      ${anyChartable
        ? html`<div class="toolbar" role="group" aria-label="Chart options">
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
            <div class="charts">${chosen.map((key) => this.#chart(key, labels))}</div>`
        : nothing}
    </section>`;
  }

  #chart(key: string, labels: string[]): TemplateResult {
    const lines: ChartLine[] = [];
    this.#runs.forEach((e, i) => {
      const m = e.metrics?.[key];
      if (!m || !canChart(m, this.#source)) return;
      const line: ChartLine = { label: labels[i] ?? e.id, experimentId: e.id, metric: key, colorIndex: i };
      if (m.history) line.series = m.history;
      lines.push(line);
    });
    return html`<div class="chart">
      <p class="chart-title"><span class="mono">${clipText(key, COMPARE_LABEL_LIMIT)}</span><span class="muted">${lines.length} of ${this.#runs.length} experiments</span></p>
      <metric-chart
        part="chart"
        .lines=${lines}
        .source=${this.#source}
        .cache=${this.#historyCache}
        x-axis=${this._xAxis}
        ?log-scale=${this._logScale}
        height="180"
        label=${`Chart of ${clipText(key, COMPARE_LABEL_LIMIT)} by ${this._xAxis}${this._logScale ? ', log scale' : ''}, one line per experiment`}
      ></metric-chart>
    </div>`;
  }
}
