/**
 * The contract check: does a response the gateway gave match the OpenAPI document? The route
 * template, the documented status, required headers, the content type, the body against the
 * document's JSON Schema (Ajv, draft 2020-12, with formats) and, for errors, the code against the
 * codes listed for that status. Used on every response the end-to-end stack receives.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { HeaderObject, OpenAPIObject, OperationObject, ReferenceObject, ResponseObject } from 'openapi3-ts/oas31';
import { buildOpenApiDocument, ROUTE_NOT_FOUND } from '../../src/openapi/build-document.ts';
import { providers } from '../../providers/index.ts';

/** What the checker needs of a response. `body` is the parsed JSON (undefined when not JSON). */
export interface ObservedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ContractChecker {
  /** Every way the response departs from the document; empty when it matches. */
  check(method: string, path: string, response: ObservedResponse): string[];
  /** Throws, listing the departures, unless the response matches the document. */
  assert(method: string, path: string, response: ObservedResponse): void;
  /** Validates a value against the schema at a JSON pointer of the document; the errors, or none. */
  validate(pointer: string, value: unknown): string[];
}

const DOCUMENT_ID = 'vidgate-openapi.json';
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** A response object with the JSON pointer it lives at (for compiling its schema by reference). */
interface Located<T> {
  value: T;
  pointer: string;
}

export function createContractChecker(document: OpenAPIObject): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document as object, DOCUMENT_ID);
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string) => {
    let validate = validators.get(pointer);
    if (!validate) validators.set(pointer, (validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` })));
    return validate;
  };
  const routes = Object.keys(document.paths ?? {}).map((template) => ({ template, pattern: templatePattern(template) }));

  function resolve<T>(located: Located<T | ReferenceObject>): Located<T> {
    const { value } = located;
    if (!value || typeof value !== 'object' || !('$ref' in value)) return located as Located<T>;
    const pointer = value.$ref.replace(/^#/, '');
    return resolve({ value: valueAt(document, pointer) as T | ReferenceObject, pointer });
  }

  /** The documented responses a request can get: its operation's, or those of an unserved route. */
  function candidates(method: string, pathname: string): { name: string; responses: Record<string, Located<ResponseObject | ReferenceObject>> } {
    const route = routes.find((candidate) => candidate.pattern.test(pathname));
    const verb = method.toLowerCase();
    const operation = route && ((document.paths![route.template] as Record<string, OperationObject | undefined>)[verb]);
    if (route && operation) {
      const base = `/paths/${escapePointer(route.template)}/${verb}/responses`;
      return { name: `${method} ${route.template}`, responses: mapValues(operation.responses ?? {}, (value, status) => ({ value, pointer: `${base}/${status}` })) };
    }
    const notFound = `/components/responses/${ROUTE_NOT_FOUND}`;
    const responses: Record<string, Located<ResponseObject | ReferenceObject>> = { 404: { value: valueAt(document, notFound) as ResponseObject, pointer: notFound } };
    // Under /v1 the key is checked before the router finds nothing, as on every /v1 operation.
    if (pathname.startsWith('/v1/')) {
      const pointer = `/paths/${escapePointer('/v1/models')}/get/responses/401`;
      responses[401] = { value: valueAt(document, pointer) as ResponseObject, pointer };
    }
    return { name: `${method} ${pathname} (no such route)`, responses };
  }

  function check(method: string, path: string, response: ObservedResponse): string[] {
    const pathname = new URL(path, 'http://gateway.invalid').pathname;
    const { name, responses } = candidates(method, pathname);
    const documented = responses[String(response.status)] ?? responses.default;
    if (!documented) return [`${name}: HTTP ${response.status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const { value, pointer } = resolve<ResponseObject>(documented);
    const where = `${name} → ${response.status}`;
    return [...checkHeaders(value, pointer, response.headers), ...checkContent(value, pointer, response), ...checkErrorCode(value, response.body)].map((problem) => `${where}: ${problem}`);
  }

  function checkHeaders(documented: ResponseObject, responsePointer: string, headers: Headers): string[] {
    return Object.entries(documented.headers ?? {}).flatMap(([name, header]) => {
      const { value, pointer } = resolve<HeaderObject>({ value: header, pointer: `${responsePointer}/headers/${escapePointer(name)}` });
      const actual = headers.get(name);
      if (actual === null) return value.required ? [`required header ${name} is missing`] : [];
      if (!value.schema) return [];
      const validate = validatorAt(`${pointer}/schema`);
      return validate(actual) ? [] : [`header ${name}: ${JSON.stringify(actual)} ${ajv.errorsText(validate.errors)}`];
    });
  }

  function checkContent(documented: ResponseObject, pointer: string, response: ObservedResponse): string[] {
    const types = Object.keys(documented.content ?? {});
    if (types.length === 0) return [];
    const actualType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // OpenAPI allows media ranges as keys (`video/*`): the most specific one that matches documents the answer.
    const matches = (type: string) => type === actualType || (type.endsWith('/*') && actualType.startsWith(type.slice(0, -1)));
    if (!types.some(matches)) return [`content type ${JSON.stringify(actualType)} is not documented (documented: ${types.join(', ')})`];
    if (actualType !== 'application/json') return [];
    if (response.body === undefined) return ['the body is not JSON'];
    const validate = validatorAt(`${pointer}/content/${escapePointer(actualType)}/schema`);
    if (validate(response.body)) return [];
    return (validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
  }

  return {
    check,
    validate(pointer, value) {
      const validate = validatorAt(pointer);
      return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    },
    assert(method, path, response) {
      const problems = check(method, path, response);
      if (problems.length > 0) {
        throw new Error(`The response does not match the OpenAPI document:\n  - ${problems.join('\n  - ')}\nBody: ${JSON.stringify(response.body)?.slice(0, 2000)}`);
      }
    },
  };
}

/** An error body's code must be one this status lists (`x-error-codes`). */
function checkErrorCode(documented: ResponseObject, body: unknown): string[] {
  const codes = documented['x-error-codes'] as string[] | undefined;
  if (!codes) return [];
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' && codes.includes(code) ? [] : [`error code ${JSON.stringify(code)} is not listed for this status (listed: ${codes.join(', ')})`];
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function valueAt(document: unknown, pointer: string): unknown {
  const segments = pointer.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  return segments.reduce<unknown>((value, segment) => (value as Record<string, unknown> | undefined)?.[segment], document);
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value, key)]));
}

/** The document the gateway serves, built once per test file. */
export const servedDocument: OpenAPIObject = buildOpenApiDocument(providers.map((provider) => provider.name));

/** The checker for {@link servedDocument}. */
export const contract: ContractChecker = createContractChecker(servedDocument);
