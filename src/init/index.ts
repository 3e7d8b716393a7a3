// `skewcheck init`: scaffolds a project config wired to a tiny working example and a GitHub
// Actions workflow that gates pull requests. Existing files are never overwritten unless forced.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeAtomically } from '../io/index.js';

const CONFIG = `# skewcheck project config: every feature set is replayed through its batch SQL and its
# streaming module and the two outputs are diffed; every drift check compares two snapshots.
# Paths are relative to this file. Run: npx skewcheck check
featureSets:
  example_5m:
    events: skewcheck/example/events.csv
    batch: skewcheck/example/features.sql
    stream: skewcheck/example/features.ts
    key: user_id
    timeColumn: ts
    # tolerances: { total_5m: { abs: 0.01 } }
# driftChecks:
#   training_vs_serving:
#     train: data/train.parquet
#     prod: data/prod/*.parquet
#     exclude: [user_id, ts]
`;

const EVENTS = `user_id,amount,ts
u1,12.50,2026-01-01 10:00:00
u1,3.20,2026-01-01 10:02:10
u2,99.00,2026-01-01 10:03:00
u1,7.75,2026-01-01 10:05:00
u2,15.00,2026-01-01 10:09:59
u3,42.00,2026-01-01 10:11:30
u1,1.05,2026-01-01 10:14:00
u3,8.40,2026-01-01 10:14:59
`;

const SQL = `-- Batch features: per user and 5-minute window, the number of events and the amount spent.
-- The event log is the view \`events\`; the last statement's rows are the batch output.
SELECT
  user_id,
  time_bucket(INTERVAL '5 minutes', ts) AS window_start,
  time_bucket(INTERVAL '5 minutes', ts) + INTERVAL '5 minutes' AS window_end,
  count(*) AS events_5m,
  sum(amount) AS total_5m
FROM events
GROUP BY ALL;
`;

const STREAM = `// Streaming features: the same two features, computed one event at a time.
import { defineStreamingFeature, tumbling } from 'skewcheck';

interface Event {
  user_id: string;
  amount: number;
  ts: Date;
}

export default defineStreamingFeature<Event, { events: number; cents: number }>({
  key: (e) => e.user_id,
  window: tumbling('5m'),
  init: () => ({ events: 0, cents: 0 }),
  add: (acc, e) => {
    acc.events += 1;
    acc.cents += Math.round(e.amount * 100);
  },
  emit: (acc) => ({ events_5m: acc.events, total_5m: acc.cents / 100 }),
});
`;

const WORKFLOW = `# Gates pull requests on training-serving skew: runs the skewcheck checks whose inputs the
# pull request changed (all of them when the config changes).
name: skewcheck
on:
  pull_request:
jobs:
  skewcheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      # The Markdown summary also lands on the run's page (GITHUB_STEP_SUMMARY).
      - name: skewcheck
        run: >-
          npx skewcheck check --changed-since origin/\${{ github.base_ref }}
          --json skewcheck-report/result.json --report md=skewcheck-report/summary.md
          --report junit=skewcheck-report/junit.xml --report html=skewcheck-report/index.html
      - name: Upload the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: skewcheck-report
          path: skewcheck-report/
      - name: Show the checks as tests
        if: always()
        uses: mikepenz/action-junit-report@v5
        with:
          report_paths: skewcheck-report/junit.xml
`;

export interface InitFile {
  path: string;
  status: 'created' | 'overwritten' | 'skipped';
}

export const SCAFFOLD: Record<string, string> = {
  'skewcheck.yaml': CONFIG,
  'skewcheck/example/events.csv': EVENTS,
  'skewcheck/example/features.sql': SQL,
  'skewcheck/example/features.ts': STREAM,
  '.github/workflows/skewcheck.yml': WORKFLOW,
};

/** Write the scaffold into `dir`; existing files are kept unless `force`. */
export function scaffold(dir: string, options: { force?: boolean } = {}): InitFile[] {
  return Object.entries(SCAFFOLD).map(([name, content]) => {
    const path = join(dir, name);
    const exists = existsSync(path);
    if (exists && !options.force) return { path: relative(dir, path), status: 'skipped' };
    writeAtomically(path, content);
    return { path: relative(dir, path), status: exists ? 'overwritten' : 'created' };
  });
}
