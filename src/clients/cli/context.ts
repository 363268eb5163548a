/**
 * What every command gets: the gateway client (from `--url`/`VIDGATE_URL` and `VIDGATE_API_KEY`), the
 * terminal, and output that keeps stdout for data (one JSON document with `--json`, text otherwise)
 * and stderr for everything else (progress, warnings, errors).
 */
import { badInput } from './exit-codes.ts';
import { gatewayClient, type GatewayClient } from './gateway-client.ts';
import { progressView, type ProgressView } from './progress.ts';
import { describeTerminal, type Terminal } from './terminal.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8787';

/** The options every gateway command takes. */
export interface GatewayOptions {
  url?: string;
  json?: boolean;
}

export interface Context {
  version: string;
  terminal: Terminal;
  /** Whether the running command was given `--json` (set before its action runs, so errors are printed the same way). */
  json: boolean;
  client(options: GatewayOptions): GatewayClient;
  /** The command's result on stdout: `document` as JSON with `--json`, else the text `human` makes of it. */
  result<T>(document: T, human: (document: T) => string): void;
  /** A line on stderr. */
  note(line: string): void;
  progress(): ProgressView;
}

export function createContext(version: string, env: NodeJS.ProcessEnv = process.env): Context {
  const terminal = describeTerminal(process.stderr, env);
  const context: Context = {
    version,
    terminal,
    json: false,
    client: (options) => gatewayClient({ url: gatewayUrl(options.url ?? env.VIDGATE_URL), apiKey: env.VIDGATE_API_KEY?.trim() || undefined, userAgent: `vidgate-cli/${version}` }),
    result(document, human) {
      if (context.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      else {
        const text = human(document);
        if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    note: (line) => void process.stderr.write(`${line}\n`),
    progress: () => progressView(process.stderr, terminal),
  };
  return context;
}

/** The gateway's base URL; a value that is not an http(s) URL is bad input (not echoed: it may hold a password). */
function gatewayUrl(value: string | undefined): URL {
  const text = value?.trim() || DEFAULT_URL;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw badInput('invalid_url', 'the gateway URL (--url or VIDGATE_URL) is not an http:// or https:// URL');
  return url;
}
