// Guards of the real process: a run may only end through its verdict. A `process.exit()` from
// a config file or a module, or Node giving up on an unsettled top-level await, would otherwise
// end the run with that code (often 0) and no verdict: the CI gate would pass on nothing.
// Also: stdout that fails (a closed pipe, a full disk) never produces a stack trace.
import { plainText } from '../report/index.js';

export interface ProcessGuard {
  /** The command reached its verdict: exits from now on are legitimate. */
  settle(): void;
  /** Why stdout could not be written (e.g. ENOSPC), when it failed; the verdict cannot be trusted to reach its reader. */
  stdoutFailure(): string | undefined;
}

/** The first stack frame outside Node's internals and skewcheck's own dist/ (who called process.exit). */
function callerOf(stack: string | undefined): string | undefined {
  const frames = (stack ?? '').split('\n').slice(2);
  const frame = frames.find((f) => !/node:|\/dist\/cli\/|\/src\/cli\/|node_modules\/jiti\//.test(f));
  return frame?.trim().replace(/^at\s+/, '');
}

export function guardProcess(stderr: NodeJS.WritableStream): ProcessGuard {
  let settled = false;
  let exitCaller: string | undefined;
  let stdoutError: NodeJS.ErrnoException | undefined;
  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (!settled && exitCaller === undefined) exitCaller = callerOf(new Error().stack) ?? 'unknown code';
    return realExit(code ?? undefined);
  }) as typeof process.exit;
  // Ctrl-C or a kill: restore the terminal the progress bar changed (cursor, line wrap), and
  // exit through process.exit so the half-written temporary files are removed (io/sinks.ts).
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      settled = true;
      if ((stderr as NodeJS.WriteStream).isTTY) stderr.write('\x1b[?25h\x1b[?7h\n');
      stderr.write(`skewcheck: interrupted (${signal}); no verdict\n`);
      realExit(code);
    });
  }
  process.on('exit', (code) => {
    if (settled) return;
    const who = exitCaller
      ? `process.exit(${code}) was called by ${exitCaller}`
      : `the process exited with code ${code}`;
    stderr.write(
      `skewcheck: the run ended before its verdict: ${plainText(who)}. A config file or a module must not end the process; nothing was compared, so this is an error (exit 2).\n`,
    );
    process.exitCode = 2;
  });
  // A closed pipe (`skewcheck … | head`) or a full disk: stop writing to stdout, let the run reach
  // its verdict, and say what happened instead of dying with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutError ??= error;
  });
  return {
    settle: () => {
      settled = true;
    },
    stdoutFailure: () =>
      stdoutError && stdoutError.code !== 'EPIPE'
        ? `cannot write to stdout: ${stdoutError.message}`
        : undefined,
  };
}
