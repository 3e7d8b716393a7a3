// The family of a DuckDB column type, for comparing values of possibly different types. A leaf
// module: the diff engine and the diagnosis both import it directly (not through the barrel).

export type Family = 'numeric' | 'string' | 'boolean' | 'timestamp' | 'date' | 'other';

export function familyOf(type: string): Family {
  if (/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*)$/.test(type))
    return 'numeric';
  if (type === 'VARCHAR') return 'string';
  if (type === 'BOOLEAN') return 'boolean';
  if (/^TIMESTAMP/.test(type)) return 'timestamp';
  if (type === 'DATE') return 'date';
  return 'other';
}
