/**
 * Structured logging: one JSON object per line. Callers pass only the fields they chose; no
 * header, body or configuration object is ever logged, so provider keys cannot leak into logs.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = (event: string, fields: LogFields) => void;

export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  return (event, fields) => write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}

export const silentLogger: Logger = () => {};
