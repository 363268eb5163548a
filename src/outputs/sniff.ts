/**
 * What a video file is, by its first bytes: for providers (and CDNs in front of them) that send
 * `application/octet-stream` or no type at all. Only containers a video generator produces.
 */

/** Bytes needed to tell the containers below apart. */
export const SNIFF_BYTES = 12;

export function sniffVideoType(head: Uint8Array): string | undefined {
  if (head.byteLength >= 12 && ascii(head, 4, 8) === 'ftyp') {
    // ISO base media (MP4, MOV): the major brand says which.
    return ascii(head, 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (head.byteLength >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'video/webm';
  return undefined;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The media type of a `Content-Type` header, lowercased, without parameters. */
export function mediaTypeOf(header: string | null): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** Types that say nothing about the content, so the bytes decide. */
export function isGenericType(type: string | undefined): boolean {
  return type === undefined || type === 'application/octet-stream' || type === 'binary/octet-stream';
}
