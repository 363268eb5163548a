/**
 * Inline images reach Krea as uploaded assets: Krea documents `POST /assets` (multipart, up to
 * 75 MB) as the way to pass a local file and takes the asset's `image_url` wherever an image URL
 * goes, while `data:` URIs in `start_image` are mentioned only in passing, with no size limit, and
 * one route caps its image URL at 1,024 characters (PROVIDERS.md A.4). So every `data:` image is
 * uploaded first and the job is created with the asset's URL. An upload starts no job: core
 * retries a failed one and, if it still fails, knows nothing was billed.
 */
import * as v from '../../src/validation/index.ts';
import { inlineImage } from '../shared/inline-image.ts';
import type { ProviderContext, VideoInput } from '../types.ts';

const AssetSchema = v.looseObject({ id: v.string().min(1), image_url: v.string().min(1) });

/** The image fields Krea routes take, as the gateway names them. */
const IMAGE_FIELDS = ['start_image', 'end_image'] as const;

/** File name extensions Krea's upload accepts for the image types the gateway lets in. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/gif': 'gif',
};

/** The input with each inline image replaced by the URL of its uploaded asset. */
export async function withUploadedImages(input: VideoInput, ctx: ProviderContext): Promise<VideoInput> {
  const uploaded = { ...input };
  for (const field of IMAGE_FIELDS) {
    const image = typeof input[field] === 'string' ? inlineImage(input[field]) : undefined;
    if (image) uploaded[field] = await uploadAsset(image.bytes, image.mediaType, field, ctx);
  }
  return uploaded;
}

async function uploadAsset(bytes: Uint8Array<ArrayBuffer>, mediaType: string, field: string, ctx: ProviderContext): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: mediaType }), `${field}.${EXTENSIONS[mediaType] ?? 'bin'}`);
  form.append('description', `vidgate ${field}`);
  const response = await ctx.send({ kind: 'upload', method: 'POST', path: '/assets', form });
  return ctx.parse(AssetSchema, response.body, 'asset upload response').image_url;
}
