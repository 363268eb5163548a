/**
 * The job store conformance suite (test/stores/job-store-cases.ts, and the key ledger's
 * test/stores/ledger-cases.ts) on the Durable Object store,
 * inside workerd, against the real `JOBS` and `JOB_OWNERS` bindings from wrangler.toml. Every
 * `open()` gets a name prefix of its own, so it starts from an empty store.
 */
import { jobStoreCases } from '../stores/job-store-cases.ts';
import { ledgerCases } from '../stores/ledger-cases.ts';
import { isolatedStore } from './support/job-store.ts';

jobStoreCases('durable objects', async () => ({ store: isolatedStore('conformance').store, close: async () => {} }), { scannable: false, waitsForChanges: true });
ledgerCases('durable objects', async () => ({ store: isolatedStore('ledger').store, close: async () => {} }));
