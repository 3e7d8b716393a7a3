// Emitted rows reach DuckDB through typed buffers; text keys are laid out inline when short.
// Every kind of string must come back exactly as emitted, on chunk edges too.
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/io/index.js';
import { RawRowTable } from '../../src/replay/chunk-table.js';
import { CHUNK_ROWS } from '../../src/replay/row-sink.js';
import { sessionWith } from '../helpers/session.js';

let db: Session | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

// Short ASCII, empty, exactly 12 bytes, 13 bytes, non-ASCII within 12 bytes, non-ASCII of at
// most 12 characters but more than 12 bytes, astral characters, an embedded NUL, and NULL.
const KINDS = ['u1', '', 'abcdefghijkl', 'abcdefghijklm', 'café', 'éééééééé', '😀😀😀', 'a\u0000b', null];

function values(n: number, seed: number): (string | null)[] {
  return Array.from({ length: n }, (_, i) => {
    const kind = KINDS[(i * 7 + seed) % KINDS.length]!;
    return kind === null ? null : `${kind}${i % 3 === 0 ? '' : String(i % 10)}`.slice(0, 20);
  });
}

describe('text columns of emitted rows', () => {
  it('come back from DuckDB exactly as emitted', async () => {
    db = await sessionWith({});
    const table = await RawRowTable.create(db, 'raw', ['k'], ['varchar']);
    const sent: (string | null)[] = [];
    for (const [chunk, n] of [CHUNK_ROWS, 5, CHUNK_ROWS, 1].entries()) {
      const text = values(n, chunk);
      sent.push(...text);
      table.append({
        n,
        starts: new Float64Array(n).map((_, i) => sent.length - n + i),
        ends: new Float64Array(n),
        columns: [{ family: 'varchar', values: text }],
      });
    }
    table.close();
    const rows = await db.rows('SELECT k, octet_length(encode(k)) AS bytes FROM raw ORDER BY __start');
    expect(rows.map((r) => r.k)).toEqual(sent);
    // Equal strings compare equal whichever way they were written (inline or through the setter).
    const groups = await db.rows('SELECT k, count(*) AS n FROM raw GROUP BY k');
    const expected = new Map<string | null, number>();
    for (const v of sent) expected.set(v, (expected.get(v) ?? 0) + 1);
    expect(new Map(groups.map((g) => [g.k as string | null, Number(g.n)]))).toEqual(expected);
    expect(rows.find((r) => r.k === '😀😀😀')?.bytes).toBe(12n);
  });
});
