/**
 * The `cloudflare:test` helpers the Durable Object tests use (@cloudflare/vitest-plugin), typed
 * locally for the same reason as cloudflare-workers.d.ts. Stubs and instances stay `unknown` here;
 * the tests name what they expect.
 */
declare module 'cloudflare:test' {
  /** Runs `callback` inside the object behind `stub`, with its instance and its `ctx`. */
  export function runInDurableObject<Instance, State, Result>(stub: unknown, callback: (instance: Instance, state: State) => Result | Promise<Result>): Promise<Result>;
  /** Runs the object's alarm now if one is set (deleting it first); `true` if it ran. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>;
  /** Tears down the running instance, keeping its storage: the next call constructs a new one. */
  export function evictDurableObject(stub: unknown): Promise<void>;
  /** The ids of every object created in `namespace`. */
  export function listDurableObjectIds(namespace: unknown): Promise<unknown[]>;
  /** Resets every running object (their storage stays). */
  export function abortAllDurableObjects(): Promise<void>;
}
