/**
 * Krea (`api.krea.ai`): every model is its own route, `POST /generate/video/<vendor>/<model>`,
 * and jobs are polled at `GET /jobs/<id>`. Its models come from its route table, which the
 * registry passes in (see providers/registry.ts).
 */
import { bearerAuth } from '../shared/auth.ts';
import { emulatorAt } from '../shared/on-demand-import.ts';
import { defineProvider } from '../types.ts';
import { cancel, operationSchema, start, status } from './adapter.ts';
import { kreaModelsOf } from './catalog.ts';
import type { KreaRoute } from './generate-catalog.ts';
import { errorMessage } from './errors.ts';
import { kreaPricing } from './pricing.ts';
import { statuses } from './status-table.ts';

const built = new WeakMap<readonly KreaRoute[], ReturnType<typeof define>>();

/** The Krea provider serving these routes (one object per route table). Its HTTP errors follow the shared table (402 is out of credits). */
export function kreaProvider(routes: readonly KreaRoute[]) {
  let provider = built.get(routes);
  if (!provider) built.set(routes, (provider = define(routes)));
  return provider;
}

const define = (routes: readonly KreaRoute[]) =>
  defineProvider({
    name: 'krea',
    title: 'Krea',
    env: { apiKey: 'KREA_API_KEY', baseUrl: 'KREA_BASE_URL' },
    defaultBaseUrl: 'https://api.krea.ai',
    auth: bearerAuth,
    models: kreaModelsOf(routes),
    statuses,
    errorMessage,
    operation: operationSchema,
    start,
    status,
    cancel,
    // Krea's video guide polls every 5 seconds.
    pollIntervalMs: 5_000,
    callsBack: true,
    pricing: kreaPricing,
    emulator: emulatorAt(import.meta.url, './emulator.ts'),
  });
