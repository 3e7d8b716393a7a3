// time_shift: one side's windows are the other's moved by a constant (a time-zone bug puts
// them whole hours apart: windows computed in local time and labelled as UTC). Candidate
// shifts come from the earliest differing window of each key on either side; the most common
// one is verified by joining each side's rows to the other side's rows shifted by it and
// comparing every feature.
import { quoteIdent } from '../io/index.js';
import { type CheckContext, defineCheck, type Finding } from './check.js';
import { durationText, listText } from './describe.js';
import { reproduceBest } from './intervene.js';
import { outputShift } from './output-shift.js';
import { isTimeType } from './sql.js';
import {
  isQuarterHourShift,
  probeShifts,
  shiftsForPhase,
  timeHypotheses,
  type WindowPhase,
  windowLength,
  windowPhase,
  zonesWithOffset,
} from './time-hypotheses.js';

export const timeShift = defineCheck({
  code: 'time_shift',
  meaning: "one side's windows are the other's moved by a constant; whole hours suggest a time-zone bug",
  fixHint: 'compute and label windows in UTC on both sides (or in the same named zone)',
  async run(context: CheckContext): Promise<Finding[]> {
    const candidates: number[] = [];
    const shifted = await outputShift(context, candidates);
    const findings: Finding[] = [];
    const size = await windowLength(context);
    const phase = size ? await windowPhase(context, size) : undefined;
    const log = context.log;
    if (context.recompute && log && isTimeType(log.types.get(log.timeColumn))) {
      const shifts = [
        ...new Set([...candidates.filter(isQuarterHourShift), ...(phase ? shiftsForPhase(phase) : [])]),
      ];
      let reproduced = await reproduceBest(context, await timeHypotheses(context, shifts.slice(0, 8), size));
      // Windows of the same phase on both sides, most rows differing: a shift by less than a
      // window changes values, not positions; probe the shifts by event counts.
      if (!reproduced && size && (await mostRowsDiffer(context))) {
        const probed = (await probeShifts(context, size)).filter((s) => !shifts.slice(0, 8).includes(s));
        if (probed.length)
          reproduced = await reproduceBest(context, await timeHypotheses(context, probed, size));
      }
      if (reproduced) findings.push(reproduced);
    }
    if (shifted) findings.push(shifted);
    if (phase && phase.offsetMs !== 0) findings.push(await phaseFinding(context, phase));
    return findings;
  },
});

/** At least half of all (key, window) rows differ: the precondition of the shift probe. */
async function mostRowsDiffer(context: CheckContext): Promise<boolean> {
  const row = (
    await context.session.rows(
      `SELECT count(*) AS n, count(*) FILTER (WHERE __status <> 'match') AS d FROM ${quoteIdent(context.joined.table)}`,
    )
  )[0]!;
  return Number(row.d) * 2 >= Number(row.n);
}

/** Windows cut at another phase: a zone signal even when no row lines up after a shift. */
async function phaseFinding(context: CheckContext, phase: WindowPhase): Promise<Finding> {
  const { left, right } = context.labels;
  const shifts = shiftsForPhase(phase);
  const column = context.joined.timeColumns[0]!;
  const zones = context.log
    ? await zonesWithOffset(context, quoteIdent(context.log.relation), context.log.timeColumn, shifts)
    : await zonesWithOffset(context, quoteIdent(context.joined.left.table), column, shifts);
  const rows = context.temp('phase');
  await context.session.run(
    `CREATE OR REPLACE TEMP TABLE ${rows} AS SELECT __row FROM ${context.rows} WHERE __status <> 'mismatch'`,
  );
  const at = (ms: number) => durationText(ms).replace(/^\+/, '');
  const offsets = shifts.map(durationText);
  return {
    tier: 'consistent',
    rows,
    message:
      `the ${right}'s windows start at ${at(phase.rightMs)} past each window length and the ${left}'s at ${at(phase.leftMs)}: ` +
      `windows cut at the bounds of another time zone (offset ${offsets.length ? listText(offsets) : durationText(phase.offsetMs)}` +
      `${zones.length ? `, e.g. ${listText(zones)}` : ''})${context.log ? '' : ' — `replay` with the event log can confirm it'}`,
    evidence: {
      window_ms: phase.sizeMs,
      [`${left}_phase_ms`]: phase.leftMs,
      [`${right}_phase_ms`]: phase.rightMs,
      zone_offsets: offsets,
      zones,
    },
  };
}
