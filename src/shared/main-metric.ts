import type { Goal } from '../data/types.js';

/** A main metric as a user writes it: the key, and the goal when given. */
export interface MainMetricSpec {
  key: string;
  goal?: Goal;
}

/**
 * Parses `main-metric="val_loss:min"` (goal: `max`, `min`, `maximize`, `minimize`); a key
 * without a known goal word keeps its colon (`a:b` is the key "a:b"); a goal without a key (`:max`) is no main metric.
 */
export function parseMainMetricAttribute(value: string | undefined | null): MainMetricSpec | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const i = v.lastIndexOf(':');
  const goalWord = i >= 0 ? v.slice(i + 1).trim().toLowerCase() : '';
  const goal: Goal | undefined = goalWord === 'min' || goalWord === 'minimize' ? 'minimize' : goalWord === 'max' || goalWord === 'maximize' ? 'maximize' : undefined;
  if (!goal) return { key: v };
  // ":max" names no metric.
  const key = v.slice(0, i).trim();
  return key ? { key, goal } : undefined;
}
