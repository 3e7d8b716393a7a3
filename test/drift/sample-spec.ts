// Regenerates the samples described in the fixture files, bit-identically to
// test/drift/fixtures/make_fixtures.py (splitmix64 and IEEE-exact arithmetic only).

export type SampleSpec =
  | { kind: 'values'; values: (number | string | null)[] }
  | {
      kind: 'uniform' | 'int' | 'irwin_hall' | 'cubic' | 'zero_inflated';
      seed: number;
      n: number;
      scale?: number;
      shift?: number;
      range?: number;
      zero_share?: number;
    };

const MASK = (1n << 64n) - 1n;

export class SplitMix64 {
  private state: bigint;
  constructor(seed: number) {
    this.state = BigInt(seed) & MASK;
  }
  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }
  uniform(): number {
    return Number(this.next() >> 11n) * 2 ** -53;
  }
}

export function sample(spec: SampleSpec): (number | null)[] {
  if (spec.kind === 'values') {
    // "inf", "-inf", "nan" spell the non-finite values (JSON has none); null is SQL NULL.
    return spec.values.map((v) =>
      v === null
        ? null
        : v === 'inf'
          ? Infinity
          : v === '-inf'
            ? -Infinity
            : v === 'nan'
              ? Number.NaN
              : Number(v),
    );
  }
  const rng = new SplitMix64(spec.seed);
  const scale = spec.scale ?? 1;
  const shift = spec.shift ?? 0;
  const out: number[] = [];
  for (let i = 0; i < spec.n; i++) {
    let v: number;
    switch (spec.kind) {
      case 'uniform':
        v = rng.uniform() * scale + shift;
        break;
      case 'int':
        v = Math.floor(rng.uniform() * spec.range!) + shift;
        break;
      case 'irwin_hall': {
        let s = 0;
        for (let k = 0; k < 12; k++) s = s + rng.uniform();
        v = (s - 6) * scale + shift;
        break;
      }
      case 'cubic': {
        const u = rng.uniform();
        v = u * u * u * scale + shift;
        break;
      }
      case 'zero_inflated': {
        const u = rng.uniform();
        v = u < spec.zero_share! ? 0 : u * scale + shift;
        break;
      }
    }
    out.push(v);
  }
  return out;
}
