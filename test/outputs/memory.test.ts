import { memoryOutputStore } from '../../src/outputs/memory-output-store.ts';
import { outputStoreCases } from './output-store-cases.ts';

outputStoreCases('memory', async () => ({ store: memoryOutputStore(), close: async () => {} }));
