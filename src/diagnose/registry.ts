// Every known cause of skew the diagnosis tests, in precedence order: each differing row is
// explained by at most one cause, the first check that accounts for it. Checks backed by direct
// evidence about events (the stream's own record of dropped events, repeated event ids) come
// first; then checks that pair rows across keys or windows (a row that only moved cannot be
// judged by its values); then checks on values that look at the events (window boundaries); then
// checks on the values alone, most specific first (NULL vs default, another column, rounding).
//
// To add a cause: one file exporting `defineCheck({ code, meaning, run })`, one entry here (keyed
// by its code — a wrong key is a type error), its code in schema/diff-result.schema.json (a test
// compares the enum with this registry) and a row in the README's table (likewise tested).
import type { DiagnosisCheck } from './check.js';
import { definitionDifference } from './definition-difference.js';
import { duplicateEvents } from './duplicate-events.js';
import { floatAccumulation } from './float-accumulation.js';
import { keyNormalisation } from './key-normalisation.js';
import { lateData } from './late-data.js';
import { nullHandling } from './null-handling.js';
import { timeShift } from './time-shift.js';
import { windowBoundary } from './window-boundary.js';

/** A registry keyed by code: a check filed under another check's code does not compile. */
export function checkRegistry<const T extends { [Code in keyof T]: DiagnosisCheck<Code & string> }>(
  checks: T,
): T {
  return checks;
}

export const CHECKS = checkRegistry({
  late_data: lateData,
  duplicate_events: duplicateEvents,
  key_normalisation: keyNormalisation,
  time_shift: timeShift,
  window_boundary: windowBoundary,
  null_handling: nullHandling,
  definition_difference: definitionDifference,
  float_accumulation: floatAccumulation,
});

/** The code of a cause that a check names. */
export type CauseCode = keyof typeof CHECKS;
/** `diagnoses[].code`: a cause, or what no check explains. */
export type DiagnosisCode = CauseCode | 'unexplained';

/** The checks in precedence order. */
export const CHECK_LIST: readonly DiagnosisCheck<CauseCode>[] = Object.values(CHECKS);

/** Every code a diagnosis can carry, in precedence order, `unexplained` last. */
export const DIAGNOSIS_CODES: readonly DiagnosisCode[] = [...CHECK_LIST.map((c) => c.code), 'unexplained'];
