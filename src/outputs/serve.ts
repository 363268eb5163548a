/**
 * Serving a job's video (DESIGN §6): `GET /v1/jobs/{id}/content?index=0` for the owner, and the
 * signed link `GET /outputs/{id}/{index}?expires=&signature=` for anyone holding it (a `<video>`
 * tag sends no Authorization header). Both stream the gateway's copy with `ETag`, `Accept-Ranges`
 * and single-range 206s, or, while there is no copy yet (or none will be made), proxy the
 * provider's URL, passing the client's `Range` on.
 */
import { GatewayError, upstreamError } from '../errors.ts';
import { parseRange } from '../http/range.ts';
import { providerOf, type LifecycleDeps } from '../jobs/lifecycle.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';
import { checkUrl, providerUrlRules } from '../security/url-rules.ts';
import { checkLink } from './links.ts';
import { outputKey } from './output-store.ts';
import { copyFieldsOf, type CopiedVideo } from './videos.ts';

/** Copies never change under their key, so caches may keep them (signed links carry their own expiry). */
const STORED_CACHE_CONTROL = 'private, max-age=86400';
const PROXIED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified'];

export function jobNotCompleted(record: JobRecord): GatewayError {
  return new GatewayError({ status: 409, code: 'job_not_completed', message: `The job is ${record.status}; its video can be fetched once it is completed.` });
}

function videoNotFound(message: string): GatewayError {
  return new GatewayError({ status: 404, code: 'video_not_found', message });
}

/** `index` of the content route: a non-negative integer, 0 when absent. */
export function parseIndex(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^(0|[1-9]\d{0,5})$/.test(value)) throw new GatewayError({ status: 400, code: 'invalid_request', message: '`index` must be a non-negative integer (0 for the first video).', param: 'index' });
  return Number(value);
}

/** The owner's video: 409 until the job is completed, 404 for an index it does not have. */
export function ownerContent(deps: LifecycleDeps, record: JobRecord, index: number, request: Request): Promise<Response> {
  if (record.status !== 'completed') throw jobNotCompleted(record);
  if (index >= record.videos.length) throw videoNotFound(`The job has ${record.videos.length} video${record.videos.length === 1 ? '' : 's'}; there is none at index ${index}.`);
  return serveVideo(deps, record, index, request);
}

/** A signed link's video: the signature first (403 forged, 410 expired), then the job, without an owner. */
export async function signedContent(deps: LifecycleDeps, id: string, indexText: string, query: { expires?: string; signature?: string }, request: Request): Promise<Response> {
  const index = /^(0|[1-9]\d{0,5})$/.test(indexText) ? Number(indexText) : -1;
  const check = index < 0 ? 'invalid' : checkLink(deps.config.jobIdSecrets, id, index, query.expires, query.signature, deps.now());
  if (check === 'invalid') throw new GatewayError({ status: 403, code: 'invalid_signature', message: 'The link is not signed by this gateway (tampered, truncated or made up).' });
  if (check === 'expired') throw new GatewayError({ status: 410, code: 'link_expired', message: 'The link has expired; fetch the job again for a fresh one.' });
  const record = await deps.store.get(id);
  if (!record || record.status !== 'completed' || index >= record.videos.length) throw videoNotFound('The video no longer exists.');
  return serveVideo(deps, record, index, request);
}

async function serveVideo(deps: LifecycleDeps, record: JobRecord, index: number, request: Request): Promise<Response> {
  const video = copyFieldsOf(record.videos[index]!);
  if (video.storage === 'expired') throw videoNotFound('The gateway\'s copy of this video was deleted under the retention policy (OUTPUT_RETENTION_DAYS).');
  const response = video.storage === 'stored' && deps.outputs ? await serveStored(deps, record.id, index, video, request) : await proxyProvider(deps, record, video, request);
  if (request.method === 'HEAD') {
    await response.body?.cancel().catch(() => undefined);
    return new Response(null, { status: response.status, headers: response.headers });
  }
  return response;
}

async function serveStored(deps: LifecycleDeps, id: string, index: number, video: CopiedVideo, request: Request): Promise<Response> {
  const size = video.bytes ?? 0;
  const etag = `"${video.sha256 ?? `${id}-${index}`}"`;
  const headers = new Headers({
    'content-type': video.content_type ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    etag,
    'cache-control': STORED_CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
  });
  if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  const ifRange = request.headers.get('if-range');
  const range = parseRange(ifRange && ifRange !== etag ? undefined : (request.headers.get('range') ?? undefined), size);
  if (range.kind === 'unsatisfiable') {
    throw new GatewayError({ status: 416, code: 'range_not_satisfiable', message: `The range is outside the video (${size} bytes).`, headers: { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes' } });
  }
  const object = await deps.outputs!.store.get(outputKey(id, index), range.kind === 'range' ? { offset: range.offset, length: range.length } : undefined);
  if (!object) throw videoNotFound('The gateway\'s copy of this video is missing from the output store.');
  if (range.kind === 'whole') {
    headers.set('content-length', String(object.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set('content-length', String(range.length));
  headers.set('content-range', `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
  return new Response(object.body, { status: 206, headers });
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The provider's URL, streamed through: the copy is not there yet, failed, or there is no output store. */
async function proxyProvider(deps: LifecycleDeps, record: JobRecord, video: CopiedVideo, request: Request): Promise<Response> {
  const provider = providerOf(deps, record);
  const rules = providerUrlRules(deps.config.providers[provider.name]!.baseUrl, deps.config.allowedPrivateHosts);
  if (!checkUrl(video.url, rules).ok) throw upstreamError('bad_response', { provider, detail: 'Its result URL is not safe to fetch.' });
  const fetcher = deps.outputs?.fetch ?? deps.transport.fetch;
  const range = request.headers.get('range');
  let upstream: Response;
  try {
    upstream = await fetcher(video.url, { redirect: 'manual', signal: AbortSignal.timeout(30_000), headers: range ? { range } : {} });
  } catch (error) {
    throw upstreamError('network', { provider, detail: 'Its result URL could not be fetched.', cause: error });
  }
  if (![200, 206, 416].includes(upstream.status)) {
    await upstream.body?.cancel().catch(() => undefined);
    throw upstreamError('bad_response', { provider, detail: `Its result URL answered HTTP ${upstream.status}.` });
  }
  const headers = new Headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' });
  for (const name of PROXIED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (!headers.has('content-type') && video.content_type) headers.set('content-type', video.content_type);
  return new Response(upstream.body, { status: upstream.status, headers });
}
