/**
 * The Node process around the gateway: its own settings (`PORT`, `HOST`, `SHUTDOWN_GRACE_MS`),
 * startup failures as one line, and stopping on signals or when the npm that started it is gone.
 */
import * as v from '../validation/index.ts';
import { ConfigError, parseOrThrow } from '../config-error.ts';
import type { Env } from '../config.ts';
import { ListenError } from './http-server.ts';
import { DEFAULT_SHUTDOWN_GRACE_MS, type RunningGateway } from './start.ts';

/** The Node process's own settings (the gateway's are in src/config.ts), from the environment. */
export interface ProcessSettings {
  port: number;
  hostname: string;
  /** How long requests in flight may take to finish once a stop signal came. */
  shutdownGraceMs: number;
}

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const ProcessSettingsSchema = v.object({
  PORT: v.preprocess(emptyAsUnset, v.coerce.number({ error: 'expected a port number' }).int('expected a port number').min(0).max(65_535).default(8787)),
  HOST: v.preprocess(emptyAsUnset, v.string().default('127.0.0.1')),
  SHUTDOWN_GRACE_MS: v.preprocess(emptyAsUnset, v.coerce.number({ error: 'expected milliseconds' }).int().min(0).default(DEFAULT_SHUTDOWN_GRACE_MS)),
});

/** Reads the process's own settings; a bad one is a {@link ConfigError} naming it. */
export function readProcessSettings(env: Env): ProcessSettings {
  const parsed = parseOrThrow(ProcessSettingsSchema, env);
  return { port: parsed.PORT, hostname: parsed.HOST, shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS };
}

/** What to print for a failed start, or `undefined` for a failure that is a bug (its stack then matters). */
export function describeStartupFailure(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof ListenError) return describeListenError(error);
  return undefined;
}

function describeListenError(error: ListenError): string {
  const address = `${error.hostname}:${error.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `vidgate cannot listen on ${address}: the port is already in use. Stop what listens there, or set PORT to another port.`;
    case 'EACCES':
      return `vidgate cannot listen on ${address}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `vidgate cannot listen on ${address}: HOST is not an address of this machine (${error.code}). Set HOST, e.g. 127.0.0.1 or 0.0.0.0.`;
    default:
      return `vidgate cannot listen on ${address} (${error.code}). Check PORT and HOST.`;
  }
}

/** The signals that stop the gateway: `docker stop` and kill (TERM), Ctrl-C (INT), a closed terminal (HUP). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Calls `stop` on the first stop signal. Later ones are ignored rather than left to kill the
 * process: Ctrl-C under npm arrives twice (from the terminal, and forwarded by npm), and the
 * shutdown has its own deadline.
 */
export function stopOnSignals(stop: (reason: string) => void): void {
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
}

/**
 * Under npm (`npm start`), calls `stop` when npm is gone: npm does not pass on SIGHUP and cannot pass
 * on SIGKILL, and the gateway would otherwise outlive it. Seen as the parent process changing
 * (the orphan is adopted by init or a subreaper). Not used outside npm: there the parent may
 * rightly go first (`nohup`, a shell that exits).
 */
export function stopWhenNpmExits(stop: (reason: string) => void, env: Env = process.env, everyMs = 500): void {
  if (env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop('npm exited');
  }, everyMs);
  timer.unref();
}

/**
 * The process's one way to stop: close the gateway gracefully (requests in flight get `graceMs`),
 * then exit 0. Runs once, however often it is called.
 */
export function gracefulStop(gateway: RunningGateway, graceMs: number, print: (line: string) => void = console.error): (reason: string) => void {
  let stopping = false;
  return (reason) => {
    if (stopping) return;
    stopping = true;
    print(`vidgate: ${reason}, stopping (requests in flight get up to ${graceMs} ms)`);
    gateway.close(graceMs).then(
      ({ cut }) => {
        print(cut > 0 ? `vidgate stopped; ${cut} connection(s) still busy at the deadline were closed` : 'vidgate stopped');
        process.exit(0);
      },
      (error: unknown) => {
        print(`vidgate could not stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  };
}
