// The diff result: plain, JSON-serialisable data (snake_case fields, see schema/diff-result.schema.json).

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

/** Why rows differ: one recognised cause, tested against the data (see src/diagnose). */
export interface Diagnosis {
  /** Stable code: time_shift, duplicate_events, null_handling, window_boundary, late_data,
   *  key_normalisation, definition_difference, float_accumulation, unexplained. */
  code: string;
  /** Differing (key, window) rows this cause explains. */
  explains: number;
  /** explains / all differing rows. */
  share: number;
  /** One sentence for people. */
  message: string;
  /** The numbers behind it. */
  evidence: Record<string, JsonValue | JsonValue[] | Record<string, JsonValue>>;
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
}

export interface ReplayStats {
  events: number;
  events_without_time: number;
  module_kind: 'feature' | 'processor';
  batch_rows: number;
  stream_rows: number;
  windows_opened: number;
  max_open_windows: number;
}
