import { hc } from 'hono/client';
import type { AppType } from '../src/app.ts';

/** Creates a job and polls it until it is terminal; request and job are typed from the gateway's routes. */
export async function generateVideo(baseUrl: string, apiKey: string, pollEveryMs = 2_000) {
  const client = hc<AppType>(baseUrl, { headers: { Authorization: `Bearer ${apiKey}` } });
  const created = await client.v1.jobs.$post({
    json: { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a red fox running through snow', duration: 5 },
  });
  if (!created.ok) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  let job = await created.json(); // job.warnings says 5 s was applied as 4.875 s
  while (job.status === 'queued' || job.status === 'in_progress') {
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    const polled = await client.v1.jobs[':id'].$get({ param: { id: job.id } });
    if (!polled.ok) throw new Error(`poll failed: ${polled.status} ${await polled.text()}`);
    job = await polled.json();
  }
  return job; // 'completed' (job.videos[0].url), 'failed' (job.error) or 'cancelled'
}
