/**
 * `GET /v1/jobs/{id}/events` (DESIGN §6): a server-sent event stream of the job, `event: job` with
 * the job now and on every change of status or progress, ending after the terminal event; `: ping`
 * comments every 15 s keep proxies from closing it. It waits on the store (see watch.ts), never on
 * the provider; a client that leaves frees its watcher at once.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isTerminal } from '../jobs/observation.ts';
import { visiblyChanged } from '../jobs/render.ts';
import type { Job } from '../schemas/job.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';

const PING_MS = 15_000;

interface Watching {
  /** `onShutdown`: the instance is going away; the stream ends (clients reconnect elsewhere). */
  watch(record: JobRecord, watcher: (record: JobRecord) => void, onShutdown: () => void): () => void;
}

/** `render` shows the job as the client sees it (video links signed afresh for each event). */
export function streamJobEvents(c: Context, jobs: Watching, current: JobRecord, render: (record: JobRecord) => Job): Response {
  return streamSSE(c, async (stream) => {
    const send = (record: JobRecord) => stream.writeSSE({ event: 'job', data: JSON.stringify(render(record)) });
    await send(current);
    if (isTerminal(current.status)) return;
    await new Promise<void>((resolve) => {
      let last = current;
      const ping = setInterval(() => void stream.write(': ping\n\n'), PING_MS);
      const stop = jobs.watch(current, (record) => {
        if (!visiblyChanged(last, record)) return;
        last = record;
        void send(record).then(() => isTerminal(record.status) && finish());
      }, () => finish());
      const finish = () => {
        stop();
        clearInterval(ping);
        resolve();
      };
      stream.onAbort(finish);
    });
  });
}
