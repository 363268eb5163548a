/** Configuration problems: one message listing every bad key and what was expected, never a stack trace. */
import type * as v from './validation/index.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseOrThrow<T extends v.AnySchema>(schema: T, input: unknown, prefix = ''): v.Output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${describeIssue(issue)}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

function describeIssue(issue: v.Issue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  return issue.message;
}
