/**
 * Log lines to stdout, written once per turn of the event loop instead of once each: on Linux a
 * write to a pipe is a synchronous system call, and two per request (the request line and the
 * upstream call) cost more than the request itself. Lines wait at most until the current turn
 * ends; `flush` writes what is queued (on shutdown).
 */
export interface BatchedWriter {
  write(line: string): void;
  flush(): void;
}

export function batchedStdout(output: { write(text: string): unknown } = process.stdout): BatchedWriter {
  let queued: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const text = `${queued.join('\n')}\n`;
    queued = [];
    output.write(text);
  };
  return {
    write(line) {
      queued.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
