import { memoryJobStore } from '../../src/jobs/store/memory-job-store.ts';
import { jobStoreCases } from './job-store-cases.ts';
import { ledgerCases } from './ledger-cases.ts';

jobStoreCases('memory', async () => ({ store: memoryJobStore(), close: async () => {} }), { scannable: true, waitsForChanges: true });
ledgerCases('memory', async () => ({ store: memoryJobStore(), close: async () => {} }));
