/** `METRICS_TOKEN`: how it is configured, and the check `GET /metrics` makes with it. */
import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { GatewayError } from '../../../src/errors.ts';
import { metricsTokenCheck } from '../../../src/http/metrics-auth.ts';

const BASE = { GATEWAY_API_KEYS: 'test-gateway-key-1', JOB_ID_SECRET: 'test-job-id-secret-0123456789' };
const TOKEN = 'test-metrics-token-0123456789';

describe('METRICS_TOKEN in the configuration', () => {
  it('is read as given, and unset or empty means no metrics route', () => {
    expect(loadConfig({ ...BASE, METRICS_TOKEN: TOKEN }, providers).metricsToken).toBe(TOKEN);
    expect(loadConfig(BASE, providers).metricsToken).toBeUndefined();
    expect(loadConfig({ ...BASE, METRICS_TOKEN: '' }, providers).metricsToken).toBeUndefined();
  });

  it('stops startup when too short to be a secret, naming the variable and not the value', () => {
    const load = () => loadConfig({ ...BASE, METRICS_TOKEN: 'short-token' }, providers);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/METRICS_TOKEN: at least 16 characters/);
    expect(load).not.toThrow(/short-token/);
  });
});

describe('the metrics token check', () => {
  const check = metricsTokenCheck(TOKEN);
  const refusal = async (header: string | undefined) => {
    const error = await check(header).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GatewayError);
    const { status, code, headers } = error as GatewayError;
    return { status, code, headers };
  };

  it('accepts the token as a bearer token, in any case of the scheme', async () => {
    await expect(check(`Bearer ${TOKEN}`)).resolves.toBeUndefined();
    await expect(check(`bearer ${TOKEN}`)).resolves.toBeUndefined();
  });

  it('answers 401 invalid_metrics_token to another token, a prefix or an extension of it', async () => {
    for (const other of ['test-metrics-token-012345678', `${TOKEN}9`, TOKEN.toUpperCase()]) {
      expect(await refusal(`Bearer ${other}`)).toEqual({ status: 401, code: 'invalid_metrics_token', headers: { 'WWW-Authenticate': 'Bearer' } });
    }
  });

  it('answers 401 missing_metrics_token without a bearer token', async () => {
    for (const header of [undefined, '', 'Bearer ', `Basic ${TOKEN}`]) {
      expect((await refusal(header)).code).toBe('missing_metrics_token');
    }
  });
});
