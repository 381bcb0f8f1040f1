import { LitElement, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ref } from 'lit/directives/ref.js';
import type uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { ExperimentContextConsumer } from '../../context/consumer.js';
import { formatNumber, formatTime } from '../../data/format.js';
import { parseHistory } from '../../data/parse.js';
import type { ExperimentSource, Metric, Problem, Series } from '../../data/types.js';
import { problemList, problemListStyles } from '../problem-list.js';
import { metricChartStyles } from './metric-chart.styles.js';

/** One line of the chart: an inline history, or a history the source loads on demand. */
export interface ChartLine {
  /** Legend text. */
  label: string;
  /**
   * The history, when the caller has it: a metric's `history` as in a format-v1 file (validated
   * like the dashboard's data; what is wrong is listed in the `problems` part).
   */
  series?: Series;
  /** With `metric`: what to ask `source.history()` for when `series` is absent. */
  experimentId?: string;
  metric?: string;
  /** A CSS colour; default: the palette colour at `colorIndex`, else at the line's position. */
  color?: string;
  /** Palette position, so one run keeps its colour across several charts. */
  colorIndex?: number;
}

export type ChartXAxis = 'step' | 'time';

/**
 * Whether a metric can be charted: its history is inline, or a source can load it (it names a
 * `historyRef`, or the source serves histories and the metric has more than one value).
 */
export function canChart(m: Metric, source: ExperimentSource | undefined): boolean {
  if (m.history) return m.history.values.length > 0;
  return m.historyRef !== undefined || (source?.history !== undefined && (m.count ?? 0) > 1);
}

/** Key of a loaded history in a chart's `cache`. */
export const historyKey = (experimentId: string, metric: string): string => `${experimentId}\u001f${metric}`;

/** Colour-blind-safe defaults (Tableau 10); override with `--experiment-dashboard-chart-palette`. */
const DEFAULT_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

type UPlotClass = typeof uPlot;
let uplotLoading: Promise<UPlotClass> | undefined;

/** uPlot is imported on first use only, so pages that never draw a chart never download it. */
function loadUPlot(): Promise<UPlotClass> {
  uplotLoading ??= import('uplot').then(
    (m) => m.default,
    (err: unknown) => {
      uplotLoading = undefined;
      throw err;
    },
  );
  return uplotLoading;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

type Column = (number | null)[];

/** A series with finite, non-decreasing x (histories are usually sorted by step already). */
function sortedSeries(c: { xs: readonly number[]; ys: readonly (number | null)[] }): { xs: readonly number[]; ys: readonly (number | null)[] } {
  let previous = Number.NEGATIVE_INFINITY;
  let sorted = true;
  let finite = true;
  for (const x of c.xs) {
    if (!Number.isFinite(x)) finite = false;
    else if (x < previous) {
      sorted = false;
      break;
    } else previous = x;
  }
  if (sorted && finite) return c;
  // Out of order (or with gaps): sort the finite points once; the sort is stable, so of equal x
  // the last one written still wins, as when the points arrive in order.
  const order: number[] = [];
  for (let i = 0; i < c.xs.length; i++) if (Number.isFinite(c.xs[i])) order.push(i);
  if (!sorted) order.sort((a, b) => (c.xs[a] as number) - (c.xs[b] as number));
  return { xs: order.map((i) => c.xs[i] as number), ys: order.map((i) => c.ys[i] ?? null) };
}

/**
 * Puts several series on one shared, sorted x (uPlot's aligned-data shape): a series without a
 * point at some x gets `null` there; of points at equal x the last one counts. Non-finite x
 * values are dropped. Sorted series (the usual case) are merged in one linear pass, so two
 * million-point histories align in milliseconds; an unsorted one is sorted first.
 */
export function alignSeries(cols: { xs: readonly number[]; ys: readonly (number | null)[] }[]): [number[], ...Column[]] {
  const only = cols.length === 1 ? cols[0] : undefined;
  if (only && only.xs.every((x, i) => Number.isFinite(x) && (i === 0 || x > (only.xs[i - 1] as number)))) {
    const ys = only.ys.slice(0, only.xs.length);
    for (let i = ys.length; i < only.xs.length; i++) ys.push(null);
    return [only.xs.slice(), ys];
  }
  const series = cols.map(sortedSeries);
  const k = series.length;
  const at = new Array<number>(k).fill(0);
  const xs: number[] = [];
  const out: Column[] = series.map(() => []);
  for (;;) {
    let min = 0;
    let found = false;
    for (let c = 0; c < k; c++) {
      const s = series[c]!;
      const x = s.xs[at[c]!];
      if (x !== undefined && (!found || x < min)) {
        min = x;
        found = true;
      }
    }
    if (!found) break;
    xs.push(min);
    for (let c = 0; c < k; c++) {
      const s = series[c]!;
      const col = out[c]!;
      let i = at[c]!;
      let y: number | null = null;
      let hit = false;
      while (s.xs[i] === min) {
        y = s.ys[i] ?? null;
        hit = true;
        i++;
      }
      at[c] = i;
      col.push(hit ? y : null);
    }
  }
  return [xs, ...out];
}

/** Tick spacings for a step axis whose steps are all integers: 1, 2, 5, 10, 20, 50, ... (never 0.5). */
const INTEGER_INCRS = Array.from({ length: 16 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

interface Drawn {
  label: string;
  color: string;
}

interface Prepared {
  data: [number[], ...Column[]];
  drawn: Drawn[];
  notes: string[];
}

interface Load {
  status: 'loading' | 'error';
  error?: string;
  controller?: AbortController;
  label: string;
}

/**
 * @summary A line chart of metric histories (uPlot, loaded on first use): several metrics or runs
 * on one chart, by step or by time, linear or log scale. Histories that are not inline are loaded
 * through `source.history()` when the chart needs them, with visible loading and failure states.
 *
 * @csspart chart - The wrapper of everything.
 * @csspart plot - The box uPlot draws into (`role="img"`).
 * @csspart legend - The list of lines with their colours and the values under the cursor.
 * @csspart status - A loading message.
 * @csspart error - A failure message (with a Retry button for a history).
 * @csspart empty - Shown when there is nothing to draw.
 * @csspart note - What was left out of the chart and why (no timestamps, values ≤ 0 on a log scale).
 * @csspart problems - What was wrong with the histories given (a closed `<details>`), as the dashboard lists it.
 *
 * @cssproperty [--experiment-dashboard-font=system-ui] - Font family.
 * @cssproperty [--experiment-dashboard-font-size=13px] - Base font size.
 * @cssproperty [--experiment-dashboard-color=currentColor] - Text and axis colour.
 * @cssproperty [--experiment-dashboard-muted-color] - Secondary text colour.
 * @cssproperty [--experiment-dashboard-status-failed=#b3261e] - Error text colour.
 * @cssproperty [--experiment-dashboard-chart-palette] - Comma-separated line colours.
 * @cssproperty [--experiment-dashboard-chart-grid=rgba(128,128,128,0.25)] - Grid line colour.
 */
export class MetricChart extends LitElement {
  static override styles = [unsafeCSS(uplotCss), metricChartStyles, problemListStyles];

  /** The lines to draw. */
  @property({ attribute: false }) lines: ChartLine[] = [];

  /** Loads histories for lines that have `experimentId` + `metric` but no `series`. */
  @property({ attribute: false }) source?: ExperimentSource;

  /**
   * Loaded histories by `historyKey(id, metric)`. Pass one map to several charts (or keep it
   * across re-renders) so a history is fetched once.
   */
  @property({ attribute: false }) cache: Map<string, Series> = new Map();

  /**
   * `step` (default) or `time` (wall clock, from the series' timestamps).
   * @attr x-axis
   */
  @property({ attribute: 'x-axis' }) xAxis: ChartXAxis = 'step';

  /**
   * Logarithmic y axis; values ≤ 0 are left out.
   * @attr log-scale
   */
  @property({ type: Boolean, attribute: 'log-scale' }) logScale = false;

  /** Height of the plotting area in CSS pixels. */
  @property({ type: Number }) height = 220;

  /** Accessible name of the chart; default names the lines and the axis. */
  @property() label = '';

  /** The store of an `<experiment-data>` or dashboard around the chart: its source, unless `source` is set. */
  #context = new ExperimentContextConsumer(this);

  @state() private _dataVersion = 0;
  @state() private _plotState: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  @state() private _plotError = '';
  @state() private _cursorIdx: number | null = null;

  #loads = new Map<string, Load>();
  /** Each line's `series` validated, by the object given (new lines with the same histories: no second pass). */
  #checked = new WeakMap<object, { series?: Series; problems: Problem[] }>();
  #problems: Problem[] = [];
  #prepared: Prepared = { data: [[]], drawn: [], notes: [] };
  #needsDraw = false;
  #drawToken = 0;
  #uplot?: UPlotClass;
  #plot?: uPlot;
  #resize?: ResizeObserver;
  #width = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // Loads were aborted and the plot destroyed on disconnect: start over.
    this.#needsDraw = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const [key, load] of this.#loads) {
      if (load.status === 'loading') {
        load.controller?.abort();
        this.#loads.delete(key);
      }
    }
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#destroyPlot();
    this.#drawToken++;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('source')) {
      for (const load of this.#loads.values()) load.controller?.abort();
      this.#loads.clear();
    }
    if (this.isConnected) this.#syncLoads();
    if (changed.has('lines')) this.#checkLines();
    if (
      changed.has('lines') ||
      changed.has('xAxis') ||
      changed.has('logScale') ||
      changed.has('height') ||
      changed.has('cache') ||
      changed.has('_dataVersion')
    ) {
      this.#prepared = this.#prepare();
      this.#needsDraw = true;
      this._cursorIdx = null;
    }
    if (this.#needsDraw && this.#prepared.drawn.length > 0 && !this.#uplot) this._plotState = 'loading';
  }

  protected override updated(): void {
    if (!this.#needsDraw || !this.isConnected) return;
    this.#needsDraw = false;
    void this.#draw();
  }

  #checkLines(): void {
    this.#problems = [];
    this.lines.forEach((line, i) => {
      const raw: unknown = line.series;
      if (raw === undefined || raw === null) return;
      let checked = typeof raw === 'object' ? this.#checked.get(raw) : undefined;
      if (!checked) {
        checked = parseHistory(raw, `lines[${i}].series`);
        if (typeof raw === 'object') this.#checked.set(raw, checked);
      }
      this.#problems.push(...checked.problems);
    });
  }

  /** Starts the loads the lines need, and aborts those no line needs any more. */
  #syncLoads(): void {
    const wanted = new Set<string>();
    for (const line of this.lines) {
      if (line.series || line.experimentId === undefined || line.metric === undefined) continue;
      const key = historyKey(line.experimentId, line.metric);
      wanted.add(key);
      if (!this.cache.has(key) && !this.#loads.has(key)) this.#startLoad(key, line.experimentId, line.metric, line.label);
    }
    for (const [key, load] of this.#loads) {
      if (!wanted.has(key)) {
        load.controller?.abort();
        this.#loads.delete(key);
      }
    }
  }

  #startLoad(key: string, id: string, metric: string, label: string): void {
    const source = this.source ?? this.#context.store?.source;
    if (!source?.history) {
      this.#loads.set(key, { status: 'error', label, error: 'this data source cannot load metric histories' });
      return;
    }
    const controller = new AbortController();
    const load: Load = { status: 'loading', controller, label };
    this.#loads.set(key, load);
    source.history(id, metric, controller.signal).then(
      (series) => {
        // A superseded or aborted request must not overwrite what replaced it.
        if (this.#loads.get(key) !== load || controller.signal.aborted) return;
        this.#loads.delete(key);
        this.cache.set(key, series);
        this._dataVersion++;
      },
      (err: unknown) => {
        if (this.#loads.get(key) !== load || controller.signal.aborted) return;
        this.#loads.set(key, { status: 'error', label, error: messageOf(err) });
        this.requestUpdate();
      },
    );
  }

  #retry(key: string): void {
    this.#loads.delete(key);
    this.requestUpdate();
  }

  #seriesOf(line: ChartLine): Series | undefined {
    const raw: unknown = line.series;
    if (raw !== undefined && raw !== null) return typeof raw === 'object' ? this.#checked.get(raw)?.series : undefined;
    if (line.experimentId === undefined || line.metric === undefined) return undefined;
    return this.cache.get(historyKey(line.experimentId, line.metric));
  }

  #palette(): string[] {
    const custom = getComputedStyle(this).getPropertyValue('--experiment-dashboard-chart-palette').trim();
    const list = custom ? custom.split(',').map((c) => c.trim()).filter(Boolean) : [];
    return list.length > 0 ? list : DEFAULT_PALETTE;
  }

  #prepare(): Prepared {
    const palette = this.#palette();
    const cols: { xs: number[]; ys: Column }[] = [];
    const drawn: Drawn[] = [];
    const noTime: string[] = [];
    const noValues: string[] = [];
    let nonPositive = 0;
    this.lines.forEach((line, i) => {
      const series = this.#seriesOf(line);
      if (!series) return;
      let xs: number[];
      if (this.xAxis === 'time') {
        if (!series.timestamps || series.timestamps.length === 0) {
          noTime.push(line.label);
          return;
        }
        // uPlot's time scale counts seconds.
        xs = series.timestamps.map((t) => Date.parse(t) / 1000);
      } else xs = series.steps;
      let any = false;
      const ys: Column = series.values.map((v) => {
        if (!Number.isFinite(v)) return null;
        if (this.logScale && v <= 0) {
          nonPositive++;
          return null;
        }
        any = true;
        return v;
      });
      if (!any) {
        noValues.push(line.label);
        return;
      }
      cols.push({ xs, ys });
      drawn.push({ label: line.label, color: line.color ?? palette[(line.colorIndex ?? i) % palette.length] ?? '#4e79a7' });
    });
    const notes: string[] = [];
    if (noTime.length > 0) notes.push(`No timestamps recorded for ${noTime.join(', ')}: choose the step axis to see ${noTime.length > 1 ? 'them' : 'it'}.`);
    if (noValues.length > 0) notes.push(`Nothing to draw for ${noValues.join(', ')}: no finite${this.logScale ? ', positive' : ''} values.`);
    if (nonPositive > 0) notes.push(`${nonPositive} value${nonPositive > 1 ? 's' : ''} ≤ 0 left out on the log scale.`);
    return { data: cols.length > 0 ? alignSeries(cols) : [[]], drawn, notes };
  }

  async #draw(): Promise<void> {
    const token = ++this.#drawToken;
    const { data, drawn } = this.#prepared;
    if (drawn.length === 0) {
      this.#destroyPlot();
      return;
    }
    if (!this.#uplot) {
      try {
        this.#uplot = await loadUPlot();
      } catch (err) {
        if (token !== this.#drawToken) return;
        this._plotState = 'error';
        this._plotError = messageOf(err);
        return;
      }
    }
    if (token !== this.#drawToken || !this.isConnected) return;
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target) return;
    this.#destroyPlot();
    this.#width = Math.floor(target.clientWidth || this.clientWidth || 480);
    this.#plot = new this.#uplot(this.#options(drawn), data, target);
    this._plotState = 'ready';
    if (!this.#resize) {
      this.#resize = new ResizeObserver(() => this.#onResize());
      this.#resize.observe(target);
    }
  }

  #onResize(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    const width = Math.floor(target?.clientWidth ?? 0);
    if (!this.#plot || width <= 0 || width === this.#width) return;
    this.#width = width;
    this.#plot.setSize({ width, height: this.height });
  }

  #options(drawn: Drawn[]): uPlot.Options {
    const style = getComputedStyle(this);
    const fg = style.color || '#333';
    const grid = style.getPropertyValue('--experiment-dashboard-chart-grid').trim() || 'rgba(128,128,128,0.25)';
    const font = `${style.fontSize || '12px'} ${style.fontFamily || 'system-ui'}`;
    const time = this.xAxis === 'time';
    const axis = { stroke: fg, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    // Steps 1, 2, 3 must not get ticks at 1.5 and 2.5: no such step exists.
    const integerSteps = !time && this.#prepared.data[0].every((x) => Number.isInteger(x));
    return {
      width: this.#width,
      height: this.height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time }, y: { distr: this.logScale ? 3 : 1 } },
      series: [
        { label: time ? 'Time' : 'Step' },
        ...drawn.map((d) => ({ label: d.label, stroke: d.color, width: 1.5, spanGaps: true })),
      ],
      axes: [
        integerSteps ? { ...axis, incrs: INTEGER_INCRS } : axis,
        {
          ...axis,
          size: (_u: uPlot, values: string[] | null) => Math.max(40, 12 + 7 * Math.max(0, ...(values ?? []).map((v) => String(v).length))),
          values: (_u: uPlot, splits: number[]) => splits.map((v) => formatNumber(v, { significantDigits: 4 })),
        },
      ],
      hooks: {
        setCursor: [
          (u: uPlot) => {
            this._cursorIdx = u.cursor.idx ?? null;
          },
        ],
      },
    };
  }

  #destroyPlot(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
  }

  #xText(x: number | undefined): string {
    if (x === undefined) return '';
    return this.xAxis === 'time' ? formatTime(x * 1000) : `step ${formatNumber(x)}`;
  }

  protected override render(): TemplateResult {
    const { drawn, notes, data } = this.#prepared;
    const loads = [...this.#loads.entries()];
    const loading = loads.filter(([, l]) => l.status === 'loading');
    const failed = loads.filter(([, l]) => l.status === 'error');
    const idx = this._cursorIdx;
    const name = this.label || `Line chart of ${drawn.map((d) => d.label).join(', ')} by ${this.xAxis}${this.logScale ? ', log scale' : ''}`;
    return html`<div class="chart" part="chart">
      ${this.lines.length === 0 ? html`<p class="empty" part="empty">No metric chosen to plot.</p>` : nothing} ${problemList(this.#problems)}
      ${loading.length > 0
        ? html`<p class="status" part="status" role="status">Loading history of ${loading.map(([, l]) => l.label).join(', ')}…</p>`
        : nothing}
      ${failed.map(
        ([key, l]) =>
          html`<p class="error" part="error" role="alert">
            Could not load the history of ${l.label}: ${l.error}
            <button type="button" @click=${() => this.#retry(key)}>Retry</button>
          </p>`,
      )}
      ${drawn.length > 0 && this._plotState === 'loading' ? html`<p class="status" part="status" role="status">Loading chart…</p>` : nothing}
      ${this._plotState === 'error' ? html`<p class="error" part="error" role="alert">The chart could not be drawn: ${this._plotError}</p>` : nothing}
      <div class="plot" part="plot" role="img" aria-label=${name} ?hidden=${drawn.length === 0 || this._plotState === 'error'}></div>
      ${drawn.length > 0
        ? html`<ul class="legend" part="legend" aria-label="Legend">
            ${idx !== null ? html`<li class="cursor-x">${this.#xText(data[0][idx])}</li>` : nothing}
            ${drawn.map((d, i) => {
              // The swatch colour goes through the CSSOM: a style="" attribute breaks a strict CSP.
              const v = idx !== null ? data[i + 1]?.[idx] : undefined;
              return html`<li>
                <span class="swatch" ${ref((el) => el && ((el as HTMLElement).style.background = d.color))}></span>
                <span class="label">${d.label}</span>
                ${v !== undefined && v !== null ? html`<span class="value">${formatNumber(v)}</span>` : nothing}
              </li>`;
            })}
          </ul>`
        : nothing}
      ${notes.map((n) => html`<p class="note" part="note">${n}</p>`)}
    </div>`;
  }
}
