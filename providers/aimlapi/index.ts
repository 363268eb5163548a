/**
 * AI/ML API (https://api.aimlapi.com): one unified async video endpoint, model chosen by the body's
 * `model` field. This module goes into the Worker bundle, so it must not import the emulator.
 */
import type { ProviderDefinition } from '../types.ts';
import { adapter, operationSchema } from './adapter.ts';
import { models } from './catalog.ts';
import { classifyHttpError } from './errors.ts';
import { statusTable } from './status-table.ts';

/** The AI/ML API provider. */
export const aimlapi: ProviderDefinition = {
  name: 'aimlapi',
  title: 'AI/ML API',
  env: { apiKey: 'AIMLAPI_API_KEY', baseUrl: 'AIMLAPI_BASE_URL' },
  defaultBaseUrl: 'https://api.aimlapi.com',
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  models,
  statusTable,
  classifyHttpError,
  operationSchema,
  adapter,
};
