/**
 * Video URLs come from the provider and go to clients, so they are checked first: absolute
 * https URLs only (plain http only when the provider itself is reached over plain http, as the
 * loopback emulators are), with no credentials embedded.
 */
import type { ProviderDefinition, VideoOutput } from '../../providers/types.ts';
import type { ProviderSettings } from '../config.ts';
import { upstreamError } from '../errors.ts';

export function checkVideoUrls(provider: ProviderDefinition, settings: ProviderSettings, videos: VideoOutput[] | undefined): void {
  const allowHttp = settings.baseUrl.startsWith('http://');
  for (const video of videos ?? []) {
    if (!isSafeUrl(video.url, allowHttp)) {
      throw upstreamError('bad_response', { provider, detail: 'A result URL was not a safe absolute URL.' });
    }
  }
}

function isSafeUrl(value: string, allowHttp: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const protocolOk = url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
  return protocolOk && url.username === '' && url.password === '';
}
