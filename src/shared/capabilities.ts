import type { ExperimentSource } from '../data/types.js';

/** The source can delete records (it says so and has the method). */
export const canDelete = (source: ExperimentSource | undefined): boolean => Boolean(source?.capabilities.delete && source.delete);
