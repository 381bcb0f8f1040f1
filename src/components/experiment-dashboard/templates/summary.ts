import { html, nothing } from 'lit';
import { MAX_LABEL_LENGTH, clipText, formatNumber } from '../../../data/format.js';
import { STATUSES, type Experiment, type Goal, type Status } from '../../../data/types.js';
import type { MainMetricSpec } from '../../../shared/main-metric.js';
import { STATUS_LABELS } from '../table/columns.js';
import { statusIcon } from '../table/icons.js';

export const nameOf = (e: Experiment): string => e.name ?? e.id;

export interface Summary {
  total: number;
  counts: Record<Status, number>;
  best?: { experiment: Experiment; value: number; key: string; goal: Goal };
  /** Every metric key in the records, sorted: the main-metric picker's choices. */
  metricKeys: string[];
}

/** Counts per status, the best main-metric value and the metric keys, in one pass (`countsOnly`: the counts alone). */
export function summarize(experiments: readonly Experiment[], { countsOnly = false } = {}): Summary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const keys = new Set<string>();
  let best: Summary['best'];
  for (const e of experiments) {
    counts[e.status] += 1;
    // What a filter shows is said in counts only: its metric names and best would be a pass over
    // every metric of every shown row at each keystroke of a search.
    if (countsOnly) continue;
    for (const k in e.metrics) keys.add(k);
    const mm = e.mainMetric;
    if (mm?.value === undefined || !Number.isFinite(mm.value)) continue;
    const goal = mm.goal ?? 'maximize';
    if (!best || (goal === 'maximize' ? mm.value > best.value : mm.value < best.value)) best = { experiment: e, value: mm.value, key: mm.key, goal };
  }
  const s: Summary = { total: experiments.length, counts, metricKeys: [...keys].sort() };
  if (best) s.best = best;
  return s;
}

export interface SummaryOptions {
  /** The total the server reports (server-query mode). */
  serverTotal?: number | undefined;
  /** What the filters and search leave, when any is active. */
  shown?: Summary | undefined;
  /** The main metric in force. */
  mainMetric?: MainMetricSpec | undefined;
  /** The page set the main metric (`main-metric` attribute): it wins, the picker only shows it. */
  mainMetricLocked?: boolean;
  onMainMetric: (spec: MainMetricSpec | undefined) => void;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The main-metric picker: a metric of the data and its goal. */
function mainMetricPicker(s: Summary, o: SummaryOptions) {
  const mm = o.mainMetric;
  const keys = mm && !s.metricKeys.includes(mm.key) ? [mm.key, ...s.metricKeys] : s.metricKeys;
  const title = o.mainMetricLocked ? 'Set by the page (main-metric attribute)' : nothing;
  const goal = mm?.goal ?? 'maximize';
  return html`<span class="main-metric-picker">
    <select
      aria-label="Main metric"
      title=${title}
      ?disabled=${o.mainMetricLocked || keys.length === 0}
      @change=${(ev: Event) => {
        const key = (ev.target as HTMLSelectElement).value;
        o.onMainMetric(key ? { key, goal } : undefined);
      }}
    >
      ${mm ? nothing : html`<option value="" selected>Main metric…</option>`}
      ${keys.map((k) => html`<option value=${k} ?selected=${k === mm?.key}>${clipText(k, MAX_LABEL_LENGTH)}</option>`)}
    </select>
    <select
      aria-label="Goal"
      title=${title}
      ?disabled=${o.mainMetricLocked || !mm}
      @change=${(ev: Event) => mm && o.onMainMetric({ key: mm.key, goal: (ev.target as HTMLSelectElement).value as Goal })}
    >
      <option value="maximize" ?selected=${goal === 'maximize'}>max</option>
      <option value="minimize" ?selected=${goal === 'minimize'}>min</option>
    </select>
  </span>`;
}

/**
 * The summary bar: total (the server's, in server-query mode), count per status, best run, and
 * the main-metric picker. With a filter or search active, each count says what is shown of it.
 */
export function summaryBar(s: Summary, o: SummaryOptions) {
  const shown = o.shown;
  const of = (n: number, all: number) => (shown ? html`<strong>${count(n)}</strong> of ${count(all)}` : html`${count(all)}`);
  return html`<div part="summary" role="status" aria-live="polite">
    <span class="total"
      >${shown
        ? html`<strong>${count(shown.total)}</strong> of <strong>${count(o.serverTotal ?? s.total)}</strong> experiments shown`
        : html`<strong>${count(o.serverTotal ?? s.total)}</strong> experiments`}${o.serverTotal !== undefined ? ' (counts below are for this page)' : ''}</span
    >
    <ul class="counts" aria-label="Experiments per status">
      ${STATUSES.filter((st) => s.counts[st] > 0).map(
        (st) => html`<li class="status status-${st}" title=${STATUS_LABELS[st]}><span class="status-icon">${statusIcon(st)}</span><span class="status-label">${STATUS_LABELS[st]} </span>${of(shown?.counts[st] ?? 0, s.counts[st])}</li>`,
      )}
    </ul>
    ${s.best
      ? html`<span class="best"
          >Best <bdi>${clipText(s.best.key, MAX_LABEL_LENGTH)}</bdi> (${s.best.goal === 'maximize' ? 'max' : 'min'}): <strong>${formatNumber(s.best.value)}</strong> in
          <strong><bdi>${clipText(nameOf(s.best.experiment), MAX_LABEL_LENGTH)}</bdi></strong></span
        >`
      : o.mainMetric || s.metricKeys.length === 0
        ? nothing
        : html`<span class="best no-main-metric">No main metric: pick one</span>`}
    ${o.mainMetric || s.metricKeys.length > 0 ? mainMetricPicker(s, o) : nothing}
  </div>`;
}
