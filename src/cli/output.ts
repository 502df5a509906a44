/** Where the command line writes: stdout and stderr (held back in one queue when not terminals). */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Standard input, read whole (for --stdin). */
  readStdin?: () => Promise<Buffer>;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Write out what stdout and stderr hold back (called when main() returns). */
  flush?: () => void;
}

/**
 * stdout and stderr, held back in one queue of up to 16 KB when they are not terminals: a bulk run
 * prints thousands of lines, and a write each was ~2% of the run. The queue is written out
 * whenever the other stream is written to, so the two stay in order when they share a file.
 */
function outputQueue(): Pick<CliIO, 'stdout' | 'stderr' | 'flush'> {
  let target: NodeJS.WriteStream | null = null;
  let held: string[] = [];
  let size = 0;
  const flush = () => {
    if (target !== null && size > 0) target.write(held.join(''));
    held = [];
    size = 0;
  };
  const writer = (stream: NodeJS.WriteStream) => (s: string) => {
    if (stream.isTTY) {
      flush();
      stream.write(s);
      return;
    }
    if (target !== stream) {
      flush();
      target = stream;
    }
    held.push(s);
    size += s.length;
    if (size >= 16384) flush();
  };
  return { stdout: writer(process.stdout), stderr: writer(process.stderr), flush };
}

export const defaultIO = (): CliIO => ({
  ...outputQueue(),
  cwd: process.cwd(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
});
