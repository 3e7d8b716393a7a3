// Types of the corpus generator (index.mjs), for the TypeScript tests that use it.
export interface CasePlan {
  id: string;
  shape: string;
  kind: 'control' | 'single' | 'pair' | 'uncovered';
  windowMs: number;
  families: string[];
  causes: string[];
  description: string;
}

export interface CorpusCase {
  id: string;
  kind: CasePlan['kind'];
  shape: string;
  windowMs: number;
  families: string[];
  /** The diagnosis codes of the injected bugs; empty for controls and bugs no check covers. */
  causes: string[];
  description: string;
  eventsPath: string;
  batchSqlPath: string;
  streamModulePath: string;
  replay: {
    keyColumns: string[];
    timeColumn: string;
    simulateDelay?: { rate: number; maxMs: number; seed: number };
  };
}

export const FAMILIES: Record<string, { code: string | null; slot: string }>;
export const SHAPES: Record<string, { name: string; keyColumns: string[] }>;
export function planCorpus(options?: { seed?: number; count?: number }): CasePlan[];
export function planCase(options: {
  id: string;
  shape: string;
  families?: string[];
  seed?: number;
  windowMs?: number;
}): CasePlan;
export function writeCorpus(
  dir: string,
  plans: CasePlan[],
  options?: { seed?: number; scale?: number },
): Promise<CorpusCase[]>;
