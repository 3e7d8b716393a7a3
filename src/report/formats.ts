// The report formats, by name: the one list every other place derives from (the renderer
// tables, --report and --format help, the config's `reports:` keys). To add a format, add an
// entry here; the compiler then names each renderer table (renderers.ts) that lacks it.
// A leaf module: the config schema imports it, so it imports nothing.

export interface FormatInfo {
  /** One line for --help. */
  readonly description: string;
  /** The usual file extensions, used to pick the format of `report -o file` and `--report file`. */
  readonly extensions: readonly string[];
  /** Other names accepted on the command line. */
  readonly aliases: readonly string[];
  /** The key in the config's `reports:` when it is not the format's name. */
  readonly configKey?: string;
}

export const FORMATS = {
  terminal: {
    description: 'the concise text report printed by default',
    extensions: ['.txt'],
    aliases: ['text'],
  },
  json: { description: 'the result as JSON (the --json schema)', extensions: ['.json'], aliases: [] },
  md: {
    description: 'Markdown for a pull-request comment or a CI job summary',
    extensions: ['.md', '.markdown'],
    aliases: ['markdown'],
    configKey: 'markdown',
  },
  junit: {
    description: 'JUnit XML: one test case per feature, for CI test reports',
    extensions: ['.xml', '.junit'],
    aliases: ['xml'],
  },
  html: {
    description: 'a self-contained HTML page with charts (no network needed to view it)',
    extensions: ['.html', '.htm'],
    aliases: [],
  },
  prom: {
    description: 'Prometheus metrics (text format: node_exporter textfile collector, Pushgateway)',
    extensions: ['.prom'],
    aliases: ['prometheus'],
  },
} as const satisfies Record<string, FormatInfo>;

export type ReportFormat = keyof typeof FORMATS;

export const REPORT_FORMATS = Object.keys(FORMATS) as ReportFormat[];

/** The key of each format in the config's `reports:` (md's is `markdown`). */
export type ReportConfigKey = {
  [F in ReportFormat]: (typeof FORMATS)[F] extends { configKey: infer K extends string } ? K : F;
}[ReportFormat];

export function configKeyOf(format: ReportFormat): ReportConfigKey {
  const info: FormatInfo = FORMATS[format];
  return (info.configKey ?? format) as ReportConfigKey;
}

/** The config's `reports:` keys, in the order of FORMATS. */
export const REPORT_CONFIG_KEYS = REPORT_FORMATS.map(configKeyOf);

/** The format a config `reports:` key names. */
export function formatOfConfigKey(key: string): ReportFormat | undefined {
  return REPORT_FORMATS.find((f) => configKeyOf(f) === key);
}
