/** Driving a job by hand in workerd: its Durable Object's alarm, run until none is set. */
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { jobObject, jobStoreNamespaces } from '../../../src/worker/job-store-rpc.ts';

/** Runs the job's alarm until it is no longer set (or `max` times): its polls, copies and webhooks. */
export async function runAlarms(id: string, max = 30): Promise<void> {
  const object = jobObject(jobStoreNamespaces(env)!, '', id);
  for (let i = 0; i < max; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!(await runDurableObjectAlarm(object))) return;
  }
}
