// Where a command-line tool writes: the kiosk's `pccovid-kiosk` and the hub's `pccovid-hub`
// take one of these, so their tests capture the output instead of spawning a process.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** An io whose output is kept in memory: each call is one line. */
export interface CapturedIo extends CliIo {
  readonly lines: { out: string[]; err: string[] };
  /** Everything written to out, one line per call, each ending in a newline. */
  readonly stdout: string;
  /** Everything written to err, the same way. */
  readonly stderr: string;
}

export function captureIo(): CapturedIo {
  const lines = { out: [] as string[], err: [] as string[] };
  const joined = (items: string[]): string => items.map((line) => `${line}\n`).join('');
  return {
    lines,
    out: (text) => void lines.out.push(text),
    err: (text) => void lines.err.push(text),
    get stdout() {
      return joined(lines.out);
    },
    get stderr() {
      return joined(lines.err);
    },
  };
}
