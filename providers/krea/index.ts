/**
 * Krea (`api.krea.ai`): every model is its own route, `POST /generate/video/<vendor>/<model>`,
 * and jobs are polled at `GET /jobs/<id>`. Its models are derived from its route table
 * (catalog.ts), and the registry passes them in (see providers/registry.ts).
 */
import { bearerAuth } from '../shared/auth.ts';
import { emulatorAt } from '../shared/on-demand-import.ts';
import { defineProvider } from '../types.ts';
import { cancel, operationSchema, start, status } from './adapter.ts';
import type { KreaWire } from './catalog.ts';
import type { ModelDescriptor } from '../types.ts';
import { errorMessage } from './errors.ts';
import { kreaPricing } from './pricing.ts';
import { statuses } from './status-table.ts';

type KreaModels = readonly ModelDescriptor<KreaWire>[];
const built = new WeakMap<KreaModels, ReturnType<typeof define>>();

/** The Krea provider serving these models (one object per list). Its HTTP errors follow the shared table (402 is out of credits). */
export function kreaProvider(models: KreaModels) {
  let provider = built.get(models);
  if (!provider) built.set(models, (provider = define(models)));
  return provider;
}

const define = (models: KreaModels) =>
  defineProvider({
    name: 'krea',
    title: 'Krea',
    env: { apiKey: 'KREA_API_KEY', baseUrl: 'KREA_BASE_URL' },
    defaultBaseUrl: 'https://api.krea.ai',
    auth: bearerAuth,
    models,
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
