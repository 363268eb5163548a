import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { ConfigError, loadConfig, type Env } from '../../../src/config.ts';
import { createModelIndex } from '../../../src/router.ts';

const base: Env = { GATEWAY_API_KEYS: 'gateway-key-1', JOB_ID_SECRET: 'secret-0123456789abcdef', KREA_API_KEY: 'k', AIMLAPI_API_KEY: 'a' };
const load = (extra: Env = {}) => loadConfig({ ...base, ...extra }, providers);

function configError(extra: Env): string {
  try {
    load(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('the routing configuration', () => {
  it('ships the default aliases, each pointing at known models', () => {
    const config = load();
    expect(Object.keys(config.aliases)).toEqual(expect.arrayContaining(['kling-2.5', 'veo-3.1', 'hailuo-2.3', 'wan-2.5', 'wan-14b']));
    expect(config.aliases['wan-14b']!.targets).toEqual(['aimlapi/krea/krea-wan-14b/text-to-video']);
  });

  it('switches an alias with one line, as a JSON string (environment) or an object (wrangler [vars])', () => {
    const asString = load({ VIDGATE_CONFIG: '{"aliases": {"wan-14b": ["krea/alibaba/wan-2.5"]}}' });
    const asObject = load({ VIDGATE_CONFIG: { aliases: { 'wan-14b': ['krea/alibaba/wan-2.5'] } } });
    for (const config of [asString, asObject]) {
      expect(config.aliases['wan-14b']).toEqual({ targets: ['krea/alibaba/wan-2.5'], pinOnly: [] });
      expect(config.aliases['veo-3.1']!.targets).toEqual(['krea/google/veo-3.1']);
    }
  });

  it('adds new aliases, with pin-only targets, and removes a default with null', () => {
    const config = load({
      VIDGATE_CONFIG: { aliases: { 'my-video': { targets: ['krea/kling/kling-2.6'], pin_only: ['aimlapi/klingai/v2.5-turbo/pro/text-to-video'] }, 'veo-3.1': null } },
    });
    expect(config.aliases['my-video']).toEqual({ targets: ['krea/kling/kling-2.6'], pinOnly: ['aimlapi/klingai/v2.5-turbo/pro/text-to-video'] });
    expect(config.aliases).not.toHaveProperty('veo-3.1');
  });

  it('applies per-provider settings, with the provider variables winning', () => {
    const config = load({
      VIDGATE_CONFIG: { providers: { krea: { enabled: false, base_url: 'https://krea.internal', request_timeout_ms: { create: 5000, poll: 2000 }, retry: { attempts: 5 } } } },
      UPSTREAM_POLL_TIMEOUT_MS: '9000',
      AIMLAPI_BASE_URL: 'https://aiml.internal',
    });
    expect(config.providers.krea).toMatchObject({ enabled: false, baseUrl: 'https://krea.internal', policy: { createTimeoutMs: 5000, pollTimeoutMs: 2000, attempts: 5 } });
    expect(config.providers.aimlapi).toMatchObject({ enabled: true, baseUrl: 'https://aiml.internal', policy: { pollTimeoutMs: 9000 } });
    expect(load({ KREA_BASE_URL: 'https://env.wins', VIDGATE_CONFIG: { providers: { krea: { base_url: 'https://config.loses' } } } }).providers.krea!.baseUrl).toBe('https://env.wins');
  });

  it.each([
    ['invalid JSON', { VIDGATE_CONFIG: '{aliases:' }, 'VIDGATE_CONFIG: not valid JSON'],
    ['an unknown top-level key', { VIDGATE_CONFIG: { routes: {} } }, 'VIDGATE_CONFIG: unknown key "routes"'],
    ['an alias name with a slash', { VIDGATE_CONFIG: { aliases: { 'a/b': ['krea/kling/kling-2.5'] } } }, 'VIDGATE_CONFIG.aliases.a/b'],
    ['an empty target list', { VIDGATE_CONFIG: { aliases: { x: [] } } }, 'VIDGATE_CONFIG.aliases.x: needs at least one target'],
    ['an unknown target model', { VIDGATE_CONFIG: { aliases: { x: ['krea/kling/kling-99'] } } }, 'VIDGATE_CONFIG.aliases.x.targets.0: unknown model "krea/kling/kling-99"'],
    ['an unknown pin-only model', { VIDGATE_CONFIG: { aliases: { x: { targets: ['krea/kling/kling-2.5'], pin_only: ['nope/x'] } } } }, 'VIDGATE_CONFIG.aliases.x.pin_only.0'],
    ['an unknown provider', { VIDGATE_CONFIG: { providers: { fal: {} } } }, 'VIDGATE_CONFIG.providers.fal: unknown provider'],
    ['a bad base URL', { VIDGATE_CONFIG: { providers: { krea: { base_url: 'ftp://x' } } } }, 'VIDGATE_CONFIG.providers.krea.base_url: expected an http(s) URL'],
    ['a negative timeout', { VIDGATE_CONFIG: { providers: { krea: { request_timeout_ms: { poll: -1 } } } } }, 'VIDGATE_CONFIG.providers.krea.request_timeout_ms.poll'],
    ['an unknown provider setting', { VIDGATE_CONFIG: { providers: { krea: { timeout: 5 } } } }, 'VIDGATE_CONFIG.providers.krea: unknown key "timeout"'],
    ['too many retry attempts', { VIDGATE_CONFIG: { providers: { aimlapi: { retry: { attempts: 50 } } } } }, 'VIDGATE_CONFIG.providers.aimlapi.retry.attempts'],
    ['a short job id secret', { JOB_ID_SECRET: 'short' }, 'JOB_ID_SECRET.0: each entry needs at least 16 characters'],
    ['no gateway keys', { GATEWAY_API_KEYS: undefined }, 'GATEWAY_API_KEYS: required'],
  ])('rejects %s, naming the key and what was expected', (_name, extra, expected) => {
    const message = configError(extra as Env);
    expect(message).toContain(expected);
    expect(message).not.toContain('    at ');
  });
});

describe('alias resolution', () => {
  const config = load({ VIDGATE_CONFIG: { aliases: { duo: { targets: ['krea/kling/kling-2.5', 'aimlapi/klingai/v2.5-turbo/pro/text-to-video'], pin_only: ['aimlapi/klingai/v2.5-turbo/pro/image-to-video'] } } } });
  const index = createModelIndex(providers, config.aliases);

  it('resolves an alias to its targets in order', () => {
    const route = index.resolve('duo');
    expect(route.alias).toBe('duo');
    expect(route.targets.map((target) => target.publicId)).toEqual(['krea/kling/kling-2.5', 'aimlapi/klingai/v2.5-turbo/pro/text-to-video']);
    expect(route.pinOnly.map((target) => target.publicId)).toEqual(['aimlapi/klingai/v2.5-turbo/pro/image-to-video']);
  });

  it('resolves a direct id to itself', () => {
    expect(index.resolve('krea/google/veo-3.1').targets.map((target) => target.publicId)).toEqual(['krea/google/veo-3.1']);
  });

  it('names unknown aliases and models', () => {
    expect(() => index.resolve('sora')).toThrow(/not an alias here \(aliases: .*duo/);
    expect(() => index.resolve('constructor')).toThrow(/Unknown model "constructor"/);
    expect(() => index.resolve('krea/nope')).toThrow(/Krea has no model "nope"/);
  });
});

describe('named keys and prices in the routing configuration', () => {
  const keys = { team: { key_env: 'TEAM_KEY', requests_per_minute: 30, max_concurrent_jobs: 3, daily_budget_usd: 10, monthly_budget_usd: 200 }, ops: { key_env: 'OPS_KEY', admin: true } };

  it('reads each named key from its environment variable, next to the GATEWAY_API_KEYS keys', () => {
    const config = load({ VIDGATE_CONFIG: { keys }, TEAM_KEY: 'team-secret-key', OPS_KEY: 'ops-secret-key' });
    expect(config.apiKeys).toEqual(['gateway-key-1', 'team-secret-key', 'ops-secret-key']);
    expect(config.keys).toEqual([
      { name: 'team', key: 'team-secret-key', requestsPerMinute: 30, maxConcurrentJobs: 3, dailyBudgetUsd: 10, monthlyBudgetUsd: 200, admin: false },
      { name: 'ops', key: 'ops-secret-key', admin: true },
    ]);
  });

  it('needs no GATEWAY_API_KEYS when named keys are configured', () => {
    const config = load({ GATEWAY_API_KEYS: undefined, VIDGATE_CONFIG: { keys }, TEAM_KEY: 'team-secret-key', OPS_KEY: 'ops-secret-key' });
    expect(config.apiKeys).toEqual(['team-secret-key', 'ops-secret-key']);
    expect(configError({ GATEWAY_API_KEYS: undefined })).toContain('GATEWAY_API_KEYS: required');
  });

  it('refuses to start when a key variable is unset or short, naming the key and never the value', () => {
    expect(configError({ VIDGATE_CONFIG: { keys }, OPS_KEY: 'ops-secret-key' })).toContain('VIDGATE_CONFIG.keys.team.key_env: the environment variable TEAM_KEY must hold the key');
    const short = configError({ VIDGATE_CONFIG: { keys }, TEAM_KEY: 'short', OPS_KEY: 'ops-secret-key' });
    expect(short).toContain('VIDGATE_CONFIG.keys.team.key_env');
    expect(short).not.toContain('short');
  });

  it('refuses a key configured twice, unknown limit names and negative budgets', () => {
    expect(configError({ VIDGATE_CONFIG: { keys }, TEAM_KEY: 'gateway-key-1', OPS_KEY: 'ops-secret-key' })).toContain('the same key is configured twice');
    expect(configError({ VIDGATE_CONFIG: { keys: { team: { key_env: 'TEAM_KEY', rpm: 3 } } }, TEAM_KEY: 'team-secret-key' })).toContain('VIDGATE_CONFIG.keys.team');
    expect(configError({ VIDGATE_CONFIG: { keys: { team: { key_env: 'TEAM_KEY', daily_budget_usd: -1 } } }, TEAM_KEY: 'team-secret-key' })).toContain('VIDGATE_CONFIG.keys.team.daily_budget_usd');
  });

  it("takes a provider unit's USD value and model prices, for known providers and models only", () => {
    const config = load({ VIDGATE_CONFIG: { prices: { krea: { usd_per_unit: 0.002, models: { 'kling/kling-2.5': { usd_per_second: 0.08 } } } } } });
    expect(config.prices).toEqual({ krea: { usdPerUnit: 0.002, models: { 'kling/kling-2.5': { usd_per_second: 0.08 } } } });
    expect(configError({ VIDGATE_CONFIG: { prices: { acme: { usd_per_unit: 1 } } } })).toContain('VIDGATE_CONFIG.prices.acme: unknown provider');
    expect(configError({ VIDGATE_CONFIG: { prices: { krea: { models: { 'kling/kling-9': { usd_per_job: 1 } } } } } })).toContain('VIDGATE_CONFIG.prices.krea.models.kling/kling-9');
  });
});
