import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Snapshot, sameSnapshotFile } from '../../src/drift/snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'skewcheck-same-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function snapshot(
  name: string,
  contents: string | null,
  format: 'csv' | 'parquet' = 'csv',
  rows = 2,
): Snapshot {
  const path = join(dir, name);
  if (contents !== null) writeFileSync(path, contents);
  return { source: { name, path, format, columns: [] }, relation: name, rows, what: name };
}

describe('sameSnapshotFile', () => {
  const text = `x\n${'1.5\n'.repeat(300_000)}`;

  it('is true for a byte-identical copy and for the same file', () => {
    const a = snapshot('a.csv', text);
    copyFileSync(a.source.path, join(dir, 'copy.csv'));
    expect(sameSnapshotFile(a, snapshot('copy.csv', null))).toBe(true);
    expect(sameSnapshotFile(a, a)).toBe(true);
  });

  it('is false when a byte differs past the first block, or the size, format or row count differs', () => {
    const a = snapshot('b.csv', text);
    // Same size, one byte changed near the end (the comparison reads blocks of 1 MiB).
    expect(sameSnapshotFile(a, snapshot('c.csv', `${text.slice(0, -2)}6\n`))).toBe(false);
    expect(sameSnapshotFile(a, snapshot('d.csv', `${text}1\n`))).toBe(false);
    copyFileSync(a.source.path, join(dir, 'e.parquet'));
    expect(sameSnapshotFile(a, snapshot('e.parquet', null, 'parquet'))).toBe(false);
    expect(sameSnapshotFile(a, snapshot('b.csv', null, 'csv', 3))).toBe(false);
  });

  it('is false for directories and missing files', () => {
    mkdirSync(join(dir, 'folder'));
    expect(sameSnapshotFile(snapshot('folder', null), snapshot('folder', null))).toBe(false);
    expect(sameSnapshotFile(snapshot('missing.csv', null), snapshot('missing.csv', null))).toBe(false);
  });
});
