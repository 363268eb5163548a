/**
 * A `Response` over a body the Node upstream fetch has already read whole, whose stream is only
 * built if something reads the body through the `Response` itself.
 *
 * Why: `new Response(bytes)` builds a `ReadableStream` over the bytes at once, about 17 µs of CPU
 * per answer on Node 24 against 3 µs for a `Response` without a body (measured), and core never
 * reads that stream: it takes the bytes from the `answeredWhole` mark. Whatever does read the body
 * here (`text()`, `json()`, `body`, `clone()`, …) gets a real `Response` over the same bytes,
 * built then, with a real one's behaviour (`bodyUsed`, a second read refused).
 */
export function wholeResponse(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit): Response {
  return new WholeResponse(bytes, init);
}

/** The methods that read a `Response`'s body. */
const READS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

class WholeResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #init: ResponseInit;
  #full: Response | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
  }

  /** The `Response` with the body, built on the first read through this one. */
  #real(): Response {
    return (this.#full ??= new Response(this.#bytes, this.#init));
  }

  static {
    // Accessors on the prototype, as Response's own are (TypeScript declares them as fields).
    Object.defineProperties(this.prototype, {
      body: { get: function (this: WholeResponse) { return this.#real().body; } },
      bodyUsed: { get: function (this: WholeResponse) { return this.#full?.bodyUsed ?? false; } },
    });
    // Every way of reading the body, each handed to the real one.
    for (const read of READS) {
      Object.defineProperty(this.prototype, read, { value: function (this: WholeResponse) { return this.#real()[read](); }, writable: true, configurable: true });
    }
  }

  override clone(): Response {
    // Once read, the real one answers (a used body cannot be cloned); before, a second lazy one.
    return this.#full ? this.#full.clone() : new WholeResponse(this.#bytes, this.#init);
  }
}
