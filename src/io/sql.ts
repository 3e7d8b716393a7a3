// Quoting for everything that ends up in SQL text. Values from data and user paths only ever
// reach DuckDB through these two functions (or bound parameters), never spliced raw.

/** Quote an identifier (column, table, view name): "a ""b""". */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quote a string literal (paths, option values): 'it''s'. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('NUL byte in SQL string literal');
  return `'${value.replaceAll("'", "''")}'`;
}
