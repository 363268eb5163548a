/**
 * `providerOptions.vidgate`: the gateway's own create fields, spelled as the gateway spells them
 * and sent as they are (they win over what the call options map to), plus two settings of this
 * client. Fields not listed here are sent too: the gateway is the authority on its request and
 * answers an unknown one with `400 unknown_parameter`.
 */
import * as z from 'zod';

export const WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'job.cancelled', 'job.updated'] as const;
/** What the gateway sends when a create names no events; the AI SDK's `webhook` option waits for one of these. */
export const TERMINAL_WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'job.cancelled'] as const;

export const vidgateVideoModelOptionsSchema = z.looseObject({
  /** Pin the job to one of the model's providers (`krea`, `aimlapi`). */
  provider: z.string().nullish(),
  mode: z.string().nullish(),
  /** A gateway resolution (`720p`, `4k`), instead of the mapping of the call's `WxH` resolution. */
  resolution: z.string().nullish(),
  generate_audio: z.boolean().nullish(),
  enhance_prompt: z.boolean().nullish(),
  start_image: z.string().nullish(),
  end_image: z.string().nullish(),
  /** Provider-native extras, keyed by provider: `{ krea: { … } }`. */
  provider_options: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  /** Your own receiver for the gateway's signed webhooks (the call's `webhook` option sets it for you). */
  webhook_url: z.string().nullish(),
  webhook_events: z.array(z.enum(WEBHOOK_EVENTS)).nullish(),
  /** Client setting: how long `experimental_generateVideo` waits for the job (default 10 minutes). */
  pollTimeoutMs: z.number().int().positive().nullish(),
  /** Client setting: how long each `Prefer: wait` long-poll may be held, 1–60 s (default 30). */
  waitSeconds: z.number().int().min(1).max(60).nullish(),
});

export type VidgateVideoModelOptions = z.infer<typeof vidgateVideoModelOptionsSchema>;

/** The options that configure this client and are never sent to the gateway. */
export interface ClientSettings {
  pollTimeoutMs: number;
  waitSeconds: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = { pollTimeoutMs: 600_000, waitSeconds: 30 };
