import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisResult } from './analyse.ts';
import { buildCurveSet } from './curve-set.ts';
import { defaultSettings, type AnalysisSettings } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

/**
 * Golden equivalence: every figure of analyse() on 5,000 synthetic positions under four settings
 * (full with an attribute breakdown, standardised, run-off balance sheet, ramp scenarios) must stay
 * what the checked-in JSON says, to 1e-9 relative. Performance work may change how the engine
 * computes, never what. `UPDATE_GOLDEN=1 npx vitest run engine/src/equivalence.test.ts` rewrites
 * the file — only in a commit that fixes a real bug and says so.
 */
const AS_OF = '2025-06-30';
const GOLDEN = fileURLToPath(new URL('./golden/equivalence.json', import.meta.url));
const NMD = [
  { category: 'retail_transactional' as const, stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 },
  { category: 'retail_non_transactional' as const, stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3.5 },
  { category: 'wholesale' as const, stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 2 },
];

const CASES: Record<string, Partial<AnalysisSettings>> = {
  full_by_segment: { method: 'full', breakdownBy: ['segment', 'branch'], tier1: 5e8 },
  standardised: { method: 'standardised', tier1: 5e8 },
  full_runoff: { method: 'full', balanceSheet: 'runoff', niiHorizonMonths: 24 },
  standardised_ramps: { method: 'standardised', scenarios: ['parallel_up', 'ramp_up_200', 'ramp_down_200'], breakdownBy: ['segment'] },
};

function run(): Record<string, AnalysisResult> {
  const data = syntheticBalanceSheet({ positions: 5000, asOf: AS_OF, seed: 11 });
  const built = buildCurveSet(data.curves);
  if (!built.ok) throw new Error('synthetic curves rejected');
  const out: Record<string, AnalysisResult> = {};
  for (const [name, extra] of Object.entries(CASES)) {
    const settings = { ...defaultSettings(AS_OF), nmd: NMD, ...extra } as AnalysisSettings;
    out[name] = analyse({ positions: data.positions, schedules: data.schedules, curves: built.curves, settings });
  }
  return out;
}

/** Walks both values; numbers compare to 1e-9 relative (absolute below 1e-6), everything else exactly. */
function compare(actual: unknown, expected: unknown, path: string, problems: string[]): void {
  if (problems.length > 20) return;
  if (typeof expected === 'number' && typeof actual === 'number') {
    const ok = Math.abs(actual - expected) <= Math.max(1e-9 * Math.abs(expected), 1e-6);
    if (!ok && !(Number.isNaN(actual) && Number.isNaN(expected))) problems.push(`${path}: ${actual} ≠ ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      problems.push(`${path}: not an object`);
      return;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) compare((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`, problems);
    return;
  }
  if (actual !== expected) problems.push(`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

describe('golden equivalence (5,000 synthetic positions)', () => {
  it('every EVE, ΔEVE, NII, SA EVE, gap and breakdown figure matches the checked-in results', () => {
    const results = JSON.parse(JSON.stringify(run())) as Record<string, AnalysisResult>;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, `${JSON.stringify(results, null, 1)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, AnalysisResult>;
    const full = golden['full_by_segment'] as AnalysisResult;
    // the file is not trivially empty: real EVE and NII figures, 19 gap rows, all breakdowns
    expect(Math.abs(full.eve.base)).toBeGreaterThan(1e6);
    expect(full.gap).toHaveLength(19);
    expect(Object.keys(full.eve.breakdown)).toEqual(expect.arrayContaining(['currency', 'side', 'product', 'bucket', 'segment', 'branch']));
    // an attribute breakdown must not change the totals: same EVE with or without it
    const plain = results['full_runoff'] as AnalysisResult;
    expect(results['full_by_segment']!.eve.base).toBeCloseTo(plain.eve.base, 3);
    expect(results['full_by_segment']!.eve.scenarios['parallel_up']!.value).toBeCloseTo(plain.eve.scenarios['parallel_up']!.value, 3);
    const problems: string[] = [];
    compare(results, golden, 'results', problems);
    expect(problems).toEqual([]);
  });
});
