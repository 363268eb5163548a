/**
 * A loopback TCP proxy that a test can take down and bring back up on the same port: what a client
 * sees when its server goes away (connections reset, new ones refused) and returns, without
 * stopping a real server that other test files share.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port clients connect to; the same across `down()` and `up()`. */
  port: number;
  /** Resets every open connection and refuses new ones. */
  down(): Promise<void>;
  /** Accepts connections again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
  /** What clients sent through the proxy so far (as latin1 text), to wait for a request to be under way. */
  sent(): string;
}

/** Starts forwarding 127.0.0.1:<a free port> to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let sent = '';
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const forward = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      sent += chunk.toString('latin1');
    });
    client.pipe(upstream).pipe(client);
  };
  let server: Server | undefined = createServer(forward);
  const port = await listen(server, 0);
  const down = async () => {
    const closing = server && new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    for (const socket of sockets) socket.resetAndDestroy();
    await closing;
  };
  const up = async () => {
    if (server) return;
    server = createServer(forward);
    await listen(server, port);
  };
  return { port, down, up, close: down, sent: () => sent };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
