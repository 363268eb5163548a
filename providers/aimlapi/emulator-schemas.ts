/**
 * Submit bodies the AI/ML API emulator accepts, written from the published per-model schemas
 * (A-DOCS `Krea/krea-wan-14b-text-to-video.json`, `Kling-AI/v2.5-turbo-pro-{text,image}-to-video.json`)
 * rather than from the catalog, so that an adapter mistake cannot hide behind a shared definition.
 *
 * They are `.strict()`: the real API does not document rejecting unknown fields, but an emulator
 * that does catches adapter bugs (a misspelt or unsupported field) that the real API might ignore.
 */
import * as z from 'zod';

const prompt = z.string().min(1);
const imageUrl = z.string().refine((url) => /^(https?:|data:)/.test(url), 'Expected an https URL or a data URI');

const klingExtras = {
  negative_prompt: z.string().optional(),
  cfg_scale: z.number().min(0).max(1).optional(),
  provider: z.string().optional(),
};

/** Submit body schema per model id. */
const submitBodySchemas: Readonly<Record<string, z.ZodObject>> = {
  'krea/krea-wan-14b/text-to-video': z
    .object({
      model: z.literal('krea/krea-wan-14b/text-to-video'),
      prompt,
      num_frames: z
        .number()
        .int()
        .min(18)
        .max(162)
        .refine((frames) => (frames - 6) % 12 === 0, 'Must be a multiple of 12 plus 6')
        .optional(),
      enable_prompt_expansion: z.boolean().optional(),
      seed: z.number().int().optional(),
    })
    .strict(),
  'klingai/v2.5-turbo/pro/text-to-video': z
    .object({
      model: z.literal('klingai/v2.5-turbo/pro/text-to-video'),
      prompt,
      duration: z.union([z.literal(5), z.literal(10)]).optional(),
      aspect_ratio: z.enum(['16:9', '9:16', '1:1']).optional(),
      ...klingExtras,
    })
    .strict(),
  'klingai/v2.5-turbo/pro/image-to-video': z
    .object({
      model: z.literal('klingai/v2.5-turbo/pro/image-to-video'),
      prompt,
      image_url: imageUrl,
      duration: z.union([z.literal(5), z.literal(10)]).optional(),
      ...klingExtras,
    })
    .strict(),
};

/**
 * What a body asks for, or the validation error text (in the API's "Body validation error!"
 * style) when it is not acceptable.
 */
export function parseSubmitBody(body: unknown): { model: string; body: Record<string, unknown> } | { error: string } {
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  const schema = typeof model === 'string' && Object.hasOwn(submitBodySchemas, model) ? submitBodySchemas[model] : undefined;
  if (!schema) {
    const expected = Object.keys(submitBodySchemas).map((id) => `'${id}'`).join(' | ');
    return { error: `Body validation error! model: Invalid enum value. Expected ${expected}, received '${String(model)}'` };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { model: model as string, body: parsed.data };
  const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return { error: `Body validation error! ${details.join('; ')}` };
}
