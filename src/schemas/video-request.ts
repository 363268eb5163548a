/**
 * The OpenAI-shaped create request (`POST /v1/videos`, DESIGN §7): the schema that validates it,
 * sent as JSON or as a form, and documents it. The rest of the Videos API's shapes are in videos.ts.
 */
import * as v from '../validation/index.ts';
import { MAX_PROMPT_LENGTH } from './create-job.ts';

/** `WxH` in pixels, e.g. `1280x720`. */
export const SIZE_PATTERN = /^([1-9]\d{0,4})x([1-9]\d{0,4})$/;
/** Seconds as the SDK sends them (`"8"`), also with a fraction for frame-counted models (`"4.875"`). */
export const SECONDS_PATTERN = /^(?:0|[1-9]\d{0,3})(?:\.\d{1,6})?$/;

const ImageReference = v
  .strictObject({
    image_url: v.string().min(1).max(20_000_000).meta({ format: 'uri', description: 'An https URL or a `data:image/<type>;base64,…` URI of the first frame.' }),
  })
  .meta({ description: 'The first frame by URL (the SDK sends it as `input_reference[image_url]` in a form).' });

export const CreateVideoRequestSchema = v
  .strictObject({
    model: v.string().min(1).max(200).meta({ description: 'An alias (`kling-2.5`) or a direct model (`krea/kling/kling-2.5`); `GET /v1/models` lists them.', examples: ['kling-2.5'] }),
    prompt: v.string().meta({ description: `What to generate, at most ${MAX_PROMPT_LENGTH} characters.` }),
    seconds: v
      .union([v.string().regex(SECONDS_PATTERN, 'Expected a number of seconds like "8".'), v.number().positive().finite()])
      .optional()
      .meta({ description: 'Length in seconds, as a string (`"5"`); the job\'s `duration`, checked against the model\'s durations.', examples: ['5'] }),
    size: v
      .string()
      .regex(SIZE_PATTERN, 'Expected WIDTHxHEIGHT in pixels, like "1280x720".')
      .optional()
      .meta({ description: '`WIDTHxHEIGHT`: its reduced ratio is the aspect ratio (`1280x720` → `16:9`) and, for models with resolutions, its shorter side the resolution (`720p`). A model without resolution control renders at its native resolution (the job\'s `warnings` say so).', examples: ['1280x720'] }),
    input_reference: ImageReference.optional(),
  })
  .meta({ description: 'Create a video. Sent as JSON or as `multipart/form-data` (the `openai` SDK 7.x always sends a form), where `input_reference` may also be an image file part. Unknown fields are a 400.' });

