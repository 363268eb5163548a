/**
 * The OpenAI-shaped Videos API in the document (DESIGN §7): the same jobs, in OpenAI's request and
 * response shapes, with OpenAI's error envelope and `x-should-retry` on every error response.
 */
import type { OperationObject, ParameterObject, ResponsesObject } from 'openapi3-ts/oas31';
import type { ErrorScope } from '../error-catalog.ts';
import { errorResponses, headerRef, requestIdHeader, videoContentResponses } from './responses.ts';
import { schemaRef } from './schemas.ts';

type DocumentedOperation = Omit<OperationObject, 'operationId' | 'security'>;
export type VideoOperationId = 'createVideo' | 'listVideos' | 'getVideo' | 'deleteVideo' | 'getVideoContent';

/** Where each video operation's errors can arise: the job operation it stands for. */
export const VIDEO_OPERATION_SCOPES: Record<VideoOperationId, readonly ErrorScope[]> = {
  createVideo: ['any', 'auth', 'create', 'job', 'store'],
  listVideos: ['any', 'auth', 'list', 'store'],
  getVideo: ['any', 'auth', 'poll', 'job', 'store'],
  deleteVideo: ['any', 'auth', 'poll', 'job', 'cancel', 'store'],
  getVideoContent: ['any', 'auth', 'poll', 'job', 'content', 'store'],
};

const TAG = 'Videos (OpenAI-compatible)';

function responses(operation: VideoOperationId, success: ResponsesObject): ResponsesObject {
  return { ...success, ...errorResponses(VIDEO_OPERATION_SCOPES[operation], 'openai') };
}

const VIDEO_ID: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The video id, which is its job id (`job_…`): it works on `/v1/jobs/{id}` too.',
  schema: { type: 'string', pattern: '^job_[A-Za-z0-9_-]{1,60}$' },
};

const video = { 'application/json': { schema: schemaRef('OpenAIVideo') } };

function createVideo(): DocumentedOperation {
  return {
    tags: [TAG],
    summary: 'Create a video',
    description:
      'The OpenAI Videos API create, as the official `openai` SDK sends it (JSON, or multipart/form-data with `input_reference` as an image file or `input_reference[image_url]`). It becomes a job: `seconds` is its duration, `size` its aspect ratio (reduced, `1280x720` → `16:9`) and, for models with resolutions, its resolution (the shorter side, `720p`); `input_reference` its start image (an uploaded file goes to the provider as an asset where it has uploads, Krea\'s `POST /assets`, else inline). The model\'s capabilities apply as on `POST /v1/jobs`, refusals naming this API\'s fields. The SDK retries on its own and sends no `Idempotency-Key`: a retry (`X-Stainless-Retry-Count` ≥ 1) of a create that reached the gateway, with the same fields within 15 minutes, answers that create\'s video instead of starting a second one; `Idempotency-Key` works as on `POST /v1/jobs`.',
    parameters: [
      { name: 'Idempotency-Key', in: 'header', required: false, description: 'As on `POST /v1/jobs`: the same key and fields within 24 hours answer the same video.', schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' } },
      { name: 'X-Stainless-Retry-Count', in: 'header', required: false, description: 'Sent by the `openai` SDK: 0 on the first attempt, n on its n-th automatic retry.', schema: { type: 'string', pattern: '^[0-9]+$' } },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: schemaRef('CreateVideoRequest'), example: { model: 'kling-2.5', prompt: 'a lighthouse at dusk, waves crashing', seconds: '5', size: '1280x720' } },
        'multipart/form-data': { schema: schemaRef('CreateVideoForm'), encoding: { input_reference: { contentType: 'image/png, image/jpeg, image/webp, image/gif, image/heic, image/heif' } } },
      },
    },
    responses: responses('createVideo', {
      200: { description: 'The video, queued at its provider.', headers: { ...requestIdHeader(), 'Idempotent-Replayed': headerRef('Idempotent-Replayed') }, content: video },
    }),
  };
}

function listVideos(): DocumentedOperation {
  const query = (name: string, description: string, schema: ParameterObject['schema']): ParameterObject => ({ name, in: 'query', required: false, description, schema });
  return {
    tags: [TAG],
    summary: 'List videos',
    description: 'Your jobs as videos, newest first (or oldest first with `order=asc`). Page with `after` set to the `last_id` of a page while `has_more` is true. Any other query parameter is a 400 naming it.',
    parameters: [
      query('limit', 'How many, 1 to 100.', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
      query('after', 'The id of one of your videos: the page starts after it.', { type: 'string', pattern: '^job_[A-Za-z0-9_-]{1,60}$' }),
      query('order', '`desc` (newest first, the default) or `asc`.', { type: 'string', enum: ['desc', 'asc'], default: 'desc' }),
    ],
    responses: responses('listVideos', {
      200: { description: 'A page of videos.', headers: requestIdHeader(), content: { 'application/json': { schema: schemaRef('OpenAIVideoList') } } },
    }),
  };
}

function getVideo(): DocumentedOperation {
  return {
    tags: [TAG],
    summary: 'Retrieve a video',
    description: 'The job as a video object, refreshed from the provider like `GET /v1/jobs/{id}`. A cancelled job is `failed` with `error.code` `cancelled`.',
    parameters: [VIDEO_ID],
    responses: responses('getVideo', { 200: { description: 'The video.', headers: requestIdHeader(), content: video } }),
  };
}

function deleteVideo(): DocumentedOperation {
  return {
    tags: [TAG],
    summary: 'Delete a video',
    description: 'Cancels the job first if it is still live (a provider that cannot cancel is a 409 `cancel_not_supported`, and nothing is deleted), then removes the job and its stored copies: `/v1/videos/{id}` and `/v1/jobs/{id}` are 404 afterwards.',
    parameters: [VIDEO_ID],
    responses: responses('deleteVideo', {
      200: { description: 'Deleted.', headers: requestIdHeader(), content: { 'application/json': { schema: schemaRef('OpenAIVideoDeleted') } } },
    }),
  };
}

function getVideoContent(): DocumentedOperation {
  return {
    tags: [TAG],
    summary: 'Download a video',
    description: 'The video\'s bytes, as `GET /v1/jobs/{id}/content` serves them (the gateway\'s copy once stored, ranges, `HEAD`). 409 `job_not_completed` until the job is completed.',
    parameters: [
      VIDEO_ID,
      { name: 'variant', in: 'query', required: false, description: 'Only `video`: the gateway keeps no thumbnails or spritesheets.', schema: { type: 'string', enum: ['video'], default: 'video' } },
      { name: 'Range', in: 'header', required: false, description: 'One byte range, e.g. `bytes=0-1048575`.', schema: { type: 'string' } },
    ],
    responses: responses('getVideoContent', videoContentResponses()),
  };
}

export const VIDEO_OPERATIONS: Record<VideoOperationId, () => DocumentedOperation> = { createVideo, listVideos, getVideo, deleteVideo, getVideoContent };
