/**
 * Inline images: `data:image/<type>;base64,<data>` URIs, checked before anything is forwarded: a
 * supported type and no other parameters, canonical base64, a size limit enforced before decoding,
 * and bytes that start with the declared format's signature. Pure and runtime-agnostic (Workers and
 * Node): `atob` and Web Crypto only.
 */

export type DecodedImage = { ok: true; mediaType: string; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: string };

export interface DecodeImageOptions {
  /** The largest decoded image accepted, in bytes. */
  maxBytes: number;
}

interface ImageFormat {
  mediaType: string;
  name: string;
  matches: (bytes: Uint8Array) => boolean;
}

/** ISO-BMFF brands of HEVC-coded HEIF images (ISO/IEC 23008-12): what `image/heic` means. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
/** Generic HEIF brands. AVIF files carry them too, so AV1 brands rule a file out. */
const HEIF_BRANDS = new Set([...HEIC_BRANDS, 'mif1', 'msf1']);
const AV1_BRANDS = new Set(['avif', 'avis']);

const FORMATS: readonly ImageFormat[] = [
  { mediaType: 'image/png', name: 'PNG', matches: (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mediaType: 'image/jpeg', name: 'JPEG', matches: (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]) },
  { mediaType: 'image/gif', name: 'GIF', matches: (bytes) => textAt(bytes, 0, 'GIF87a') || textAt(bytes, 0, 'GIF89a') },
  { mediaType: 'image/webp', name: 'WebP', matches: (bytes) => textAt(bytes, 0, 'RIFF') && textAt(bytes, 8, 'WEBP') },
  { mediaType: 'image/heic', name: 'HEIC', matches: (bytes) => hasBrand(bytes, HEIC_BRANDS) },
  { mediaType: 'image/heif', name: 'HEIF', matches: (bytes) => hasBrand(bytes, HEIF_BRANDS) && !hasBrand(bytes, AV1_BRANDS) },
];

const ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg' };

/** The media types a data URI may declare; `image/jpg` is read as `image/jpeg`. */
export const IMAGE_MEDIA_TYPES: readonly string[] = [...FORMATS.map((format) => format.mediaType), ...Object.keys(ALIASES)];

/** The image type the bytes' signature shows (a file upload's declared type may be missing or generic). */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  return FORMATS.find((format) => format.matches(bytes))?.mediaType;
}

const MAX_HEADER_LENGTH = 100;
const ASCII_WHITESPACE = /[\t\n\f\r ]/;

/**
 * Decodes and checks an inline image. Case does not matter in `data:`, the type or `base64`;
 * `mediaType` comes back in lower case with `image/jpg` as `image/jpeg`. ASCII whitespace in the
 * data (line-wrapped base64) is ignored; nothing else is: no other parameters, no percent-encoding,
 * no URL-safe alphabet. `reason` completes "<field> is not a valid inline image: …".
 */
export function decodeImageDataUri(value: string, options: DecodeImageOptions): DecodedImage {
  const header = parseHeader(value);
  if ('problem' in header) return refuse(header.problem);
  const data = stripWhitespace(value.slice(header.dataStart));
  const size = decodedSize(data);
  if (size > options.maxBytes) return refuse(`its image (${size} bytes) exceeds the limit of ${options.maxBytes} bytes`);
  const problem = base64Problem(data);
  if (problem !== undefined) return refuse(problem);
  const bytes = decodeBase64(data);
  const format = FORMATS.find((candidate) => candidate.mediaType === header.mediaType)!;
  if (!format.matches(bytes)) return refuse(describeMismatch(format, bytes));
  return { ok: true, mediaType: format.mediaType, bytes };
}

/** The lower-case hex SHA-256 of `bytes`, as `sha256sum` prints it for the decoded file. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function refuse(reason: string): DecodedImage {
  return { ok: false, reason };
}

function parseHeader(value: string): { mediaType: string; dataStart: number } | { problem: string } {
  if (!/^data:/i.test(value)) return { problem: 'it is not a data: URI' };
  const comma = value.slice(0, MAX_HEADER_LENGTH).indexOf(',');
  if (comma === -1) return { problem: 'it has no comma after data:<type>;base64' };
  const [declared = '', ...parameters] = value.slice('data:'.length, comma).toLowerCase().split(';');
  const mediaType = Object.hasOwn(ALIASES, declared) ? ALIASES[declared]! : declared;
  if (!FORMATS.some((format) => format.mediaType === mediaType)) {
    return { problem: `its media type (${declared || 'none'}) is not one of ${IMAGE_MEDIA_TYPES.join(', ')}` };
  }
  if (parameters.at(-1) !== 'base64') return { problem: 'it is not base64-encoded (expected ;base64, before the data)' };
  if (parameters.length > 1) return { problem: 'it has parameters other than ;base64 before the data' };
  return { mediaType, dataStart: comma + 1 };
}

function stripWhitespace(data: string): string {
  return ASCII_WHITESPACE.test(data) ? data.replace(/[\t\n\f\r ]+/g, '') : data;
}

/** The decoded length the data announces, known without decoding. */
function decodedSize(data: string): number {
  return Math.max(0, Math.floor((data.length * 3) / 4) - paddingLength(data));
}

function paddingLength(data: string): number {
  return data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
}

/** Canonical standard base64 (RFC 4648 §4): what any decoder turns into the same bytes. */
function base64Problem(data: string): string | undefined {
  if (data === '') return 'its data is empty';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return 'its data is not base64 (A–Z, a–z, 0–9, + and /, then at most two =)';
  if (data.length % 4 !== 0) return 'its base64 data is not padded to a multiple of 4 characters';
  const padding = paddingLength(data);
  const last = BASE64_ALPHABET.indexOf(data.charAt(data.length - 1 - padding));
  const unusedBits = padding === 2 ? 0x0f : padding === 1 ? 0x03 : 0;
  if ((last & unusedBits) !== 0) return 'its base64 data is not canonical (non-zero bits before the padding)';
  return undefined;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function describeMismatch(declared: ImageFormat, bytes: Uint8Array): string {
  const actual = FORMATS.find((format) => format.matches(bytes));
  if (actual === undefined) return `its data is not a ${declared.name} image (it does not start with the ${declared.name} signature)`;
  return `it is declared ${declared.mediaType} but holds a ${actual.name} image`;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, index) => bytes[index] === byte);
}

function textAt(bytes: Uint8Array, offset: number, text: string): boolean {
  return startsWith(bytes.subarray(offset), Array.from(text, (char) => char.charCodeAt(0)));
}

/** Whether an ISO-BMFF file's leading `ftyp` box names one of `brands`, as major or compatible brand. */
function hasBrand(bytes: Uint8Array, brands: ReadonlySet<string>): boolean {
  return ftypBrands(bytes).some((brand) => brands.has(brand));
}

function ftypBrands(bytes: Uint8Array): string[] {
  if (!textAt(bytes, 4, 'ftyp')) return [];
  const boxSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (boxSize < 16 || boxSize > bytes.length || boxSize % 4 !== 0) return [];
  const brands: string[] = [];
  // Major brand at 8, minor version at 12, compatible brands from 16.
  for (let offset = 8; offset < boxSize; offset += offset === 8 ? 8 : 4) {
    brands.push(String.fromCharCode(...bytes.subarray(offset, offset + 4)));
  }
  return brands;
}
