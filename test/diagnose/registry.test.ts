// The registry of causes is the one list every other place derives from or is checked against:
// the JSON schema's enum, the README's table of codes, and (at compile time) Diagnosis.code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CheckContext } from '../../src/diagnose/check.js';
import { CHECKS, DIAGNOSIS_CODES, type DiagnosisCode, defineCheck } from '../../src/diagnose/index.js';
import { checkRegistry } from '../../src/diagnose/registry.js';
import type { Diagnosis } from '../../src/diff/index.js';

const ROOT = join(import.meta.dirname, '../..');

describe('the registry of diagnosis causes', () => {
  it('is keyed by each check’s own code, with unexplained last', () => {
    for (const [key, check] of Object.entries(CHECKS)) expect(check.code).toBe(key);
    expect(DIAGNOSIS_CODES).toEqual([...Object.keys(CHECKS), 'unexplained']);
    expect(new Set(DIAGNOSIS_CODES).size).toBe(DIAGNOSIS_CODES.length);
  });

  it('equals the JSON schema’s enum of diagnoses[].code', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diff-result.schema.json'), 'utf8'));
    const codeEnum: string[] = schema.properties.diagnoses.items.properties.code.enum;
    expect([...codeEnum].sort()).toEqual([...DIAGNOSIS_CODES].sort());
  });

  it('is the README’s table of codes, meaning for meaning', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    for (const check of Object.values(CHECKS)) expect(rows.get(check.code)).toBe(check.meaning);
    expect(rows.has('unexplained')).toBe(true);
  });

  it('makes a missed step a compile error', () => {
    const run = async (_: CheckContext) => undefined;
    const fixHint = 'do not';
    // Diagnosis.code is the registry's union, not string.
    expectTypeOf<Diagnosis['code']>().toEqualTypeOf<DiagnosisCode>();
    expectTypeOf<'time_shift'>().toExtend<DiagnosisCode>();
    expectTypeOf<'made_up'>().not.toExtend<DiagnosisCode>();
    // @ts-expect-error a code no registered check has (a cause file not added to the registry)
    const unregistered: Diagnosis = { code: 'made_up', explains: 1, share: 1, message: '', evidence: {} };
    // @ts-expect-error a check without its one-line meaning (the README's table row)
    const noMeaning = defineCheck({ code: 'made_up', fixHint, run });
    const check = defineCheck({ code: 'made_up', meaning: 'made up', fixHint, run });
    expectTypeOf(check.code).toEqualTypeOf<'made_up'>();
    // @ts-expect-error a check filed under another code in the registry
    const misfiled = checkRegistry({ time_shift: check });
    const filed = checkRegistry({ made_up: check });
    expect(Object.keys(filed)).toEqual(['made_up']);
    expect([unregistered.code, noMeaning.code, Object.keys(misfiled)]).toEqual([
      'made_up',
      'made_up',
      ['time_shift'],
    ]);
  });
});
