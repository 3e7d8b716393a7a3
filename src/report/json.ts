// The JSON renderer: the result itself, as stable pretty JSON (the same bytes as `--json`).

/** Serialise a result (bigints as numbers when safe, else strings). */
export function resultJson(result: unknown): string {
  return `${JSON.stringify(
    result,
    (_key, value: unknown) => {
      if (typeof value === 'bigint') {
        return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
          ? Number(value)
          : value.toString();
      }
      return value;
    },
    2,
  )}\n`;
}
