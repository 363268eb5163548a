/**
 * Fault injection for the provider emulators: a rule matches a kind of call (create, poll, any)
 * and replaces the emulator's answer a number of times. Rules are added programmatically by tests
 * or over HTTP (`POST /__emulator/faults`) by anyone trying the sandbox.
 */
import * as z from 'zod';

const FaultSchema = z.discriminatedUnion('kind', [
  /** Answer with this HTTP status (and body/headers), as the provider would on trouble. */
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  /** Wait, then answer normally. */
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  /** Never answer (until the client disconnects). */
  z.object({ kind: z.literal('hang') }),
  /** Answer with a redirect to `location` (an attacker's host, a metadata address, …). */
  z.object({ kind: z.literal('redirect'), status: z.number().int().min(300).max(399).default(302), location: z.string() }),
  /** Answer 200 with a small gzip body that inflates to `inflated_bytes` of JSON-looking padding. */
  z.object({ kind: z.literal('gzip-bomb'), inflated_bytes: z.number().int().min(1).max(1024 ** 3) }),
  /** Answer 200 (or `status`) with a body that is not what the API documents. */
  z.object({
    kind: z.literal('malformed'),
    status: z.number().int().min(100).max(599).optional(),
    body: z.string().optional(),
    content_type: z.string().optional(),
  }),
]);
export type Fault = z.infer<typeof FaultSchema>;

const CALL_KINDS = ['create', 'poll', 'upload', 'any'] as const;
export type CallKind = 'create' | 'poll' | 'upload';

const FaultRuleSchema = z.object({
  on: z.enum(CALL_KINDS).default('any'),
  fault: FaultSchema,
  /** How many matching calls it affects; 0 = until cleared. */
  times: z.number().int().min(0).default(1),
});
export type FaultRule = z.input<typeof FaultRuleSchema>;

interface ActiveRule {
  on: (typeof CALL_KINDS)[number];
  fault: Fault;
  remaining: number;
}

export class FaultBook {
  readonly #rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const parsed = FaultRuleSchema.parse(rule);
    this.#rules.push({ on: parsed.on, fault: parsed.fault, remaining: parsed.times === 0 ? Infinity : parsed.times });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault for this call, if any; consumes one use of the first matching rule. */
  take(kind: CallKind): Fault | undefined {
    const index = this.#rules.findIndex((rule) => rule.on === 'any' || rule.on === kind);
    const rule = this.#rules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return rule.fault;
  }
}
