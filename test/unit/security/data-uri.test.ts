import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeImageDataUri, IMAGE_MEDIA_TYPES, sha256Hex } from '../../../src/security/data-uri.ts';

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));
const be32 = (value: number) => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const le32 = (value: number) => be32(value).reverse();

/** An ISO-BMFF `ftyp` box with the given brands, followed by an empty `meta` box. */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  return new Uint8Array([...be32(size), ...ascii('ftyp'), ...ascii(major), ...be32(0), ...compatible.flatMap(ascii), ...be32(8), ...ascii('meta')]);
}

const SAMPLES = {
  png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...be32(13), ...ascii('IHDR'), ...be32(1), ...be32(1), 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]),
  jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  gif87a: new Uint8Array([...ascii('GIF87a'), 1, 0, 1, 0, 0, 0, 0, ...ascii(';')]),
  gif89a: new Uint8Array([...ascii('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, ...ascii(';')]),
  webp: new Uint8Array([...ascii('RIFF'), ...le32(26), ...ascii('WEBP'), ...ascii('VP8L'), ...le32(13), 0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0]),
  heic: ftyp('heic', ['mif1', 'heic']),
  heicCompatibleOnly: ftyp('isom', ['iso8', 'heix']),
  heif: ftyp('mif1', ['mif1', 'miaf']),
  mp4: ftyp('isom', ['isom', 'avc1']),
  avif: ftyp('avif', ['avif', 'mif1', 'miaf']),
};

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const dataUri = (type: string, bytes: Uint8Array) => `data:${type};base64,${base64(bytes)}`;
const LIMIT = { maxBytes: 1024 };

function reasonFor(value: string, options = LIMIT): string | undefined {
  const result = decodeImageDataUri(value, options);
  return result.ok ? undefined : result.reason;
}

describe('valid inline images', () => {
  it.each<[string, keyof typeof SAMPLES, string]>([
    ['image/png', 'png', 'image/png'],
    ['image/jpeg', 'jpeg', 'image/jpeg'],
    ['image/jpg', 'jpeg', 'image/jpeg'],
    ['image/gif', 'gif87a', 'image/gif'],
    ['image/gif', 'gif89a', 'image/gif'],
    ['image/webp', 'webp', 'image/webp'],
    ['image/heic', 'heic', 'image/heic'],
    ['image/heic', 'heicCompatibleOnly', 'image/heic'],
    ['image/heif', 'heif', 'image/heif'],
    ['image/heif', 'heic', 'image/heif'],
    ['IMAGE/PNG', 'png', 'image/png'],
    ['Image/Jpg', 'jpeg', 'image/jpeg'],
  ])('decodes %s holding the %s sample as %s', (declared, sample, mediaType) => {
    expect(decodeImageDataUri(dataUri(declared, SAMPLES[sample]), LIMIT)).toEqual({ ok: true, mediaType, bytes: SAMPLES[sample] });
  });

  it('accepts upper-case DATA: and BASE64', () => {
    expect(decodeImageDataUri(`DATA:image/png;BASE64,${base64(SAMPLES.png)}`, LIMIT)).toMatchObject({ ok: true, bytes: SAMPLES.png });
  });

  it.each([
    ['line-wrapped with CRLF', (text: string) => text.replace(/.{8}/g, '$&\r\n')],
    ['line-wrapped with LF and a final newline', (text: string) => `${text.replace(/.{8}/g, '$&\n')}\n`],
    ['spaced out', (text: string) => text.split('').join(' ')],
    ['with tabs and form feeds', (text: string) => `\t${text.slice(0, 4)}\f${text.slice(4)}\t`],
  ])('ignores ASCII whitespace in the data: %s', (_name, wrap) => {
    const result = decodeImageDataUri(`data:image/png;base64,${wrap(base64(SAMPLES.png))}`, LIMIT);
    expect(result).toEqual({ ok: true, mediaType: 'image/png', bytes: SAMPLES.png });
  });

  it('lists the media types it accepts', () => {
    expect(IMAGE_MEDIA_TYPES).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/jpg']);
  });
});

describe('headers that are refused', () => {
  const png = base64(SAMPLES.png);
  const unsupported = (type: string) => `its media type (${type}) is not one of ${IMAGE_MEDIA_TYPES.join(', ')}`;

  it.each([
    ['https://example.com/a.png', 'it is not a data: URI'],
    ['', 'it is not a data: URI'],
    [` data:image/png;base64,${png}`, 'it is not a data: URI'],
    [`data:image/png;base64${png}`, 'it has no comma after data:<type>;base64'],
    [`data:image/png;${'x'.repeat(200)};base64,${png}`, 'it has no comma after data:<type>;base64'],
    [`data:image/svg+xml;base64,${png}`, unsupported('image/svg+xml')],
    [`data:image/bmp;base64,${png}`, unsupported('image/bmp')],
    [`data:image/avif;base64,${base64(SAMPLES.avif)}`, unsupported('image/avif')],
    [`data:text/plain;base64,${png}`, unsupported('text/plain')],
    [`data:image/png ;base64,${png}`, unsupported('image/png ')],
    [`data:image;base64,${png}`, unsupported('image')],
    [`data:;base64,${png}`, unsupported('none')],
    [`data:image/png,${png}`, 'it is not base64-encoded (expected ;base64, before the data)'],
    [`data:image/png;base64;foo,${png}`, 'it is not base64-encoded (expected ;base64, before the data)'],
    [`data:image/png;charset=utf-8;base64,${png}`, 'it has parameters other than ;base64 before the data'],
    [`data:image/png;name=cat.png;base64,${png}`, 'it has parameters other than ;base64 before the data'],
    [`data:image/png;base64;base64,${png}`, 'it has parameters other than ;base64 before the data'],
  ])('refuses %j: %s', (value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });
});

describe('data that is not canonical base64', () => {
  const notBase64 = 'its data is not base64 (A–Z, a–z, 0–9, + and /, then at most two =)';
  const notPadded = 'its base64 data is not padded to a multiple of 4 characters';
  const notCanonical = 'its base64 data is not canonical (non-zero bits before the padding)';

  it.each([
    ['', 'its data is empty'],
    [' ', 'its data is empty'],
    ['   \r\n\t ', 'its data is empty'],
    ['====', notBase64],
    ['=', notBase64],
    ['A===', notBase64],
    ['AAA===', notBase64],
    ['iVBO=w0K', notBase64],
    ['iVBORw0KGgo%3D', notBase64],
    ['iVBORw0KGgo-_A=', notBase64],
    ['iVBORw0K\u00a0GgoA', notBase64],
    ['iVBORw0K\vGgoA', notBase64],
    ['iVBORw0KGgoAAAANSUhEUg==!', notBase64],
    ['A', notPadded],
    ['iVBORw0KGgo', notPadded],
    ['iVBORw0KGgoA=', notPadded],
    ['iVBORw0KGg==A', notBase64],
    ['iVBORw0KGh==', notCanonical],
    ['iVBORw0KGgp=', notCanonical],
    ['iVBORw0KGgr=', notCanonical],
    ['AB==', notCanonical],
    ['AAB=', notCanonical],
  ])('refuses the data %j: %s', (data, reason) => {
    expect(reasonFor(`data:image/png;base64,${data}`)).toBe(reason);
  });

  it('reads the canonical spelling of bytes that a lax decoder also reads from a non-canonical one', () => {
    // Both spell the first 7 PNG signature bytes for Node's decoder; only the first is canonical.
    expect(Buffer.from('iVBORw0KGg==', 'base64')).toEqual(Buffer.from('iVBORw0KGh==', 'base64'));
    expect(reasonFor('data:image/png;base64,iVBORw0KGg==')).toBe('its data is not a PNG image (it does not start with the PNG signature)');
  });
});

describe('bytes that do not match the declared type', () => {
  const notA = (name: string) => `its data is not a ${name} image (it does not start with the ${name} signature)`;

  it.each<[string, string, string, Uint8Array]>([
    ['image/jpeg', 'the png sample', 'it is declared image/jpeg but holds a PNG image', SAMPLES.png],
    ['image/jpg', 'the png sample', 'it is declared image/jpeg but holds a PNG image', SAMPLES.png],
    ['image/png', 'the jpeg sample', 'it is declared image/png but holds a JPEG image', SAMPLES.jpeg],
    ['image/webp', 'the gif89a sample', 'it is declared image/webp but holds a GIF image', SAMPLES.gif89a],
    ['image/gif', 'the webp sample', 'it is declared image/gif but holds a WebP image', SAMPLES.webp],
    ['image/png', 'the heic sample', 'it is declared image/png but holds a HEIC image', SAMPLES.heic],
    ['image/heic', 'the generic heif sample', 'it is declared image/heic but holds a HEIF image', SAMPLES.heif],
    ['image/png', '7 of the 8 signature bytes', notA('PNG'), SAMPLES.png.subarray(0, 7)],
    ['image/png', 'a single zero byte', notA('PNG'), new Uint8Array([0])],
    ['image/png', 'SVG text', notA('PNG'), new Uint8Array(ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'))],
    ['image/jpeg', 'FF D8 only', notA('JPEG'), new Uint8Array([0xff, 0xd8])],
    ['image/gif', 'GIF88a', notA('GIF'), new Uint8Array(ascii('GIF88a;'))],
    ['image/webp', 'a RIFF WAVE header', notA('WebP'), new Uint8Array([...ascii('RIFF'), ...le32(4), ...ascii('WAVE')])],
    ['image/webp', 'RIFF only', notA('WebP'), new Uint8Array(ascii('RIFF'))],
    ['image/heic', 'an MP4 ftyp box', notA('HEIC'), SAMPLES.mp4],
    ['image/heif', 'an MP4 ftyp box', notA('HEIF'), SAMPLES.mp4],
    ['image/heic', 'an AVIF ftyp box (with the generic mif1 brand)', notA('HEIC'), SAMPLES.avif],
    ['image/heif', 'an AVIF ftyp box (with the generic mif1 brand)', notA('HEIF'), SAMPLES.avif],
    ['image/heic', 'an ftyp box cut short', notA('HEIC'), SAMPLES.heic.subarray(0, 20)],
    ['image/heic', 'a minor version that looks like a brand', notA('HEIC'), ftyp('isom', ['isom']).map((byte, index) => (index >= 12 && index < 16 ? ascii('heic')[index - 12]! : byte))],
    ['image/heif', 'an ftyp box too small for its brands', notA('HEIF'), new Uint8Array([...be32(8), ...ascii('ftypmif1')])],
  ])('refuses %s holding %s: %s', (declared, _name, reason, data) => {
    expect(reasonFor(dataUri(declared, data))).toBe(reason);
  });
});

describe('the size limit', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const image = new Uint8Array([...SAMPLES.png, ...new Uint8Array(1000)]);

  it.each([
    [image.length, true],
    [image.length + 1, true],
    [image.length - 1, false],
  ])('applies a limit of %s bytes to a %s-byte image', (maxBytes, ok) => {
    expect(decodeImageDataUri(dataUri('image/png', image), { maxBytes }).ok).toBe(ok);
  });

  it('names the decoded size and the limit', () => {
    expect(reasonFor(dataUri('image/png', image), { maxBytes: 1000 })).toBe(`its image (${image.length} bytes) exceeds the limit of 1000 bytes`);
  });

  it('does not count whitespace towards the size', () => {
    const wrapped = `data:image/png;base64,${base64(image).replace(/.{4}/g, '$&\r\n')}`;
    expect(decodeImageDataUri(wrapped, { maxBytes: image.length }).ok).toBe(true);
  });

  it('refuses an oversized payload from its length, without decoding it', () => {
    const atob = vi.spyOn(globalThis, 'atob');
    const huge = `data:image/png;base64,${'A'.repeat(24 * 1024 * 1024)}`;
    expect(reasonFor(huge, { maxBytes: 16 * 1024 * 1024 })).toBe(`its image (${18 * 1024 * 1024} bytes) exceeds the limit of ${16 * 1024 * 1024} bytes`);
    expect(atob).not.toHaveBeenCalled();
  });

  it('checks the size before the alphabet, so junk that is too large is refused as too large', () => {
    expect(reasonFor(`data:image/png;base64,${'!'.repeat(4000)}`)).toBe('its image (3000 bytes) exceeds the limit of 1024 bytes');
  });
});

describe('the SHA-256 digest echoed for an inline image', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('matches the published digest of %j', async (text, digest) => {
    expect(await sha256Hex(new TextEncoder().encode(text))).toBe(digest);
  });

  it.each(Object.entries(SAMPLES).filter(([name]) => !['mp4', 'avif'].includes(name)))(
    'equals what sha256sum prints for the decoded %s file',
    async (name, bytes) => {
      const type = name.startsWith('gif') ? 'image/gif' : name.startsWith('heic') ? 'image/heic' : `image/${name}`;
      const uri = dataUri(type, bytes);
      const result = decodeImageDataUri(uri, LIMIT);
      if (!result.ok) throw new Error(result.reason);
      const digest = await sha256Hex(result.bytes);
      expect(digest).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(digest).not.toBe(createHash('sha256').update(uri).digest('hex'));
    },
  );

  it('digests a megabyte of random bytes like node:crypto does', async () => {
    const bytes = new Uint8Array(randomBytes(1024 * 1024));
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('digests a view into a larger buffer by its own bytes only', async () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(await sha256Hex(buffer.subarray(2, 4))).toBe(createHash('sha256').update(new Uint8Array([3, 4])).digest('hex'));
  });
});
