/**
 * Validating `provider_options.<provider>` against the model's published JSON Schema. The schema
 * comes from the provider catalog (for Krea: straight from its OpenAPI document), so what
 * `GET /v1/models` shows and what is enforced cannot differ.
 */
import * as z from 'zod';
import type { ModelDescriptor } from '../../providers/types.ts';
import { unsupported } from '../errors.ts';
import { checkClientUrl, uriValues, type ClientUrlRules } from './client-urls.ts';

const validators = new WeakMap<ModelDescriptor, z.ZodType>();

function validatorFor(model: ModelDescriptor): z.ZodType {
  let validator = validators.get(model);
  if (!validator) {
    validator = z.fromJSONSchema(model.capabilities.provider_options as Parameters<typeof z.fromJSONSchema>[0]);
    validators.set(model, validator);
  }
  return validator;
}

export function validateProviderOptions(
  options: Record<string, unknown> | undefined,
  model: ModelDescriptor,
  provider: string,
  publicId: string,
  urlRules: Pick<ClientUrlRules, 'allowedPrivateHosts'>,
): Record<string, unknown> {
  const result = validatorFor(model).safeParse(options ?? {});
  if (result.success) {
    for (const [path, url] of uriValues(model.capabilities.provider_options, options, `provider_options.${provider}`)) checkClientUrl(path, url, urlRules);
    // Forward what the client sent, not the parse result: zod fills in schema defaults, and the
    // gateway must not ask the provider for anything the client did not.
    return options ?? {};
  }
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = ['provider_options', provider, ...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  const accepted = Object.keys((model.capabilities.provider_options.properties as object | undefined) ?? {});
  const hint = keys.length > 0 ? ` Accepted: ${accepted.length ? accepted.join(', ') : 'none'}.` : '';
  throw unsupported('invalid_provider_option', `${publicId}: \`${path}\` ${issue.message}.${hint}`, path);
}
