/**
 * The texts of the create-job request in the API document: its description and each field's
 * (with examples). The document's generator puts them on the validating schema (create-job.ts);
 * they live apart from it so that the Worker bundle, which validates but serves a prebuilt
 * document, does not carry them. Every field must have its entry (the type says so).
 */
import type { RequestDocs } from './request-docs.ts';
import { MAX_PROMPT_LENGTH, METADATA_LIMITS, type createJobRequestSchema } from './create-job.ts';

export const CREATE_JOB_DOCS: RequestDocs<ReturnType<typeof createJobRequestSchema>> = {
  description: 'A video generation request. Unknown fields are a 400; `null` means "not set". Documented defaults are applied and echoed in the job\'s `input`.',
  fields: {
    model: { description: '`<provider>/<model id>` (or an alias); `GET /v1/models` lists them all.', examples: ['krea/kling/kling-2.5'] },
    provider: { description: "Pin the job to one provider among the model's targets (no fallback to others)." },
    prompt: { description: `What to generate, at most ${MAX_PROMPT_LENGTH} characters. Must not be blank; each model's own limit (\`capabilities.prompt\` in \`GET /v1/models\`) may be lower.` },
    duration: { description: 'Length in seconds. Accepted as sent or rejected (422); frame-counted models round to the nearest frame count and say so in `warnings`.' },
    aspect_ratio: { description: 'Like `16:9`; compared by value (`1920:1080` is `16:9`).' },
    resolution: { description: 'Like `720p` or `4k`; case-insensitive.' },
    start_image: { description: 'First frame: an https URL or a `data:image/<type>;base64,…` URI.' },
    end_image: { description: 'Last frame: an https URL or a `data:image/<type>;base64,…` URI.' },
    generate_audio: { description: 'Generate a soundtrack. `false` is accepted by models without audio.' },
    enhance_prompt: { description: "Let the provider rewrite the prompt. `false` is accepted by models without the feature." },
    seed: { description: "Integer seed, within the model's bounds." },
    mode: { description: "A model's generation mode, e.g. Kling's `pro`." },
    provider_options: {
      description: 'Provider-native extras keyed by provider name, validated against the JSON Schema that `GET /v1/models` publishes for the model (`capabilities.provider_options`).',
      examples: [{ krea: { width: 832, height: 480 } }],
    },
    metadata: {
      description: `Your own string map, echoed back on the job: up to ${METADATA_LIMITS.keys} keys of at most ${METADATA_LIMITS.keyLength} characters, values of at most ${METADATA_LIMITS.valueLength}.`,
      examples: [{ order: '42' }],
    },
    max_cost_usd: {
      description: 'The most this job may cost, in USD. A target whose estimate is higher (or unknown) is never picked; when no target fits, the create is a 422 `cost_limit_exceeded` with the estimate, and nothing is sent.',
      examples: [1.5],
    },
    webhook_url: {
      description: 'Where to send signed webhooks (Standard Webhooks) about this job: an https URL on a public address. Needs `WEBHOOK_SECRET` on the gateway.',
      examples: ['https://app.example.com/hooks/vidgate'],
    },
    webhook_events: {
      description: 'Which events to send (default: the three terminal ones). `job.updated` is sent for every change of status or progress after the create.',
      examples: [['job.completed', 'job.failed']],
    },
  },
};
