import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAUD, ROOT, skewcheck, tempDir } from './cli.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], {
    cwd,
    encoding: 'utf8',
  });

/** A small project: two feature sets over the fraud sample, the stream importing a local helper. */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'features'));
  cpSync(join(FRAUD, 'events.parquet'), join(dir, 'data/events.parquet'));
  cpSync(join(FRAUD, 'features.sql'), join(dir, 'features/fraud.sql'));
  writeFileSync(
    join(dir, 'features/cents.ts'),
    'export const cents = (amount: number) => Math.round(amount * 100);\n',
  );
  writeFileSync(
    join(dir, 'features/fraud.ts'),
    readFileSync(join(FRAUD, 'features.ts'), 'utf8')
      .replace(
        "import { defineStreamingFeature, tumbling } from 'skewcheck';",
        "import { defineStreamingFeature, tumbling } from 'skewcheck';\nimport { cents } from './cents.js';",
      )
      .replace('Math.round(e.amount * 100)', 'cents(e.amount)'),
  );
  writeFileSync(
    join(dir, 'features/counts.sql'),
    `SELECT user_id, time_bucket(INTERVAL 1 HOUR, ts) AS window_start, time_bucket(INTERVAL 1 HOUR, ts) + INTERVAL 1 HOUR AS window_end, count(*) AS n FROM events GROUP BY ALL`,
  );
  writeFileSync(
    join(dir, 'features/counts.ts'),
    "import { defineStreamingFeature, tumbling } from 'skewcheck';\nexport default defineStreamingFeature<{ user_id: string }, { n: number }>({ key: (e) => e.user_id, window: tumbling('1h'), init: () => ({ n: 0 }), add: (a) => { a.n++; }, emit: (a) => ({ n: a.n }) });\n",
  );
  writeFileSync(
    join(dir, 'skewcheck.yaml'),
    [
      'featureSets:',
      '  fraud_5m:',
      '    events: data/events.parquet',
      '    batch: features/fraud.sql',
      '    stream: features/fraud.ts',
      '    key: user_id',
      '  counts_1h:',
      '    events: data/events.parquet',
      '    batch: features/counts.sql',
      '    stream: features/counts.ts',
      '    key: [user_id]',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('skewcheck check on the bundled samples', () => {
  it('runs every check in one table; the skewed variant is baselined, the drift pair fails', () => {
    const run = skewcheck(['check', '--config', 'samples/skewcheck.yaml', '--json', '-']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ['ecommerce_30d', 'pass'],
      ['fraud_5m', 'pass'],
      ['fraud_5m_skewed', 'baselined'],
      ['fraud_snapshots', 'fail'],
      ['zoo_time_shift', 'pass'],
    ]);
    expect(result.config).toBe('samples/skewcheck.yaml');
    expect(run.stderr).toMatch(/│ fraud_5m_skewed │ replay │ baselined │/);
    expect(run.stderr).toMatch(/FAIL 5 checks: 3 passed, 1 baselined, 1 failed/);
  });

  it('runs only the named checks, and rejects unknown names', () => {
    const run = skewcheck(['check', 'fraud_5m', '--config', 'samples/skewcheck.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS 1 checks: 1 passed/);
    const unknown = skewcheck(['check', 'fraud', '--config', 'samples/skewcheck.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no check named "fraud" in .*skewcheck\.yaml \(checks: ecommerce_30d, fraud_5m, fraud_5m_skewed, fraud_snapshots, zoo_time_shift\)/,
    );
  });
});

describe('check reports', () => {
  it('writes one Markdown summary, one JUnit file and one HTML page for all checks, and appends to GITHUB_STEP_SUMMARY', () => {
    const dir = project();
    writeFileSync(
      join(dir, 'skewcheck.yaml'),
      `${readFileSync(join(dir, 'skewcheck.yaml'), 'utf8')}reports:\n  markdown: out/summary.md\n`,
    );
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    writeFileSync(
      join(dir, 'skewcheck.yaml'),
      `${readFileSync(join(dir, 'skewcheck.yaml'), 'utf8')}  prom: out/skewcheck.prom\n`,
    );
    const run = skewcheck(['check', '--report', 'junit=out/junit.xml', '--report', 'html=out/index.html'], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code).toBe(0);
    const md = readFileSync(join(dir, 'out/summary.md'), 'utf8');
    expect(md).toMatch(/^## skewcheck check: ✅ PASS — 2 checks: 2 passed\n/);
    expect(md).toContain('| `counts_1h` | replay | ✅ pass | ');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);
    const junit = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
    expect(junit.match(/<testsuite name="/g)).toHaveLength(2);
    expect(junit).toMatch(/<testsuite name="counts_1h"/);
    const html = readFileSync(join(dir, 'out/index.html'), 'utf8');
    expect(html.match(/<section class="check"/g)).toHaveLength(2);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    const prom = readFileSync(join(dir, 'out/skewcheck.prom'), 'utf8');
    expect(prom).toContain('skewcheck_checks{status="pass"} 2\n');
    expect(prom).toMatch(/^skewcheck_status\{check="counts_1h",command="replay",status="pass"\} 1$/m);
    expect(prom).toMatch(/^skewcheck_run_duration_seconds\{check="counts_1h",command="replay"\} \d/m);
  });
});

describe('--changed-since', () => {
  let dir: string;
  beforeAll(() => {
    dir = project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'features');
  });

  const statuses = (cwd: string, ...args: string[]) => {
    const run = skewcheck(['check', '--changed-since', 'HEAD', '--json', '-', ...args], { cwd });
    return { run, result: JSON.parse(run.stdout || '{}') };
  };

  it('runs nothing when nothing changed, saying why', () => {
    const { run, result } = statuses(dir);
    expect(run.code).toBe(0);
    expect(result.checks.map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped']);
    expect(result.checks[0].skipped_reason).toBe('none of its inputs changed since HEAD');
  });

  it('one SQL file changed → one check runs', () => {
    writeFileSync(
      join(dir, 'features/counts.sql'),
      `${readFileSync(join(dir, 'features/counts.sql'), 'utf8')}\n-- tweak\n`,
    );
    const { result } = statuses(dir);
    expect(result.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ['counts_1h', 'pass'],
      ['fraud_5m', 'skipped'],
    ]);
    git(dir, 'checkout', '-q', '--', 'features/counts.sql');
  });

  it('a local module imported by the streaming module counts as an input', () => {
    writeFileSync(
      join(dir, 'features/cents.ts'),
      'export const cents = (amount: number) => Math.round(amount * 100); // tweak\n',
    );
    const { result } = statuses(dir);
    expect(result.checks.map((c: { status: string }) => c.status)).toEqual(['skipped', 'pass']);
    git(dir, 'checkout', '-q', '--', 'features/cents.ts');
  });

  it('a change to one config entry runs that check only', () => {
    const config = readFileSync(join(dir, 'skewcheck.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'skewcheck.yaml'),
      config.replace('    key: [user_id]', '    key: [user_id]\n    maxMismatchRate: 0.5'),
    );
    const { result } = statuses(dir);
    expect(result.checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'skipped']);
    git(dir, 'checkout', '-q', '--', 'skewcheck.yaml');
  });

  it('outside a git repository every check runs, with a note', () => {
    const plain = project();
    const { result } = statuses(plain);
    expect(result.checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass']);
    expect(result.notes).toContain('not a git repository: --changed-since ignored, every check ran');
  });
});

describe('baselines', () => {
  let dir: string;
  beforeAll(() => {
    dir = project();
    // The bug: the stream counts distinct merchant names.
    const stream = join(dir, 'features/fraud.ts');
    writeFileSync(
      stream,
      readFileSync(stream, 'utf8').replace(
        'acc.merchants.add(e.merchant_id)',
        'acc.merchants.add(e.merchant_name)',
      ),
    );
  });
  const check = (...args: string[]) => skewcheck(['check', 'fraud_5m', '--json', '-', ...args], { cwd: dir });
  const baselineFile = () => join(dir, 'skewcheck.baseline.json');

  it('fails, then accepting the difference makes it pass as baselined, with a deterministic file', () => {
    expect(check().code).toBe(1);
    const accept = check(
      '--update-baseline',
      '--reason',
      'names vs ids, FRAUD-142',
      '--expires',
      '2999-12-31',
    );
    expect(accept.code).toBe(0);
    const first = readFileSync(baselineFile(), 'utf8');
    check('--update-baseline', '--reason', 'names vs ids, FRAUD-142', '--expires', '2999-12-31');
    expect(readFileSync(baselineFile(), 'utf8')).toBe(first);
    expect(JSON.parse(first).checks.fraud_5m).toMatchObject({
      reason: 'names vs ids, FRAUD-142',
      expires: '2999-12-31',
    });
    const run = check();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).checks[0]).toMatchObject({
      status: 'baselined',
      baseline: { accepted: [expect.stringMatching(/^unique_merchants_5m differs/)], new: [], expired: [] },
    });
  }, 180_000); // four full runs, each with its diagnosis: minutes on a loaded 2-core machine

  it('fails on new skew in another feature', () => {
    const stream = join(dir, 'features/fraud.ts');
    const original = readFileSync(stream, 'utf8');
    writeFileSync(stream, original.replace('acc.count += 1;', 'acc.count += e.amount > 1500 ? 2 : 1;'));
    const run = check();
    writeFileSync(stream, original);
    expect(run.code).toBe(1);
    const entry = JSON.parse(run.stdout).checks[0];
    expect(entry.status).toBe('fail');
    expect(entry.baseline.new).toEqual([expect.stringMatching(/^txn_count_5m differs/)]);
  });

  it('fails when the accepted difference gets worse', () => {
    const baseline = JSON.parse(readFileSync(baselineFile(), 'utf8'));
    baseline.checks.fraud_5m.features.unique_merchants_5m.max_mismatch_rate = 0.01;
    writeFileSync(baselineFile(), JSON.stringify(baseline));
    const run = check();
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).checks[0].baseline.new).toEqual([
      expect.stringMatching(/baseline accepts 1\.00%/),
    ]);
  });

  it('fails when the entry has expired', () => {
    check('--update-baseline', '--reason', 'names vs ids', '--expires', '2020-01-01');
    const run = check();
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).checks[0].baseline.expired).toEqual([
      'the baseline entry (names vs ids) expired on 2020-01-01',
    ]);
  });
});

describe('config errors name the place (exit 2)', () => {
  const configured = (yaml: string) => {
    const dir = project();
    writeFileSync(join(dir, 'skewcheck.yaml'), yaml);
    return skewcheck(['check'], { cwd: dir });
  };

  it('unknown key, with its line', () => {
    const run = configured(
      'featureSets:\n  a:\n    events: data/events.parquet\n    batch: features/fraud.sql\n    stream: features/fraud.ts\n    key: user_id\n    tolerence: { abs: 1 }\n',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/skewcheck\.yaml:7: featureSets\.a\.tolerence: unknown key "tolerence"/);
  });

  it('wrong type, with its line', () => {
    const run = configured(
      'driftChecks:\n  d:\n    train: a.parquet\n    prod: b.parquet\n    alpha: "0.05"\n',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /skewcheck\.yaml:5: driftChecks\.d\.alpha: Invalid input: expected number, received string/,
    );
  });

  it('missing file: that check errors at its place, the others still run', () => {
    const run = configured(readFileSync(join(ROOT, 'test/e2e/fixtures/two-checks.yaml'), 'utf8'));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/│ counts_1h │ replay │ pass/);
    expect(run.stdout).toMatch(
      /skewcheck\.yaml:4: featureSets\.broken\.batch: file not found: features\/nope\.sql/,
    );
  });

  it('no config anywhere', () => {
    const run = skewcheck(['check'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /no skewcheck\.yaml or skewcheck\.config\.ts in .* or its parents; pass --config, or create one with skewcheck init/,
    );
  });
});

describe('skewcheck init', () => {
  it('scaffolds a project whose check passes as generated, and never overwrites without --force', () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    const init = skewcheck(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/created {5}skewcheck\.yaml/);
    expect(init.stdout).toMatch(/created {5}\.github\/workflows\/skewcheck\.yml/);
    const workflow = readFileSync(join(dir, '.github/workflows/skewcheck.yml'), 'utf8');
    expect(workflow).toContain(`npx skewcheck check --changed-since origin/\${{ github.base_ref }}`);
    expect(workflow).toContain('--report junit=skewcheck-report/junit.xml');
    const check = skewcheck(['check'], { cwd: dir });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    writeFileSync(join(dir, 'skewcheck.yaml'), '# mine\n');
    const again = skewcheck(['init'], { cwd: dir });
    expect(again.stdout).toMatch(/skipped {5}skewcheck\.yaml \(exists; kept — use --force to overwrite\)/);
    expect(readFileSync(join(dir, 'skewcheck.yaml'), 'utf8')).toBe('# mine\n');
    skewcheck(['init', '--force'], { cwd: dir });
    expect(readFileSync(join(dir, 'skewcheck.yaml'), 'utf8')).toMatch(/^# skewcheck project config/);
  });
});
