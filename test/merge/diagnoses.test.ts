// Diagnoses are merged per cause *and* evidence tier: rows reproduced in one shard and only
// consistent in another stay in their tiers, and counts add up per tier.
import { describe, expect, it } from 'vitest';
import type { Diagnosis, DiffResult, DiffSummary } from '../../src/diff/index.js';
import { mergeDiagnoses } from '../../src/merge/diagnoses.js';

function diagnosis(
  code: Diagnosis['code'],
  tier: Diagnosis['tier'],
  rows: number,
  message: string = code,
): Diagnosis {
  return {
    code,
    tier,
    rows,
    reproduced_rows: tier === 'reproduced' ? rows : 0,
    share: 0,
    message,
    evidence: { rows },
    fix_hint: `fix ${code}`,
  };
}

const shard = (...diagnoses: Diagnosis[]) => ({ diagnoses }) as DiffResult;
const summary = (differing: number) =>
  ({ mismatched: differing, only_left: 0, only_right: 0 }) as DiffSummary;

describe('mergeDiagnoses', () => {
  it('keeps a cause reproduced in one shard and consistent in another as two entries, one per tier', () => {
    const merged = mergeDiagnoses(
      [
        shard(diagnosis('null_handling', 'reproduced', 30), diagnosis('unexplained', 'unexplained', 5)),
        shard(diagnosis('null_handling', 'consistent', 12), diagnosis('time_shift', 'reproduced', 3)),
        shard(diagnosis('null_handling', 'reproduced', 10, 'in shard 2')),
      ],
      summary(60),
    )!;
    expect(merged.map((d) => [d.code, d.tier, d.rows, d.reproduced_rows])).toEqual([
      ['null_handling', 'reproduced', 40, 40],
      ['time_shift', 'reproduced', 3, 3],
      ['null_handling', 'consistent', 12, 0],
      ['unexplained', 'unexplained', 5, 0],
    ]);
    expect(merged.reduce((n, d) => n + d.rows, 0)).toBe(60);
    expect(merged[0]!.share).toBeCloseTo(40 / 60, 12);
    // Found in two shards: the message of the shard with most rows, saying so, and every shard's rows.
    expect(merged[0]!.message).toBe(
      'null_handling [as found in shard 0/3, which holds 30 of the 40 rows in 2 shards]',
    );
    expect(merged[0]!.evidence.rows_per_shard).toEqual({ '0': 30, '2': 10 });
    // Found in one shard: as that shard said it.
    expect(merged[1]!.message).toBe('time_shift');
    expect(merged[2]!.fix_hint).toBe('fix null_handling');
  });

  it('is absent when no shard ran the diagnosis, and empty when no row differed', () => {
    expect(mergeDiagnoses([{} as DiffResult, {} as DiffResult], summary(0))).toBeUndefined();
    expect(mergeDiagnoses([shard(), shard()], summary(0))).toEqual([]);
  });
});
