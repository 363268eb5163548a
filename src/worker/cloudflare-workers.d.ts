/**
 * The one `cloudflare:workers` export the Worker's own code uses, typed locally like the shapes in
 * bindings.ts (the full `@cloudflare/workers-types` would clash with the Node types the project
 * checks against). test/workerd/cloudflare-workers.d.ts adds what the tests import from it.
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
