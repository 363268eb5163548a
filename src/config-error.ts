/** Configuration problems: one message listing every bad key and what was expected, never a stack trace. */
import type * as z from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, prefix = ''): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${describeIssue(issue)}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message;
}
