#!/usr/bin/env node
// Benchmark event logs: the fraud sample's generator at 1M and 10M events, written once to
// bench/data/ (git-ignored) and reused by bench/replay.mjs.
//
//   node bench/generate.mjs [--sizes 1m,10m] [--force]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateFraudLog, parseCount } from '../samples/fraud/generate.mjs';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const GENERATOR = new URL('../samples/fraud/generate.mjs', import.meta.url);

/** Label → generator arguments: ~100 events per user over 30 days at every size. */
export function benchLogSpec(label) {
  const events = parseCount(label);
  return {
    label: label.toLowerCase(),
    events,
    users: Math.max(100, Math.round(events / 100)),
    days: 30,
    seed: 42,
    out: `${DATA_DIR}fraud-${label.toLowerCase()}.parquet`,
  };
}

/** What a log was generated from: the arguments and the generator's source. */
function fingerprint(spec) {
  return createHash('sha256')
    .update(JSON.stringify({ ...spec, out: undefined }))
    .update(readFileSync(GENERATOR))
    .digest('hex');
}

/**
 * Generates the log unless an up-to-date one is already there (same arguments, same generator
 * source; a `.fingerprint` file beside the log records them) or `force`. Returns its path,
 * size, and the generator's time in ms when it ran (null when the file was reused).
 */
export async function ensureBenchLog(label, { force = false } = {}) {
  const spec = benchLogSpec(label);
  const stamp = `${spec.out}.fingerprint`;
  const expected = fingerprint(spec);
  const current = existsSync(spec.out) && existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
  if (!force && current === expected) {
    return { ...spec, bytes: statSync(spec.out).size, generatorMs: null };
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const { bytes, ms } = await generateFraudLog(spec);
  writeFileSync(stamp, `${expected}\n`);
  return { ...spec, bytes, generatorMs: ms };
}

export function parseSizes(text) {
  const labels = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const label of labels) parseCount(label); // throws on a bad label
  return labels;
}

function isMain() {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const args = process.argv.slice(2);
  const sizesAt = args.indexOf('--sizes');
  let labels = [];
  try {
    labels = parseSizes(sizesAt >= 0 ? (args[sizesAt + 1] ?? '') : '1m,10m');
  } catch (error) {
    console.error(`bench/generate.mjs: ${error.message} (expected --sizes 1m,10m and/or --force)`);
    process.exitCode = 2;
  }
  for (const label of labels) {
    const log = await ensureBenchLog(label, { force: args.includes('--force') });
    const took = log.generatorMs === null ? 'already there' : `${(log.generatorMs / 1000).toFixed(2)} s`;
    console.log(
      `${log.out}: ${log.events.toLocaleString('en-US')} events, ${log.users.toLocaleString('en-US')} users, ` +
        `${log.days} days, ${(log.bytes / 2 ** 20).toFixed(1)} MiB (${took})`,
    );
  }
}
