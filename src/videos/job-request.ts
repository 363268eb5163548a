/**
 * A video create in the jobs API's terms (DESIGN §7): `seconds` is the duration, `size`'s reduced
 * ratio the aspect ratio and, where the model has resolutions, its shorter side the resolution
 * (`1280x720` → `16:9`, `720p`); `input_reference` is the start image. The job's own checks then
 * apply unchanged, and their refusals are renamed back into this API's fields.
 */
import type { JobWarning } from '../../providers/types.ts';
import { GatewayError } from '../errors.ts';
import type { Route } from '../router.ts';
import { SIZE_PATTERN } from '../schemas/video-request.ts';
import type { VideoCreate } from './read-request.ts';

export interface JobRequestForVideo {
  /** The body of an equivalent `POST /v1/jobs`. */
  body: Record<string, unknown>;
  /** Notes the job carries from the start (a size whose resolution the model cannot apply). */
  warnings: JobWarning[];
}

export function jobRequestFor(video: VideoCreate, route: Route): JobRequestForVideo {
  const body: Record<string, unknown> = { model: video.model, prompt: video.prompt };
  const warnings: JobWarning[] = [];
  if (video.seconds !== undefined) body.duration = Number(video.seconds);
  if (video.input_reference) body.start_image = video.input_reference.image_url;
  if (video.size !== undefined) {
    const { ratio, shorterSide } = parseSize(video.size);
    body.aspect_ratio = ratio;
    // The first target decides, as it is the one the job goes to unless it cannot take it.
    const primary = route.targets[0]?.model.capabilities;
    if (primary?.resolutions) body.resolution = `${shorterSide}p`;
    else warnings.push(nativeResolution(video.size));
  }
  return { body, warnings };
}

function parseSize(size: string): { ratio: string; shorterSide: number } {
  const [, w, h] = SIZE_PATTERN.exec(size)!;
  const width = Number(w);
  const height = Number(h);
  const divisor = gcd(width, height);
  return { ratio: `${width / divisor}:${height / divisor}`, shorterSide: Math.min(width, height) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function nativeResolution(size: string): JobWarning {
  return {
    code: 'size_resolution_not_applied',
    field: 'size',
    message: `The model has no resolution control: only the aspect ratio of ${size} applies, at the model's native resolution.`,
    requested: size,
  };
}

/** The jobs API's field names → this API's, for refusals of the translated request. */
const VIDEO_FIELDS: Readonly<Record<string, string>> = {
  duration: 'seconds',
  aspect_ratio: 'size',
  resolution: 'size',
  start_image: 'input_reference',
};

/** A refusal of the translated request, naming the field the client actually sent. */
export function inVideoTerms(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.param === undefined) return error;
  const param = VIDEO_FIELDS[error.param];
  if (!param) return error;
  return error.with({ message: error.message.replaceAll(`\`${error.param}\``, `\`${param}\``), param });
}
