// The small family of typed errors that the CLI maps to exit code 2 and a one-paragraph message.
// Anything thrown that is not one of these is a bug in skewcheck and is reported as such.

/** The command line itself is wrong: a missing flag, a bad value, a conflicting option. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface InputLocation {
  file?: string;
  column?: string;
  line?: number;
}

/** An input file or its contents are wrong: missing, unreadable, empty, wrong columns or types. */
export class InputError extends Error {
  override name = 'InputError';
  readonly file?: string;
  readonly column?: string;
  readonly line?: number;
  constructor(message: string, where: InputLocation = {}) {
    super(message);
    this.file = where.file;
    this.column = where.column;
    this.line = where.line;
  }
}

export interface UserCodeLocation {
  module: string;
  /** 1-based position of the event in replay order. */
  eventNumber?: number;
  key?: unknown;
  time?: unknown;
  event?: Record<string, unknown>;
  /** The first stack frame that points into the user's module, when one is found. */
  frame?: string;
}

/** The user's streaming module threw, or returned something skewcheck cannot use. */
export class UserCodeError extends Error {
  override name = 'UserCodeError';
  readonly where: UserCodeLocation;
  constructor(message: string, where: UserCodeLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.where = where;
  }
}

export type SkewcheckError = UsageError | InputError | UserCodeError;

export function isSkewcheckError(error: unknown): error is SkewcheckError {
  return error instanceof UsageError || error instanceof InputError || error instanceof UserCodeError;
}

/** Text of any thrown value, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
