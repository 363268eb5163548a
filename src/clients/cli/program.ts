/**
 * The `vidgate` command line: commander parses it (usage errors and `--help`/`--version` included), the
 * commands do the work, and every failure ends here as one message on stderr (and one JSON document on
 * stdout with `--json`) and its exit code (exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import { registerGenerate } from './commands/generate.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerModels } from './commands/models.ts';
import { createContext, type Context } from './context.ts';
import { CliError, EXIT, type ExitCode } from './exit-codes.ts';
import { packageVersion } from './version.ts';

/** Runs the command line `argv` (as in `process.argv`) and resolves with the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const context = createContext(packageVersion());
  try {
    await buildProgram(context).parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    // Commander has printed its own message (or the help, or the version) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    return reportFailure(context, error);
  }
}

function buildProgram(context: Context): Command {
  const program = new Command('vidgate')
    .description('Generate videos through a vidgate gateway ($VIDGATE_URL, with the key in $VIDGATE_API_KEY).')
    .version(context.version, '-V, --version')
    // Settings subcommands inherit: throw instead of exiting, so usage errors get exit code 2 here.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExit codes: 0 done, 2 bad input, 3 the job or its provider failed, 4 gateway unreachable, 130 interrupted.')
    .hook('preAction', (_program, command) => {
      context.json = command.opts().json === true;
    });
  registerGenerate(program, context);
  registerModels(program, context);
  registerJobs(program, context);
  return program;
}

function reportFailure(context: Context, error: unknown): ExitCode {
  const failure =
    error instanceof CliError
      ? error
      : new CliError(EXIT.unexpected, { code: 'unexpected_error', message: `unexpected error: ${error instanceof Error ? error.message : String(error)}` }, {
          hints: ['This is a bug in vidgate; please report it with the command you ran (leave out your key).'],
        });
  const { code, request_id } = failure.detail;
  context.note(`error: ${failure.message} [${[code, request_id].filter(Boolean).join(', ')}]`);
  for (const hint of failure.hints) context.note(hint);
  if (context.json) process.stdout.write(`${JSON.stringify(failure.document, null, 2)}\n`);
  return failure.exitCode;
}
