// The HTML report in a real browser (Debian's Chromium driven by playwright-core): the charts
// render, nothing is fetched, no console error, data cannot run as script. Screenshots go to
// test-artifacts/. Skipped only when /usr/bin/chromium is missing outside CI; in CI it must run.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDriftPlotsFromFiles } from '../../src/drift/plot-data.js';
import type { DriftReport } from '../../src/report/drift-text.js';
import { loadRenderers, renderReport } from '../../src/report/index.js';
import { hostile } from '../report/fixtures.js';
import { ROOT, skewcheck } from './cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const runs = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runs) {
  console.warn(
    `skipping the browser test of the HTML report: ${CHROMIUM} is missing (apt-get install -y chromium); with CI set it runs and fails instead`,
  );
}

interface Visit {
  page: Page;
  /** Requests for anything but the report file itself (all blocked). */
  requests: string[];
  errors: string[];
  dialogs: string[];
}

describe.skipIf(!runs)('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function visit(file: string): Promise<Visit> {
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const visit: Visit = { page, requests: [], errors: [], dialogs: [] };
    await context.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      visit.requests.push(route.request().url());
      return route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') visit.errors.push(message.text());
    });
    page.on('pageerror', (error) => visit.errors.push(error.message));
    page.on('dialog', (dialog) => {
      visit.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    return visit;
  }

  /** Per chart: its drawn size and how many marks of each kind it holds. */
  function charts(page: Page) {
    return page.$$eval('figure svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          // Charts in a closed <details> keep their layout box in Chromium but are not shown.
          visible: svg.checkVisibility(),
          width: box.width,
          height: box.height,
          rects: svg.querySelectorAll('.mark-rect path').length,
          symbols: svg.querySelectorAll('.mark-symbol path').length,
          texts: [...svg.querySelectorAll('text')].map((t) => t.textContent ?? ''),
        };
      }),
    );
  }

  it('renders the replay report of the skewed fraud sample: charts drawn, nothing fetched, no errors', async () => {
    const file = join(ARTIFACTS, 'report-replay.html');
    const run = skewcheck(
      [
        'replay',
        // Relative paths (the CLI runs in the repository): they read better in the screenshot.
        '--events',
        'samples/fraud/events.parquet',
        '--batch',
        'samples/fraud/features.sql',
        '--stream',
        'samples/fraud/features.skewed.ts',
        '--key',
        'user_id',
        '--report',
        `html=${file}`,
        '-q',
      ],
      { env: { GITHUB_STEP_SUMMARY: '' } },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);

    const { page, requests, errors, dialogs } = await visit(file);
    const drawn = await charts(page);
    // One scatter (unique_merchants_5m), timeline, day × hour, top keys.
    expect(drawn).toHaveLength(4);
    for (const chart of drawn) {
      expect(chart.width).toBeGreaterThan(150);
      expect(chart.height).toBeGreaterThan(60);
    }
    const [scatter, timeline, dayHour, keys] = drawn;
    expect(timeline!.rects).toBeGreaterThan(100); // one bar per hour with differing rows, plus the volume bars
    expect(dayHour!.rects).toBeGreaterThan(7 * 24); // a pale cell per day × hour, a coloured one per hour with rows
    expect(scatter!.symbols).toBeGreaterThan(5);
    expect(keys!.rects).toBe(10);
    expect(keys!.texts.filter((t) => t.startsWith('user_id=u'))).toHaveLength(10);
    expect(await page.locator('h1').textContent()).toBe('skewcheck replay');
    expect(await page.locator('.badge').textContent()).toBe('FAIL');
    expect(await page.locator('figcaption b').allTextContents()).toEqual(['unique_merchants_5m']);

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);

    await page.screenshot({ path: join(ARTIFACTS, 'report-replay.png'), fullPage: true });
    // The first screen and a half (verdict, cause, features, scatter, timeline): the README's picture.
    await page.screenshot({
      path: join(ARTIFACTS, 'report-replay-top.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1480 },
    });
    await page.pdf({ path: join(ARTIFACTS, 'report-replay.pdf'), format: 'A4' });
    expect(statSync(join(ARTIFACTS, 'report-replay.png')).size).toBeGreaterThan(50_000);
    expect(statSync(join(ARTIFACTS, 'report-replay.pdf')).size).toBeGreaterThan(20_000);
    await page.context().close();
  });

  it('renders the drift report of the fraud snapshots: ECDFs with the KS gap, histograms, category bars', async () => {
    const cliFile = join(ARTIFACTS, 'report-drift-cli.html');
    const json = join(ARTIFACTS, 'drift.json');
    const run = skewcheck(
      [
        'drift',
        '--train',
        'samples/fraud/train.parquet',
        '--prod',
        'samples/fraud/prod.parquet',
        '--exclude',
        'user_id,snapshot_ts',
        '--json',
        json,
        '--report',
        `html=${cliFile}`,
        '-q',
      ],
      { env: { GITHUB_STEP_SUMMARY: '' } },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    // The page the CLI wrote: every drifted feature has its charts (from plot data when the
    // result carries it, else from the summary numbers).
    const cli = await visit(cliFile);
    const visible = (await charts(cli.page)).filter((c) => c.visible);
    expect(visible.length).toBeGreaterThanOrEqual(3);
    expect(cli.requests).toEqual([]);
    expect(cli.errors).toEqual([]);
    await cli.page.context().close();

    // The same result with its plot data.
    const result = JSON.parse(readFileSync(json, 'utf8')) as DriftReport;
    result.plots ??= await computeDriftPlotsFromFiles(result);
    await loadRenderers(['html']);
    const file = join(ARTIFACTS, 'report-drift.html');
    writeFileSync(file, renderReport('html', result));
    const { page, requests, errors, dialogs } = await visit(file);
    const drawn = (await charts(page)).filter((c) => c.visible);
    // Drifted: device_type (missing values, categories), country (categories), distance (ECDF, histogram).
    expect(drawn).toHaveLength(5);
    for (const chart of drawn) expect(chart.height).toBeGreaterThan(40);
    const lines = await page.$$eval('figure svg .mark-line path', (paths) =>
      paths.filter((p) => p.checkVisibility()).map((p) => p.getAttribute('d') ?? ''),
    );
    expect(lines.filter((d) => d.length > 200)).toHaveLength(2); // train and prod ECDFs
    expect(drawn.flatMap((c) => c.texts)).toContain('D = 0.253 at 9.086');
    expect(drawn[4]!.rects).toBeGreaterThan(50); // histogram bins of both snapshots
    expect(drawn[1]!.rects).toBe(8); // device_type: 4 categories × 2 snapshots
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-drift.png'), fullPage: true });
    // The numeric feature's panel (ECDFs, KS gap, histograms, numbers): the README's picture.
    await page
      .locator('article.feature', { hasText: 'distance_from_home_km' })
      .screenshot({ path: join(ARTIFACTS, 'report-drift-numeric.png') });
    await page.screenshot({
      path: join(ARTIFACTS, 'report-drift-top.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1500 },
    });
    await page.context().close();
  });

  it('shows hostile data as text: no script runs, no element is injected', async () => {
    await loadRenderers(['html']);
    const file = join(ARTIFACTS, 'report-hostile.html');
    writeFileSync(file, renderReport('html', hostile()));
    const { page, requests, errors, dialogs } = await visit(file);
    expect(await page.locator('script, img').count()).toBe(0);
    const text = await page.locator('body').textContent();
    expect(text).toContain('<script>alert(1)</script>.sql');
    expect(text).toContain('user_id="><img src=x onerror=alert(1)><script>alert(1)</script>');
    const svgTexts = (await charts(page)).flatMap((c) => c.texts);
    expect(svgTexts).toContain('user_id=<script>alert(1)</script>');
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
