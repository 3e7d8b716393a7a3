// Phase times of a drift run on stderr when SKEWCHECK_DEBUG is set, like the replay's; counted
// from the process start, so the CLI's start-up shows. Never in the result (it is deterministic).

export function driftPhase(phase: string): void {
  if (process.env.SKEWCHECK_DEBUG)
    process.stderr.write(`[skewcheck] ${(performance.now() / 1000).toFixed(2)} s: drift ${phase}\n`);
}
