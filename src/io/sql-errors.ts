// DuckDB's errors about the user's SQL, as one line that names the file and the line: DuckDB
// echoes the offending statement under "LINE n:" with a caret; we keep the position and drop
// the echo (a message never repeats file contents), and count lines from the file's start.

/** 1-based line on which each statement of `sql` starts (quotes and comments respected). */
export function statementStartLines(sql: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let inStatement = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      i--;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      line += countNewlines(sql, i, stop);
      i = stop - 1;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (c === ';') {
      inStatement = false;
      continue;
    }
    if (!inStatement) {
      starts.push(line);
      inStatement = true;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      line += countNewlines(sql, i, j);
      i = j;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? sql.length : end + tag.length;
      line += countNewlines(sql, i, stop);
      i = stop - 1;
    }
  }
  return starts;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') n++;
  return n;
}

/**
 * DuckDB's message without its echo of the SQL, and the line it points at (relative to the
 * text DuckDB was given), if any.
 */
export function splitSqlError(message: string): { text: string; line?: number } {
  const cleaned = message.replace(/^Failed to extract statements:\s*/, '');
  const at = /\n\s*LINE (\d+):/.exec(cleaned);
  const text = (at ? cleaned.slice(0, at.index) : cleaned).trim().replace(/\s*\n\s*/g, ' ');
  return { text, ...(at ? { line: Number(at[1]) } : {}) };
}
