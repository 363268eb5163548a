/**
 * Krea's nine documented job statuses in gateway terms. Anything else is unknown and core reports
 * it as such rather than guessing.
 */
import { statusTable } from '../shared/status-table.ts';

/** Krea job status → normalized job status. */
export const statuses = statusTable({
  // Waiting: behind the concurrency limit, in the queue, or accepted and scheduled.
  backlogged: 'queued',
  queued: 'queued',
  scheduled: 'queued',
  processing: 'in_progress',
  sampling: 'in_progress',
  // Krea may show an intermediate result and keep going, so it is not terminal.
  'intermediate-complete': 'in_progress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
});
