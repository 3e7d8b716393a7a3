// The package as users get it: `npm pack`, installed from the tarball into a scratch project,
// then the README's library example and its vitest example run there through the exports map
// (`skewcheck`, `skewcheck/vitest`), with a failing matcher whose message is checked.
// To stay quick and offline, the scratch project's runtime dependencies (and vitest) are links
// to this checkout's node_modules; skewcheck itself is installed from the tarball.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced code block after `<!-- example: name -->` in the README. */
function example(name: string): string {
  const match = new RegExp(
    `<!-- example: ${name.replace('.', '\\.')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``,
  ).exec(README);
  if (!match) throw new Error(`README has no example ${name}`);
  return match[1]!;
}

const FAILING_TEST = `import { expect, it } from 'vitest';
import 'skewcheck/vitest';

const zoo = 'samples/zoo/definition_difference';

it('fails on the stream that counts product names', async () => {
  await expect({
    events: \`\${zoo}/events.parquet\`,
    batch: \`\${zoo}/features.sql\`,
    stream: \`\${zoo}/features.skewed.ts\`,
    key: 'user_id',
    sample: 2,
    bisectSample: 0,
  }).toHaveNoSkew();
});
`;

let dir: string;

beforeAll(() => {
  dir = tempDir();
  const pack = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const tarball = (JSON.parse(pack) as { filename: string }[])[0]!.filename;
  writeFileSync(join(dir, 'package.json'), '{ "name": "scratch", "private": true, "type": "module" }\n');
  const deps = Object.keys(
    (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
  );
  mkdirSync(join(dir, 'node_modules/@duckdb'), { recursive: true });
  for (const dep of deps) symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep));
  execFileSync(
    'npm',
    ['install', join(dir, tarball), '--no-save', '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: dir, encoding: 'utf8' },
  );
  // npm drops what the manifest does not name; the tests' vitest must be the runner's own.
  symlinkSync(join(ROOT, 'node_modules/vitest'), join(dir, 'node_modules/vitest'));
  symlinkSync(join(dir, 'node_modules/skewcheck/samples'), join(dir, 'samples'));
}, 180_000);

describe('skewcheck installed from its tarball', () => {
  it('runs the README library example: replay, drift and render through the package root', () => {
    writeFileSync(join(dir, 'library.mjs'), example('library.mjs'));
    const run = spawnSync(process.execPath, ['library.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const printed = /prints\n\n```\n([\s\S]*?)```/.exec(
      README.slice(README.indexOf('<!-- example: library.mjs')),
    )!;
    expect(run.stdout).toBe(printed[1]);
  });

  it('runs the README vitest example (passing) and a failing matcher whose message is readable', () => {
    writeFileSync(join(dir, 'features.test.ts'), example('features.test.ts'));
    writeFileSync(join(dir, 'skewed.test.ts'), FAILING_TEST);
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--testTimeout=120000',
        '--reporter=json',
        '--outputFile=report.json',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 170_000 },
    );
    expect(run.status).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      testResults: {
        name: string;
        assertionResults: { title: string; status: string; failureMessages: string[] }[];
      }[];
    };
    const results = report.testResults.flatMap((file) => file.assertionResults);
    expect(results.map((r) => [r.title, r.status]).sort()).toEqual([
      ['fails on the stream that counts product names', 'failed'],
      ['the features the model reads have not drifted since training', 'passed'],
      ['the streaming product-view features match the batch SQL', 'passed'],
    ]);
    const message = results.find((r) => r.status === 'failed')!.failureMessages[0]!;
    expect(message).toMatch(
      /^Error: expected no training-serving skew, but 227 of 689 \(key, window\) rows differ \(32\.95% > allowed 0%\)\n/,
    );
    expect(message).toMatch(/distinct_products_30m │ differs/);
    expect(message).toMatch(/First 2 differing rows \(of 227\)/);
    expect(message).toMatch(
      /100\.00% {2}definition_difference {2}(?:reproduced|may be \(not reproduced\)), 227 differing rows/,
    );
  });
});
