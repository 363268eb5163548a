/**
 * A copy interrupted by a crash is not lost (DESIGN §6 "Outputs"): a real gateway process killed
 * with SIGKILL halfway through streaming a video, and the next process on the same data directory
 * copies it again from the start, leaving one complete copy and no half-written one in its place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../providers/emulator-kit/index.ts';
import { call, eventually, killHard, startCluster, type Cluster } from '../support/process-cluster.ts';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('a gateway killed mid-copy', () => {
  it('leaves the video pending, and the next gateway stores it', async () => {
    cluster = await startCluster({ progression: { mode: 'per-poll' } });
    const krea = cluster.emulators.krea!.emulator.control;
    let copyStarted = false;
    // The first copy gets half the file, then nothing more: the process dies mid-stream.
    krea.files = (_name, request) => {
      if (copyStarted || !request.headers.get('accept')?.startsWith('video/*')) return undefined;
      copyStarted = true;
      const half = SAMPLE_MP4.slice(0, SAMPLE_MP4.byteLength / 2);
      return new Response(new ReadableStream({ start: (controller) => controller.enqueue(half) }), { headers: { 'content-type': 'video/mp4', 'content-length': String(SAMPLE_MP4.byteLength) } });
    };
    const lifecycle = { LEASE_MS: '1000', POLL_INTERVAL_MS: '100' };
    const first = await cluster.spawn(lifecycle);
    const created = await call(first, 'POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
    await eventually(() => copyStarted || undefined);
    const midway = await call(first, 'GET', `/v1/jobs/${created.body.id}`);
    expect(midway.body).toMatchObject({ status: 'completed', videos: [{ storage: 'pending' }] });
    await killHard(first);

    const second = await cluster.spawn(lifecycle);
    const stored = await eventually(async () => {
      const job = await call(second, 'GET', `/v1/jobs/${created.body.id}`);
      return job.body.videos?.[0]?.storage === 'stored' ? job.body : undefined;
    });
    expect(stored.videos[0]).toMatchObject({ bytes: SAMPLE_MP4.byteLength });
    const video = await fetch(stored.videos[0].url);
    expect(new Uint8Array(await video.arrayBuffer())).toEqual(SAMPLE_MP4);
  });
});
