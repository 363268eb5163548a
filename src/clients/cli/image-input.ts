/**
 * `--image` / `--end-image`: an https URL is sent as it is; anything else is a local file, sent inline as
 * a `data:` URI whose media type comes from the file's first bytes (the gateway checks the bytes
 * against the declared type, so the extension is not trusted). Files that cannot be images are refused
 * here, before any request; the size limit is the gateway's (`MAX_IMAGE_BYTES`, 10 MiB by default),
 * which it enforces and names in its answer.
 */
import { readFile, stat } from 'node:fs/promises';
import { imageTypeOf } from '../../security/data-uri.ts';
import { badInput } from './exit-codes.ts';

/** Far beyond any gateway's limit: such a file is not a frame (a video, a disk image), so it is not read into memory. */
const MAX_FILE_BYTES = 64 * 1024 ** 2;

/** The value to send for the image field `option` (`--image`): the URL, or the file as a data: URI. */
export async function imageValue(option: string, value: string): Promise<string> {
  if (/^https?:\/\//i.test(value)) return value;
  const bytes = await readImageFile(option, value);
  // The gateway's own signature table (a pure module), so the CLI sniffs exactly what the gateway accepts.
  const mediaType = imageTypeOf(bytes);
  if (!mediaType) throw badInput('invalid_image', `${option} ${value}: not a PNG, JPEG, WebP, GIF, HEIC or HEIF image`);
  return `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;
}

async function readImageFile(option: string, path: string): Promise<Uint8Array> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw badInput('image_not_found', `${option} ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!info.isFile()) throw badInput('invalid_image', `${option} ${path}: not a file`);
  if (info.size === 0) throw badInput('invalid_image', `${option} ${path}: the file is empty`);
  if (info.size > MAX_FILE_BYTES) throw badInput('invalid_image', `${option} ${path}: ${info.size} bytes is far too large for an image input`);
  return readFile(path);
}
