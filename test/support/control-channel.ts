/**
 * How test files reach a server that the `node` project's globalSetup starts once per run, only
 * when a file first asks for it (test/support/postgres-global-setup.ts, s3-global-setup.ts).
 * globalSetup runs in vitest's main process and test files in forked children, so the children ask
 * over a loopback channel whose port and token are provided to them: one line with the token in,
 * one JSON line `{ answer }` or `{ error }` out. Plain TCP rather than HTTP, so that a test file's
 * nock or stubbed fetch cannot intercept it.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Where to ask: provided to test files through vitest's `provide`/`inject`. */
export interface ControlAddress {
  port: number;
  token: string;
}

export interface ControlChannel {
  address: ControlAddress;
  close(): void;
}

/**
 * globalSetup's side: answers every request with what `answer` resolves to (JSON-serializable),
 * or with its error's message. `answer` is called per request, so it should cache what it starts.
 */
export async function serveControlChannel(answer: () => Promise<unknown>): Promise<ControlChannel> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((socket) => serve(socket, token, answer));
  const port = await listen(server);
  return { address: { port, token }, close: () => server.close() };
}

function serve(socket: Socket, token: string, answer: () => Promise<unknown>): void {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  const onData = (chunk: string) => {
    received += chunk;
    if (!received.includes('\n')) {
      if (received.length > token.length + 1) socket.destroy();
      return;
    }
    socket.off('data', onData);
    if (received.split('\n')[0] !== token) return void socket.destroy();
    answer().then(
      (value) => socket.end(`${JSON.stringify({ answer: value })}\n`),
      (error: unknown) => socket.end(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
    );
  };
  socket.on('data', onData);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

/** A test file's side: the answer, or an error naming `what` (e.g. "PostgreSQL server") when it could not be had. */
export function askControlChannel<T>({ port, token }: ControlAddress, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(`${token}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => {
      try {
        const reply = JSON.parse(received) as { answer?: T; error?: string };
        if (reply.error === undefined) resolve(reply.answer as T);
        else reject(new Error(`The test ${what} did not start: ${reply.error}`));
      } catch {
        reject(new Error(`No answer from the test ${what}'s control channel on port ${port}`));
      }
    });
  });
}
