/** The human-readable forms of the gateway's answers (with `--json` the answers are printed as they came). */
import type { AliasModel, DirectModel, DurationRule, Job, JobList, JobWarning, ModelList } from './wire-types.ts';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function jobDetails(job: Job): string {
  const lines: [string, string][] = [
    ['id', job.id],
    ['status', job.status],
    ['progress', job.progress === null ? '-' : `${job.progress}%`],
    ['model', job.model],
    ['provider', `${job.provider} (${job.provider_model})`],
    ['created', job.created_at],
    ['completed', job.completed_at ?? '-'],
  ];
  if (job.error) lines.push(['error', errorLine(job)]);
  for (const warning of job.warnings) lines.push(['warning', warningLine(warning)]);
  job.videos.forEach((video, index) => lines.push([`video ${index}`, `${video.url}${video.storage ? ` (${video.storage})` : ''}`]));
  const width = Math.max(...lines.map(([name]) => name.length));
  return lines.map(([name, value]) => `${`${name}:`.padEnd(width + 1)} ${value}`).join('\n');
}

export function jobTable(list: JobList): string {
  return table(
    ['ID', 'STATUS', 'PROGRESS', 'MODEL', 'CREATED'],
    list.data.map((job) => [job.id, job.status, job.progress === null ? '-' : `${job.progress}%`, job.model, job.created_at]),
  );
}

/** A failed job's error as one line: the gateway's code and message, and the provider's own words when it gave them. */
export function errorLine(job: Job): string {
  if (!job.error) return job.status;
  const { code, message, provider_message } = job.error;
  return `${code}: ${message}${provider_message && !message.includes(provider_message) ? ` (${job.provider}: ${provider_message})` : ''}`;
}

export function warningLine(warning: JobWarning): string {
  return `${warning.message} (${warning.code}${warning.field ? `, ${warning.field}` : ''})`;
}

export function modelTables(list: ModelList): string {
  const aliases = list.data.filter((model): model is AliasModel => model.type === 'alias');
  const direct = list.data.filter((model): model is DirectModel => model.type === 'direct');
  const unavailable = (available: boolean) => (available ? '' : ' (unavailable)');
  return [
    table(['ALIAS', 'TARGETS'], aliases.map((alias) => [`${alias.id}${unavailable(alias.available)}`, alias.targets.map((target) => target.model).join(', ')])),
    '',
    table(
      ['MODEL', 'DURATION', 'ASPECT RATIOS', 'RESOLUTIONS', 'IMAGES', 'AUDIO'],
      direct.map((model) => {
        const { capabilities: c } = model;
        return [`${model.id}${unavailable(model.available)}`, durationText(c.duration), c.aspect_ratios?.join(', ') ?? '-', c.resolutions?.join(', ') ?? '-', imagesText(c), c.generate_audio ? 'yes' : 'no'];
      }),
    ),
  ].join('\n');
}

function durationText(rule: DurationRule | null): string {
  if (!rule) return '-';
  const seconds = (value: number) => String(Math.round(value * 1000) / 1000);
  if (rule.kind === 'values') return `${rule.values.map(seconds).join(', ')} s`;
  if (rule.kind === 'range') {
    if (rule.min === undefined && rule.max === undefined) return 'any';
    if (rule.max === undefined) return `≥ ${seconds(rule.min!)} s`;
    return rule.min === undefined ? `≤ ${seconds(rule.max)} s` : `${seconds(rule.min)}–${seconds(rule.max)} s`;
  }
  return `${seconds(rule.min_frames / rule.fps)}–${seconds(rule.max_frames / rule.fps)} s (frames at ${rule.fps} fps)`;
}

function imagesText(capabilities: DirectModel['capabilities']): string {
  const start = capabilities.start_image === null ? '' : capabilities.start_image === 'required' ? 'start (required)' : 'start';
  return [start, capabilities.end_image ? 'end' : ''].filter(Boolean).join(', ') || '-';
}
