/**
 * Validating `provider_options.<provider>` against the model's published JSON Schema. The schema
 * comes from the provider catalog (for Krea: straight from its OpenAPI document), so what
 * `GET /v1/models` shows and what is enforced cannot differ.
 */
import type { ModelDescriptor } from '../../providers/types.ts';
import { unsupported } from '../errors.ts';
import { fromJsonSchema } from '../validation/json-schema.ts';
import type { AnySchema } from '../validation/schema.ts';
import { checkClientUrl, uriValues, type ClientUrlRules } from './client-urls.ts';

const validators = new WeakMap<ModelDescriptor, AnySchema>();

function validatorFor(model: ModelDescriptor): AnySchema {
  let validator = validators.get(model);
  if (!validator) {
    validator = fromJsonSchema(model.capabilities.provider_options);
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
    // Forward what the client sent, not the parse result: parsing fills in schema defaults, and the
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
