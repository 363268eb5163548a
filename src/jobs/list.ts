/**
 * `GET /v1/jobs`: the caller's jobs, newest first, a page at a time. The query is checked strictly:
 * `limit` (1–100, default 20), `after` (one of the caller's job ids: the page after it) and `status`;
 * anything else, or any of these twice, is a 400 naming it.
 */
import { JOB_STATUSES, type JobStatus } from '../../providers/types.ts';
import { invalidRequest } from '../errors.ts';
import type { Job, JobList } from '../schemas/job.ts';
import { looksLikeJobId } from './job-ids.ts';
import type { LifecycleDeps } from './lifecycle.ts';
import type { JobRecord } from './store/job-store.ts';


interface ListParams {
  limit: number;
  after?: string;
  status?: JobStatus;
}

const PARAMETERS = new Set(['limit', 'after', 'status']);

/** The query's parameters, or the 400 that names the one at fault. */
export function parseListQuery(query: Record<string, string[]>): ListParams {
  for (const [name, values] of Object.entries(query)) {
    if (!PARAMETERS.has(name)) throw invalidRequest(`Unknown query parameter \`${name}\`; use limit, after and status.`, name, 'unknown_parameter');
    if (values.length > 1) throw invalidRequest(`\`${name}\` may be given once.`, name);
  }
  const limit = query.limit?.[0];
  const status = query.status?.[0];
  const after = query.after?.[0];
  if (limit !== undefined && !/^(100|[1-9][0-9]?)$/.test(limit)) throw invalidRequest('`limit` must be an integer from 1 to 100.', 'limit');
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) throw invalidRequest(`\`status\` must be one of ${JOB_STATUSES.join(', ')}.`, 'status');
  if (after !== undefined && !looksLikeJobId(after)) throw invalidRequest('`after` must be the id of one of your jobs.', 'after');
  return { limit: limit === undefined ? 20 : Number(limit), ...(after === undefined ? {} : { after }), ...(status === undefined ? {} : { status: status as JobStatus }) };
}

/** `render` shows each job as the caller sees it (with links signed for the request's origin). */
export async function listJobs(deps: LifecycleDeps, owner: string, params: ListParams, render: (record: JobRecord) => Job): Promise<JobList> {
  const cursor = params.after === undefined ? undefined : await deps.store.get(params.after);
  if (params.after !== undefined && (!cursor || cursor.owner !== owner)) throw invalidRequest('`after` must be the id of one of your jobs.', 'after');
  const rows = await deps.store.list(owner, {
    limit: params.limit + 1,
    ...(params.status ? { status: params.status } : {}),
    ...(cursor ? { after: { createdAt: cursor.createdAt, id: cursor.id } } : {}),
  });
  const data = rows.slice(0, params.limit).map((record) => render(record));
  return { object: 'list', data, has_more: rows.length > params.limit, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
