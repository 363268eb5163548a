/** Options and argument parsers the commands share; a value they refuse is a usage error (exit 2). */
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_URL } from '../context.ts';

/** `--url` and `--json`, which every command that talks to the gateway takes. */
export function gatewayOptions(command: Command): Command {
  return command
    .option('--url <url>', `the gateway's base URL (default: $VIDGATE_URL, else ${DEFAULT_URL})`)
    .option('--json', 'print one JSON document on stdout (for scripts)');
}

export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a number of seconds, e.g. 5 or 2.5');
  return seconds;
}

export function integer(value: string): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) throw new InvalidArgumentError('expected an integer');
  return number;
}

export function pageLimit(value: string): number {
  const limit = integer(value);
  if (limit < 1 || limit > 100) throw new InvalidArgumentError('expected 1 to 100');
  return limit;
}
