import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiagnoseOptions, diagnoser } from '../../src/diagnose/index.js';
import { type DiffOptions, type DiffResult, diffTables } from '../../src/diff/index.js';
import { UsageError } from '../../src/errors.js';
import type { Session } from '../../src/io/index.js';
import { tumbling } from '../../src/replay/index.js';
import { sessionWith } from '../helpers/session.js';

let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

const at = (hhmm: string) => `TIMESTAMP '2026-01-01 ${hhmm}:00'`;

/** Rows of (k, window_start, window_end, features…) as a SELECT; windows are 5 minutes from `start`. */
function windows(columns: string[], rows: [string, string, ...unknown[]][]): string {
  const values = rows
    .map(
      ([k, start, ...rest]) =>
        `(${k}, ${at(start)}, ${at(start)} + INTERVAL 5 MINUTE${rest.map((v) => `, ${v}`).join('')})`,
    )
    .join(', ');
  return `SELECT * FROM (VALUES ${values}) t(k, window_start, window_end, ${columns.join(', ')})`;
}

async function run(
  tables: Record<string, string>,
  options: DiagnoseOptions = {},
  overrides: Partial<DiffOptions> = {},
): Promise<DiffResult> {
  session = await sessionWith(tables);
  return diffTables(session, {
    command: 'replay',
    left: { table: 'l', label: 'batch', source: 'f.sql', describe: 'the batch output' },
    right: { table: 'r', label: 'stream', source: 'f.ts', describe: 'the stream output' },
    keyColumns: ['k'],
    inspect: diagnoser(options),
    ...overrides,
  });
}

const LOG = (extra: Partial<NonNullable<DiagnoseOptions['log']>> = {}): DiagnoseOptions => ({
  log: { relation: 'events', timeColumn: 'ts', window: tumbling('5m'), ...extra },
});

function codes(result: DiffResult): string[] {
  return (result.diagnoses ?? []).map((d) => d.code);
}

function differing(result: DiffResult): number {
  const s = result.summary;
  return s.mismatched + s.only_left + s.only_right;
}

describe('diagnose', () => {
  it('returns no diagnoses when nothing differs', async () => {
    const rows = windows(['n'], [["'a'", '10:00', 1]]);
    const result = await run({ l: rows, r: rows });
    expect(result.verdict).toBe('pass');
    expect(result.diagnoses).toEqual([]);
  });

  it('time_shift: the stream windows are the batch windows one hour later', async () => {
    const batch: [string, string, ...unknown[]][] = [
      ["'a'", '10:00', 3, 1.5],
      ["'a'", '11:00', 1, 2.25],
      ["'b'", '10:05', 2, 7.0],
      ["'b'", '12:30', 5, 1.0],
    ];
    const stream = batch.map(([k, start, ...rest]) => {
      const [h, m] = start.split(':').map(Number);
      return [k, `${String(h! + 1).padStart(2, '0')}:${String(m).padStart(2, '0')}`, ...rest] as [
        string,
        string,
        ...unknown[],
      ];
    });
    const result = await run({ l: windows(['n', 'total'], batch), r: windows(['n', 'total'], stream) });
    // 10:00→11:00 and 11:00→12:00 overlap for key a: one mismatch, the rest one-sided.
    expect(differing(result)).toBe(7);
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'time_shift', rows: 7, share: 1 });
    expect(top!.evidence).toMatchObject({ shift: '+1h', shift_ms: 3_600_000, whole_hours: true });
    expect(top!.message).toMatch(/shifted by \+1h.*time-zone/);
  });

  it('time_shift: a shift that is not whole hours says so, and unrelated values are not paired', async () => {
    const result = await run({
      l: windows(
        ['n'],
        [
          ["'a'", '10:00', 3],
          ["'b'", '10:00', 4],
          ["'c'", '10:00', 9],
        ],
      ),
      r: windows(
        ['n'],
        [
          ["'a'", '10:05', 3],
          ["'b'", '10:05', 4],
          ["'c'", '10:05', 8],
        ],
      ),
    });
    const shift = result.diagnoses!.find((d) => d.code === 'time_shift')!;
    expect(shift).toMatchObject({ rows: 4, evidence: { shift: '+5m', whole_hours: false } });
    expect(shift.message).not.toMatch(/time-zone/);
    expect(result.diagnoses!.at(-1)).toMatchObject({ code: 'unexplained', rows: 2 });
  });

  it('key_normalisation: case, whitespace and number formats, naming the side that normalises', async () => {
    const result = await run({
      l: windows(
        ['n'],
        [
          ["'U1'", '10:00', 1],
          ["'u1'", '10:00', 2],
          ["'u2 '", '10:00', 4],
          ["'u3'", '10:00', 5],
        ],
      ),
      r: windows(
        ['n'],
        [
          ["'u1'", '10:00', 3],
          ["'u2'", '10:00', 4],
          ["'u3'", '10:00', 5],
        ],
      ),
    });
    expect(differing(result)).toBe(4); // U1 and u2␠ only in batch, u1 mismatched, u2 only in stream
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'key_normalisation', rows: 4, share: 1 });
    expect(top!.evidence).toMatchObject({
      normalised_by: 'stream',
      differ_in: ['case', 'surrounding whitespace'],
    });
    expect(top!.evidence.examples).toContain('batch "U1" / "u1" ↔ stream "u1"');

    const typed = await run({
      l: windows(['n'], [['42', '10:00', 1]]),
      r: windows(['n'], [["'042'", '10:00', 1]]),
    });
    expect(typed.diagnoses![0]).toMatchObject({
      code: 'key_normalisation',
      rows: 2,
      evidence: { differ_in: ['number format'] },
    });
  });

  it('null_handling: NULL against 0, and empty windows emitted by one side only', async () => {
    const result = await run({
      l: windows(
        ['n', 'discount'],
        [
          ["'a'", '10:00', 2, 'NULL'],
          ["'b'", '10:00', 1, 'NULL'],
          ["'c'", '10:00', 1, 5.0],
        ],
      ),
      r: windows(
        ['n', 'discount'],
        [
          ["'a'", '10:00', 2, 0.0],
          ["'b'", '10:00', 1, 0.0],
          ["'c'", '10:00', 1, 5.0],
          ["'d'", '10:00', 0, 0.0],
        ],
      ),
    });
    // NULL against 0 is the difference itself (reproduced); an all-default window on one side fits.
    const [top, empty] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'null_handling', tier: 'reproduced', rows: 2, reproduced_rows: 2 });
    expect(top!.evidence).toMatchObject({ null_on_batch: { discount: 2 } });
    expect(top!.message).toMatch(/discount is NULL on the batch side where the stream has 0 \(2 rows\)/);
    expect(empty).toMatchObject({ code: 'null_handling', tier: 'consistent', rows: 1, reproduced_rows: 0 });
    expect(empty!.evidence).toMatchObject({ empty_windows_only_stream: 1 });
    expect(result.diagnoses).toHaveLength(2);
  });

  it('float_accumulation: tiny relative differences with a suggested tolerance, but never whole cents', async () => {
    const result = await run({
      l: windows(
        ['total'],
        [
          ["'a'", '10:00', 12.34],
          ["'b'", '10:00', 1000.5],
          ["'c'", '10:00', 10000.0],
        ],
      ),
      r: windows(
        ['total'],
        [
          ["'a'", '10:00', 'CAST(12.34::FLOAT AS DOUBLE)'],
          ["'b'", '10:00', 1000.500003],
          ["'c'", '10:00', 10000.01],
        ],
      ),
    });
    expect(differing(result)).toBe(3);
    const float = result.diagnoses!.find((d) => d.code === 'float_accumulation')!;
    expect(float.rows).toBe(2);
    // float32(12.34) is 12.34000015…: a relative difference of 1.2e-8.
    expect(float.evidence.suggested_tolerance).toEqual(['--tol total=rel:1e-7']);
    expect(float.message).toMatch(/at most 1\.2e-8\).*--tol total=rel:1e-7/);
    // 10000.00 vs 10000.01 is one cent (relative 1e-6): a real difference, left unexplained.
    expect(result.diagnoses!.at(-1)).toMatchObject({ code: 'unexplained', rows: 1 });
    expect(result.diagnoses!.at(-1)!.evidence.examples).toEqual([
      'k=c 2026-01-01 10:00:00 → 2026-01-01 10:05:00: total batch 10000 stream 10000.01',
    ]);
  });

  it('definition_difference without a log: distinct counts differ while plain counts agree', async () => {
    const result = await run(
      {
        l: windows(
          ['txn_count', 'unique_merchants'],
          [
            ["'a'", '10:00', 3, 2],
            ["'b'", '10:00', 2, 2],
          ],
        ),
        r: windows(
          ['txn_count', 'unique_merchants'],
          [
            ["'a'", '10:00', 3, 3],
            ["'b'", '10:00', 2, 1],
          ],
        ),
      },
      {},
      { command: 'diff' },
    );
    expect(result.diagnoses![0]).toMatchObject({
      code: 'definition_difference',
      rows: 2,
      evidence: { features: ['unique_merchants'], agreeing_counts: ['txn_count'] },
    });
  });

  it('definition_difference with the log: names the column that reproduces each side', async () => {
    const events = `SELECT * FROM (VALUES
      ('a', ${at('10:01')}, 'm1', 'Starbucks'), ('a', ${at('10:02')}, 'm2', 'Starbucks'),
      ('a', ${at('10:03')}, 'm3', 'Target'), ('b', ${at('10:01')}, 'm4', 'Costco'),
      ('b', ${at('10:02')}, 'm4', 'COSTCO'), ('c', ${at('10:01')}, 'm5', 'Apple')) t(k, ts, merchant_id, merchant_name)`;
    const result = await run(
      {
        events,
        l: windows(
          ['n', 'merchants'],
          [
            ["'a'", '10:00', 3, 3],
            ["'b'", '10:00', 2, 1],
            ["'c'", '10:00', 1, 1],
          ],
        ),
        r: windows(
          ['n', 'merchants'],
          [
            ["'a'", '10:00', 3, 2],
            ["'b'", '10:00', 2, 2],
            ["'c'", '10:00', 1, 1],
          ],
        ),
      },
      LOG(),
    );
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'definition_difference', rows: 2, share: 1 });
    expect(top!.evidence.merchants).toMatchObject({
      batch: 'count(DISTINCT merchant_id)',
      stream: 'count(DISTINCT merchant_name)',
      differing_rows: 2,
    });
    expect(top!.message).toMatch(/stream's values are count\(DISTINCT merchant_name\)/);
  });

  const paymentLog = `SELECT * FROM (VALUES
      (1, 'a', 10.0, ${at('10:01')}), (1, 'a', 10.0, ${at('10:01')}), (2, 'a', 5.5, ${at('10:02')}),
      (3, 'b', 7.0, ${at('10:03')}), (3, 'b', 7.0, ${at('10:03')}), (3, 'b', 7.0, ${at('10:03')}),
      (4, 'c', 1.0, ${at('10:04')}), (5, 'c', 2.0, ${at('10:06')})) t(txn_id, k, amount, ts)`;
  const deduplicated = windows(
    ['n', 'total'],
    [
      ["'a'", '10:00', 2, 15.5],
      ["'b'", '10:00', 1, 7.0],
      ["'c'", '10:00', 1, 1.0],
      ["'c'", '10:05', 1, 2.0],
    ],
  );
  const everyCopy = windows(
    ['n', 'total'],
    [
      ["'a'", '10:00', 3, 25.5],
      ["'b'", '10:00', 3, 21.0],
      ["'c'", '10:00', 1, 1.0],
      ["'c'", '10:05', 1, 2.0],
    ],
  );

  it('duplicate_events: repeated ids account exactly for the differences', async () => {
    const result = await run({ events: paymentLog, l: deduplicated, r: everyCopy }, LOG());
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'duplicate_events', rows: 2, share: 1 });
    expect(top!.evidence).toMatchObject({
      id_column: 'txn_id',
      id_column_chosen: 'detected',
      repeated_ids: 2,
      extra_copies: 3,
      counted_by: 'stream',
      features_matching: { n: 2, total: 2 },
    });
    expect(top!.message).toMatch(/the stream counts every copy and the batch deduplicates/);
  });

  it('duplicate_events: an explicit event id column, and a clear error for a missing one', async () => {
    const log = paymentLog.replace('txn_id', 'txn');
    const detected = await run({ events: log, l: deduplicated, r: everyCopy }, LOG());
    expect(codes(detected)).not.toContain('duplicate_events'); // "txn" does not look like an id
    session?.close();
    const named = await run({ events: log, l: deduplicated, r: everyCopy }, LOG({ eventIdColumn: 'txn' }));
    expect(named.diagnoses![0]).toMatchObject({
      code: 'duplicate_events',
      evidence: { id_column: 'txn', id_column_chosen: 'option' },
    });
    session?.close();
    await expect(
      run({ events: log, l: deduplicated, r: everyCopy }, LOG({ eventIdColumn: 'nope' })),
    ).rejects.toThrow(UsageError);
    session?.close();
    // Also when nothing differs: a wrong option is reported, not ignored.
    await expect(
      run({ events: log, l: deduplicated, r: deduplicated }, LOG({ eventIdColumn: 'nope' })),
    ).rejects.toThrow(/--event-id names "nope"/);
  });

  it('window_boundary: events exactly on a bound, with each side’s convention', async () => {
    // Cron client "x" fires on the minute; the stream counts [start, end] (an inclusive end).
    const events = `SELECT * FROM (VALUES
      ('x', ${at('10:00')}), ('x', ${at('10:05')}), ('x', ${at('10:10')}),
      ('y', TIMESTAMP '2026-01-01 10:01:07'), ('y', TIMESTAMP '2026-01-01 10:06:31'),
      ('z', TIMESTAMP '2026-01-01 10:02:00'), ('z', TIMESTAMP '2026-01-01 10:03:00')) t(k, ts)`;
    const result = await run(
      {
        events,
        l: windows(
          ['n'],
          [
            ["'x'", '10:00', 1],
            ["'x'", '10:05', 1],
            ["'x'", '10:10', 1],
            ["'y'", '10:00', 1],
            ["'y'", '10:05', 1],
            ["'z'", '10:00', 2],
          ],
        ),
        // What a consumer closing windows on `t > end` emits: x's 10:05 event stays in the 10:00 window.
        r: windows(
          ['n'],
          [
            ["'x'", '10:00', 2],
            ["'x'", '10:10', 1],
            ["'y'", '10:00', 1],
            ["'y'", '10:05', 1],
            ["'z'", '10:00', 2],
          ],
        ),
      },
      LOG(),
    );
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'window_boundary', rows: 2, share: 1 });
    expect(top!.evidence).toMatchObject({
      batch_convention: '[start, end)',
      stream_convention: '[start, end]',
      differing_share_without: 0,
    });
  });

  it('window_boundary is not claimed when boundary windows differ no more often than the others', async () => {
    const events = `SELECT * FROM (VALUES ('a', ${at('10:00')}), ('b', TIMESTAMP '2026-01-01 10:01:00'),
      ('c', ${at('10:05')}), ('d', TIMESTAMP '2026-01-01 10:07:00')) t(k, ts)`;
    const result = await run(
      {
        events,
        l: windows(
          ['v'],
          [
            ["'a'", '10:00', 1],
            ["'b'", '10:00', 1],
            ["'c'", '10:05', 1],
            ["'d'", '10:05', 1],
          ],
        ),
        r: windows(
          ['v'],
          [
            ["'a'", '10:00', 2],
            ["'b'", '10:00', 2],
            ["'c'", '10:05', 1],
            ["'d'", '10:05', 1],
          ],
        ),
      },
      LOG(),
    );
    expect(codes(result)).toEqual(['unexplained']);
  });

  it('late_data: the events the stream dropped as late (the harness’s table) explain the rows', async () => {
    const events = `SELECT * FROM (VALUES ('a', 4.0, ${at('10:01')}), ('a', 6.0, ${at('10:02')}),
      ('b', 1.0, ${at('10:03')}), ('c', 2.0, ${at('10:04')})) t(k, amount, ts)`;
    const late = `SELECT * FROM (VALUES ('a', 6.0, ${at('10:02')}, ${at('10:00')}),
      ('b', 1.0, ${at('10:03')}, ${at('10:00')})) t(k, amount, ts, __window_start)`;
    const result = await run(
      {
        events,
        __skewcheck_late_events: late,
        l: windows(
          ['n', 'total'],
          [
            ["'a'", '10:00', 2, 10.0],
            ["'b'", '10:00', 1, 1.0],
            ["'c'", '10:00', 1, 2.0],
          ],
        ),
        r: windows(
          ['n', 'total'],
          [
            ["'a'", '10:00', 1, 4.0],
            ["'c'", '10:00', 1, 2.0],
          ],
        ),
      },
      LOG(),
    );
    const [top] = result.diagnoses!;
    expect(top).toMatchObject({ code: 'late_data', rows: 2, share: 1 });
    expect(top!.evidence).toMatchObject({ late_events: 2, late_windows: 2, dropped_by: 'stream' });
    expect(top!.message).toMatch(/^2 events arrived after the watermark/);
  });

  it('handles composite keys and identifiers that need quoting', async () => {
    const table = (rows: [string, string, string, number][]) =>
      `SELECT * FROM (VALUES ${rows.map(([a, b, w, n]) => `('${a}', '${b}', ${at(w)}, ${at(w)} + INTERVAL 5 MINUTE, ${n})`).join(', ')}) t("user ""id""", "region", window_start, window_end, "n-events")`;
    const result = await run(
      {
        l: table([
          ['a', 'eu', '10:00', 1],
          ['a', 'us', '10:00', 2],
          ['b', 'eu', '10:05', 3],
        ]),
        r: table([
          ['a', 'eu', '12:00', 1],
          ['a', 'us', '12:00', 2],
          ['b', 'eu', '12:05', 3],
        ]),
      },
      {},
      { keyColumns: ['user "id"', 'region'] },
    );
    expect(result.diagnoses!.map((d) => [d.code, d.rows])).toEqual([['time_shift', 6]]);
    expect(result.diagnoses![0]!.evidence).toMatchObject({ shift: '+2h', keys_with_this_shift: 3 });
    session?.close();
    const folded = await run(
      {
        l: table([
          ['A', 'eu', '10:00', 1],
          ['a', 'us', '10:00', 2],
        ]),
        r: table([
          ['a', 'eu', '10:00', 1],
          ['a', 'us', '10:00', 2],
        ]),
      },
      {},
      { keyColumns: ['user "id"', 'region'] },
    );
    expect(folded.diagnoses![0]).toMatchObject({
      code: 'key_normalisation',
      rows: 2,
      evidence: { examples: ['batch "A, eu" ↔ stream "a, eu"'] },
    });
  });

  it('attributes a row to the cause that reproduced it over one it is merely consistent with', async () => {
    // Row a is NULL against 0 (reproduced) and fits the distinct-count heuristic (consistent);
    // row b only fits the heuristic.
    const result = await run(
      {
        l: windows(
          ['txn_count', 'unique_ids'],
          [
            ["'a'", '10:00', 1, 'NULL'],
            ["'b'", '10:00', 2, 2],
          ],
        ),
        r: windows(
          ['txn_count', 'unique_ids'],
          [
            ["'a'", '10:00', 1, 0],
            ["'b'", '10:00', 2, 1],
          ],
        ),
      },
      {},
      { command: 'diff' },
    );
    expect(result.diagnoses!.map((d) => [d.code, d.tier, d.rows])).toEqual([
      ['null_handling', 'reproduced', 1],
      ['definition_difference', 'consistent', 1],
    ]);
  });

  it('orders causes by share, ends with unexplained rows and their examples, and is deterministic', async () => {
    const tables = {
      l: windows(
        ['n', 'total'],
        [
          ["'a'", '10:00', 1, 'NULL'],
          ["'b'", '10:00', 1, 'NULL'],
          ["'c'", '10:00', 1, 1.5],
          ["'d'", '10:00', 5, 1.0],
        ],
      ),
      r: windows(
        ['n', 'total'],
        [
          ["'a'", '10:00', 1, 0],
          ["'b'", '10:00', 1, 0],
          ["'c'", '10:00', 1, 1.5000001],
          ["'e'", '10:00', 5, 1.0],
        ],
      ),
    };
    const first = await run(tables);
    session?.close();
    const second = await run(tables);
    expect(JSON.stringify(first.diagnoses)).toBe(JSON.stringify(second.diagnoses));
    expect(first.diagnoses!.map((d) => [d.code, d.rows])).toEqual([
      ['null_handling', 2],
      ['float_accumulation', 1],
      ['unexplained', 2],
    ]);
    const unexplained = first.diagnoses!.find((d) => d.code === 'unexplained')!;
    expect(unexplained.evidence).toMatchObject({ only_batch: 1, only_stream: 1 });
    expect(unexplained.evidence.examples).toEqual([
      'k=d 2026-01-01 10:00:00 → 2026-01-01 10:05:00: only in batch',
      'k=e 2026-01-01 10:00:00 → 2026-01-01 10:05:00: only in stream',
    ]);
  });

  it('explains every differing row exactly once (shares add up to 1)', async () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'A', 'b', 'b ', 'c'),
      fc.constantFrom('10:00', '10:05', '11:00'),
      fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { selector: (r) => `${r[0]}|${r[1]}`, maxLength: 6 }),
        fc.uniqueArray(row, { selector: (r) => `${r[0]}|${r[1]}`, maxLength: 6 }),
        async (left, right) => {
          if (left.length + right.length === 0) return; // nothing to compare is an error (see the diff engine)
          const table = (rows: typeof left) =>
            rows.length === 0
              ? `SELECT 'x' AS k, ${at('10:00')} AS window_start, ${at('10:05')} AS window_end, 1 AS n LIMIT 0`
              : windows(
                  ['n'],
                  rows.map(([k, w, n]) => [`'${k}'`, w, n ?? 'NULL::INTEGER']),
                );
          const result = await run({ l: table(left), r: table(right) });
          session?.close();
          session = undefined;
          const explained = (result.diagnoses ?? []).reduce((sum, d) => sum + d.rows, 0);
          expect(explained).toBe(differing(result));
          if (explained > 0) {
            const share = (result.diagnoses ?? []).reduce((sum, d) => sum + d.share, 0);
            expect(share).toBeCloseTo(1, 12);
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
