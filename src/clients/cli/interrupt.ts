/**
 * Ctrl-C while the CLI waits: the first one stops waiting (the job keeps running at the gateway; the
 * command says how to get it later) and the CLI exits 130; a second one ends the process at once, as
 * Node does by default.
 */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export interface Interruptible {
  signal: AbortSignal;
  dispose(): void;
}

export function onFirstInterrupt(): Interruptible {
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Interrupted());
  process.once('SIGINT', interrupt);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', interrupt) };
}
