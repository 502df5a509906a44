/** A progress bar on stderr for long runs on a terminal (cli-progress); silent in pipes and CI logs. */
import type { SingleBar } from 'cli-progress';

export interface Progress {
  tick(): void;
  /** Print around the bar without garbling it. */
  around(print: () => void): void;
  stop(): void;
}

const MIN_FILES = 50;

export async function startProgress(total: number, enabled: boolean): Promise<Progress> {
  if (!enabled || total < MIN_FILES) return { tick() {}, around: (p) => p(), stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar: SingleBar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'dockerfix [{bar}] {value}/{total} files',
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let done = 0;
  return {
    tick() {
      bar.update(++done);
    },
    around(print) {
      // Clear the bar's line, print, and let the next update redraw it.
      process.stderr.write('\r\x1b[K');
      print();
    },
    stop() {
      bar.stop();
    },
  };
}
