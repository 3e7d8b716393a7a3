// `--report` on replay/diff and `skewcheck report`, run as a user would (built CLI).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, FRAUD, skewcheck, tempDir } from './cli.js';

const REPLAY = [
  'replay',
  '--events',
  join(FRAUD, 'events.parquet'),
  '--batch',
  join(FRAUD, 'features.sql'),
  '--stream',
  join(FRAUD, 'features.skewed.ts'),
  '--key',
  'user_id',
];

describe('--report on replay', () => {
  const dir = tempDir();
  const out = (name: string) => join(dir, name);
  let run: CliRun;

  beforeAll(() => {
    writeFileSync(out('summary.md'), '# earlier step\n');
    run = skewcheck(
      [
        ...REPLAY,
        '--json',
        out('result.json'),
        '--report',
        `md=${out('report.md')}`,
        '--report',
        `junit=${out('junit.xml')}`,
        '--report',
        out('report.html'),
        '--report',
        `prom=${out('metrics.prom')}`,
      ],
      { env: { GITHUB_STEP_SUMMARY: out('summary.md') } },
    );
  });

  it('writes every report next to the JSON and still prints the terminal report (exit 1)', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL [\d,]+ of [\d,]+ \(key, window\) rows differ/);
    expect(readFileSync(out('report.md'), 'utf8')).toMatch(
      /^### ❌ skewcheck replay: skew found — [\d,]+ of [\d,]+/,
    );
    expect(readFileSync(out('junit.xml'), 'utf8')).toMatch(
      /<testcase classname="skewcheck.replay.features" name="unique_merchants_5m">\s*<failure type="mismatch"/,
    );
    const html = readFileSync(out('report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('When rows differ');
  });

  it('writes Prometheus metrics with the run time; re-rendered, the same without it', () => {
    const prom = readFileSync(out('metrics.prom'), 'utf8');
    expect(prom).toMatch(/^skewcheck_mismatched_rows\{check="replay",command="replay"\} [1-9]\d*$/m);
    expect(prom).toContain('skewcheck_status{check="replay",command="replay",status="fail"} 1\n');
    const stamp = Number(/^skewcheck_last_run_timestamp_seconds\{[^}]*\} (\S+)$/m.exec(prom)?.[1]);
    expect(Math.abs(stamp - Date.now() / 1000)).toBeLessThan(600);
    const seconds = Number(/^skewcheck_run_duration_seconds\{[^}]*\} (\S+)$/m.exec(prom)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    const again = skewcheck(['report', out('result.json'), '--format', 'prom']);
    expect(again.code).toBe(0);
    const withoutRun = prom.replace(
      /^# (HELP|TYPE) skewcheck_(last_run_timestamp|run_duration)_seconds .*\n|^skewcheck_(last_run_timestamp|run_duration)_seconds.*\n/gm,
      '',
    );
    expect(again.stdout).toBe(withoutRun);
  });

  it('appends the Markdown summary to GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(out('summary.md'), 'utf8');
    expect(summary.startsWith('# earlier step\n### ❌ skewcheck replay')).toBe(true);
    expect(summary.slice('# earlier step\n'.length)).toBe(`${readFileSync(out('report.md'), 'utf8')}\n`);
  });

  it('re-renders the saved result to the same bytes with `skewcheck report`', () => {
    for (const [format, file] of [
      ['md', 'report.md'],
      ['junit', 'junit.xml'],
      ['html', 'report.html'],
    ] as const) {
      const again = skewcheck(['report', out('result.json'), '--format', format]);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(readFileSync(out(file), 'utf8'));
    }
    // The format can also follow the extension of -o.
    const html = skewcheck(['report', out('result.json'), '-o', out('again.html')]);
    expect(html.code).toBe(0);
    expect(readFileSync(out('again.html'), 'utf8')).toBe(readFileSync(out('report.html'), 'utf8'));
    const terminal = skewcheck(['report', out('result.json')]);
    expect(terminal.stdout).toBe(run.stdout);
  });
});

describe('skewcheck report with bad input (exit 2, naming the file)', () => {
  const dir = tempDir();

  it('rejects invalid JSON, an unknown result and a result that breaks its schema', () => {
    const cases: [string, string, RegExp][] = [
      ['broken.json', '{"command": "replay",', /broken\.json is not valid JSON/],
      [
        'other.json',
        '{"command": "train", "verdict": "pass"}',
        /other\.json is not a skewcheck result: it has "command": "train"/,
      ],
      ['array.json', '[1, 2]', /array\.json is not a skewcheck result: expected a JSON object/],
      [
        'partial.json',
        '{"command": "diff", "schema_version": 1}',
        /partial\.json is not a valid skewcheck diff result .*must have required property/,
      ],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(dir, name), text);
      const run = skewcheck(['report', join(dir, name), '--format', 'html', '-o', join(dir, `${name}.html`)]);
      expect(run.code, name).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(existsSync(join(dir, `${name}.html`))).toBe(false);
    }
    const missing = skewcheck(['report', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*missing\.json/);
  });

  it('rejects an unknown format before doing any work', () => {
    const report = skewcheck(['report', 'whatever.json', '--format', 'pdf']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(
      /unknown report format "pdf"; use one of terminal, json, md, junit, html, prom/,
    );
    const replay = skewcheck([...REPLAY, '--report', `pdf=${join(dir, 'x.pdf')}`]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/unknown report format "pdf"/);
    const both = skewcheck([...REPLAY, '--json', '-', '--report', 'md=-']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both want stdout/);
  });
});

describe('--report on diff', () => {
  it('sends a report to stdout with -, and the terminal report to stderr', () => {
    const dir = tempDir();
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    writeFileSync(left, 'user_id,window_start,n\nu1,2026-01-01 10:00:00,1\nu2,2026-01-01 10:00:00,2\n');
    writeFileSync(right, 'user_id,window_start,n\nu1,2026-01-01 10:00:00,1\nu2,2026-01-01 10:00:00,3\n');
    const run = skewcheck(
      ['diff', '--left', left, '--right', right, '--key', 'user_id', '--report', 'junit=-'],
      {
        env: { GITHUB_STEP_SUMMARY: '' },
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="skewcheck" tests="3" failures="2"/,
    );
    expect(run.stderr).toMatch(/FAIL 1 of 2 \(key, window\) rows differ/);
  });
});
