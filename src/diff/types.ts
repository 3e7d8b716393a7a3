// The diff result: plain, JSON-serialisable data (snake_case fields, see schema/diff-result.schema.json).
import type { DiagnosisCode } from '../diagnose/registry.js';
import type { ShardInfo } from '../shard/index.js';

export type FeatureStatus = 'compared' | 'type_mismatch' | 'only_left' | 'only_right';
export type RowStatus = 'match' | 'mismatch' | 'only_left' | 'only_right';
export type JsonValue = string | number | boolean | null;

export interface SideInfo {
  /** What this side is called in reports: batch/stream for replay, left/right for diff. */
  label: string;
  /** Where its rows came from (a file path). */
  source: string;
  rows: number;
}

export interface Tolerance {
  abs: number;
  rel: number;
}

export interface FeatureDiff {
  name: string;
  status: FeatureStatus;
  left_type: string | null;
  right_type: string | null;
  compared: number;
  mismatches: number;
  mismatch_rate: number;
  /** Over all compared rows where both values are finite numbers; null for non-numeric features. */
  max_abs_diff: number | null;
  max_rel_diff: number | null;
  tolerance: Tolerance | null;
  /** Rows where exactly one side is NULL (counted in mismatches). */
  null_mismatches: number;
}

export interface KeyDiff {
  key: Record<string, JsonValue>;
  mismatched_windows: number;
  only_left: number;
  only_right: number;
  features: string[];
}

export interface ValueDifference {
  feature: string;
  left: JsonValue;
  right: JsonValue;
  abs_diff: number | null;
  rel_diff: number | null;
}

export interface RowSample {
  key: Record<string, JsonValue>;
  window: Record<string, JsonValue>;
  status: Exclude<RowStatus, 'match'>;
  differences: ValueDifference[];
}

export interface DuplicateSide {
  /** (key, window) groups that occur more than once. */
  groups: number;
  /** Rows belonging to those groups (left out of the comparison). */
  rows: number;
  examples: { key: Record<string, JsonValue>; window: Record<string, JsonValue>; count: number }[];
}

export interface DiffSummary {
  left_rows: number;
  right_rows: number;
  /** (key, window) pairs compared after removing duplicates: matched + mismatched + only_left + only_right. */
  windows: number;
  matched: number;
  mismatched: number;
  only_left: number;
  only_right: number;
  /** Rows on either side whose (key, window) is duplicated on that side. */
  duplicates: number;
  /** (mismatched + only_left + only_right) / windows. */
  mismatch_rate: number;
}

/**
 * How a diagnosis was established. `reproduced`: recomputing under the hypothesis made these rows
 * agree within the run's tolerances (the only tier that "explains"); `consistent`: a signal that
 * fits but was not reproduced ("may be"); `unexplained`: what no check accounts for.
 */
export type EvidenceTier = 'reproduced' | 'consistent' | 'unexplained';

/** Why rows differ: one recognised cause, tested against the data (see src/diagnose). */
export interface Diagnosis {
  /** Stable code: a cause of src/diagnose/registry.ts, or `unexplained`. */
  code: DiagnosisCode;
  tier: EvidenceTier;
  /** Differing (key, window) rows attributed to this diagnosis; every differing row is attributed once. */
  rows: number;
  /** Differing rows recomputing under this cause reproduced, some perhaps attributed to a smaller change (0 unless reproduced). */
  reproduced_rows: number;
  /** rows / all differing rows. */
  share: number;
  /** One sentence for people. */
  message: string;
  /** The numbers behind it. */
  evidence: Record<string, JsonValue | JsonValue[] | Record<string, JsonValue>>;
  /** What to change, in one line. */
  fix_hint: string;
}

export interface DiffResult {
  schema_version: 1;
  command: 'diff' | 'replay';
  verdict: 'pass' | 'fail';
  /** Why the verdict is fail, one sentence each (empty on pass). */
  reasons: string[];
  sides: { left: SideInfo; right: SideInfo };
  keys: string[];
  time_columns: string[];
  tolerance: Tolerance & { per_feature: Record<string, Tolerance> };
  max_mismatch_rate: number;
  summary: DiffSummary;
  features: FeatureDiff[];
  top_keys: KeyDiff[];
  samples: RowSample[];
  duplicates: { left: DuplicateSide; right: DuplicateSide };
  notes: string[];
  replay?: ReplayStats;
  mismatches_file?: string;
  /** Present when diagnosis ran: causes that explain the differing rows, largest share first. */
  diagnoses?: Diagnosis[];
  /** Aggregated, size-bounded data for the charts of the HTML report (see plot-data.ts). */
  plots?: DiffPlots;
  /** Replay only: the first event after which a sample of differing windows diverge, and what those events share. */
  first_divergence?: FirstDivergence;
  /** Present on the result of a sharded run (`--shard i/N`). */
  shard?: ShardInfo;
  /** Present on a result made by `skewcheck merge`: what it combined. */
  merged_from?: MergedFrom;
}

export interface MergedFrom {
  /** Shards in the run (all of them are merged). */
  shards: number;
  /** The shard results, in shard order. */
  results: string[];
  /** Shards that had no rows to compare (0-based indices). */
  empty_shards: number[];
  /** The --mismatches files of the shards, in shard order: together, every differing row. */
  mismatches_files: string[];
}

/**
 * For a seeded sample of differing (key, window) rows, the window's events replayed in order
 * through a fresh instance of the stream and the batch SQL over the same prefix, bisected to the
 * first event after which the two disagree (see src/diagnose/first-divergence.ts).
 */
export interface FirstDivergence {
  /** Differing rows sampled. */
  sampled: number;
  /** Rows whose window's events, replayed alone in event-time order, already agree in full. */
  agree_alone: number;
  /** Rows with no event of their key in their window (a moved window or a transformed key). */
  without_events: number;
  /** Rows whose replay failed (the module threw or the SQL failed on a prefix). */
  failed: number;
  events: FirstDivergentEvent[];
  /** Predicates over-represented among the first-divergent events, most over-represented first. */
  profile: EventPredicate[];
}

export interface FirstDivergentEvent {
  key: Record<string, JsonValue>;
  window: Record<string, JsonValue>;
  /** 1-based position of the event among its window's events (event-time order). */
  position: number;
  window_events: number;
  /** Every column of the event. */
  event: Record<string, JsonValue>;
}

export interface EventPredicate {
  column: string;
  predicate:
    | 'is_null'
    | 'equals'
    | 'on_window_bound'
    | 'repeated_value'
    | 'changes_under_trim_or_case'
    | 'changes_under_cast';
  /** The value, for `equals`. */
  value?: JsonValue;
  /** First-divergent events that satisfy it, of how many. */
  first_divergent: number;
  of: number;
  /** Events of the whole log that satisfy it, of how many. */
  log_events: number;
  log_total: number;
  /** A correlation, not a recomputation: `consistent` evidence. */
  tier: 'consistent';
  message: string;
}

export interface DiffPlots {
  /** Differing (key, window) rows over time; null when the first window column is not a time. */
  timeline: DiffTimeline | null;
  /** Left-vs-right value pairs of the numeric features that differ, those with most mismatches first. */
  scatter: FeatureScatter[];
}

export interface DiffTimeline {
  /** The window column the rows are bucketed by (the first of `time_columns`). */
  column: string;
  /** Bucket width, e.g. "1 hour", picked from the time span (a few hundred buckets at most). */
  bucket: string;
  bucket_seconds: number;
  /** The features with most mismatches (a few), in the order of `buckets[].feature_mismatches`. */
  features: string[];
  /** Buckets holding at least one (key, window) row, in time order. */
  buckets: TimelineBucket[];
  /** Rows whose window column is NULL (in no bucket). */
  rows_without_time: number;
}

export interface TimelineBucket {
  /** Start of the bucket (ISO 8601, UTC). */
  start: string;
  windows: number;
  mismatched: number;
  only_left: number;
  only_right: number;
  feature_mismatches: number[];
}

export interface FeatureScatter {
  feature: string;
  /** Rows where both sides hold a finite number, and how many of them differ. */
  rows: number;
  mismatches: number;
  /** Rows drawn into `points`: differing rows first (up to a limit), the rest agreeing ones, each kind in hash order. */
  sampled_rows: number;
  /** Distinct (left, right) pairs of the drawn rows with how many rows each stands for. */
  points: ScatterPoint[];
}

export interface ScatterPoint {
  left: number;
  right: number;
  mismatch: boolean;
  rows: number;
}

export interface ReplayStats {
  events: number;
  events_without_time: number;
  module_kind: 'feature' | 'processor';
  batch_rows: number;
  stream_rows: number;
  windows_opened: number;
  max_open_windows: number;
  order: {
    kind: 'event_time' | 'arrival';
    arrival_column?: string;
    simulated_delay?: { rate: number; max_ms: number; seed: number; delayed_events: number };
    max_out_of_orderness_ms?: number;
    allowed_lateness_ms?: number;
  };
  /** Events the stream dropped as late (arrival order only), and the windows they would have changed. */
  late: {
    events: number;
    windows: number;
    examples: { key: Record<string, JsonValue>; window_start: string; events: number }[];
  };
}
