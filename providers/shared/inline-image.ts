/**
 * The bytes of an inline image (`data:<type>;base64,<data>`) for adapters that upload it instead
 * of forwarding it. Core has already checked every inline image (type, base64, signature, size),
 * so this only splits and decodes; anything else (a URL) is `undefined`.
 */
export interface InlineImage {
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export function inlineImage(value: string): InlineImage | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/is.exec(value);
  if (!match) return undefined;
  const binary = atob(match[2]!.replace(/[\t\n\f\r ]/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return { mediaType: match[1]!.toLowerCase().replace('image/jpg', 'image/jpeg'), bytes };
}
