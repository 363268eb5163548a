/**
 * Structured logging: one JSON object per line. Callers pass only the fields they chose; no
 * header, body or configuration object is ever logged, so provider keys cannot leak into logs.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = (event: string, fields: LogFields) => void;

export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  const time = isoTimeClock();
  return (event, fields) => write(JSON.stringify({ time: time(), event, ...fields }));
}

/** The current time in ISO 8601, formatted once per millisecond: lines of one millisecond share it, and formatting was half a line's cost. */
function isoTimeClock(): () => string {
  let formattedAt = Number.NaN;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      formatted = new Date(now).toISOString();
    }
    return formatted;
  };
}

export const silentLogger: Logger = () => {};
