/**
 * Video URLs come from the provider and go to clients (and, later, to the gateway's own fetches),
 * so they are held to the URL rules first: https (http only for a provider configured over http),
 * no credentials, and no private, loopback, link-local or metadata address unless on the provider's
 * own configured host or in `ALLOWED_PRIVATE_HOSTS`. An unsafe URL is never handed out; a job with
 * no safe URL left is the provider's bad answer.
 */
import type { ProviderDefinition, VideoOutput } from '../../providers/types.ts';
import { upstreamError } from '../errors.ts';
import { checkUrl, providerUrlRules } from '../security/url-rules.ts';

export function safeVideos(provider: ProviderDefinition, baseUrl: string, allowedPrivateHosts: readonly string[], videos: VideoOutput[] | undefined): VideoOutput[] {
  const rules = providerUrlRules(baseUrl, allowedPrivateHosts);
  const all = videos ?? [];
  const safe = all.filter((video) => checkUrl(video.url, rules).ok);
  if (all.length > 0 && safe.length === 0) {
    throw upstreamError('bad_response', { provider, detail: 'None of its result URLs is a safe URL to hand out.' });
  }
  return safe;
}
