/**
 * The URLs and inline images a client sends, checked before anything is sent (DESIGN §6 "Unsafe
 * URLs"): image URLs and every `format: uri` provider option must be https (or an allowed private
 * host), without credentials, and not point at loopback, private, link-local or metadata
 * addresses; `data:` images must decode to a non-empty image of the declared type within the size
 * limit. The job echoes an inline image as `data:<type>;sha256=<digest of the decoded bytes>`.
 */
import type { JsonSchema } from '../../providers/types.ts';
import { invalidRequest, unsupported } from '../errors.ts';
import { decodeImageDataUri, sha256Hex } from '../security/data-uri.ts';
import { checkUrl } from '../security/url-rules.ts';

export interface ClientUrlRules {
  allowedPrivateHosts: readonly string[];
  maxImageBytes: number;
}

/** An image field as it is forwarded (`value`) and as the job echoes it (`echo`). */
export interface CheckedImage {
  value: string;
  echo: string;
}

/** Checks an image field (`start_image`, `end_image`); a refusal names the field. */
export async function checkImage(field: string, value: string, rules: ClientUrlRules): Promise<CheckedImage> {
  if (/^data:/i.test(value)) {
    const decoded = decodeImageDataUri(value, { maxBytes: rules.maxImageBytes });
    if (!decoded.ok) throw invalidRequest(`\`${field}\` is not a valid inline image: ${decoded.reason}.`, field, 'invalid_image');
    return { value, echo: `data:${decoded.mediaType};sha256=${await sha256Hex(decoded.bytes)}` };
  }
  const href = checkClientUrl(field, value, rules);
  return { value: href, echo: href };
}

/** The URL to forward, or the 4xx naming `field`: 400 for what is not a URL at all, 422 `unsafe_url` for what breaks the rules. */
export function checkClientUrl(field: string, value: string, rules: Pick<ClientUrlRules, 'allowedPrivateHosts'>): string {
  if (!URL.canParse(value)) throw invalidRequest(`\`${field}\` is not an absolute URL.`, field);
  const checked = checkUrl(value, { allowedPrivateHosts: rules.allowedPrivateHosts });
  if (!checked.ok) throw unsupported('unsafe_url', `\`${field}\` is not a safe URL: ${checked.reason}.`, field);
  return checked.url.href;
}

/**
 * Every string in `value` that `schema` declares a URI (`format: uri`, `uri-reference`, `iri`,
 * `url`), with its dotted path below `prefix`: through properties, array items and combinators.
 */
export function uriValues(schema: JsonSchema | undefined, value: unknown, prefix: string): [string, string][] {
  if (!schema || value === undefined || value === null) return [];
  const found: [string, string][] = [];
  if (typeof value === 'string' && isUriFormat(schema.format)) found.push([prefix, value]);
  for (const branch of [...asSchemas(schema.anyOf), ...asSchemas(schema.oneOf), ...asSchemas(schema.allOf)]) found.push(...uriValues(branch, value, prefix));
  if (Array.isArray(value) && isSchema(schema.items)) value.forEach((item, index) => found.push(...uriValues(schema.items as JsonSchema, item, `${prefix}.${index}`)));
  if (isPlainObject(value) && isPlainObject(schema.properties)) {
    for (const [name, item] of Object.entries(value)) {
      const property = Object.hasOwn(schema.properties, name) ? (schema.properties as Record<string, unknown>)[name] : undefined;
      if (isSchema(property)) found.push(...uriValues(property, item, `${prefix}.${name}`));
    }
  }
  return dedupe(found);
}

const URI_FORMATS = new Set(['uri', 'uri-reference', 'iri', 'iri-reference', 'url']);

function isUriFormat(format: unknown): boolean {
  return typeof format === 'string' && URI_FORMATS.has(format);
}

function asSchemas(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

function isSchema(value: unknown): value is JsonSchema {
  return isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupe(found: [string, string][]): [string, string][] {
  const seen = new Set<string>();
  return found.filter(([path]) => (seen.has(path) ? false : (seen.add(path), true)));
}
