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

// Order is preference: a data set with both accuracy and loss is judged by accuracy.
const MAXIMIZE_WORDS = ['accuracy', 'acc', 'f1', 'auc', 'map', 'bleu', 'r2', 'precision', 'recall'];
const MINIMIZE_WORDS = ['loss', 'error', 'err', 'mse', 'rmse', 'mae', 'perplexity'];
// A held-out score says more than a training one.
const HELD_OUT_WORDS = new Set(['val', 'valid', 'validation', 'test', 'eval', 'dev']);

/** A metric name's words: `val_accuracy`, `val/acc`, `valAccuracy` → val, accuracy. */
const wordsOf = (key: string): string[] =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * A main metric guessed from metric names when the data names none (Sacred and MLflow runs
 * carry no main metric): a name with a word like accuracy, f1, auc, map, bleu, r2, precision or
 * recall is maximized, one like loss, error, mse, mae, rmse or perplexity minimized; held-out
 * (`val`, `test`, `eval`) names first. Undefined when no name fits.
 */
export function guessMainMetric(keys: Iterable<string>): MainMetricSpec | undefined {
  let best: { spec: MainMetricSpec; rank: number } | undefined;
  for (const key of keys) {
    const words = wordsOf(key);
    const max = Math.min(...words.map((w) => MAXIMIZE_WORDS.indexOf(w)).filter((i) => i >= 0));
    const min = Math.min(...words.map((w) => MINIMIZE_WORDS.indexOf(w)).filter((i) => i >= 0));
    if (!Number.isFinite(max) && !Number.isFinite(min)) continue;
    const word = Number.isFinite(max) ? max : MAXIMIZE_WORDS.length + min;
    const rank = (words.some((w) => HELD_OUT_WORDS.has(w)) ? 0 : 100) + word;
    // Equal ranks: the first name in sort order, so the guess does not depend on record order.
    if (!best || rank < best.rank || (rank === best.rank && key < best.spec.key)) best = { spec: { key, goal: Number.isFinite(max) ? 'maximize' : 'minimize' }, rank };
  }
  return best?.spec;
}

/** A main metric in the form `parseMainMetricAttribute` reads (`key:max`, `key:min`). */
export function formatMainMetric(spec: MainMetricSpec): string {
  return `${spec.key}:${spec.goal === 'minimize' ? 'min' : 'max'}`;
}
