/**
 * Krea (`api.krea.ai`): every model is its own route, `POST /generate/video/<vendor>/<model>`,
 * and jobs are polled at `GET /jobs/<id>`.
 */
import { bearerAuth } from '../shared/auth.ts';
import { emulatorAt } from '../shared/on-demand-import.ts';
import { defineProvider } from '../types.ts';
import { cancel, operationSchema, start, status } from './adapter.ts';
import { kreaModels } from './catalog.ts';
import { errorMessage } from './errors.ts';
import { kreaPricing } from './pricing.ts';
import { statuses } from './status-table.ts';

/** The Krea provider. Its HTTP errors follow the shared table (402 is out of credits). */
export const krea = defineProvider({
  name: 'krea',
  title: 'Krea',
  env: { apiKey: 'KREA_API_KEY', baseUrl: 'KREA_BASE_URL' },
  defaultBaseUrl: 'https://api.krea.ai',
  auth: bearerAuth,
  models: kreaModels,
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
