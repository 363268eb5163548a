/**
 * Saving a finished job's video: `GET /v1/jobs/{id}/content?index=0` streamed to a temporary file
 * (flushed to disk), checked against `Content-Length`, then moved into place (output-file.ts).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { unreachable } from './exit-codes.ts';
import type { GatewayClient } from './gateway-client.ts';
import { moveIntoPlace, outputPath, temporaryPathFor, type OutputPlan } from './output-file.ts';
import type { ProgressView } from './progress.ts';
import type { Job } from './wire-types.ts';

/** Downloads the job's first video as planned; resolves with the path written. */
export async function downloadVideo(client: GatewayClient, job: Job, plan: OutputPlan, view: ProgressView, signal: AbortSignal): Promise<string> {
  const response = await client.content(job.id, 0, signal);
  const path = outputPath(plan, job.id, response.headers.get('content-type') ?? job.videos[0]?.content_type);
  const temporary = temporaryPathFor(path);
  const length = response.headers.get('content-length');
  const total = length === null ? undefined : Number(length);
  let received = 0;
  const count = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      received += chunk.length;
      view.download(received, total);
      yield chunk;
    }
  };
  try {
    view.download(0, total);
    const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    await pipeline(body, count, createWriteStream(temporary, { flags: 'wx', flush: true }), { signal });
    if (total !== undefined && received !== total) throw unreachable('download_incomplete', `the video ended after ${received} of ${total} bytes`);
    await moveIntoPlace(temporary, path, plan.force);
    return path;
  } catch (error) {
    // A file-system error is itself (a full disk, a permission); anything else is the connection or Ctrl-C.
    if ((error as NodeJS.ErrnoException).syscall !== undefined) throw error;
    throw client.readFailure(error, signal);
  } finally {
    await rm(temporary, { force: true });
  }
}
