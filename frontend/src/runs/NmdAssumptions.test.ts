import { describe, expect, it } from 'vitest';
import { DEFAULT_NMD, nmdAssumptions } from './NmdAssumptions.tsx';

describe('nmdAssumptions', () => {
  it('turns percentages into shares for every category', () => {
    const result = nmdAssumptions(DEFAULT_NMD);
    expect(result).toEqual({
      ok: true,
      value: [
        { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.75, averageMaturityYears: 4 },
        { category: 'retail_non_transactional', stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3 },
        { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 1.5 },
      ],
    });
  });

  it('names the cell to fix', () => {
    const bad = { ...DEFAULT_NMD, wholesale: { stable: '50', core: 'abc', years: '1' } };
    expect(nmdAssumptions(bad)).toEqual({ ok: false, message: 'wholesale: core share must be a percentage from 0 to 100.' });
    const noYears = { ...DEFAULT_NMD, retail_transactional: { stable: '80', core: '75', years: '0' } };
    expect(nmdAssumptions(noYears)).toEqual({ ok: false, message: 'retail_transactional: average maturity must be a positive number of years.' });
  });
});
