/**
 * Every shipped notebook, run for real: created in a workspace from its file, executed over the
 * executions API on an uploaded synthetic book (300 positions, seed 7, EUR and USD), every cell
 * `done`; its key figures checked against the engine's own analyse() of the same dataset, loaded
 * from the workspace's files. The twist and the deposit betas are checked against computations
 * written here: the twist as an exact engine scenario (like with like: both with the steepener's
 * behaviour multipliers), the betas through books whose non-maturing deposits are switched off
 * (zero notional: every figure is linear in notional); and on a two-position book the twist's
 * ΔEVE and ΔNII are valued by hand.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyse, buildCurveSet, defaultSettings, DAY_COUNTS, NMD_CATEGORIES, REGULATORY_SCENARIO_IDS, shockSizes,
  type AnalysisResult, type AnalysisSettings, type CurveSet, type PositionColumns, type Scenario,
} from '@almready/engine';
import { formatInline } from '@almready/notebooks';
import { loadDataset, type LoadedDataset } from '../data/datasets/index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';
import { EXAMPLE_IDS, notebookExample } from './catalog.ts';
import { runNotebook, unfinished, type ExampleRun } from './run-example.ts';

const SIX = [...REGULATORY_SCENARIO_IDS];
const NON_MATURING = 4;

let t: TestServer;
let team: Team;
let did: string;
let data: LoadedDataset;
let curves: CurveSet;

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.owner.token, team.wid, 300);
  data = await loadDataset(join(workspaceDir(t.dataDir, team.owner.id, team.wid), 'datasets', did));
  const built = buildCurveSet(data.curves);
  if (!built.ok) throw new Error('curves rejected');
  curves = built.curves;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** The engine on the dataset's own columns, optionally with some positions switched off (notional 0). */
function engine(settings: Partial<AnalysisSettings>, keep?: (i: number) => boolean): AnalysisResult {
  const p = data.positions;
  const positions: PositionColumns = keep ? { ...p, notional: p.notional.map((n, i) => (keep(i) ? n : 0)) } : p;
  return analyse({ positions, ...(data.schedules.length > 0 ? { schedules: data.schedules } : {}), curves, settings: { ...defaultSettings(data.asOf), ...settings } });
}

async function runExample(id: string, parameters?: Record<string, unknown>, datasetId = did): Promise<ExampleRun> {
  const example = notebookExample(id)!;
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: example.name, content: example.document } });
  expect(nb.status, JSON.stringify(nb.body)).toBe(201);
  const run = await runNotebook(t, team.explore.token, team.wid, nb.body.notebook.id, { target: 'notebook', datasetId, ...(parameters ? { parameters } : {}) });
  expect(unfinished(run)).toEqual([]);
  expect(run.events.at(-1)).toMatchObject({ type: 'execution-finished', status: 'done' });
  // every cell of the file ran and has a stored output
  expect(Object.keys(run.outputs).sort()).toEqual(example.document.cells.map((c) => c.id).sort());
  for (const [cell, output] of Object.entries(run.outputs)) expect(output, cell).not.toBeNull();
  return run;
}

const rel = (actual: number, expected: number, tolerance = 1e-9) => {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
};
const rowsOf = (output: any) => output.table.firstPage as Record<string, any>[];
const money = (x: number) => (formatInline(x, 'money') as { text: string }).text;
const pct = (x: number) => (formatInline(x, 'pct') as { text: string }).text;

describe('the shipped notebooks', () => {
  it('are the four files of notebooks/examples, each a valid notebook with a title and a description', () => {
    expect(EXAMPLE_IDS).toEqual(['irrbb-report', 'balance-explorer', 'custom-scenario', 'repricing-gap']);
    for (const id of EXAMPLE_IDS) {
      const example = notebookExample(id)!;
      expect(example.name.length, id).toBeGreaterThan(5);
      expect(example.description.length, id).toBeGreaterThan(40);
    }
    expect(notebookExample('nope')).toBeUndefined();
  });
});

describe('irrbb-report', () => {
  it('EVE, ΔEVE by bucket and currency, NII and both outlier tests equal the engine\'s; the summary prints them', async () => {
    // a small Tier 1 for this small book, so that both tests breach
    const tier1 = 5_000_000;
    const run = await runExample('irrbb-report', { tier1 });
    const direct = engine({ scenarios: [...SIX, 'parallel_up_200', 'parallel_down_200'], tier1 });
    const v = run.outputs.irrbb.values;
    rel(v.eve_base, direct.eve.base);
    rel(v.nii_base, direct.nii.base);
    expect(v.eve_scenarios.map((r: any) => r.scenario)).toEqual(SIX);
    for (const r of v.eve_scenarios) {
      rel(r.eve, direct.eve.scenarios[r.scenario]!.value);
      rel(r.delta_eve, direct.eve.scenarios[r.scenario]!.delta);
      rel(r.share_of_tier1, direct.eve.scenarios[r.scenario]!.delta / tier1);
    }
    expect(v.nii_scenarios.map((r: any) => r.scenario)).toEqual([...SIX, 'parallel_up_200', 'parallel_down_200']);
    for (const r of v.nii_scenarios) rel(r.delta_nii, direct.nii.scenarios[r.scenario]!.delta);
    rel(v.delta_nii_up_200, direct.nii.scenarios['parallel_up_200']!.delta);
    rel(v.delta_nii_down_200, direct.nii.scenarios['parallel_down_200']!.delta);

    // ΔEVE by bucket: 19 rows in bucket order, one column per scenario
    const buckets = rowsOf(run.outputs.delta_eve_by_bucket);
    expect(buckets.map((r) => r.bucket)).toEqual(direct.eve.breakdown['bucket']!.map((r) => r.key));
    expect(buckets).toHaveLength(19);
    direct.eve.breakdown['bucket']!.forEach((row, k) => {
      for (const s of SIX) rel(buckets[k]![s], row.scenarios[s]!.delta, 1e-6);
    });
    const byCurrency = rowsOf(run.outputs.delta_eve_by_currency);
    expect(byCurrency.map((r) => r.currency)).toEqual(['EUR', 'USD']);
    for (const row of byCurrency) {
      const engineRow = direct.eve.breakdown['currency']!.find((r) => r.key === row.currency)!;
      rel(row.eve_base, engineRow.base);
      for (const s of SIX) rel(row[s], engineRow.scenarios[s]!.delta, 1e-6);
    }
    const niiByCurrency = rowsOf(run.outputs.delta_nii_by_currency);
    for (const row of niiByCurrency) {
      const engineRow = direct.nii.breakdown['currency']!.find((r) => r.key === row.currency)!;
      rel(row.up_200, engineRow.scenarios['parallel_up_200']!.delta, 1e-6);
      rel(row.down_200, engineRow.scenarios['parallel_down_200']!.delta, 1e-6);
    }
    expect(run.outputs.nii_profile.table.rowCount).toBe(12 * 3);

    // both supervisory outlier tests, against the Tier 1 input
    const o = run.outputs.outlier_tests.values;
    expect(direct.sot.eve.flagged && direct.sot.nii.flagged).toBe(true);
    expect(v.worst_eve_scenario).toBe(direct.sot.eve.worst_scenario);
    rel(o.worst_eve_ratio, direct.sot.eve.ratio!);
    rel(o.worst_nii_ratio, direct.sot.nii.ratio!);
    expect([o.eve_test_result, o.nii_test_result]).toEqual(['breached', 'breached']);
    expect(o.worst_eve_ratio).toBeLessThan(-0.15);
    const html = run.outputs.summary.html as string;
    expect(run.outputs.summary.problems).toEqual([]);
    expect(html).toContain(`<span class="nb-value">${money(direct.sot.eve.worst_delta)}</span>`);
    expect(html).toContain(`<span class="nb-value">${pct(direct.sot.eve.ratio!)}</span>`);
    expect(html).toContain(`<span class="nb-value">${pct(direct.sot.nii.ratio!)}</span>`);
    expect(html).toContain('the EVE outlier test is <strong><span class="nb-value">breached</span></strong>');
    expect(run.outputs.irrbb.views.map((view: any) => view.label)).toEqual(['EVE (base)', 'Worst ΔEVE', 'NII, 12 months (base)', 'Worst ΔNII (parallel)']);
    expect(run.outputs.eve_chart).toMatchObject({ kind: 'chart', spec: { x: 'scenario', y: 'delta_eve' } });
  }, 240_000);

  it('with the default Tier 1 both tests pass, and the verdicts still equal the engine\'s', async () => {
    const run = await runExample('irrbb-report');
    const tier1 = run.outputs.tier1.value as number;
    const direct = engine({ scenarios: [...SIX, 'parallel_up_200', 'parallel_down_200'], tier1 });
    expect([direct.sot.eve.flagged, direct.sot.nii.flagged]).toEqual([false, false]);
    expect([run.outputs.outlier_tests.values.eve_test_result, run.outputs.outlier_tests.values.nii_test_result]).toEqual(['passed', 'passed']);
    expect(run.outputs.summary.html).toContain('the NII outlier test\nis <strong><span class="nb-value">passed</span></strong>');
  }, 240_000);
});

describe('balance-explorer', () => {
  it('every view adds up to the positions, and the book\'s totals equal the engine\'s repricing amounts', async () => {
    const run = await runExample('balance-explorer');
    const p = data.positions;
    const sums = new Map<string, { n: number; notional: number; rate: number }>();
    for (let i = 0; i < p.length; i++) {
      const key = `${p.side[i] === 1 ? 'asset' : 'liability'}|${p.product.values[p.product.codes[i]!]}`;
      const s = sums.get(key) ?? { n: 0, notional: 0, rate: 0 };
      s.n += 1;
      s.notional += p.notional[i]!;
      s.rate += p.notional[i]! * p.rate[i]!;
      sums.set(key, s);
    }
    const byProduct = rowsOf(run.outputs.by_product);
    expect(byProduct).toHaveLength(sums.size);
    for (const row of byProduct) {
      const s = sums.get(`${row.side}|${row.product}`)!;
      expect(row.positions).toBe(s.n);
      rel(row.notional, s.notional);
      rel(row.avg_rate, s.rate / s.notional);
    }
    const gap = engine({ scenarios: [] }).gap;
    const assets = gap.reduce((a, g) => a + g.assets, 0);
    const liabilities = gap.reduce((a, g) => a + g.liabilities, 0);
    rel(run.outputs.book.values.asset_notional, assets, 1e-9);
    rel(run.outputs.book.values.liability_notional, liabilities, 1e-9);
    const currencies = rowsOf(run.outputs.by_currency);
    rel(currencies.reduce((a, r) => a + r.assets, 0), assets);
    rel(currencies.reduce((a, r) => a + r.liabilities, 0), liabilities);
    const ladder = run.outputs.maturity.tables.by_maturity.firstPage as Record<string, any>[];
    expect(ladder.reduce((a, r) => a + r.positions, 0)).toBe(300);
    rel(ladder.reduce((a, r) => a + r.assets, 0), assets);
    expect(ladder[0]).toMatchObject({ bucket: 'non-maturing', assets: 0 });
    let nmd = 0;
    for (let i = 0; i < p.length; i++) if (p.amortization[i] === NON_MATURING) nmd += p.notional[i]!;
    rel(ladder[0]!.liabilities, nmd);
    const bands = rowsOf(run.outputs.by_rate);
    expect(bands.reduce((a, r) => a + r.positions, 0)).toBe(300);
    const top = rowsOf(run.outputs.top_exposures);
    expect(top).toHaveLength(20);
    expect(top[0]!.notional).toBe(Math.max(...p.notional));
    expect(top.map((r) => r.notional)).toEqual([...top.map((r) => r.notional)].sort((a, b) => b - a));
    for (const chart of ['product_chart', 'currency_chart', 'maturity_chart', 'rate_chart', 'top_chart']) expect(run.outputs[chart].kind, chart).toBe('chart');
  }, 240_000);
});

describe('custom-scenario', () => {
  /** The twist as this test writes it: half the short shock down at the short end, half the long shock up at the long end. */
  const twistOf = (currency: string) => (t: number) => {
    const s = shockSizes(currency)!;
    const w = Math.exp(-t / 4);
    return -0.5 * s.short * w + 0.5 * s.long * (1 - w);
  };
  const twist: Scenario = { id: 'twist_5y', label: 'Twist around 5 years', shock: twistOf, floorable: true, rampMonths: 0, behaviour: 'steepener' };
  const settings = { scenarios: [...SIX, 'twist_5y'], customScenarios: [twist] };
  const isNmd = (i: number) => data.positions.amortization[i] === NON_MATURING;
  const category = (i: number) => NMD_CATEGORIES[data.positions.nmdCategory[i]!];

  it('the twist\'s ΔEVE and ΔNII equal the engine\'s with the exact function; with every β = 1 the NII is the engine\'s, with β = 0 it is the book\'s without deposits repricing', async () => {
    const direct = engine(settings);
    const withoutNmd = engine(settings, (i) => !isNmd(i));
    const full = await runExample('custom-scenario', { beta_retail_transactional: 1, beta_retail_non_transactional: 1, beta_wholesale: 1 });
    const q = full.outputs.quant.values;
    // sampled on the engine's grid and rebuilt by interpolation against the exact function
    rel(q.twist_delta_eve, direct.eve.scenarios['twist_5y']!.delta, 1e-6);
    rel(q.twist_delta_nii, direct.nii.scenarios['twist_5y']!.delta, 1e-6);
    expect(Math.abs(q.twist_delta_eve)).toBeGreaterThan(1000);
    for (const r of q.engine_results) {
      rel(r.delta_eve, direct.eve.scenarios[r.scenario]!.delta, 1e-6);
      rel(r.delta_nii, direct.nii.scenarios[r.scenario]!.delta, 1e-6);
    }
    for (const point of q.twist_shape) rel(point.shift_bp, twistOf(point.currency)(point.years) * 10_000, 1e-12);
    for (const r of full.outputs.deposit_beta.values.beta_results) {
      // the deposits' share of ΔNII, as the model computes it from positions and curves
      rel(r.nmd_pass_through, direct.nii.scenarios[r.scenario]!.delta - withoutNmd.nii.scenarios[r.scenario]!.delta, 1e-6);
      rel(r.delta_nii_beta, r.delta_nii, 1e-12);
    }
    const none = await runExample('custom-scenario', { beta_retail_transactional: 0, beta_retail_non_transactional: 0, beta_wholesale: 0 });
    for (const r of none.outputs.deposit_beta.values.beta_results) rel(r.delta_nii_beta, withoutNmd.nii.scenarios[r.scenario]!.delta, 1e-6);
  }, 300_000);

  it('with the default betas each deposit category keeps β of its own pass-through', async () => {
    const run = await runExample('custom-scenario');
    const betas = { retail_transactional: 0.2, retail_non_transactional: 0.45, wholesale: 0.75 } as Record<string, number>;
    for (const [name, beta] of Object.entries(betas)) expect(run.outputs[`beta_${name}`].value).toBe(beta);
    const direct = engine(settings);
    const withoutNmd = engine(settings, (i) => !isNmd(i));
    const perCategory = Object.keys(betas).map((name) => [name, engine(settings, (i) => !isNmd(i) || category(i) !== name)] as const);
    for (const r of run.outputs.deposit_beta.values.beta_results) {
      const s = r.scenario as string;
      let expected = withoutNmd.nii.scenarios[s]!.delta;
      for (const [name, without] of perCategory) expected += betas[name]! * (direct.nii.scenarios[s]!.delta - without.nii.scenarios[s]!.delta);
      rel(r.delta_nii_beta, expected, 1e-6);
    }
    const d = run.outputs.deposit_beta.values;
    expect(run.outputs.intro.html).toContain(`<span class="nb-value">${money(d.twist_delta_nii_beta)}</span> with the deposit`);
    expect(d.worst_beta_scenario).toBe(SIX.reduce((a, b) => (direct.nii.scenarios[b]!.delta < direct.nii.scenarios[a]!.delta ? b : a)));
    // the synthetic book's deposits use only these day counts; the model covers all four
    const dayCounts = new Set((rowsOf(run.outputs.nmd_balances)).map((r) => r.day_count));
    for (const dc of dayCounts) expect(DAY_COUNTS).toContain(dc);
  }, 300_000);
});

describe('custom-scenario on a book small enough to value by hand', () => {
  // one 10-year zero-coupon bond and one current account at 0%, on a flat 3% EUR curve
  const ZERO_BOND = 1_000_000;
  const DEPOSIT = 500_000;
  const RATE = 0.03;
  const POSITIONS = [
    'position_id,side,product,currency,notional,start_date,maturity_date,amortization,rate_type,rate,day_count,nmd_category',
    `zc,asset,bond,EUR,${ZERO_BOND},2025-06-30,2035-06-29,bullet,fixed,0,ACT/365,`,
    `ca,liability,current_account,EUR,${DEPOSIT},,,non_maturing,fixed,0,ACT/365,retail_transactional`,
  ].join('\n');
  const CURVES = ['curve_id,tenor,rate', `EUR_ESTR_OIS,1M,${RATE}`, `EUR_ESTR_OIS,30Y,${RATE}`].join('\n');

  it('the twist\'s ΔEVE and ΔNII are the hand-computed ones: Σ flow·(e^−(r+Δ(t))t − e^−rt), and the deposit\'s −balance·Δ(1 day)·364/365 kept at 1 − β', async () => {
    const form = new FormData();
    form.set('name', 'Two positions');
    form.set('as_of', '2025-06-30');
    form.set('positions', new Blob([POSITIONS]), 'positions.csv');
    form.set('curves', new Blob([CURVES]), 'curves.csv');
    const upload = await t.request('POST', `/api/workspaces/${team.wid}/datasets`, { token: team.owner.token, body: form });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const run = await runExample('custom-scenario', undefined, upload.body.dataset.id);

    // the twist written out once more, here: −½·250 bp·e^(−t/4) + ½·100 bp·(1 − e^(−t/4)) for EUR
    const twist = (years: number) => -0.5 * 0.025 * Math.exp(-years / 4) + 0.5 * 0.01 * (1 - Math.exp(-years / 4));
    const T = (Date.UTC(2035, 5, 29) - Date.UTC(2025, 5, 30)) / 86_400_000 / 365;
    const on = 1 / 365;
    const bond = ZERO_BOND * (Math.exp(-(RATE + twist(T)) * T) - Math.exp(-RATE * T));
    const deposit = -DEPOSIT * (Math.exp(-(RATE + twist(on)) * on) - Math.exp(-RATE * on));
    const q = run.outputs.quant.values;
    rel(q.twist_delta_eve, bond + deposit, 1e-6);
    expect(q.twist_delta_eve).toBeLessThan(-10_000); // the long end rose: the bond lost value
    const passThrough = -DEPOSIT * twist(on) * (364 / 365);
    rel(q.twist_delta_nii, passThrough, 1e-6);
    const twistRow = run.outputs.deposit_beta.values.beta_results.find((r: any) => r.scenario === 'twist_5y');
    rel(twistRow.nmd_pass_through, passThrough, 1e-6);
    rel(twistRow.delta_nii_beta, 0.2 * passThrough, 1e-6);
    // parallel up by hand too: +200 bp everywhere
    const up = run.outputs.deposit_beta.values.beta_results.find((r: any) => r.scenario === 'parallel_up');
    rel(up.delta_eve, ZERO_BOND * (Math.exp(-(RATE + 0.02) * T) - Math.exp(-RATE * T)) - DEPOSIT * (Math.exp(-(RATE + 0.02) * on) - Math.exp(-RATE * on)), 1e-9);
    rel(up.delta_nii_beta, 0.2 * -DEPOSIT * 0.02 * (364 / 365), 1e-9);
  }, 240_000);
});

describe('repricing-gap', () => {
  it('each currency\'s 19 buckets are the engine\'s gap of that currency\'s positions alone; the total is the engine\'s gap', async () => {
    const run = await runExample('repricing-gap');
    const direct = engine({ scenarios: [] });
    const rows = run.outputs.repricing.values.gap_by_currency as Record<string, any>[];
    expect(rows).toHaveLength(2 * 19);
    expect(run.outputs.repricing.values.currencies).toEqual(['EUR', 'USD']);
    const code = (ccy: string) => data.positions.currency.values.indexOf(ccy);
    for (const ccy of ['EUR', 'USD']) {
      const alone = engine({ scenarios: [] }, (i) => data.positions.currency.codes[i] === code(ccy)).gap;
      const own = rows.filter((r) => r.currency === ccy);
      expect(own.map((r) => r.bucket)).toEqual(alone.map((g) => g.bucket));
      own.forEach((r, k) => {
        rel(r.assets, alone[k]!.assets);
        rel(r.liabilities, alone[k]!.liabilities);
        rel(r.cumulative_gap, alone[k]!.cumulative_gap);
      });
      const summary = run.outputs.repricing.values.summary_by_currency.find((s: any) => s.currency === ccy);
      rel(summary.gap_within_1y, alone[5]!.cumulative_gap);
    }
    const total = rowsOf(run.outputs.total_gap);
    expect(total.map((r) => r.bucket)).toEqual(direct.gap.map((g) => g.bucket));
    total.forEach((r, k) => {
      rel(r.gap, direct.gap[k]!.gap);
      rel(r.cumulative_gap, direct.gap[k]!.cumulative_gap);
    });
    expect(run.outputs.intro.html).toContain(`EUR ${money(rows[5]!.cumulative_gap).replace('-', '−')}`);
    expect(run.outputs.gap_chart).toMatchObject({ kind: 'chart', spec: { series: 'currency' } });
  }, 240_000);
});
