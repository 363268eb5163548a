/** The public job object and error envelope, as zod schemas (one definition for code, tests and docs). */
import { z } from 'zod';
import { JOB_STATUSES } from '../../providers/types.ts';

export const JobWarningSchema = z.object({
  code: z.string(),
  field: z.string().optional(),
  message: z.string(),
  requested: z.unknown().optional(),
  applied: z.unknown().optional(),
});

export const JobErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  provider_status: z.string().optional(),
  provider_code: z.string().optional(),
  provider_message: z.string().optional(),
});

export const VideoSchema = z.object({ url: z.string(), content_type: z.string().optional() });

export const JobInputSchema = z.object({
  prompt: z.string(),
  duration: z.number().optional(),
  aspect_ratio: z.string().optional(),
  resolution: z.string().optional(),
  start_image: z.string().optional(),
  end_image: z.string().optional(),
  generate_audio: z.boolean().optional(),
  enhance_prompt: z.boolean().optional(),
  seed: z.number().optional(),
  mode: z.string().optional(),
  provider_options: z.record(z.string(), z.unknown()).optional(),
});

export const JobSchema = z.object({
  id: z.string(),
  object: z.literal('job'),
  status: z.enum(JOB_STATUSES),
  progress: z.number().min(0).max(100).nullable(),
  model: z.string(),
  provider: z.string(),
  provider_model: z.string(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  input: JobInputSchema,
  warnings: z.array(JobWarningSchema),
  videos: z.array(VideoSchema),
  error: JobErrorSchema.nullable(),
  metadata: z.record(z.string(), z.string()),
});
export type Job = z.infer<typeof JobSchema>;

export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    param: z.string().optional(),
    provider: z.string().optional(),
    request_id: z.string().optional(),
  }),
});
