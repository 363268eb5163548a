/**
 * Reading a `text/event-stream` (the gateway's `GET /v1/jobs/{id}/events`) as the HTML standard defines
 * it: events end at a blank line, `event:` names one, `data:` lines join with newlines, `:` lines are
 * comments (the gateway's pings). The gateway pings every 15 s, so a stream silent for much longer is
 * taken as dead (a half-open connection would otherwise wait forever).
 */
import { unreachable } from './exit-codes.ts';

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** Silence after which a stream is given up (three missed pings). */
const IDLE_MS = 45_000;

export async function* serverSentEvents(body: ReadableStream<Uint8Array>, idleMs = IDLE_MS): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, idleMs);
      buffer += decoder.decode(value, { stream: !done });
      const blocks = buffer.split(/\r\n\r\n|\n\n|\r\r/);
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const event = parseBlock(block);
        if (event) yield event;
      }
      if (done) return;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unreachable('stream_idle', `the gateway's event stream sent nothing for ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([reader.read(), silence]);
  } finally {
    clearTimeout(timer);
  }
}

function parseBlock(block: string): ServerSentEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}
