// The renderer contract: every report format is one `Renderer` that turns a result object
// (replay, diff or drift) into text. Renderers only read results.
import type { DiffResult } from '../diff/index.js';
import type { DriftReport } from './drift-text.js';

/** Anything skewcheck produces that a report can be rendered from. */
export type ReportResult = DiffResult | DriftReport;

export type ReportFormat = 'terminal' | 'json' | 'md' | 'junit' | 'html';

export interface RenderOptions {
  /** ANSI colours (terminal only). */
  color?: boolean;
  /** Markdown: most characters in all (GitHub rejects comments over 65,536). */
  maxChars?: number;
}

export interface Renderer {
  name: ReportFormat;
  /** One line for --help. */
  description: string;
  /** The usual file extension, used to pick the format of `report -o file`. */
  extensions: string[];
  render(result: ReportResult, options?: RenderOptions): string;
}

export function isDriftResult(result: ReportResult): result is DriftReport {
  return result.command === 'drift';
}
