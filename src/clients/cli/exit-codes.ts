/**
 * The exit codes, in one place (README "Command line"), and the one error type that carries them.
 * Scripts branch on these, so a code's meaning never changes:
 * 0 done; 1 unexpected (a bug); 2 bad input (a usage error, a 4xx); 3 the job or its provider failed;
 * 4 the gateway could not be reached or broke (network errors, timeouts, its own 5xx); 130 Ctrl-C.
 */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  failed: 3,
  unreachable: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What `--json` prints for an error, and what the human message is made of. */
export interface ErrorDetail {
  code: string;
  message: string;
  status?: number;
  param?: string;
  provider?: string;
  request_id?: string;
  /** The job the error is about, when there is one (a failed or interrupted wait). */
  job_id?: string;
}

/** A failure the CLI expected and explains: a message for stderr, an exit code, a JSON document for `--json`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly detail: ErrorDetail;
  /** Further lines for stderr: what to do about it. */
  readonly hints: readonly string[];
  /** What `--json` prints instead of `{"error": detail}` (a failed job prints the job). */
  readonly document: unknown;

  constructor(exitCode: ExitCode, detail: ErrorDetail, options: { hints?: readonly string[]; document?: unknown } = {}) {
    super(detail.message);
    this.exitCode = exitCode;
    this.detail = detail;
    this.hints = options.hints ?? [];
    this.document = options.document ?? { error: detail };
  }
}

export function badInput(code: string, message: string, hints?: readonly string[]): CliError {
  return new CliError(EXIT.badInput, { code, message }, { hints });
}

export function unreachable(code: string, message: string, hints?: readonly string[]): CliError {
  return new CliError(EXIT.unreachable, { code, message }, { hints });
}

/** Codes of 5xx answers that are about the provider, not the gateway itself. */
const PROVIDER_TROUBLE_CODES = new Set(['no_available_target']);

/**
 * The exit code for an error answer from the gateway. A 4xx is bad input (2), except a provider's rate
 * limit (429): the request was fine, the provider is busy (3). A 5xx that names a provider, or whose code
 * is about one (`provider_unavailable`, `provider_timeout`, `no_available_target`, …), is provider
 * trouble (3); any other 5xx (`internal_error`, `store_unavailable`, or no vidgate envelope at all, as a
 * reverse proxy answers when the gateway behind it is down) means the gateway is not working (4).
 */
export function exitCodeForAnswer(status: number, error: { code?: string; provider?: string } | undefined): ExitCode {
  const aboutProvider = error !== undefined && (error.provider !== undefined || error.code?.startsWith('provider_') === true || PROVIDER_TROUBLE_CODES.has(error.code ?? ''));
  if (status === 429 && aboutProvider) return EXIT.failed;
  if (status < 500) return EXIT.badInput;
  return aboutProvider ? EXIT.failed : EXIT.unreachable;
}
