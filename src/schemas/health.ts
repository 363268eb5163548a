/** The `GET /healthz` answer. */
import * as z from 'zod';

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ description: 'The gateway is up.' });
export type Health = z.infer<typeof HealthSchema>;
