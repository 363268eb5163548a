/**
 * Configuration, parsed once per process or isolate from environment-like input (Node's
 * `process.env`, Worker bindings). Provider settings are derived from the registry, so a new
 * provider brings its own `<NAME>_API_KEY` / `<NAME>_BASE_URL` without touching this file.
 */
import { z } from 'zod';
import type { ProviderDefinition } from '../providers/types.ts';
import { DEFAULT_POLICY, type UpstreamPolicy } from './upstream/retry-policy.ts';

export interface ProviderSettings {
  /** `undefined`: the provider is not configured and its models answer `provider_not_configured`. */
  apiKey: string | undefined;
  baseUrl: string;
  policy: UpstreamPolicy;
}

export interface GatewayConfig {
  apiKeys: string[];
  jobIdSecrets: string[];
  providers: Record<string, ProviderSettings>;
  maxBodyBytes: number;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const list = (minLength: number, what: string) =>
  z
    .string({ error: `required (${what})` })
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(minLength, `each entry needs at least ${minLength} characters`)).min(1, `required (${what})`));

const positiveInt = z.coerce.number().int().positive();

const CoreEnvSchema = z.object({
  GATEWAY_API_KEYS: list(8, 'comma-separated bearer keys clients must send'),
  JOB_ID_SECRET: list(16, 'secret that seals job ids; comma-separate old secrets to rotate'),
  MAX_REQUEST_BYTES: positiveInt.default(16 * 1024 * 1024),
  UPSTREAM_CREATE_TIMEOUT_MS: positiveInt.default(DEFAULT_POLICY.createTimeoutMs),
  UPSTREAM_POLL_TIMEOUT_MS: positiveInt.default(DEFAULT_POLICY.pollTimeoutMs),
  UPSTREAM_ATTEMPTS: positiveInt.max(10).default(DEFAULT_POLICY.attempts),
});

export function loadConfig(env: Env, providers: readonly ProviderDefinition[]): GatewayConfig {
  const core = parseOrThrow(CoreEnvSchema, env);
  const policy: UpstreamPolicy = {
    ...DEFAULT_POLICY,
    attempts: core.UPSTREAM_ATTEMPTS,
    createTimeoutMs: core.UPSTREAM_CREATE_TIMEOUT_MS,
    pollTimeoutMs: core.UPSTREAM_POLL_TIMEOUT_MS,
  };
  return {
    apiKeys: core.GATEWAY_API_KEYS,
    jobIdSecrets: core.JOB_ID_SECRET,
    maxBodyBytes: core.MAX_REQUEST_BYTES,
    providers: Object.fromEntries(providers.map((provider) => [provider.name, providerSettings(provider, env, policy)])),
  };
}

function providerSettings(provider: ProviderDefinition, env: Env, policy: UpstreamPolicy): ProviderSettings {
  const schema = z.object({
    [provider.env.apiKey]: z.string().trim().min(1).optional(),
    [provider.env.baseUrl]: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  });
  const parsed = parseOrThrow(schema, emptyAsUndefined(env, [provider.env.apiKey, provider.env.baseUrl]));
  return {
    apiKey: parsed[provider.env.apiKey] as string | undefined,
    baseUrl: (parsed[provider.env.baseUrl] as string | undefined) ?? provider.defaultBaseUrl,
    policy,
  };
}

function emptyAsUndefined(env: Env, keys: string[]): Env {
  return Object.fromEntries(keys.map((key) => [key, env[key] === '' ? undefined : env[key]]));
}

function parseOrThrow<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
