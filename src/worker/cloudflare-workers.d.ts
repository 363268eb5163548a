/**
 * The one `cloudflare:workers` export the Worker's own code uses, and the one Workers-only global
 * (`FixedLengthStream`), typed locally like the shapes in bindings.ts (the full
 * `@cloudflare/workers-types` would clash with the Node types the project checks against).
 * test/workerd/cloudflare-workers.d.ts adds what the tests import from `cloudflare:workers`.
 */
declare module 'cloudflare:workers' {
  /**
   * The base class of Durable Objects. Only objects of a class that extends it answer RPC calls:
   * its subclasses' public methods are what a stub can call.
   */
  export abstract class DurableObject<Env = unknown, State = unknown> {
    protected ctx: State;
    protected env: Env;
    constructor(ctx: State, env: Env);
  }
}

/**
 * Workers' `FixedLengthStream` global (absent on Node: only code under src/worker/ may use it): an
 * identity transform whose readable half has a known length, which R2's `put` needs to take a
 * stream. The writable half errors if more bytes are written, or it is closed after fewer.
 */
declare class FixedLengthStream extends TransformStream<ArrayBuffer | ArrayBufferView, Uint8Array> {
  constructor(expectedLength: number | bigint);
}
