/** The texts of the OpenAI-shaped create request in the API document (see create-job-docs.ts for why they are apart). */
import { MAX_PROMPT_LENGTH } from './create-job.ts';
import type { RequestDocs } from './request-docs.ts';
import type { CreateVideoRequestSchema } from './video-request.ts';

export const CREATE_VIDEO_DOCS: RequestDocs<typeof CreateVideoRequestSchema> = {
  description: 'Create a video. Sent as JSON or as `multipart/form-data` (the `openai` SDK 7.x always sends a form), where `input_reference` may also be an image file part. Unknown fields are a 400.',
  fields: {
    model: { description: 'An alias (`kling-2.5`) or a direct model (`krea/kling/kling-2.5`); `GET /v1/models` lists them.', examples: ['kling-2.5'] },
    prompt: { description: `What to generate, at most ${MAX_PROMPT_LENGTH} characters.` },
    seconds: { description: 'Length in seconds, as a string (`"5"`); the job\'s `duration`, checked against the model\'s durations.', examples: ['5'] },
    size: {
      description: '`WIDTHxHEIGHT`: its reduced ratio is the aspect ratio (`1280x720` → `16:9`) and, for models with resolutions, its shorter side the resolution (`720p`). A model without resolution control renders at its native resolution (the job\'s `warnings` say so).',
      examples: ['1280x720'],
    },
    // Described by its own schema (video-request.ts), an object with texts of its own.
    input_reference: undefined,
  },
};
