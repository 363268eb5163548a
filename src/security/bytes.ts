/** Byte helpers shared by whatever reads bodies chunk by chunk (upstream answers, copies, stores). */

/** The chunks as one array (the only chunk itself when there is one). */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A whole stream, read into memory: only for bodies known to be small (or tests). */
export async function readAllBytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return concatBytes(chunks, total);
}

/** Standard base64 of any number of bytes (in chunks: spreading megabytes into one call overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Unpadded base64url of a few bytes (ids, MACs): three bytes to four characters off a table,
 * several times faster than `btoa` of a spread string and three replacements, on every create.
 */
export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    text += BASE64URL[triple >> 18]! + BASE64URL[(triple >> 12) & 63]! + BASE64URL[(triple >> 6) & 63]! + BASE64URL[triple & 63]!;
  }
  const left = bytes.length - index;
  if (left === 1) {
    const single = bytes[index]!;
    text += BASE64URL[single >> 2]! + BASE64URL[(single & 3) << 4]!;
  } else if (left === 2) {
    const pair = (bytes[index]! << 8) | bytes[index + 1]!;
    text += BASE64URL[pair >> 10]! + BASE64URL[(pair >> 4) & 63]! + BASE64URL[(pair & 15) << 2]!;
  }
  return text;
}
