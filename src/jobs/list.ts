/**
 * `GET /v1/jobs` and `GET /v1/videos`: the caller's jobs a page at a time (newest first unless
 * `order=asc` on the videos route). The query is checked strictly: `limit` (1–100, default 20),
 * `after` (one of the caller's job ids: the page after it), and `status` or `order` per route;
 * anything else, or any of these twice, is a 400 naming it.
 */
import { JOB_STATUSES, type JobStatus } from '../../providers/types.ts';
import { invalidRequest } from '../errors.ts';
import type { Job } from '../schemas/job.ts';
import { looksLikeJobId } from './job-ids.ts';
import type { LifecycleDeps } from './lifecycle.ts';
import type { JobRecord, ListOrder } from './store/job-store.ts';

interface ListParams {
  limit: number;
  after?: string;
  status?: JobStatus;
  order?: ListOrder;
}

type ListParameter = 'limit' | 'after' | 'status' | 'order';

/** `GET /v1/jobs` filters by status, newest first; the OpenAI-shaped `GET /v1/videos` takes an order instead. */
export const JOB_LIST_PARAMETERS: readonly ListParameter[] = ['limit', 'after', 'status'];
export const VIDEO_LIST_PARAMETERS: readonly ListParameter[] = ['limit', 'after', 'order'];
const ORDERS: readonly ListOrder[] = ['desc', 'asc'];

/** The query's parameters, or the 400 that names the one at fault. */
export function parseListQuery(query: Record<string, string[]>, parameters: readonly ListParameter[] = JOB_LIST_PARAMETERS): ListParams {
  for (const [name, values] of Object.entries(query)) {
    if (!(parameters as readonly string[]).includes(name)) throw invalidRequest(`Unknown query parameter \`${name}\`; use ${parameters.join(', ')}.`, name, 'unknown_parameter');
    if (values.length > 1) throw invalidRequest(`\`${name}\` may be given once.`, name);
  }
  const limit = query.limit?.[0];
  const status = query.status?.[0];
  const after = query.after?.[0];
  const order = query.order?.[0];
  if (limit !== undefined && !/^(100|[1-9][0-9]?)$/.test(limit)) throw invalidRequest('`limit` must be an integer from 1 to 100.', 'limit');
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) throw invalidRequest(`\`status\` must be one of ${JOB_STATUSES.join(', ')}.`, 'status');
  if (order !== undefined && !(ORDERS as readonly string[]).includes(order)) throw invalidRequest('`order` must be `asc` or `desc`.', 'order');
  if (after !== undefined && !looksLikeJobId(after)) throw invalidRequest('`after` must be the id of one of your jobs.', 'after');
  return {
    limit: limit === undefined ? 20 : Number(limit),
    ...(after === undefined ? {} : { after }),
    ...(status === undefined ? {} : { status: status as JobStatus }),
    ...(order === undefined ? {} : { order: order as ListOrder }),
  };
}

/** A page of the caller's jobs, each shown by `render` (the job object, or the video object). */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * A page of jobs already serialized one by one as its JSON: byte for byte `JSON.stringify` of the
 * page of their objects (the same keys in the same order), without serializing a job again whose
 * text was kept (src/jobs/rendered-jobs.ts).
 */
export function pageText(page: Page<{ text: string }>): string {
  const ids = `"first_id":${JSON.stringify(page.first_id)},"last_id":${JSON.stringify(page.last_id)}`;
  return `{"object":"list","data":[${page.data.map((item) => item.text).join(',')}],"has_more":${page.has_more},${ids}}`;
}

/** `render` shows each job as the caller sees it (with links signed for the request's origin). */
export async function listJobs<T extends { id: string } = Job>(deps: LifecycleDeps, owner: string, params: ListParams, render: (record: JobRecord) => T): Promise<Page<T>> {
  const cursor = params.after === undefined ? undefined : await deps.store.get(params.after);
  if (params.after !== undefined && (!cursor || cursor.owner !== owner)) throw invalidRequest('`after` must be the id of one of your jobs.', 'after');
  const rows = await deps.store.list(owner, {
    limit: params.limit + 1,
    ...(params.status ? { status: params.status } : {}),
    ...(params.order ? { order: params.order } : {}),
    ...(cursor ? { after: { createdAt: cursor.createdAt, id: cursor.id } } : {}),
  });
  const data = rows.slice(0, params.limit).map((record) => render(record));
  return { object: 'list', data, has_more: rows.length > params.limit, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
