/**
 * Krea (`api.krea.ai`): every model is its own route, `POST /generate/video/<vendor>/<model>`,
 * and jobs are polled at `GET /jobs/<id>`. The emulator lives in `emulator.ts` and is loaded
 * separately, so it never lands in the Worker bundle.
 */
import type { ProviderDefinition } from '../types.ts';
import { adapter, operationSchema } from './adapter.ts';
import { kreaModels } from './catalog.ts';
import { classifyHttpError } from './errors.ts';
import { statusTable } from './status-table.ts';

/** The Krea provider. */
export const krea: ProviderDefinition = {
  name: 'krea',
  title: 'Krea',
  env: { apiKey: 'KREA_API_KEY', baseUrl: 'KREA_BASE_URL' },
  defaultBaseUrl: 'https://api.krea.ai',
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  models: kreaModels,
  statusTable,
  classifyHttpError,
  operationSchema,
  adapter,
};
