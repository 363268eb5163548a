/**
 * Signed video links carry their expiry, so two renders a second apart differ there and only
 * there: this replaces each link's query with a placeholder, for comparing renders of one job
 * (a job, or a webhook payload with the job as `data`).
 */
export function withUnsignedLinks<T>(job: T): T {
  const copy = structuredClone(job) as { videos?: { url: string }[]; data?: { videos?: { url: string }[] } };
  for (const video of copy.data?.videos ?? []) video.url = unsign(video.url);
  for (const video of copy.videos ?? []) video.url = unsign(video.url);
  return copy as T;
}

function unsign(url: string): string {
  return url.replace(/\?expires=\d+&signature=[\w-]+$/, '?expires=…&signature=…');
}
