/** Reading a `text/event-stream` the way a browser's EventSource would, for tests. */

export interface ServerSentEvent {
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  headers: Headers;
  events: ServerSentEvent[];
  /** Comment lines (`: ping`), without the colon. */
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `count` events have arrived (rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ServerSentEvent[]>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const ended = consume(response, events, comments, () => waiters.forEach((wake) => wake())).catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    waitFor(count, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(events);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} events within ${ms} ms, got ${events.length}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

async function consume(response: Response, events: ServerSentEvent[], comments: string[], changed: () => void): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const parsed = parseBlock(block);
      comments.push(...parsed.comments);
      if (parsed.event) events.push(parsed.event);
      changed();
    }
  }
}

function parseBlock(block: string): { event?: ServerSentEvent; comments: string[] } {
  let event = 'message';
  const data: string[] = [];
  const comments: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('event:')) event = line.slice('event:'.length).trim();
    else if (line.startsWith('data:')) data.push(line.slice('data:'.length).replace(/^ /, ''));
  }
  return { event: data.length > 0 ? { event, data: data.join('\n') } : undefined, comments };
}
