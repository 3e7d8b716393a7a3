// Turns whatever a feature's key function returned into key column values and a stable map key.
import type { EntityKey, KeyPart } from './contract.js';

export class KeyCodec {
  constructor(private readonly columns: string[]) {}

  parts(key: EntityKey): KeyPart[] {
    const n = this.columns.length;
    if (Array.isArray(key)) {
      if (key.length !== n) {
        throw new Error(
          `key returned ${key.length} values but --key names ${n} column(s) (${this.columns.join(', ')})`,
        );
      }
      return key as KeyPart[];
    }
    if (key !== null && typeof key === 'object' && !(key instanceof Date)) {
      const record = key as Record<string, KeyPart>;
      const missing = this.columns.filter((c) => !(c in record));
      if (missing.length > 0) throw new Error(`key returned an object without ${missing.join(', ')}`);
      return this.columns.map((c) => record[c] ?? null);
    }
    if (n !== 1) {
      throw new Error(`key returned one value but --key names ${n} columns; return an array or an object`);
    }
    return [key as KeyPart];
  }

  /** A string that identifies the key: the value itself for the common single-string key. */
  static id(parts: readonly KeyPart[]): string {
    if (parts.length === 1) {
      const only = parts[0];
      if (typeof only === 'string') return only.charCodeAt(0) === 1 ? `\u0001s${only}` : only;
    }
    return `\u0001${parts.map(tagged).join('\u0000')}`;
  }

  record(parts: readonly KeyPart[]): Record<string, KeyPart> {
    const out: Record<string, KeyPart> = {};
    for (let i = 0; i < this.columns.length; i++) out[this.columns[i]!] = parts[i] ?? null;
    return out;
  }
}

function tagged(part: KeyPart): string {
  if (part === null || part === undefined) return 'z';
  if (part instanceof Date) return `d${part.getTime()}`;
  return `${(typeof part)[0]}${String(part)}`;
}
