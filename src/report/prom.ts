// Prometheus metrics in the text exposition format (0.0.4): what node_exporter's textfile
// collector reads, and what a Pushgateway accepts as a request body. Every series is a gauge
// (a snapshot of one run); families come in a fixed order, samples sorted by their labels, and no
// sample has a timestamp (the textfile collector refuses them), so the same result gives the
// same bytes apart from the run's own time and duration.
// Format: https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details

/** The metric families, in the order they are written. */
export const METRICS = {
  skewcheck_last_run_timestamp_seconds: 'When skewcheck last ran this check (Unix time).',
  skewcheck_run_duration_seconds: 'How long the run of this check took.',
  skewcheck_status:
    'The verdict of this check: 1 for its status, 0 for the others (pass, fail; for skewcheck check also baselined, error, skipped).',
  skewcheck_checks: 'Checks of the last skewcheck check run, by status.',
  skewcheck_rows: 'Rows read on each side (replay, diff: batch/stream or left/right; drift: train/prod).',
  skewcheck_compared_rows: '(key, window) rows aligned between the two sides.',
  skewcheck_mismatched_rows: '(key, window) rows on both sides whose features differ beyond tolerance.',
  skewcheck_missing_rows: '(key, window) rows present on one side only, by the side that has them.',
  skewcheck_duplicate_rows: 'Rows with a duplicated (key, window), not compared.',
  skewcheck_mismatch_ratio: 'Differing (key, window) rows over all aligned rows.',
  skewcheck_feature_mismatched_rows: 'Rows in which this feature differs beyond tolerance.',
  skewcheck_feature_mismatch_ratio: 'Share of the compared rows in which this feature differs.',
  skewcheck_diagnosis_rows: 'Differing rows explained by each diagnosed cause (unexplained: the rest).',
  skewcheck_tested_features: 'Features tested for drift.',
  skewcheck_drifted_features: 'Features that drifted (distribution or null rate).',
  skewcheck_drift_statistic: 'The drift test statistic of this feature: KS D (ks) or chi-square (chi2).',
  skewcheck_drift_pvalue: 'The p-value of the drift test, before the multiple-testing correction.',
  skewcheck_drift_pvalue_adjusted: 'The p-value after the multiple-testing correction (compared with alpha).',
  skewcheck_drift_effect: 'Effect sizes of the drift of this feature, by measure.',
  skewcheck_drift_detected: '1 when this feature drifted (distribution or null rate), else 0.',
  skewcheck_null_ratio: 'Share of NULL values of this feature on each side.',
} as const;

export type MetricName = keyof typeof METRICS;

export type Labels = Record<string, string>;

interface Sample {
  labels: Labels;
  value: number;
}

/** A label value between double quotes: backslash, double quote and newline are escaped. */
export function labelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus parses it (Go ParseFloat, with +Inf, -Inf and NaN). */
export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${labelValue(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

/** Samples collected by family, written in the order of METRICS. */
export class MetricSet {
  readonly #families = new Map<MetricName, Sample[]>();

  add(name: MetricName, labels: Labels, value: number | null | undefined): void {
    if (value === null || value === undefined) return;
    const samples = this.#families.get(name) ?? [];
    samples.push({ labels, value });
    this.#families.set(name, samples);
  }

  toString(): string {
    const lines: string[] = [];
    for (const name of Object.keys(METRICS) as MetricName[]) {
      const samples = this.#families.get(name);
      if (!samples) continue;
      lines.push(`# HELP ${name} ${METRICS[name]}`, `# TYPE ${name} gauge`);
      const rows = samples.map((s) => `${name}${labelText(s.labels)} ${sampleValue(s.value)}`);
      // Code-point order of the whole line: stable whatever order the result lists things in.
      rows.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      lines.push(...rows);
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }
}
