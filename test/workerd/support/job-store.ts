/** The job store's Durable Object bindings (wrangler.toml's `JOBS`, `JOB_OWNERS`) in workerd tests. */
import { env } from 'cloudflare:workers';
import { durableObjectJobStore, type JobStoreOptions } from '../../../src/worker/durable-object-job-store.ts';
import { jobStoreNamespaces, type JobStoreNamespaces } from '../../../src/worker/job-store-rpc.ts';

/** The namespaces as the Worker gets them. */
export function boundNamespaces(): JobStoreNamespaces {
  const namespaces = jobStoreNamespaces(env);
  if (!namespaces) throw new Error('wrangler.toml must bind JOBS and JOB_OWNERS');
  return namespaces;
}

/**
 * A name prefix no other store in this workerd has used: storage outlives a test file (and, in
 * watch mode, a run), and the conformance cases reuse fixed ids, owners and keys.
 */
export function freshPrefix(label: string): string {
  return `${label}-${crypto.randomUUID()}/`;
}

/** A store of its own on the bound namespaces. */
export function isolatedStore(label: string, options: Omit<JobStoreOptions, 'prefix'> = {}) {
  const prefix = freshPrefix(label);
  return { prefix, store: durableObjectJobStore(boundNamespaces(), { ...options, prefix }) };
}
