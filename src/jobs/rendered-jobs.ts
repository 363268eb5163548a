/**
 * Rendered answers of jobs, kept per record: polling a finished job renders the same record again
 * and again, and building the job and its JSON was a fifth of such a poll's CPU. A listing read
 * again is mostly the same records too, and joins their texts (`pageText` in list.ts).
 *
 * Exact, not approximate: only a frozen record is kept (the SQLite store hands out frozen records,
 * shared by every reader), so it cannot change after its render; what else the render depends on,
 * the links' origin and expiry (whole seconds), is part of the key, so a render kept here is the
 * one a new render would make, byte for byte. Keyed weakly: a record the store drops takes its
 * render with it.
 */
import type { LinkSigner } from '../outputs/links.ts';
import type { Job } from '../schemas/job.ts';
import { renderJob } from './render.ts';
import type { JobRecord } from './store/job-store.ts';

export interface RenderedJob {
  /** The job's id (a page of rendered jobs names its first and last). */
  id: string;
  job: Job;
  /** `job` as JSON. */
  text: string;
}

/** A renderer with its own memory; one per app, since the links' secret is the app's. */
export function renderedJobs(): (record: JobRecord, links: LinkSigner | undefined) => RenderedJob {
  const kept = new WeakMap<JobRecord, RenderedJob & { key: string }>();
  return (record, links) => {
    const key = links?.key ?? '';
    const known = kept.get(record);
    if (known?.key === key) return known;
    const job = renderJob(record, links);
    const rendered = { id: job.id, job, text: JSON.stringify(job), key };
    if (Object.isFrozen(record)) kept.set(record, rendered);
    return rendered;
  };
}
