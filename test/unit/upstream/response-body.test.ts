import { responseBodyCases } from './response-body-cases.ts';

responseBodyCases();
