import { describe, expect, it } from 'vitest';
import { errorMessage, generationFailure } from '../../../providers/aimlapi/errors.ts';
import { aimlapi } from '../../../providers/aimlapi/index.ts';
import { statuses } from '../../../providers/aimlapi/status-table.ts';
import { failureKind } from '../../../src/upstream/failures.ts';

const apiError = (statusCode: number, message: string) => ({
  message,
  path: '/v2/video/generations',
  requestId: '5f0c1d2e-0000-4000-8000-000000000000',
  statusCode,
  timestamp: '2026-08-21T10:00:00.000Z',
});

describe('aimlapi status table', () => {
  it('maps the four documented statuses and nothing else', () => {
    expect(Object.fromEntries(statuses)).toEqual({ queued: 'queued', generating: 'in_progress', completed: 'completed', error: 'failed' });
  });
});

describe('aimlapi HTTP failures', () => {
  it.each([
    [400, 'invalid_request'],
    [422, 'invalid_request'],
    [401, 'auth'],
    [403, 'out_of_credits'],
    [404, 'not_found'],
    [408, 'timeout'],
    [504, 'timeout'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [418, 'invalid_request'],
    [409, 'invalid_request'],
  ])('reads HTTP %s as %s', (status, kind) => {
    expect(failureKind(aimlapi, status)).toBe(kind);
  });

  it('keeps the provider’s message of an out-of-credits 403 and the body validation details of a 400', () => {
    expect(errorMessage(apiError(403, "You've run out of credits. Please top up your balance."))).toBe("You've run out of credits. Please top up your balance.");
    const body = apiError(400, "Body validation error! Invalid enum value. Expected 5 | 10, received '7'");
    expect(errorMessage(body)).toBe("Body validation error! Invalid enum value. Expected 5 | 10, received '7'");
  });
});

describe('aimlapi errorMessage', () => {
  it.each([
    [{ message: 'Too Many Requests' }, 'Too Many Requests'],
    [{ message: ['prompt must be a string', 'model is required'] }, 'prompt must be a string; model is required'],
    [{ error: { message: 'Internal server error' } }, 'Internal server error'],
    [{ error: 'Service unavailable' }, 'Service unavailable'],
    [{ detail: [{ loc: ['body', 'num_frames'], msg: 'Must be a multiple of 12 plus 6' }] }, 'body.num_frames: Must be a multiple of 12 plus 6'],
    ['Bad Gateway', 'Bad Gateway'],
  ])('reads %j as %j', (body, message) => {
    expect(errorMessage(body)).toBe(message);
  });

  it.each([undefined, null, 42, {}, { message: '' }, { message: 7 }, { detail: 'nope' }, []])('finds no message in %j', (body) => {
    expect(errorMessage(body)).toBeUndefined();
  });
});

describe('aimlapi generationFailure', () => {
  it('reads the schema’s {name, message} shape', () => {
    expect(generationFailure({ name: 'ProviderError', message: 'Generation failed upstream' })).toEqual({
      code: 'ProviderError',
      message: 'Generation failed upstream',
    });
  });

  it('reads the documented {detail: [...]} shape', () => {
    const error = {
      detail: [{ loc: ['body', 'image_url'], msg: 'Could not detect face in the image', type: 'face_detection_error', input: 'https://x.test/a.png' }],
    };
    expect(generationFailure(error)).toEqual({ code: 'face_detection_error', message: 'body.image_url: Could not detect face in the image' });
  });

  it('reads a plain string', () => {
    expect(generationFailure('Generation timeout')).toEqual({ message: 'Generation timeout' });
  });

  it('reads a message without a name', () => {
    expect(generationFailure({ message: 'moderation' })).toEqual({ message: 'moderation' });
  });

  it.each([null, undefined, {}, { name: 'OnlyAName' }, { detail: [] }, 3])('says nothing for %j', (error) => {
    expect(generationFailure(error)).toBeUndefined();
  });
});
