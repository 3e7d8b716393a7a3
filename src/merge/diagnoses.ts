// Diagnoses of a sharded run, combined. Each shard diagnosed its own differing rows; entries are
// combined per cause *and evidence tier*, so a cause reproduced in one shard and only consistent
// in another stays two entries with each tier's rows (a "may be" never becomes "explains"). An
// entry found in one shard is kept as it is (its counts are the whole run's); one found in
// several has its rows summed and keeps the message, evidence and fix of the shard where it has
// most rows (the message says so), with every shard's rows listed. The diagnosis screens
// hypotheses on a sample of each shard's keys, so a merged diagnosis can differ from an unsharded
// run's (docs/sharding.md).
import type { Diagnosis, DiffResult, DiffSummary, EvidenceTier } from '../diff/index.js';

const TIER_RANK: Record<EvidenceTier, number> = { reproduced: 0, consistent: 1, unexplained: 2 };

/** As the diagnosis orders them: reproduced, then consistent, then unexplained; most rows first. */
function byTierThenRows(a: Diagnosis, b: Diagnosis): number {
  return (
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    b.rows - a.rows ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

interface Found {
  shard: number;
  diagnosis: Diagnosis;
}

function combine(found: Found[], total: number, shards: number): Diagnosis {
  const rows = found.reduce((n, f) => n + f.diagnosis.rows, 0);
  const reproduced = found.reduce((n, f) => n + f.diagnosis.reproduced_rows, 0);
  const largest = [...found].sort((a, b) => b.diagnosis.rows - a.diagnosis.rows || a.shard - b.shard)[0]!;
  const share = total > 0 ? rows / total : 0;
  if (found.length === 1) return { ...largest.diagnosis, share };
  return {
    ...largest.diagnosis,
    rows,
    reproduced_rows: reproduced,
    share,
    // The message's own numbers are that shard's: say so rather than let them pass for the run's.
    message: `${largest.diagnosis.message} [as found in shard ${largest.shard}/${shards}, which holds ${largest.diagnosis.rows} of the ${rows} rows in ${found.length} shards]`,
    evidence: {
      ...largest.diagnosis.evidence,
      rows_per_shard: Object.fromEntries(found.map((f) => [String(f.shard), f.diagnosis.rows])),
    },
  };
}

/** The shards' diagnoses combined per cause and tier, in the diagnosis's order. */
export function mergeDiagnoses(results: DiffResult[], summary: DiffSummary): Diagnosis[] | undefined {
  if (results.every((r) => r.diagnoses === undefined)) return undefined;
  const total = summary.mismatched + summary.only_left + summary.only_right;
  const byCause = new Map<string, Found[]>();
  results.forEach((result, shard) => {
    for (const diagnosis of result.diagnoses ?? []) {
      const id = `${diagnosis.tier}\u0000${diagnosis.code}`;
      byCause.set(id, [...(byCause.get(id) ?? []), { shard, diagnosis }]);
    }
  });
  return [...byCause.values()].map((found) => combine(found, total, results.length)).sort(byTierThenRows);
}
