/**
 * Where `-o` puts the video. Checked before the job is created (a job costs money; a typo in a path
 * should not), written to a temporary file beside the target and moved into place only when whole, so
 * an interrupted download never leaves a truncated video under the final name. An existing file is
 * never replaced without `--force`, also when one appears while the job runs.
 */
import { randomBytes } from 'node:crypto';
import { access, constants, link, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { badInput } from './exit-codes.ts';

export interface OutputPlan {
  /** The directory the file goes into, as the user wrote it (for messages). */
  directory: string;
  /** The file name, or undefined for `<job id>.<extension>`. */
  name: string | undefined;
  force: boolean;
}

/** Checks `-o` (a file, an existing directory, or nothing for the current directory) before anything is sent. */
export async function planOutput(output: string | undefined, force: boolean): Promise<OutputPlan> {
  if (output === undefined) return { directory: '.', name: undefined, force };
  const existing = await stat(output).catch(() => undefined);
  if (existing?.isDirectory()) return writableDirectory({ directory: output, name: undefined, force });
  if (/[\\/]$/.test(output)) throw badInput('output_not_found', `-o ${output}: no such directory`);
  if (existing && !force) throw badInput('output_exists', `${output} already exists`, ['Use --force to overwrite it, or choose another -o.']);
  const directory = dirname(output);
  const parent = await stat(directory).catch(() => undefined);
  if (!parent?.isDirectory()) throw badInput('output_not_found', `-o ${output}: no directory ${directory}`);
  return writableDirectory({ directory, name: basename(output), force });
}

async function writableDirectory(plan: OutputPlan): Promise<OutputPlan> {
  await access(plan.directory, constants.W_OK).catch(() => {
    throw badInput('output_not_writable', `cannot write to ${plan.directory}`);
  });
  return plan;
}

/** The path the video goes to: as planned, or `<job id>` with the extension of its media type. */
export function outputPath(plan: OutputPlan, jobId: string, contentType: string | undefined): string {
  return join(plan.directory, plan.name ?? `${jobId}${extensionFor(contentType)}`);
}

function extensionFor(contentType: string | undefined): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return { 'video/webm': '.webm', 'video/quicktime': '.mov' }[type ?? ''] ?? '.mp4';
}

/** A temporary name beside `path` (same directory, so the final move is a rename). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
}

/**
 * Moves the finished temporary file to `path`. Without `force`, a hard link makes "create only if it
 * does not exist" atomic; on a file system without hard links, a check and a rename.
 */
export async function moveIntoPlace(temporary: string, path: string, force: boolean): Promise<void> {
  if (force) return rename(temporary, path);
  try {
    await link(temporary, path);
    await unlink(temporary);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const exists = code === 'EEXIST' || (await stat(path).then(() => true, () => false));
    if (exists) throw badInput('output_exists', `${path} appeared while the job ran; not overwritten`, ['Use --force to overwrite it.']);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await rename(temporary, path);
  }
}
