// A DuckDB database of its own for the user's SQL. The feature SQL sees its inputs under the
// names it expects (`events`) and nothing of skewcheck's: it cannot replace or drop what the
// streaming replay reads, nor touch the tables being diffed. Once the inputs are in, the
// database is fenced: no file or network access (no COPY … TO, ATTACH, INSTALL, read_text of
// arbitrary paths) and its configuration is locked so the SQL cannot lift the fence. The
// inputs are copied into tables first, since a view over a file would need that file
// allowed, and DuckDB lets an allowed path be written as well as read.
import { InputError, messageOf } from '../errors.js';
import { Session, type SessionOptions } from './session.js';
import { type Format, registerSource } from './sources.js';
import { quoteIdent } from './sql.js';

export interface SandboxInput {
  /** The name the user's SQL reads it by, e.g. `events`. */
  name: string;
  path: string;
  format?: Format;
  /** How to name it in an error message, e.g. "event log". */
  what: string;
  /** A time column read as text (CSV, JSON) that the SQL sees as TIMESTAMP, as the replay does. */
  timeColumn?: string;
  /** A SQL predicate over the input's columns: the SQL sees only the rows it holds for (e.g. one shard's keys). */
  where?: string;
}

export interface SandboxOptions extends SessionOptions {
  /** Leave DuckDB's file and network access on (and the inputs as views over their files). */
  allowExternalAccess?: boolean;
}

/** Open the user's database with `inputs` registered (and copied in), fenced unless allowed. */
export async function openSqlSandbox(inputs: SandboxInput[], options: SandboxOptions = {}): Promise<Session> {
  const sandbox = await Session.open(options);
  try {
    for (const input of inputs) {
      const source = await registerSource(sandbox, input.name, input.path, {
        format: input.format,
        what: input.what,
      });
      const textTime = source.columns.some((c) => c.name === input.timeColumn && c.type === 'VARCHAR');
      // Arrow inputs are tables already; with external access the others stay views over their files.
      const copied = textTime || input.where !== undefined;
      if (!copied && (options.allowExternalAccess || source.format === 'arrow')) continue;
      const name = quoteIdent(input.name);
      const copy = quoteIdent(`${input.name}__copy`);
      const t = quoteIdent(input.timeColumn ?? '');
      const rows = textTime ? `* REPLACE (CAST(${t} AS TIMESTAMP) AS ${t})` : '*';
      const kind = source.format === 'arrow' ? 'TABLE' : 'VIEW';
      try {
        const where = input.where === undefined ? '' : ` WHERE ${input.where}`;
        await sandbox.run(`CREATE TABLE ${copy} AS SELECT ${rows} FROM ${name}${where}`);
        await sandbox.run(`DROP ${kind} ${name}`);
        await sandbox.run(`ALTER TABLE ${copy} RENAME TO ${name}`);
      } catch (error) {
        throw new InputError(`cannot read ${input.what} ${input.path}: ${messageOf(error)}`, {
          file: input.path,
        });
      }
    }
    if (!options.allowExternalAccess) await fence(sandbox);
    return sandbox;
  } catch (error) {
    sandbox.close();
    throw error;
  }
}

/** No file system or network from SQL any more, and no SET that would give it back. */
async function fence(session: Session): Promise<void> {
  await session.run('SET enable_external_access = false');
  await session.run('SET lock_configuration = true');
}

/** Whether a DuckDB error is the fence refusing something (to explain it to the user). */
export function isFenceError(message: string): boolean {
  return /file system operations are disabled by configuration|disabled through configuration|configuration has been locked/i.test(
    message,
  );
}
