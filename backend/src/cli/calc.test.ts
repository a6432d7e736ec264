import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/datasets/fixtures');
const fx = (name: string) => path.join(fixtures, name);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'almready', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const base = ['calc', '--positions', fx('positions-basic.csv'), '--curves', fx('curves-long.csv'), '--as-of', '2024-06-30'];

describe('almready calc', () => {
  it('prints exactly one JSON object with EVE, NII, SOT and gap', async () => {
    const { code, out, err } = await run(...base, '--json', '--tier1', '50000');
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      as_of: string; method: string;
      eve: { base: number; scenarios: Record<string, { value: number; delta: number }> };
      nii: { base: number; scenarios: Record<string, { value: number; delta: number }> };
      sot: { tier1: number; eve: { flagged: boolean } }; gap: { bucket: string }[];
    };
    expect(result.as_of).toBe('2024-06-30');
    expect(result.method).toBe('full');
    expect(Object.keys(result.eve.scenarios)).toEqual(['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down']);
    const up = result.eve.scenarios.parallel_up!;
    expect(up.delta).toBeCloseTo(up.value - result.eve.base, 6);
    expect(up.delta).toBeLessThan(0);
    expect(result.nii.scenarios.parallel_up!.delta).toBeCloseTo(result.nii.scenarios.parallel_up!.value - result.nii.base, 6);
    expect(result.sot.tier1).toBe(50000);
    expect(result.gap).toHaveLength(19);
  });

  it('honours --method, --scenarios, --floor and --nii-horizon', async () => {
    const { code, out } = await run(...base, '--json', '--method', 'standardised', '--scenarios', 'parallel_up,short_down', '--floor', 'none', '--nii-horizon', '6');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { method: string; floor: string; eve: { scenarios: object }; nii: { horizon_months: number } };
    expect([result.method, result.floor, result.nii.horizon_months]).toEqual(['standardised', 'none', 6]);
    expect(Object.keys(result.eve.scenarios)).toEqual(['parallel_up', 'short_down']);
  });

  it('applies --assumptions (NMD behaviour) and refuses one above a regulatory cap, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'almready-assumptions-'));
    const good = path.join(dir, 'good.json');
    const capped = path.join(dir, 'capped.json');
    await writeFile(good, JSON.stringify({ nmd: [{ category: 'retail_transactional', stableShare: 0.8, coreShare: 0.75, averageMaturityYears: 4 }], balanceSheet: 'runoff' }));
    await writeFile(capped, JSON.stringify({ nmd: [{ category: 'retail_transactional', stableShare: 0.8, coreShare: 0.95, averageMaturityYears: 6 }] }));
    const plain = JSON.parse((await run(...base, '--json')).out) as { eve: { base: number }; warnings: string[] };
    const withNmd = await run(...base, '--json', '--assumptions', good);
    expect(withNmd.code).toBe(0);
    const result = JSON.parse(withNmd.out) as { eve: { base: number }; warnings: string[] };
    expect(plain.warnings.some((w) => w.includes('retail_transactional'))).toBe(true);
    expect(result.warnings.some((w) => w.includes('retail_transactional'))).toBe(false);
    // the sight deposit (120,000) no longer all reprices overnight, so its value moves
    expect(Math.abs(result.eve.base - plain.eve.base)).toBeGreaterThan(1);
    const refused = await run(...base, '--json', '--assumptions', capped);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toContain('retail_transactional core share 95% exceeds the regulatory cap of 90%');
    expect(refused.err).toContain('average maturity');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints aligned tables without --json', async () => {
    const { code, out } = await run(...base, '--tier1', '50000');
    expect(code).toBe(0);
    expect(out).toMatch(/^ALMReady IRRBB run as of 2024-06-30 \(method full, floor eu/);
    expect(out).toMatch(/\nscenario {2,}EVE {2,}ΔEVE {2}% Tier 1\n/);
    expect(out).toMatch(/\nparallel_up +[\d,]+ +-[\d,]+ +-\d+\.\d\d%\n/);
    expect(out).toMatch(/\nEVE +-15% +parallel_up .* (OUTLIER|pass)\n/);
    expect(out).toContain('Repricing gap');
    expect(out).toContain('non-maturing');
  });

  it('lists every refused row on stderr, exit 1, no stack trace', async () => {
    const { code, out, err } = await run('calc', '--positions', fx('positions-errors.csv'), '--curves', fx('curves-long.csv'), '--as-of', '2024-06-30');
    expect(code).toBe(1);
    expect(out).toBe('');
    const lines = err.split('\n');
    expect(lines[0]).toBe('almready: the input was refused (20 problems):');
    expect(lines[1]).toMatch(/^file +row +column +value +reason$/);
    expect(lines[3]).toMatch(/^positions-errors\.csv +2 +notional +-5 +notional must be greater than 0$/);
    expect(lines).toHaveLength(23);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('refuses positions whose currency or index has no curve', async () => {
    const { code, err } = await run('calc', '--positions', fx('positions-mixed.csv'), '--curves', fx('curves-long.csv'), '--as-of', '2019-06-30');
    expect(code).toBe(1);
    expect(err).toMatch(/positions-mixed\.csv +5 +currency +GBP +no curve for currency GBP \(curves cover: EUR, USD\)/);
  });

  it('refuses bad option values all at once with exit 2', async () => {
    const { code, err } = await run('calc', '--positions', 'p.csv', '--curves', 'c.csv', '--as-of', '2024-13-01', '--method', 'fast', '--floor', 'bcbs', '--tier1', 'lots', '--nii-horizon', '0');
    expect(code).toBe(2);
    expect(err.split('\n').slice(3).map((l) => l.split(/\s{2,}/)[0])).toEqual(['--as-of', '--method', '--floor', '--tier1', '--nii-horizon']);
  });

  it('passes the engine\'s refusal of an unknown scenario through as a sentence', async () => {
    const { code, out, err } = await run(...base, '--scenarios', 'parallel_up,moon_shot');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')[0]).toBe('almready: the analysis cannot run:');
    expect(err).toContain('unknown scenario "moon_shot"');
  });

  it('reports the NII of a short floater renewing past its maturity and flags its outlier test (issue reproduction X1)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'almready-x1-'));
    const positions = path.join(dir, 'positions.csv');
    const curves = path.join(dir, 'curves.csv');
    await writeFile(positions, [
      'position_id,side,product,currency,notional,start_date,maturity_date,amortization,rate_type,rate,index,spread,payment_frequency_months,reset_frequency_months,next_reset_date,day_count,floor,cap,nmd_category,cpr,tdrr',
      'X1,asset,interbank_loan,EUR,1000000,2025-03-12,2025-07-12,bullet,floating,0.025,EUR_EURIBOR_3M,0.001,3,3,2025-07-12,ACT/360,,,,,',
    ].join('\n'));
    const pillars = [['ON', 0.019, 0.0205], ['3M', 0.0195, 0.021], ['1Y', 0.0205, 0.022], ['5Y', 0.024, 0.0255], ['30Y', 0.029, 0.0305]] as const;
    await writeFile(curves, ['curve_id,tenor,rate', ...pillars.map(([t, ois]) => `EUR_ESTR_OIS,${t},${ois}`), ...pillars.map(([t, , ibor]) => `EUR_EURIBOR_3M,${t},${ibor}`)].join('\n'));
    const { code, out, err } = await run('calc', '--positions', positions, '--curves', curves, '--as-of', '2025-06-12', '--floor', 'eu', '--tier1', '1000', '--json');
    await rm(dir, { recursive: true, force: true });
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { nii: { base: number | null; scenarios: Record<string, { delta: number | null }> }; sot: { nii: { worst_scenario: string; worst_delta: number | null; flagged: boolean } } };
    // 30 days at 2.5% on 1,000,000 (ACT/360), then quarterly renewals at the EURIBOR forwards + 0.1% (engine tests compute it from the curves)
    expect(result.nii.base).toBeCloseTo(23_362.97, 2);
    expect(result.nii.scenarios['parallel_down']!.delta).toBeCloseTo(-18_411.84, 2);
    expect(result.sot.nii).toMatchObject({ worst_scenario: 'parallel_down', flagged: true });
    expect(result.sot.nii.worst_delta).toBeCloseTo(-18_411.84, 2);
  });

  it('names a missing file instead of crashing', async () => {
    const { code, err } = await run('calc', '--positions', fx('no-such-file.csv'), '--curves', fx('curves-long.csv'), '--as-of', '2024-06-30');
    expect(code).toBe(2);
    expect(err).toMatch(/--positions +\S+no-such-file\.csv +no such file/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('runs as `npx almready calc --json` from the repository root', () => {
    const child = spawnSync('npx', ['almready', ...base, '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout) as { as_of: string; eve: { base: number } };
    expect(result.as_of).toBe('2024-06-30');
    expect(result.eve.base).toBeGreaterThan(0);
  });
});
