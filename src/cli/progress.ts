// A progress bar on stderr for long replays: only on a TTY, never in CI or under --quiet.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

export function createProgress(stream: NodeJS.WritableStream, quiet: boolean | undefined): Progress {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  if (quiet || !tty || process.env.CI) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: 'replaying |{bar}| {percentage}% · {value}/{total} events · eta {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** One status line on stderr (TTY only, not under --quiet or CI): which diagnosis check runs. */
export function createStatus(
  stream: NodeJS.WritableStream,
  quiet: boolean | undefined,
): Progress & {
  say(text: string): void;
} {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  let shown = false;
  const active = !quiet && tty && !process.env.CI;
  return {
    update: () => undefined,
    say(text) {
      if (!active) return;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    stop() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
