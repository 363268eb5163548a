/**
 * Reading `POST /v1/videos` as the `openai` SDK sends it: JSON (6.x without a file) or
 * multipart/form-data (7.x always; nested fields as `input_reference[image_url]`, a file as an
 * `input_reference` part). Both come out as one JSON value, validated by one schema, with an
 * uploaded file turned into a `data:` URI (checked later like every inline image).
 */
import type { Context } from 'hono';
import { GatewayError, invalidRequest } from '../errors.ts';
import { readJsonBody, validateBody } from '../http/request-body.ts';
import { toBase64 } from '../security/bytes.ts';
import { imageTypeOf } from '../security/data-uri.ts';
import { CreateVideoRequestSchema } from '../schemas/video-request.ts';
import type * as v from '../validation/index.ts';

export type VideoCreate = v.Output<typeof CreateVideoRequestSchema>;

/** The create's fields, from whichever body the client sent. */
export async function readVideoCreate(c: Context): Promise<VideoCreate> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data\b/i.test(type)) return validateBody(CreateVideoRequestSchema, await formFields(c));
  if (/^application\/([\w.+-]+\+)?json\b/i.test(type)) return validateBody(CreateVideoRequestSchema, await readJsonBody(c));
  throw new GatewayError({ status: 415, code: 'unsupported_media_type', message: 'Send the body as JSON or as multipart/form-data.' });
}

/** Form fields as the JSON body would carry them: `a[b]` nests, each field once, a file only as `input_reference`. */
async function formFields(c: Context): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    throw invalidRequest('The multipart body could not be read.', undefined, 'invalid_request');
  }
  const fields: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    if (values.length > 1) throw invalidRequest(`\`${name}\` may be sent once.`, name);
    const value = values[0]!;
    const nested = /^([a-z_]+)\[([a-z_]+)\]$/.exec(name);
    if (typeof value !== 'string') {
      if (name !== 'input_reference') throw invalidRequest(`\`${name}\` must be a text field, not a file.`, name);
      fields[name] = { image_url: await fileAsDataUri(value) };
    } else if (nested) {
      const parent = (fields[nested[1]!] ??= {});
      if (typeof parent !== 'object' || parent === null) throw invalidRequest(`\`${nested[1]}\` is sent both as a value and as fields.`, nested[1]);
      (parent as Record<string, unknown>)[nested[2]!] = value;
    } else {
      fields[name] = value;
    }
  }
  return fields;
}

/** An uploaded image as a `data:` URI of the type its bytes show (clients often send `application/octet-stream`). */
async function fileAsDataUri(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const declared = file.type.toLowerCase().split(';')[0]!.trim();
  const type = imageTypeOf(bytes) ?? (declared.startsWith('image/') ? declared : undefined);
  if (!type) throw invalidRequest('`input_reference` must be an image file (PNG, JPEG, WebP, GIF, HEIC or HEIF).', 'input_reference', 'invalid_image');
  return `data:${type};base64,${toBase64(bytes)}`;
}
