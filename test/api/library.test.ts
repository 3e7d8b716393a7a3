// The library API: the commands as functions with the settings of the config and the flags,
// returning what --json writes, quiet, cancellable, failing with the CLI's typed errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type DiffResult,
  type DriftResult,
  diff,
  drift,
  InputError,
  type ReplayOptions,
  render,
  replay,
  UsageError,
  UserCodeError,
} from '../../src/index.js';
import { FRAUD, ROOT, skewcheck, tempDir } from '../e2e/cli.js';
import '../../src/vitest.js';

// A small case of the zoo (689 windows) keeps these tests quick; the fix and the bug side by side.
const ZOO = join(ROOT, 'samples/zoo/definition_difference');
const fixed: ReplayOptions = {
  events: join(ZOO, 'events.parquet'),
  batch: join(ZOO, 'features.sql'),
  stream: join(ZOO, 'features.ts'),
  key: 'user_id',
};
// No first-divergence bisection: it replays again, and these tests are about the API.
const skewed: ReplayOptions = {
  ...fixed,
  stream: join(ZOO, 'features.skewed.ts'),
  sample: 3,
  bisectSample: 0,
};
const snapshots = {
  train: join(FRAUD, 'train.parquet'),
  prod: join(FRAUD, 'prod.parquet'),
  exclude: ['user_id', 'snapshot_ts'],
};

let clean: DiffResult;
let skew: DiffResult;
let drifted: DriftResult;

beforeAll(async () => {
  const writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  [clean, skew, drifted] = [await replay(fixed), await replay(skewed), await drift(snapshots)];
  // Nothing on the console unless a callback is passed.
  for (const write of writes) {
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  }
}, 240_000);

afterEach(() => vi.restoreAllMocks());

describe('replay, diff, drift', () => {
  it('return the result the CLI writes with --json', () => {
    const cli = skewcheck([
      'replay',
      ...['--events', fixed.events, '--batch', fixed.batch, '--stream', skewed.stream],
      ...['--key', 'user_id', '--sample', '3', '--bisect-sample', '0', '--json', '-', '-q'],
    ]);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(JSON.stringify(skew)));
    expect(clean.verdict).toBe('pass');
    expect(skew.summary.mismatched).toBe(227);
    expect(drifted.verdict).toBe('fail');
  }, 180_000);

  it('diff two saved outputs with the same settings as the flags', async () => {
    const dir = tempDir();
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    writeFileSync(left, 'user_id,window_start,n\na,2026-01-01 00:00:00,1\nb,2026-01-01 00:00:00,2\n');
    writeFileSync(right, 'user_id,window_start,n\na,2026-01-01 00:00:00,1\nb,2026-01-01 00:00:00,2.5\n');
    expect((await diff({ left, right, key: 'user_id' })).verdict).toBe('fail');
    expect((await diff({ left, right, key: 'user_id', tolerances: { n: { abs: 1 } } })).verdict).toBe('pass');
  });

  it('report progress to the callback and stop on abort, rejecting with the signal reason', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = replay({
      ...fixed,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(1);
    await expect(drift({ ...snapshots, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  }, 180_000);

  it('fail with the typed errors and the messages of the command line', async () => {
    await expect(replay({ ...fixed, maxOutOfOrderness: '5m' })).rejects.toThrow(
      new UsageError(
        '--max-out-of-orderness and --allowed-lateness apply to arrival-order replay (--arrival-column or --simulate-delay); in event-time order no event is late',
      ),
    );
    await expect(drift({ ...snapshots, alpha: 2 })).rejects.toThrow(
      /^--alpha must be a number between 0 and 1/,
    );
    await expect(replay({ ...fixed, key: ['user_id', 'user_id'] })).rejects.toThrow(
      /^--key names "user_id" twice$/,
    );
    await expect(replay({ ...fixed, evnts: 'x' } as ReplayOptions)).rejects.toThrow(
      /^unknown option "evnts"$/,
    );
    await expect(replay({ ...fixed, events: join(FRAUD, 'nope.parquet') })).rejects.toBeInstanceOf(
      InputError,
    );
    const dir = tempDir();
    const stream = join(dir, 'throws.ts');
    writeFileSync(
      stream,
      "import { defineStreamingFeature, tumbling } from 'skewcheck';\n" +
        "export default defineStreamingFeature({ key: () => { throw new Error('boom'); }, window: tumbling('5m'), init: () => ({}), add: () => {}, emit: () => ({}) });\n",
    );
    await expect(replay({ ...fixed, stream })).rejects.toBeInstanceOf(UserCodeError);
  }, 180_000);
});

describe('render', () => {
  it('renders any result in any format, and rejects unknown formats', async () => {
    expect(await render(skew, 'markdown')).toMatch(/distinct_products_30m/);
    expect(await render(drifted, 'html')).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(await render(clean, 'json'))).toEqual(JSON.parse(JSON.stringify(clean)));
    await expect(render(clean, 'pdf' as 'md')).rejects.toBeInstanceOf(UsageError);
  });
});

describe('vitest matchers', () => {
  it('pass on agreeing outputs, and on results already computed', async () => {
    await expect(clean).toHaveNoSkew();
    await expect(skewed).toHaveNoSkew({ maxMismatchRate: 0.5 });
    await expect(skew).not.toHaveNoSkew();
  }, 180_000);

  it('fail with the headline, the differing features and rows, and the diagnosis', async () => {
    const error = await expect(skew)
      .toHaveNoSkew()
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^expected no training-serving skew, but 227 of 689 \(key, window\) rows differ/);
    expect(message).toMatch(/distinct_products_30m │ differs/);
    expect(message).toMatch(/First 3 differing rows \(of 227\)/);
    expect(message).toMatch(/definition_difference/);
    const driftError = await expect(drifted)
      .toHaveNoDrift()
      .catch((e: unknown) => e as Error);
    expect((driftError as Error).message).toMatch(/^expected no drift, but /);
    await expect(snapshots).toHaveNoDrift({ maxDrifted: '100%' });
  });
});
