/**
 * Validation issues and their default English messages, worded exactly as zod 4's `en` locale
 * words them (for the issue kinds the gateway's schemas can raise), so answers and configuration
 * errors read as they did when zod validated them.
 */

export type IssueCode = 'invalid_type' | 'too_small' | 'too_big' | 'invalid_format' | 'invalid_value' | 'unrecognized_keys' | 'invalid_union' | 'invalid_key' | 'custom';

/** An issue while it is being raised: no message yet means the default one. `continue`: the schema's other checks still run. */
export interface RawIssue {
  code: IssueCode;
  input: unknown;
  path?: (string | number)[];
  message?: string;
  continue?: boolean;
  expected?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  values?: readonly unknown[];
  keys?: string[];
  params?: Record<string, unknown>;
  issues?: Issue[];
}

interface IssueBase {
  path: (string | number)[];
  message: string;
  input: unknown;
}

/** A finished issue, as `safeParse` reports it (zod's `$ZodIssue`, for the kinds raised here). */
export type Issue = IssueBase &
  (
    | { code: 'unrecognized_keys'; keys: string[] }
    | { code: 'custom'; params?: Record<string, unknown> }
    | { code: 'invalid_key'; issues: Issue[] }
    | { code: Exclude<IssueCode, 'unrecognized_keys' | 'custom' | 'invalid_key'>; expected?: string; origin?: string; minimum?: number; maximum?: number; inclusive?: boolean; format?: string; values?: readonly unknown[] }
  );

/** zod's name for the type of a value, as messages say it (`NaN`, `array`, `null`, a class name). */
function typeName(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value);
  if (typeof value !== 'object') return typeof value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const proto: unknown = Object.getPrototypeOf(value);
  const ctor = (value as { constructor?: unknown }).constructor;
  return proto !== Object.prototype && typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : `${String(value)}`;
}

const UNITS: Record<string, string> = { string: 'characters', array: 'items' };

export function defaultMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${typeName(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values ?? [];
      return values.length === 1 ? `Invalid input: expected ${literal(values[0])}` : `Invalid option: expected one of ${values.map(literal).join('|')}`;
    }
    case 'too_big': {
      const bound = `${issue.inclusive ? '<=' : '<'}${issue.maximum}`;
      const unit = UNITS[issue.origin ?? ''];
      return unit ? `Too big: expected ${issue.origin} to have ${bound} ${unit}` : `Too big: expected ${issue.origin ?? 'value'} to be ${bound}`;
    }
    case 'too_small': {
      const bound = `${issue.inclusive ? '>=' : '>'}${issue.minimum}`;
      const unit = UNITS[issue.origin ?? ''];
      return unit ? `Too small: expected ${issue.origin} to have ${bound} ${unit}` : `Too small: expected ${issue.origin} to be ${bound}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? `Invalid string: must match pattern ${issue.pattern}` : 'Invalid URL';
    case 'unrecognized_keys': {
      const keys = issue.keys ?? [];
      return `Unrecognized key${keys.length > 1 ? 's' : ''}: ${keys.map(literal).join(', ')}`;
    }
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    case 'invalid_union':
      return issue.inclusive === false ? 'Invalid input: more than one option matched' : 'Invalid input';
    default:
      return 'Invalid input';
  }
}
