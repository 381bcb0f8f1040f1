import type { Metric, Series } from './types.js';

/**
 * Last, min, max, count and last step of a metric's full history, for a view that loaded the
 * history (`source.history()`) of a metric whose record holds only its latest value (MLflow's
 * run lists do): min and max skip NaN, the last point is the one with the highest step.
 */
export function summarizeSeries(series: Series): Pick<Metric, 'last' | 'min' | 'max' | 'count' | 'lastStep'> {
  const n = Math.min(series.steps.length, series.values.length);
  if (n === 0) return { count: 0 };
  let lastIndex = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if ((series.steps[i] as number) >= (series.steps[lastIndex] as number)) lastIndex = i;
    const v = series.values[i] as number;
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out: Pick<Metric, 'last' | 'min' | 'max' | 'count' | 'lastStep'> = { last: series.values[lastIndex] as number, lastStep: series.steps[lastIndex] as number, count: n };
  if (lo <= hi) {
    out.min = lo;
    out.max = hi;
  }
  return out;
}
