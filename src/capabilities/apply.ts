/**
 * Checking a request against what the model can do, before any upstream call. Every field is
 * accepted as-is or rejected with a 422 that names the field and the supported values; the only
 * transformation is the documented frame rounding, which is reported as a warning. Documented
 * defaults are filled in, so `job.input` states what the job asked for.
 */
import type { JobWarning, ModelCapabilities, ModelDescriptor, VideoInput } from '../../providers/types.ts';
import { unsupported } from '../errors.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import { matchAspectRatio } from './aspect-ratio.ts';
import { applyDuration, defaultDuration, type AppliedDuration } from './duration.ts';

export interface AppliedRequest {
  input: VideoInput;
  /** For frame-counted models: the frame count that `input.duration` stands for. */
  frames?: number;
  warnings: JobWarning[];
}

export function applyCapabilities(request: CreateJobRequest, model: ModelDescriptor, publicId: string): AppliedRequest {
  const caps = model.capabilities;
  const warnings: JobWarning[] = [];
  checkPrompt(request.prompt, caps, publicId);
  const duration = pickDuration(request.duration, caps, publicId, warnings);
  const input: VideoInput = {
    prompt: request.prompt,
    duration: duration?.seconds,
    aspect_ratio: pickChoice('aspect_ratio', request.aspect_ratio && matchAspectRatio(request.aspect_ratio, caps.aspect_ratios ?? []) || request.aspect_ratio, caps.aspect_ratios, caps.defaults.aspect_ratio, publicId),
    resolution: pickChoice('resolution', request.resolution?.toLowerCase(), caps.resolutions, caps.defaults.resolution, publicId),
    mode: pickChoice('mode', request.mode, caps.modes, caps.defaults.mode, publicId),
    start_image: pickImage('start_image', request.start_image, caps.start_image, publicId),
    end_image: pickImage('end_image', request.end_image, caps.end_image ? 'optional' : null, publicId),
    generate_audio: pickSwitch('generate_audio', request.generate_audio, caps.generate_audio, caps.defaults.generate_audio, publicId),
    enhance_prompt: pickSwitch('enhance_prompt', request.enhance_prompt, caps.enhance_prompt, caps.defaults.enhance_prompt, publicId),
    seed: pickSeed(request.seed, caps, publicId),
  };
  const applied = { input: withoutUndefined(input), warnings };
  return duration?.frames === undefined ? applied : { ...applied, frames: duration.frames };
}

function checkPrompt(prompt: string, caps: ModelCapabilities, model: string): void {
  const { min_length: min, max_length: max } = caps.prompt;
  if (max !== undefined && prompt.length > max) {
    throw unsupported('prompt_too_long', `${model} accepts prompts of at most ${max} characters; got ${prompt.length}.`, 'prompt');
  }
  if (min !== undefined && prompt.length < min) {
    throw unsupported('prompt_too_short', `${model} needs a prompt of at least ${min} characters.`, 'prompt');
  }
}

function notAvailable(field: string, model: string) {
  return unsupported('unsupported_parameter', `${model} does not accept \`${field}\`.`, field);
}

function pickDuration(seconds: number | undefined, caps: ModelCapabilities, model: string, warnings: JobWarning[]): AppliedDuration | undefined {
  if (!caps.duration) {
    if (seconds !== undefined) throw notAvailable('duration', model);
    return undefined;
  }
  if (seconds === undefined) return defaultDuration(caps.duration);
  const applied = applyDuration(seconds, caps.duration, model);
  if (applied.warning) warnings.push(applied.warning);
  return applied;
}

function pickChoice(field: string, value: string | undefined, supported: string[] | null, fallback: string | undefined, model: string): string | undefined {
  if (value === undefined) return supported ? fallback : undefined;
  if (!supported) throw notAvailable(field, model);
  if (!supported.includes(value)) {
    throw unsupported(`unsupported_${field}`, `${model} supports ${field} ${supported.map((v) => `"${v}"`).join(', ')}; got "${value}".`, field);
  }
  return value;
}

function pickImage(field: string, value: string | undefined, accepts: 'optional' | 'required' | null, model: string): string | undefined {
  if (value === undefined) {
    if (accepts === 'required') throw unsupported('missing_parameter', `${model} needs \`${field}\` (an https URL or data: URI).`, field);
    return undefined;
  }
  if (!accepts) throw notAvailable(field, model);
  return value;
}

/** `false` for a feature the model lacks is what the model does anyway, so it is not an error. */
function pickSwitch(field: string, value: boolean | undefined, available: boolean, fallback: boolean | undefined, model: string): boolean | undefined {
  if (!available) {
    if (value === true) throw notAvailable(field, model);
    return undefined;
  }
  return value ?? fallback;
}

function pickSeed(seed: number | undefined, caps: ModelCapabilities, model: string): number | undefined {
  if (seed === undefined) return undefined;
  if (!caps.seed) throw notAvailable('seed', model);
  const { min, max } = caps.seed;
  if ((min !== undefined && seed < min) || (max !== undefined && seed > max)) {
    throw unsupported('unsupported_seed', `${model} accepts seeds from ${min ?? '-∞'} to ${max ?? '∞'}; got ${seed}.`, 'seed');
  }
  return seed;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
