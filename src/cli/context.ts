// What every command of the CLI writes to and reports back through; its own module so that the
// command files and the entry (main.ts) import it without importing each other.
export interface CliContext {
  /** Set by a command's action: 0 pass, 1 fail. */
  exitCode: number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
