import type { Status } from '../data/types.js';

/** The words for the statuses, the same in the table, the detail and the comparison. */
export const STATUS_LABELS: Record<Status, string> = {
  completed: 'Completed',
  failed: 'Failed',
  running: 'Running',
  dead: 'Dead',
  queued: 'Queued',
  interrupted: 'Interrupted',
};
