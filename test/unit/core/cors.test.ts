import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { ConfigError, loadConfig, type Env } from '../../../src/config.ts';
import { cors, type CorsOrigins } from '../../../src/http/cors.ts';

const base: Env = { GATEWAY_API_KEYS: 'gateway-key-1', JOB_ID_SECRET: 'secret-0123456789abcdef' };
const origins = (value: string | undefined) => loadConfig({ ...base, CORS_ORIGINS: value }, providers).corsOrigins;

function configError(value: string): string {
  try {
    origins(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('CORS_ORIGINS', () => {
  it('allows no origin when unset or empty', () => {
    expect(origins(undefined)).toBe('none');
    expect(origins('')).toBe('none');
    expect(origins(' , ')).toBe('none');
  });

  it('takes comma-separated exact origins, or * alone', () => {
    expect(origins('https://app.example.com, http://localhost:5173')).toEqual(new Set(['https://app.example.com', 'http://localhost:5173']));
    expect(origins('*')).toBe('*');
  });

  it('names the variable and shows how to write an origin that is not as browsers send it', () => {
    expect(configError('https://app.example.com/')).toContain('CORS_ORIGINS: "https://app.example.com/" is not an origin as browsers send it; write "https://app.example.com"');
    expect(configError('https://App.Example.com:443')).toContain('write "https://app.example.com"');
    expect(configError('app.example.com')).toContain('CORS_ORIGINS: "app.example.com" is not an origin (expected scheme://host[:port]');
    expect(configError('ftp://files.example.com')).toContain('not an http(s) origin');
  });

  it('refuses * mixed with origins', () => {
    expect(configError('*, https://app.example.com')).toContain('CORS_ORIGINS: "*" allows every origin');
  });
});

describe('the CORS middleware', () => {
  const app = (allowed: CorsOrigins) => new Hono().use('*', cors(allowed)).get('/thing', (c) => c.json({ ok: true }));
  const get = (allowed: CorsOrigins, headers: Record<string, string>, method = 'GET') => app(allowed).request('/thing', { method, headers });

  it('adds nothing, not even Vary, when no origin is allowed', async () => {
    const answer = await get('none', { origin: 'https://app.example.com' });
    expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-') || name === 'vary')).toEqual([]);
  });

  it('with *, answers any origin with a wildcard and keeps Authorization listed by name (a wildcard does not cover it)', async () => {
    const answer = await get('*', { origin: 'https://anything.example' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await get('*', { origin: 'https://anything.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('sends no CORS headers to a request without Origin (not a browser) but still varies on it', async () => {
    const answer = await get(new Set(['https://app.example.com']), {});
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('vary')).toContain('Origin');
  });
});
