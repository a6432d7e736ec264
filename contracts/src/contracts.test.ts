/** The contracts' own promises: strict request bodies with sentences for the user, and answers read with a named first difference. */
import { describe, expect, it } from 'vitest';
import { checkAnswer, createWorkspaceBodySchema, eveTableSchema, runRequestSchema, runSettingsSchema, SCENARIO_IDS, toRunSettings } from './index.ts';

const DATASET = '6b1e0f7e-2c1d-4a8e-9f00-1c2d3e4f5a6b';

describe('request bodies', () => {
  it('refuse a misspelt field by name rather than ignore it', () => {
    const parsed = createWorkspaceBodySchema.safeParse({ name: 'ALM', descripton: 'typo' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['descripton'] });
  });

  it('a run request takes the defaults, refuses unknown scenarios with the list of known ones, and records settings of the contract\'s shape', () => {
    const request = runRequestSchema.parse({ datasetId: DATASET, floor: 'none', tier1: 1e9 });
    const settings = toRunSettings(request);
    expect(settings).toEqual({ method: 'full', floor: false, scenarios: [...SCENARIO_IDS], tier1: 1e9, niiHorizonMonths: 12, balanceSheet: 'constant' });
    expect(runSettingsSchema.parse(settings)).toEqual(settings);
    const unknown = runRequestSchema.safeParse({ datasetId: DATASET, scenarios: ['base', 'parallel_up_250bp'] });
    expect(unknown.error?.issues[0]?.message).toMatch(/^unknown scenario id: use base, the six regulatory ids/);
    const capped = runRequestSchema.safeParse({ datasetId: DATASET, nmd: [{ category: 'wholesale', stableShare: 0.5, coreShare: 0.9, averageMaturityYears: 3 }] });
    expect(capped.success).toBe(false);
    expect(capped.error?.issues[0]?.path).toEqual(['nmd']);
  });
});

describe('checkAnswer', () => {
  it('passes an answer of the contract\'s shape and names the first field of one that is not', () => {
    const table = { columns: [{ name: 'scenario', type: 'string' }], rows: [{ scenario: 'base', eve: 10, delta_eve: 0, loss: 0 }] };
    expect(checkAnswer(eveTableSchema, table)).toEqual({ ok: true, value: table });
    const perCurrency = { ...table, rows: [{ scenario: 'base', currency: 'EUR', eve: 10 }] };
    const checked = checkAnswer(eveTableSchema, perCurrency, 'eve table');
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toMatch(/^The eve table does not have the contract's shape at rows\.0\.delta_eve: /);
  });
});
