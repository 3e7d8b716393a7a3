// GitHub-flavoured Markdown tables with a row limit, and the limits that keep a Markdown report
// within the size of a pull-request comment.

export interface MarkdownLimits {
  /** Rows of the failing-features table (and of reasons and notes). */
  features: number;
  keys: number;
  samples: number;
  /** Longest data value in a cell, in characters. */
  cell: number;
}

/** From the most detailed to the tightest; the renderer takes the first that fits. */
export const MARKDOWN_LIMITS: MarkdownLimits[] = [
  { features: 50, keys: 10, samples: 10, cell: 120 },
  { features: 25, keys: 5, samples: 5, cell: 60 },
  { features: 10, keys: 3, samples: 0, cell: 40 },
  { features: 3, keys: 0, samples: 0, cell: 30 },
];

/** Cells must already be escaped for a table cell. */
export function table(
  head: string[],
  align: ('left' | 'right')[],
  rows: string[][],
  limit: number,
  more: (hidden: number) => string,
): string[] {
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${align.map((a) => (a === 'right' ? '---:' : ':---')).join(' | ')} |`,
    ...rows.slice(0, limit).map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const hidden = rows.length - Math.min(limit, rows.length);
  if (hidden > 0) {
    const text = more(hidden);
    if (text) lines.push('', text);
  }
  return lines;
}
