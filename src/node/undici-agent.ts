/**
 * undici's `Agent` without the rest of undici. The package's entry loads all of it (fetch, WebSocket,
 * EventSource, caches, mocks: 109 modules, about a third of the gateway's start); the agent's own
 * file needs 22 of them. The path is the file the package's entry itself exports `Agent` from; the
 * lockfile pins the version, and the Node process tests load it.
 */
import { createRequire } from 'node:module';
import type { Agent } from 'undici';

const require = createRequire(import.meta.url);

export const UndiciAgent = require('undici/lib/dispatcher/agent.js') as typeof Agent;
