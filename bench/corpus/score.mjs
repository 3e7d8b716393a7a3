// Scoring of diagnosis outcomes on the corpus: the top reported cause of a case (a `reproduced`
// one first, else a `consistent` one, else `unexplained`), whether it is right, which reproduced
// causes are wrong, and the text summary with the confusion matrices.

export const CODES = [
  'late_data',
  'duplicate_events',
  'key_normalisation',
  'time_shift',
  'window_boundary',
  'null_handling',
  'definition_difference',
  'float_accumulation',
];

/**
 * What the scorer needs of a replay result. A diagnosis without `tier` (before evidence tiers)
 * counts as `reproduced`: every named cause then claimed to explain its rows.
 */
export function outcomeOf(result) {
  return {
    verdict: result.verdict,
    differing: result.summary.mismatched + result.summary.only_left + result.summary.only_right,
    diagnoses: (result.diagnoses ?? []).map((d) => ({
      code: d.code,
      tier: d.tier ?? (d.code === 'unexplained' ? 'unexplained' : 'reproduced'),
      rows: d.rows ?? d.explains ?? 0,
    })),
  };
}

/** outcome: a case (causes, kind) with verdict, diagnoses[{code, tier, rows}] and maybe error. */
export function scoreCase(outcome) {
  if (outcome.error) return { status: 'error' };
  const reported = outcome.diagnoses.filter((d) => d.code !== 'unexplained' && d.tier !== 'unexplained');
  const reproduced = reported.filter((d) => d.tier === 'reproduced');
  const top = reproduced[0] ?? reported[0] ?? { code: 'unexplained', tier: 'unexplained' };
  const wrongReproduced = reproduced.filter((d) => !outcome.causes.includes(d.code)).map((d) => d.code);
  if (outcome.kind === 'control') {
    return { status: outcome.verdict === 'pass' ? 'control_ok' : 'control_broken', top, wrongReproduced };
  }
  if (outcome.verdict === 'pass') return { status: 'no_effect', top, wrongReproduced };
  const found = (code, tiers) => reported.some((d) => d.code === code && tiers.includes(d.tier));
  return {
    status: 'scored',
    top,
    wrongReproduced,
    right: outcome.causes.length > 0 && outcome.causes.includes(top.code),
    rightReproduced: outcome.causes.includes(top.code) && top.tier === 'reproduced',
    allFound: outcome.causes.every((c) => found(c, ['reproduced', 'consistent'])),
    allReproduced: outcome.causes.every((c) => found(c, ['reproduced'])),
  };
}

const pct = (n, d) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

function matrix(rows, title, columns) {
  const trueCauses = [...CODES, 'uncovered'];
  const width = Math.max(...trueCauses.map((c) => c.length)) + 2;
  const head = columns.map((c) => c.slice(0, 7).padStart(8)).join('');
  const lines = [title, `${'true \\ top'.padEnd(width)}${head}`];
  for (const cause of trueCauses) {
    const mine = rows.filter((r) => r.trueCause === cause);
    if (mine.length === 0) continue;
    const cells = columns.map((col) => {
      const n = mine.filter((r) => r.column === col).length;
      return String(n === 0 ? '.' : n).padStart(8);
    });
    lines.push(`${cause.padEnd(width)}${cells.join('')}`);
  }
  lines.push(`columns: ${columns.map((c) => `${c.slice(0, 7)}=${c}`).join(', ')}`);
  return lines.join('\n');
}

/** The printed summary: counts, the two confusion matrices, accuracy, wrong reproduced causes. */
export function summarise(outcomes, { verbose = false } = {}) {
  const scored = outcomes.map((o) => ({ ...o, score: scoreCase(o) }));
  const by = (status) => scored.filter((o) => o.score.status === status);
  const single = by('scored').filter((o) => o.kind === 'single');
  const pairs = by('scored').filter((o) => o.kind === 'pair');
  const uncovered = by('scored').filter((o) => o.kind === 'uncovered');
  const wrong = scored.flatMap((o) => (o.score.wrongReproduced ?? []).map((code) => ({ o, code })));
  const lines = [];
  lines.push(
    `cases: ${scored.length} — single ${single.length}, two-bug ${pairs.length}, uncovered ${uncovered.length}, controls ${by('control_ok').length + by('control_broken').length} (broken ${by('control_broken').length}), no effect ${by('no_effect').length}, errors ${by('error').length}`,
  );
  const cells = [...single, ...uncovered].map((o) => ({
    trueCause: o.kind === 'uncovered' ? 'uncovered' : o.causes[0],
    column: o.score.top.code,
    tier: o.score.top.tier,
  }));
  lines.push('');
  lines.push(
    matrix(
      cells.filter((c) => c.tier === 'reproduced'),
      'top cause, reproduced tier (single-bug and uncovered cases)',
      CODES,
    ),
  );
  lines.push('');
  lines.push(
    matrix(
      cells.filter((c) => c.tier !== 'reproduced'),
      'top cause when nothing is reproduced: consistent tier, or unexplained',
      [...CODES, 'unexplained'],
    ),
  );
  const right = single.filter((o) => o.score.right).length;
  const rightReproduced = single.filter((o) => o.score.rightReproduced).length;
  const both = pairs.filter((o) => o.score.allFound).length;
  const bothReproduced = pairs.filter((o) => o.score.allReproduced).length;
  const uncoveredOk = uncovered.filter((o) => o.score.wrongReproduced.length === 0).length;
  lines.push('');
  lines.push(`single bug, right top cause:        ${right}/${single.length} = ${pct(right, single.length)}`);
  lines.push(
    `  of which reproduced:              ${rightReproduced}/${single.length} = ${pct(rightReproduced, single.length)}`,
  );
  lines.push(`two bugs, both causes found:        ${both}/${pairs.length} = ${pct(both, pairs.length)}`);
  lines.push(
    `  both reproduced:                  ${bothReproduced}/${pairs.length} = ${pct(bothReproduced, pairs.length)}`,
  );
  lines.push(`uncovered, no reproduced cause:     ${uncoveredOk}/${uncovered.length}`);
  lines.push(
    `WRONG causes in the reproduced tier: ${wrong.length} (in ${new Set(wrong.map((w) => w.o.id)).size} cases)`,
  );
  lines.push('');
  lines.push('per family (single-bug cases): right top cause / cases');
  const families = [...new Set(single.map((o) => o.families[0]))].sort();
  for (const f of families) {
    const mine = single.filter((o) => o.families[0] === f);
    lines.push(`  ${f.padEnd(24)} ${mine.filter((o) => o.score.right).length}/${mine.length}`);
  }
  if (verbose) {
    lines.push('');
    lines.push('misses (single: wrong top; pair: a cause missing; any: wrong reproduced):');
    for (const o of scored) {
      const s = o.score;
      const miss =
        s.status === 'error' ||
        s.status === 'control_broken' ||
        (s.wrongReproduced?.length ?? 0) > 0 ||
        (o.kind === 'single' && s.status === 'scored' && !s.right) ||
        (o.kind === 'pair' && s.status === 'scored' && !s.allFound);
      if (!miss) continue;
      const got = o.diagnoses.map((d) => `${d.code}[${d.tier}]:${d.rows}`).join(' ');
      lines.push(
        `  ${o.id} ${o.shape} ${o.families.join('+') || 'control'} → ${s.status === 'error' ? o.error : got}`,
      );
      lines.push(`      ${o.description}`);
    }
  }
  return lines.join('\n');
}
