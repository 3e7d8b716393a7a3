// Small number/text formatting shared by the renderers.
import { nestedText } from '../diff/json-value.js';

export function int(n: number): string {
  return n.toLocaleString('en-US');
}

export function percent(rate: number): string {
  if (rate === 0) return '0%';
  if (rate < 0.0001) return '<0.01%';
  return `${(rate * 100).toFixed(2)}%`;
}

/** A number in at most `digits` significant digits, without exponent noise for ordinary sizes. */
export function num(value: number | null | undefined, digits = 6): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e12) return String(Number(value.toPrecision(digits)));
  // 1e-9 rather than 1.000e-9: trailing zeros of the mantissa say nothing.
  return value.toExponential(Math.max(0, digits - 3)).replace(/\.?0+e/, 'e');
}

export function value(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return num(v, 10);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return nestedText(v);
  return String(v);
}

/** A compact timestamp: 2026-01-01 10:05:00 (sub-second part only when present). */
export function time(v: unknown): string {
  if (typeof v !== 'string') return value(v);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(v);
  if (!m) return v;
  const fraction = m[3] && !/^\.0+$/.test(m[3]) ? m[3] : '';
  return `${m[1]} ${m[2]}${fraction}`;
}

export function keyText(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : value(v)}`)
    .join(' ');
}

/** How a report introduces a diagnosis of each evidence tier. */
export function tierLabel(tier: 'reproduced' | 'consistent' | 'unexplained'): string {
  return tier === 'reproduced' ? 'Likely cause' : tier === 'consistent' ? 'May be' : 'Not explained';
}
