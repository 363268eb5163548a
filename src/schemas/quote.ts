/** The answer of `POST /v1/jobs/quote`. */
import * as z from 'zod';
import { EstimateSchema } from './job.ts';

const QuotedTargetSchema = z.object({
  target: z.string().meta({ description: 'The direct model id (`krea/kling/kling-2.5`).' }),
  estimate: EstimateSchema.nullable().meta({ description: 'null when no price is known for this target (set one under `prices` in the routing configuration).' }),
});

export const QuoteSchema = QuotedTargetSchema.extend({
  object: z.literal('quote'),
  model: z.string().meta({ description: 'The model as requested (alias or direct id).' }),
  alternatives: z.array(QuotedTargetSchema).meta({ description: 'The fallback targets after `target`, in the order a create would try them.' }),
}).meta({ description: 'What a create with the same body would cost: nothing was written and no provider was called.' });

export type Quote = z.output<typeof QuoteSchema>;
export type QuotedTarget = z.output<typeof QuotedTargetSchema>;
