/**
 * The floor for copying a video: the least a Node process can do to keep a provider's file, run as
 * its own process (pinned like the servers). `fetch` (undici, as the gateway uses) of `URL`, its
 * body piped into a file stream at `OUT`, then one fsync (the gateway syncs its copy too). Prints
 * one JSON line: bytes, ms from the request to the synced file (and of those the fsync's), CPU ms over that time, RSS before
 * and peak RSS (maxRSS).
 */
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fetch } from 'undici';

const url = process.env.URL!;
const out = process.env.OUT!;
const idleRss = process.memoryUsage.rss();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const response = await fetch(url);
if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
await pipeline(Readable.fromWeb(response.body as never), createWriteStream(out));
const written = performance.now();
// fsync is per file: a second descriptor syncs what the stream wrote.
const handle = await open(out, 'r');
await handle.sync();
const syncMs = performance.now() - written;
const { size } = await handle.stat();
await handle.close();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ bytes: size, ms, syncMs, cpuMs: (cpu.user + cpu.system) / 1000, idleRss, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
