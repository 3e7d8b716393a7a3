// Features reported but not tested: a column on one side only, typed differently on each side
// (with an example of a value that is not a number, when that explains it), or of a type no
// test applies to (dates and times, nested and binary values).

import { describeClass, type PlannedFeature } from './feature-plan.js';
import { baseFeature, plural } from './feature-result.js';
import { nonNumericExample, nullCounts, type Snapshot } from './snapshot.js';
import { type ComparisonContext, columnError } from './tests/drift-test.js';
import type { FeatureResult, SideStats } from './types.js';

export interface ReportedOnlyInput {
  context: ComparisonContext;
  snapshots: { train: Snapshot; prod: Snapshot };
  features: readonly PlannedFeature[];
}

export async function reportedOnlyFeatures(input: ReportedOnlyInput): Promise<FeatureResult[]> {
  const { context, snapshots, features } = input;
  const { train, prod } = snapshots;
  const trainNulls = await nullCounts(
    context.session,
    train,
    features.filter((p) => p.typeTrain !== null).map((p) => p.name),
  );
  const prodNulls = await nullCounts(
    context.session,
    prod,
    features.filter((p) => p.typeProd !== null).map((p) => p.name),
  );
  const side = (type: string | null, snapshotRows: number, nulls: number | undefined): SideStats => ({
    type,
    rows: type === null ? 0 : snapshotRows,
    nulls: nulls ?? 0,
    null_rate: type === null || snapshotRows === 0 ? 0 : (nulls ?? 0) / snapshotRows,
    count: type === null ? 0 : snapshotRows - (nulls ?? 0),
  });
  const out: FeatureResult[] = [];
  for (const p of features) {
    const f = baseFeature(
      p,
      side(p.typeTrain, train.rows, trainNulls.get(p.name)),
      side(p.typeProd, prod.rows, prodNulls.get(p.name)),
    );
    if (p.status === 'only_train' || p.status === 'only_prod') {
      f.status = p.status;
      const [here, there] =
        p.status === 'only_train'
          ? [train.source.path, prod.source.path]
          : [prod.source.path, train.source.path];
      f.notes.push(`column is in ${here} but not in ${there}`);
    } else if (p.status === 'type_mismatch') {
      f.status = 'type_mismatch';
      f.notes.push(
        await typeMismatchNote(input, p).catch((error) => Promise.reject(columnError(p.name, error))),
      );
    } else {
      f.status = 'skipped';
      f.notes.push(
        p.kind === 'temporal'
          ? `date/time column (${p.typeTrain}): not tested for drift; exclude it with --exclude`
          : `type ${p.typeTrain} is not supported: not tested; exclude it with --exclude`,
      );
    }
    out.push(f);
  }
  return out;
}

async function typeMismatchNote(input: ReportedOnlyInput, p: PlannedFeature): Promise<string> {
  const { train, prod } = input.snapshots;
  const classTrain = describeClass(p.typeTrain!);
  const classProd = describeClass(p.typeProd!);
  let message =
    `column "${p.name}" is ${classTrain} (${p.typeTrain}) in ${train.source.path} ` +
    `but ${classProd} (${p.typeProd}) in ${prod.source.path}`;
  const textSide = classTrain === 'text' ? train : classProd === 'text' ? prod : null;
  if (textSide && [classTrain, classProd].includes('numeric')) {
    const found = await nonNumericExample(input.context.session, textSide, p.name);
    if (found.count > 0) {
      message += `; ${plural(found.count, 'value')} there ${found.count === 1 ? 'is' : 'are'} not a number, e.g. ${JSON.stringify(found.example)}`;
    }
    if (textSide.source.format === 'csv')
      message += ' (a CSV column with any non-numeric value is read as text)';
  }
  return message;
}
