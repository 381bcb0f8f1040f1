import type { Experiment } from './types.js';

/**
 * Where a run names its parent run (a trial of a sweep, a fold of a cross-validation): the field
 * `parent`, else the label `mlflow.parentRunId` (files written before the field existed, and
 * MLflow runs, carry the label), holding the parent's `id` in the same collection. This is the one
 * place that knows where it lives.
 */
export const PARENT_LABEL = 'mlflow.parentRunId';

/** The id of the "Parent run" attribute (column, filter, grouping). */
export const PARENT_ATTRIBUTE = 'parent';

const usable = (v: unknown, id: string): v is string => typeof v === 'string' && v !== '' && v !== id;

/** The id of the run's parent run, when it names one (never itself). */
export function parentIdOf(e: Experiment): string | undefined {
  if (usable(e.parent, e.id)) return e.parent;
  const v = e.labels?.[PARENT_LABEL];
  return usable(v, e.id) ? v : undefined;
}

/** A run's parent run and child runs among the loaded runs, as a detail names them. */
export interface RunFamily {
  /** The id the run names as its parent, loaded or not. */
  parentId?: string;
  /** The parent run, when it is loaded. */
  parent?: { id: string; name: string };
  /** Its child runs among the loaded runs (the first ones of a large family). */
  children: { id: string; name: string }[];
  /** How many child runs are loaded in all. */
  childCount: number;
}
