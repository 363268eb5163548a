/**
 * AI/ML API generation statuses (A-DOCS `universal-video-fetch.json`: exactly these four on the
 * unified `/v2/video/generations` endpoint; no cancelled state, no cancel route).
 */
import { statusTable } from '../shared/status-table.ts';

/** Every documented raw status → normalized status. Anything else is reported by core as unknown. */
export const statuses = statusTable({
  queued: 'queued',
  generating: 'in_progress',
  completed: 'completed',
  error: 'failed',
});
