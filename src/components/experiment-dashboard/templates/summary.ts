import { html, nothing } from 'lit';
import { MAX_LABEL_LENGTH, clipText, formatNumber } from '../../../data/format.js';
import { STATUSES, type Experiment, type Goal, type Status } from '../../../data/types.js';
import { STATUS_ICONS, STATUS_LABELS } from '../table/columns.js';

export const nameOf = (e: Experiment): string => e.name ?? e.id;

export interface Summary {
  total: number;
  counts: Record<Status, number>;
  best?: { experiment: Experiment; value: number; key: string; goal: Goal };
}

/** Counts per status and the best main-metric value, in one pass. */
export function summarize(experiments: readonly Experiment[]): Summary {
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

/** The summary bar: total (the server's, in server-query mode), count per status, best run. */
export function summaryBar(s: Summary, serverTotal: number | undefined) {
  return html`<div part="summary" role="status" aria-live="polite">
    <span><strong>${(serverTotal ?? s.total).toLocaleString('en-US')}</strong> experiments${serverTotal !== undefined ? ' (counts below are for this page)' : ''}</span>
    <ul class="counts" aria-label="Experiments per status">
      ${STATUSES.filter((st) => s.counts[st] > 0).map(
        (st) => html`<li class="status status-${st}"><span class="status-icon" aria-hidden="true">${STATUS_ICONS[st]}</span>${STATUS_LABELS[st]} ${s.counts[st].toLocaleString('en-US')}</li>`,
      )}
    </ul>
    ${s.best
      ? html`<span class="best"
          >Best <bdi>${clipText(s.best.key, MAX_LABEL_LENGTH)}</bdi> (${s.best.goal === 'maximize' ? 'max' : 'min'}): <strong>${formatNumber(s.best.value)}</strong> in
          <strong><bdi>${clipText(nameOf(s.best.experiment), MAX_LABEL_LENGTH)}</bdi></strong></span
        >`
      : nothing}
  </div>`;
}
