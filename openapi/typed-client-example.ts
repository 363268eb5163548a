import { hc } from 'hono/client';
import type { AppType } from '../src/app.ts';

/** Creates a job (safe to retry: same key, same job) and waits until it is terminal; typed from the gateway's routes. */
export async function generateVideo(baseUrl: string, apiKey: string, pollEveryMs = 2_000) {
  const client = hc<AppType>(baseUrl, { headers: { Authorization: `Bearer ${apiKey}` } });
  const created = await client.v1.jobs.$post(
    { json: { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a red fox running through snow', duration: 5 } },
    { headers: { 'Idempotency-Key': crypto.randomUUID() } },
  );
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

/** Cancels every job of yours still waiting in the queue, a page of the listing at a time. */
export async function cancelQueuedJobs(baseUrl: string, apiKey: string) {
  const client = hc<AppType>(baseUrl, { headers: { Authorization: `Bearer ${apiKey}` } });
  const cancelled: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.v1.jobs.$get({ query: { status: 'queued', limit: '100', ...(after ? { after } : {}) } });
    if (!page.ok) throw new Error(`list failed: ${page.status} ${await page.text()}`);
    const { data, has_more, last_id } = await page.json();
    for (const job of data) {
      const answer = await client.v1.jobs[':id'].cancel.$post({ param: { id: job.id } });
      if (answer.ok) cancelled.push(job.id); // a 409 says why not: cancel_not_supported, job_already_finished
    }
    if (!has_more || !last_id) return cancelled;
    after = last_id;
  }
}
