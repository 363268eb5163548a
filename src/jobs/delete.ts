/**
 * Removing a job for good: its stored copies first, then the record, so no copy outlives its job
 * (a copy still streaming when the record goes is deleted by the copier when it finds the job
 * gone). The OpenAI-shaped `DELETE /v1/videos/{id}` calls this once the job is no longer live.
 */
import { outputKey } from '../outputs/output-store.ts';
import { copyFieldsOf } from '../outputs/videos.ts';
import type { LifecycleDeps } from './lifecycle.ts';
import { ownedJob } from './refresh.ts';

export async function deleteJob(deps: LifecycleDeps, id: string, owner: string): Promise<void> {
  const record = await ownedJob(deps, id, owner);
  if (deps.outputs) {
    const copies = record.videos.flatMap((video, index) => (copyFieldsOf(video).storage === undefined ? [] : [index]));
    await Promise.all(copies.map((index) => deps.outputs!.store.delete(outputKey(id, index))));
  }
  await deps.store.delete(id);
  deps.finished.delete(id);
}
