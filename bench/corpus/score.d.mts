// Types of the corpus scorer (score.mjs), for the TypeScript tests that use it.
export interface OutcomeDiagnosis {
  code: string;
  tier: string;
  rows: number;
}

export interface Outcome {
  verdict?: string;
  differing?: number;
  diagnoses: OutcomeDiagnosis[];
  error?: string;
}

export interface CaseScore {
  status: 'error' | 'control_ok' | 'control_broken' | 'no_effect' | 'scored';
  top?: { code: string; tier: string };
  wrongReproduced?: string[];
  right?: boolean;
  rightReproduced?: boolean;
  allFound?: boolean;
  allReproduced?: boolean;
}

export const CODES: string[];
export function outcomeOf(result: unknown): Outcome;
export function scoreCase(outcome: Outcome & { kind: string; causes: string[] }): CaseScore;
export function summarise(outcomes: unknown[], options?: { verbose?: boolean }): string;
