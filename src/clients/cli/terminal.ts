/**
 * What stderr is: a terminal gets a progress bar (and colour, unless `NO_COLOR` is set or `TERM=dumb`);
 * anything else (a pipe, a file, CI logs) gets plain lines without control characters.
 */
export interface Terminal {
  /** Redrawn lines (`\r`) and control sequences are allowed. */
  interactive: boolean;
  colour: boolean;
  columns: number;
}

export function describeTerminal(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Terminal {
  const interactive = stream.isTTY === true && env.TERM !== 'dumb';
  // https://no-color.org: present and not empty disables colour.
  const colour = interactive && !env.NO_COLOR;
  return { interactive, colour, columns: stream.columns || 80 };
}

const SGR = { red: 31, green: 32, yellow: 33, dim: 2 } as const;

/** `text` in a colour when the terminal takes colour, else as it is. */
export function paint(terminal: Terminal, colour: keyof typeof SGR, text: string): string {
  return terminal.colour ? `\x1b[${SGR[colour]}m${text}\x1b[0m` : text;
}
