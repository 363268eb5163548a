/** How an upstream attempt ended, in the fixed set {@link UpstreamOutcome} the metrics label it with. */
import { GatewayError } from '../errors.ts';
import type { UpstreamOutcome } from './gateway-metrics.ts';

/**
 * `httpStatus` is the provider's status when it answered at all; `failure` what the attempt threw,
 * if it threw. A non-2xx answer is named by its status class, whatever error it became; a 2xx that
 * failed was cut off (timeout, connection lost) or unusable (too large, too deep, not JSON).
 */
export function upstreamOutcome(httpStatus: number | undefined, failure?: unknown): UpstreamOutcome {
  if (httpStatus !== undefined && (httpStatus < 200 || httpStatus >= 300)) {
    return httpStatus >= 500 ? 'http_5xx' : httpStatus >= 400 ? 'http_4xx' : 'redirect';
  }
  if (failure === undefined) return 'ok';
  const code = failure instanceof GatewayError ? failure.code : undefined;
  if (code === 'provider_timeout') return 'timeout';
  if (code === 'provider_unavailable') return 'network_error';
  return 'bad_response';
}
