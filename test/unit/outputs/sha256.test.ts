import { nodeSha256 } from '../../../src/node/sha256.ts';
import { sha256Cases } from '../../outputs/sha256-cases.ts';

sha256Cases('node:crypto', nodeSha256);
