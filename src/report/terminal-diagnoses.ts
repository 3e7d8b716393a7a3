// Terminal section "Why they differ": the diagnoses of a replay/diff result (see src/diagnose),
// one cause per entry with its share of the differing rows and its message, wrapped for a CI log.
import type { ChalkInstance } from 'chalk';
import type { DiffResult } from '../diff/index.js';
import { int, percent } from './format.js';

const WIDTH = 100;
const INDENT = '      ';
const EXAMPLES = 3;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The lines of the section (ending with a blank line), or none when there is no diagnosis. */
export function renderDiagnoses(result: DiffResult, c: ChalkInstance): string[] {
  const diagnoses = result.diagnoses ?? [];
  if (diagnoses.length === 0) return [];
  const lines = [c.bold('Why they differ')];
  for (const d of diagnoses) {
    const share = percent(d.share).padStart(7);
    const head = `  ${share}  ${d.code === 'unexplained' ? c.yellow(d.code) : c.cyan(d.code)}`;
    const tier =
      d.tier === 'reproduced' ? 'reproduced' : d.tier === 'consistent' ? 'may be (not reproduced)' : '';
    lines.push(
      `${head}  ${c.dim(`${tier ? `${tier}, ` : ''}${int(d.rows)} differing row${d.rows === 1 ? '' : 's'}`)}`,
    );
    for (const line of wrap(d.message, WIDTH - INDENT.length)) lines.push(`${INDENT}${line}`);
    if (d.fix_hint) lines.push(c.dim(`${INDENT}fix: ${d.fix_hint}`));
    const examples = d.evidence.examples;
    if (d.code === 'unexplained' && Array.isArray(examples)) {
      for (const example of examples.slice(0, EXAMPLES))
        lines.push(c.dim(`${INDENT}e.g. ${String(example)}`));
    }
  }
  lines.push('');
  return lines;
}
