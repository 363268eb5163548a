/**
 * The OpenAI-shaped create request (`POST /v1/videos`, DESIGN §7): the schema that validates it,
 * sent as JSON or as a form, and documents it (its fields' texts are in video-request-docs.ts, as
 * for create-job.ts). The rest of the Videos API's shapes are in videos.ts.
 */
import * as v from '../validation/index.ts';

/** `WxH` in pixels, e.g. `1280x720`. */
export const SIZE_PATTERN = /^([1-9]\d{0,4})x([1-9]\d{0,4})$/;
/** Seconds as the SDK sends them (`"8"`), also with a fraction for frame-counted models (`"4.875"`). */
export const SECONDS_PATTERN = /^(?:0|[1-9]\d{0,3})(?:\.\d{1,6})?$/;

const ImageReference = v
  .strictObject({
    image_url: v.string().min(1).max(20_000_000).meta({ format: 'uri', description: 'An https URL or a `data:image/<type>;base64,…` URI of the first frame.' }),
  })
  .meta({ description: 'The first frame by URL (the SDK sends it as `input_reference[image_url]` in a form).' });

export const CreateVideoRequestSchema = v.strictObject({
  model: v.string().min(1).max(200),
  prompt: v.string(),
  seconds: v.union([v.string().regex(SECONDS_PATTERN, 'Expected a number of seconds like "8".'), v.number().positive().finite()]).optional(),
  size: v.string().regex(SIZE_PATTERN, 'Expected WIDTHxHEIGHT in pixels, like "1280x720".').optional(),
  input_reference: ImageReference.optional(),
});
