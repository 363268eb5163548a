/**
 * Showing a job while the CLI waits for it, on stderr (stdout is for data). On a terminal: one line,
 * redrawn in place with `\r` on every change and every second, with the status, the progress as a bar
 * and a percentage, and the time waited; then the download's bytes. Elsewhere: one plain line per
 * change of status or progress, and none per downloaded chunk.
 */
import { paint, type Terminal } from './terminal.ts';
import type { Job, JobStatus } from './wire-types.ts';

export interface ProgressView {
  /** The job as it is now (called with every event; unchanged jobs are not shown again). */
  job(job: Job): void;
  /** Bytes of the video received so far, of `total` when the gateway said. */
  download(received: number, total: number | undefined): void;
  /** Ends the view (the bar's line is finished, so later output starts on a line of its own). */
  end(): void;
  /** Prints a line of its own (a warning, a notice), without breaking the bar. */
  note(line: string): void;
}

export function progressView(stream: NodeJS.WritableStream, terminal: Terminal): ProgressView {
  return terminal.interactive ? progressBar(stream, terminal) : plainLines(stream);
}

function plainLines(stream: NodeJS.WritableStream): ProgressView {
  let last = '';
  let downloading = false;
  return {
    job(job) {
      const line = `${job.id} ${job.status}${job.progress === null ? '' : ` ${Math.round(job.progress)}%`}`;
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    },
    download(_received, total) {
      if (!downloading) stream.write(`downloading${total === undefined ? '' : ` ${formatBytes(total)}`}\n`);
      downloading = true;
    },
    end() {},
    note: (line) => stream.write(`${line}\n`),
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 16;
const STATUS_COLOUR: Record<JobStatus, 'yellow' | 'green' | 'red' | 'dim'> = { queued: 'dim', in_progress: 'yellow', completed: 'green', failed: 'red', cancelled: 'red' };
const ENDED_MARK: Partial<Record<JobStatus, string>> = { completed: '✓', failed: '✗', cancelled: '✗' };

/**
 * The job's line, then (once it completed) the download's line below it. What matters most comes
 * first, so a narrow terminal cuts the job id, not the status.
 */
function progressBar(stream: NodeJS.WritableStream, terminal: Terminal): ProgressView {
  const started = Date.now();
  let frame = 0;
  let current: Job | undefined;
  let transfer: { received: number; total: number | undefined } | undefined;
  let drawn = false;
  const elapsed = () => formatElapsed(Date.now() - started);
  const jobLine = (job: Job) => {
    const percent = job.status === 'completed' ? 100 : job.progress;
    const mark = ENDED_MARK[job.status] ?? SPINNER[frame % SPINNER.length];
    return `${mark} ${paint(terminal, STATUS_COLOUR[job.status], job.status.padEnd(11))} ${bar(percent)} ${formatPercent(percent)}  ${elapsed()}  ${job.id}`;
  };
  const transferLine = ({ received, total }: { received: number; total: number | undefined }) => {
    const percent = total ? (received / total) * 100 : null;
    const mark = total !== undefined && received === total ? '✓' : SPINNER[frame % SPINNER.length];
    return `${mark} ${'downloading'.padEnd(11)} ${bar(percent)} ${formatPercent(percent)}  ${elapsed()}  ${formatBytes(received)}${total === undefined ? '' : ` / ${formatBytes(total)}`}`;
  };
  // Cut to the terminal's width, so a long line does not wrap and break the redraw; `\x1b[K` clears what is left of a longer previous line.
  const draw = () => {
    frame++;
    const line = transfer ? transferLine(transfer) : current ? jobLine(current) : `${SPINNER[frame % SPINNER.length]} waiting  ${elapsed()}`;
    stream.write(`\r${fitTo(line, terminal.columns - 1)}\x1b[K`);
    drawn = true;
  };
  const finishLine = () => {
    if (drawn) stream.write('\n');
    drawn = false;
  };
  const timer = setInterval(draw, 1_000);
  timer.unref();
  return {
    job(job) {
      current = job;
      draw();
    },
    download(received, total) {
      // The job's final line stays on screen above the download's.
      if (!transfer) finishLine();
      transfer = { received, total };
      draw();
    },
    end() {
      clearInterval(timer);
      finishLine();
    },
    note(text) {
      stream.write(`${drawn ? '\r\x1b[K' : ''}${text}\n`);
      if (drawn) draw();
    },
  };
}

function bar(percent: number | null): string {
  if (percent === null) return `[${'·'.repeat(BAR_WIDTH)}]`;
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
}

function formatPercent(percent: number | null): string {
  return percent === null ? '  --%' : `${String(Math.round(percent)).padStart(3)}%`;
}

function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Cuts `text` to `width` visible characters, keeping colour sequences whole (and closing one left open). */
function fitTo(text: string, width: number): string {
  let visible = 0;
  let out = '';
  let open = false;
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      open = part !== '\x1b[0m';
      continue;
    }
    const chars = [...part].slice(0, Math.max(0, width - visible));
    out += chars.join('');
    visible += chars.length;
  }
  return open ? `${out}\x1b[0m` : out;
}
