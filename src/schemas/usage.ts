/** The answer of `GET /v1/usage`, as zod schemas: for its type and the API document (nothing validates with them). */
import * as z from 'zod';

export const UsageRowSchema = z.object({
  group: z.string().meta({ description: 'The key name (unnamed `GATEWAY_API_KEYS` keys are `unnamed:` and the start of their digest), the model as requested, or the provider.' }),
  jobs: z.number().int().meta({ description: 'Jobs created in the period (creates that no provider took are not counted).' }),
  amount_usd: z.number().meta({ description: "Spend in USD: billed figures where the provider reported them, estimates otherwise (live jobs count their reservation)." }),
  provider_units: z.number().nullable().meta({ description: "In `unit`; null when the group's jobs are in more than one unit or in none." }),
  unit: z.string().nullable().meta({ description: 'The billing unit shared by the group\'s jobs (`krea_compute_unit`), or null.' }),
});

export const UsageReportSchema = z
  .object({
    object: z.literal('usage'),
    from: z.string().meta({ description: 'First UTC day of the period (`YYYY-MM-DD`).' }),
    to: z.string().meta({ description: 'Last UTC day of the period, included.' }),
    data: z.array(UsageRowSchema).meta({ description: 'One row per group, sorted by `group`.' }),
  })
  .meta({ description: "Spend and job counts of the caller's key (an admin key: of every key) over the period." });

export type UsageReport = z.output<typeof UsageReportSchema>;
export type UsageReportRow = z.output<typeof UsageRowSchema>;
