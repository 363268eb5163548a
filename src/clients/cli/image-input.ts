/**
 * `--image` / `--end-image`: an https URL is sent as it is; anything else is a local file, sent inline as
 * a `data:` URI whose media type comes from the file's first bytes (the gateway checks the bytes
 * against the declared type, so the extension is not trusted). Files that cannot be images are refused
 * here, before any request; the size limit is the gateway's (`MAX_IMAGE_BYTES`, 10 MiB by default),
 * which it enforces and names in its answer.
 */
import { readFile, stat } from 'node:fs/promises';
import { badInput } from './exit-codes.ts';

/** Far beyond any gateway's limit: such a file is not a frame (a video, a disk image), so it is not read into memory. */
const MAX_FILE_BYTES = 64 * 1024 ** 2;

const ISO_BMFF_BRANDS: Readonly<Record<string, string>> = { heic: 'image/heic', heix: 'image/heic', hevc: 'image/heic', hevx: 'image/heic', mif1: 'image/heif', msf1: 'image/heif' };

/** The value to send for the image field `option` (`--image`): the URL, or the file as a data: URI. */
export async function imageValue(option: string, value: string): Promise<string> {
  if (/^https?:\/\//i.test(value)) return value;
  const bytes = await readImageFile(option, value);
  const mediaType = sniffImageType(bytes);
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

/** The image's media type from its signature, or undefined when it is none the gateway takes. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0x89 && ascii(1, 8) === 'PNG\r\n\x1a\n') return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp') return ISO_BMFF_BRANDS[ascii(8, 12)];
  return undefined;
}
