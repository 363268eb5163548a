/**
 * AI/ML API (https://api.aimlapi.com): one unified async video endpoint, model chosen by the body's
 * `model` field.
 */
import { bearerAuth } from '../shared/auth.ts';
import { emulatorAt } from '../shared/on-demand-import.ts';
import { defineProvider } from '../types.ts';
import { operationSchema, start, status } from './adapter.ts';
import { models } from './catalog.ts';
import { errorMessage } from './errors.ts';
import { statuses } from './status-table.ts';

/** The AI/ML API provider. */
export const aimlapi = defineProvider({
  name: 'aimlapi',
  title: 'AI/ML API',
  env: { apiKey: 'AIMLAPI_API_KEY', baseUrl: 'AIMLAPI_BASE_URL' },
  defaultBaseUrl: 'https://api.aimlapi.com',
  auth: bearerAuth,
  models,
  statuses,
  // "You've run out of credits" is a 403 here, where most APIs (and the shared table) say 402.
  httpFailures: { 403: 'out_of_credits' },
  errorMessage,
  operation: operationSchema,
  start,
  status,
  // Generations take minutes; the documentation's own loops poll every 10 to 15 seconds. No cancel is documented.
  pollIntervalMs: 10_000,
  // Billed in credits; docs' own example: 98,000 credits = $0.049. No per-model price is published in
  // the API documentation, so jobs here are estimated only where the operator sets a model's price
  // (`prices.aimlapi.models`); the billed figure comes from the provider's answers.
  pricing: {
    unit: 'aimlapi_credit',
    usdPerUnit: 0.000_000_5,
    source: "AI/ML API's documentation (credits and their USD value: `meta.usage`, request-tracing-and-cost.md); no published per-model prices",
  },
  emulator: emulatorAt(import.meta.url, './emulator.ts'),
});
