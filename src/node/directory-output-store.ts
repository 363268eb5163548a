/**
 * The output store in a directory: the embedded default on Node, copies of finished videos under
 * `VIDGATE_DATA_DIR/outputs`, which needs no setup.
 *
 * Layout: the key `jobId/index` is the file `<root>/<jobId>/<index>`, its content type the small
 * sidecar `<root>/<jobId>/<index>.type`. Key segments are `[A-Za-z0-9_-]+` only, so no key can
 * name a sidecar or a temporary file (both have a `.`), nor leave the root.
 *
 * Why it writes the way it does:
 * - All or nothing: the body streams into `<index>.partial-<random>` next to the target, is
 *   fsynced, then renamed over the target. A rename within one directory is atomic, so readers
 *   see the previous file or the new one, never a half-written one; a body that fails removes its
 *   temporary file. The directory is fsynced after the rename so a power cut keeps it.
 * - The sidecar is written the same way (temporary file, rename) before the data's rename, so a
 *   reader never finds data without a type. When an object is replaced there is a moment between
 *   the two renames where the old bytes carry the new type; the gateway writes each key once, so
 *   it only matters for a retried copy, whose type is the same.
 * - Temporary files a crash left behind are removed when the store opens. Several gateway
 *   processes may share a data directory (as they share its SQLite file), so only temporary files
 *   untouched for a while are taken for leftovers: a live write keeps touching its own.
 * - Reads take the size from one `stat`, open the file at the body's first read (a body never
 *   read holds no descriptor), check it is still that file, then read through that descriptor:
 *   a replace or delete never mixes two versions into one body. At most one 512 KiB chunk is in
 *   memory per read; nothing is read ahead of the consumer.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, opendir, readFile, rename, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ByteRange, OutputStore, PutOptions, StoredObject } from '../outputs/output-store.ts';

export interface DirectoryOutputStoreOptions {
  /**
   * How long a temporary file must have gone unmodified to be taken for a crash's leftover at
   * open, in ms. Writes in progress in another process touch theirs at every chunk.
   */
  staleTempAfterMs?: number;
}

export const DEFAULT_STALE_TEMP_AFTER_MS = 60 * 60 * 1000;

/** Bytes per chunk when reading a file out. */
const READ_CHUNK_BYTES = 512 * 1024;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** This store's temporary names only: `<index>.partial-<hex>` and `<index>.type.partial-<hex>`. */
const TEMP_NAME = /^[A-Za-z0-9_-]+(\.type)?\.partial-[0-9a-f]{16}$/;
const TYPE_SUFFIX = '.type';

interface KeyPaths {
  folder: string;
  data: string;
  type: string;
}

/**
 * Opens the store at `root`, creating the folder if needed and removing temporary files left by
 * a crash. Rejects with an `Error` whose one-line message names the folder when it cannot be
 * created or read.
 */
export async function openDirectoryOutputStore(root: string, options: DirectoryOutputStoreOptions = {}): Promise<OutputStore> {
  const base = resolve(root);
  try {
    await mkdir(base, { recursive: true });
    await removeLeftovers(base, options.staleTempAfterMs ?? DEFAULT_STALE_TEMP_AFTER_MS);
  } catch (error) {
    throw new Error(`cannot open the output directory ${base} (${errorCode(error)})`);
  }
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error('the output store is closed');
  };

  return {
    description: `directory ${base}`,
    async put(key, body, putOptions) {
      let paths: KeyPaths;
      try {
        ensureOpen();
        paths = pathsOf(base, key);
      } catch (error) {
        // Refused before reading: let the body's source (a download) go.
        await body.cancel(error).catch(() => {});
        throw error;
      }
      return putObject(paths, body, putOptions);
    },
    async get(key, range) {
      ensureOpen();
      return getObject(pathsOf(base, key), range);
    },
    async delete(key) {
      ensureOpen();
      const paths = pathsOf(base, key);
      // Data first: a reader that finds the data still finds its type.
      await unlinkIfPresent(paths.data);
      await unlinkIfPresent(paths.type);
      await removeFolderIfEmpty(paths.folder);
    },
    async close() {
      closed = true;
    },
  };
}

/** Refuses anything but `jobId/index` with plain segments: no `..`, no absolute paths, no separators of other kinds. */
function pathsOf(base: string, key: string): KeyPaths {
  const segments = key.split('/');
  if (segments.length !== 2 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new Error(`invalid output key ${JSON.stringify(key)}: expected jobId/index made of letters, digits, "_" and "-"`);
  }
  const [job, name] = segments as [string, string];
  const folder = join(base, job);
  return { folder, data: join(folder, name), type: join(folder, name + TYPE_SUFFIX) };
}

async function putObject(paths: KeyPaths, body: ReadableStream<Uint8Array>, options: PutOptions): Promise<{ bytes: number }> {
  const suffix = `.partial-${randomBytes(8).toString('hex')}`;
  const dataTemp = paths.data + suffix;
  const typeTemp = paths.type + suffix;
  let handle: FileHandle | undefined;
  try {
    handle = await createInFolder(paths.folder, dataTemp);
    const bytes = await writeBody(handle, body, options.bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await writeSynced(typeTemp, options.contentType);
    await rename(typeTemp, paths.type);
    await rename(dataTemp, paths.data);
    await syncFolder(paths.folder);
    return { bytes };
  } catch (error) {
    await body.cancel(error).catch(() => {});
    await handle?.close().catch(() => {});
    await unlinkIfPresent(dataTemp).catch(() => {});
    await unlinkIfPresent(typeTemp).catch(() => {});
    await removeFolderIfEmpty(paths.folder).catch(() => {});
    throw error;
  }
}

/**
 * Creates `path` (exclusively) in `folder`, creating the folder first. A concurrent `delete` may
 * remove the folder between the two once it is empty: then it is created again.
 */
async function createInFolder(folder: string, path: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(folder, { recursive: true });
    try {
      return await open(path, 'wx');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || attempt >= 5) throw error;
    }
  }
}

async function writeBody(handle: FileHandle, body: ReadableStream<Uint8Array>, expected: number | undefined): Promise<number> {
  const reader = body.getReader();
  let written = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      written += value.byteLength;
      if (expected !== undefined && written > expected) throw new Error(`expected ${expected} bytes, the body had more`);
      let at = 0;
      while (at < value.byteLength) {
        const { bytesWritten } = await handle.write(value, at, value.byteLength - at);
        at += bytesWritten;
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (expected !== undefined && written !== expected) throw new Error(`expected ${expected} bytes, the body had ${written}`);
  return written;
}

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function getObject(paths: KeyPaths, range: ByteRange | undefined): Promise<StoredObject | undefined> {
  let version: Stats;
  try {
    version = await stat(paths.data);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const contentType = await readType(paths.type);
  // Deleted between the two: gone.
  if (contentType === undefined) return undefined;
  const size = version.size;
  const start = Math.min(range?.offset ?? 0, size);
  const end = Math.min(range ? start + range.length : size, size);
  return { body: fileStream(paths.data, version, start, end), size, contentType };
}

async function readType(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Bytes `[start, end)` of the file `version` describes, read a chunk at a time as the consumer
 * pulls. The file is opened at the first read, so a body never read holds no descriptor, and it
 * must still be the same file then (a replace or delete in between fails the stream rather than
 * mixing versions); once open, the descriptor keeps that version readable whatever happens to the
 * path. It is closed at the end, on error and on cancel.
 */
function fileStream(path: string, version: Stats, start: number, end: number): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let position = start;
  let done = false;
  const close = async () => {
    done = true;
    const opened = handle;
    handle = undefined;
    await opened?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const want = Math.min(READ_CHUNK_BYTES, end - position);
          if (want <= 0) {
            await close();
            controller.close();
            return;
          }
          handle ??= await openSameVersion(path, version);
          if (done) {
            // Cancelled while opening.
            await close();
            return;
          }
          const chunk = new Uint8Array(want);
          const { bytesRead } = await handle.read(chunk, 0, want, position);
          if (bytesRead === 0) throw new Error(`output file ${path} ended at byte ${position}, expected ${end}`);
          position += bytesRead;
          controller.enqueue(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
        } catch (error) {
          await close().catch(() => {});
          controller.error(error);
        }
      },
      async cancel() {
        await close();
      },
    },
    // Nothing is read before the consumer asks.
    { highWaterMark: 0 },
  );
}

async function openSameVersion(path: string, version: Stats): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new Error(`output file ${path} was deleted before it was read`);
    throw error;
  }
  const now = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (now.ino !== version.ino || now.dev !== version.dev || now.size !== version.size) {
    await handle.close();
    throw new Error(`output file ${path} was replaced before it was read`);
  }
  return handle;
}

/** Removes this store's temporary files older than `staleAfterMs` from the job folders under `base`. */
async function removeLeftovers(base: string, staleAfterMs: number): Promise<void> {
  const cutoff = Date.now() - staleAfterMs;
  for await (const entry of await opendir(base)) {
    if (!entry.isDirectory() || !SEGMENT.test(entry.name)) continue;
    const folder = join(base, entry.name);
    let removed = false;
    for await (const file of await opendir(folder)) {
      if (!file.isFile() || !TEMP_NAME.test(file.name)) continue;
      const path = join(folder, file.name);
      try {
        if ((await stat(path)).mtimeMs > cutoff) continue;
        await unlink(path);
        removed = true;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
    }
    if (removed) await removeFolderIfEmpty(folder);
  }
}

async function removeFolderIfEmpty(folder: string): Promise<void> {
  try {
    await rmdir(folder);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Makes the renames in `folder` durable. Not every platform can open a directory to sync it (Windows): there it is skipped. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM where directories cannot be synced.
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}
