// Reading a saved result back (`skewcheck report result.json`): parse, recognise the command
// that produced it, and check it against that command's JSON Schema before any renderer sees it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { InputError } from '../errors.js';
import type { ReportResult } from './types.js';

const SCHEMAS: Record<string, string> = {
  replay: 'diff-result.schema.json',
  diff: 'diff-result.schema.json',
  drift: 'drift-result.schema.json',
};

const validators = new Map<string, ValidateFunction>();
// Required on first use (a CommonJS package): only `skewcheck report` reads results back.
const require = createRequire(import.meta.url);

function validatorFor(schemaFile: string): ValidateFunction {
  let validate = validators.get(schemaFile);
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL(`../../schema/${schemaFile}`, import.meta.url), 'utf8'));
    const { Ajv } = require('ajv') as typeof import('ajv');
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    validators.set(schemaFile, validate);
  }
  return validate;
}

/** Parse and validate the text of a saved result; `file` names it in error messages. */
export function readResult(text: string, file: string): ReportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON (${(error as Error).message})`, { file });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${file} is not a skewcheck result: expected a JSON object`, { file });
  }
  const command = (data as { command?: unknown }).command;
  const known = Object.keys(SCHEMAS);
  if (typeof command !== 'string' || !(command in SCHEMAS)) {
    const got =
      command === undefined ? 'has no "command" field' : `has "command": ${JSON.stringify(command)}`;
    throw new InputError(
      `${file} is not a skewcheck result: it ${got} (expected one of ${known.join(', ')})`,
      { file },
    );
  }
  const validate = validatorFor(SCHEMAS[command]!);
  if (!validate(data)) {
    const problems = (validate.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new InputError(
      `${file} is not a valid skewcheck ${command} result (schema ${SCHEMAS[command]}): ${problems}`,
      { file },
    );
  }
  return data as ReportResult;
}
