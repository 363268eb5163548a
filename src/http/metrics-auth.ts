/**
 * The scraper's bearer token for `GET /metrics` (`METRICS_TOKEN`), separate from the gateway keys:
 * a monitoring system gets no access to jobs, and a client key does not read the metrics. Compared
 * as SHA-256 digests in constant time, like the gateway keys.
 */
import { GatewayError } from '../errors.ts';
import { bearerToken, digest, equalBytes } from './auth.ts';

/** A check of a request's `Authorization` header against the token; it throws the 401 to answer. */
export function metricsTokenCheck(token: string): (authorization: string | undefined) => Promise<void> {
  const expected = digest(token);
  return async (authorization) => {
    const presented = bearerToken(authorization);
    if (!presented) throw missingToken();
    if (!equalBytes(await expected, await digest(presented))) throw invalidToken();
  };
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };

function missingToken(): GatewayError {
  return new GatewayError({ status: 401, code: 'missing_metrics_token', message: 'Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.', headers: CHALLENGE });
}

function invalidToken(): GatewayError {
  return new GatewayError({ status: 401, code: 'invalid_metrics_token', message: 'The metrics token is not valid.', headers: CHALLENGE });
}
