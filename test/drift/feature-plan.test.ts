import { describe, expect, it } from 'vitest';
import { classifyType, planFeatures } from '../../src/drift/feature-plan.js';
import { InputError } from '../../src/errors.js';

const columns = (spec: Record<string, string>) =>
  Object.entries(spec).map(([name, type]) => ({ name, type }));

describe('type classes', () => {
  it.each([
    ['DOUBLE', 'numeric'],
    ['DECIMAL(10,2)', 'numeric'],
    ['UBIGINT', 'numeric'],
    ['VARCHAR', 'string'],
    ["ENUM('a', 'b')", 'string'],
    ['BOOLEAN', 'boolean'],
    ['TIMESTAMP WITH TIME ZONE', 'temporal'],
    ['DATE', 'temporal'],
    ['TIMESTAMP_NS', 'temporal'],
    ['INTEGER[]', 'other'],
    ['STRUCT(a INTEGER)', 'other'],
    ['BLOB', 'other'],
  ])('%s is %s', (type, expected) => {
    expect(classifyType(type)).toBe(expected);
  });
});

describe('planning the features of a run', () => {
  const train = {
    path: 'train.parquet',
    columns: columns({
      id: 'BIGINT',
      ts: 'TIMESTAMP',
      amount: 'DOUBLE',
      plan: 'VARCHAR',
      n: 'INTEGER',
      old: 'DOUBLE',
      tags: 'VARCHAR[]',
    }),
  };
  const prod = {
    path: 'prod.csv',
    columns: columns({
      id: 'BIGINT',
      ts: 'TIMESTAMP',
      amount: 'VARCHAR',
      plan: 'VARCHAR',
      n: 'DOUBLE',
      new: 'BOOLEAN',
      tags: 'VARCHAR[]',
    }),
  };

  it('matches by name, classifies, and flags schema differences', () => {
    const plan = planFeatures({ train, prod, exclude: ['id'], categorical: ['n'] });
    const byName = Object.fromEntries(plan.map((p) => [p.name, [p.kind, p.status]]));
    expect(byName).toEqual({
      ts: ['temporal', 'skip'],
      amount: ['numeric', 'type_mismatch'],
      plan: ['categorical', 'compare'],
      n: ['categorical', 'compare'],
      old: ['numeric', 'only_train'],
      tags: ['unsupported', 'skip'],
      new: ['categorical', 'only_prod'],
    });
    expect(plan.map((p) => p.name)).toEqual(['ts', 'amount', 'plan', 'n', 'old', 'tags', 'new']);
    expect(plan.find((p) => p.name === 'n')!.floatingPoint).toBe(true);
  });

  it('restricts to --features, which must exist on both sides', () => {
    expect(planFeatures({ train, prod, features: ['plan', 'n'] }).map((p) => p.name)).toEqual(['plan', 'n']);
    expect(() => planFeatures({ train, prod, features: ['old'] })).toThrow(/not in prod\.csv/);
    const error = (() => {
      try {
        planFeatures({ train, prod, features: ['nope'] });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).column).toBe('nope');
    expect((error as InputError).message).toContain('train.parquet or prod.csv');
  });

  it('rejects --exclude and --categorical names found in neither snapshot', () => {
    expect(() => planFeatures({ train, prod, exclude: ['idd'] })).toThrow(InputError);
    expect(() => planFeatures({ train, prod, categorical: ['zzz'] })).toThrow(
      /--categorical names column "zzz"/,
    );
    expect(planFeatures({ train, prod, exclude: ['old'] }).some((p) => p.name === 'old')).toBe(false);
  });
});
