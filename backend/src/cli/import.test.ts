import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { classifyFiles, formatTable } from './import.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/datasets/fixtures');
const fx = (name: string) => path.join(fixtures, name);
const workspace = mkdtempSync(path.join(tmpdir(), 'almready-cli-import-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'almready', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('almready import', () => {
  it('creates a dataset in the workspace folder and prints totals and the mapping used', async () => {
    const { code, out, err } = await run('import', fx('positions-basic.csv'), fx('curves-long.csv'), '--workspace', workspace, '--as-of', '2024-06-30', '--name', 'June');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^dataset [0-9a-f-]{36} "June" as of 2024-06-30\nrows: 5 positions, 7 curve points, 0 schedule flows\n/);
    expect(out).toMatch(/\nasset +EUR +2 +350,000\.5\n/);
    expect(out).toMatch(/\nnotional +notional\n/);
    expect(out).toContain('attributes kept: segment');
    const datasets = readdirSync(path.join(workspace, 'datasets'));
    expect(datasets).toHaveLength(1);
    expect(readdirSync(path.join(workspace, 'datasets', datasets[0]!)).sort()).toEqual(['curves.parquet', 'manifest.json', 'positions.parquet', 'schedules.parquet']);
  });

  it('uses a mapping file and prints the metadata as JSON', async () => {
    const { code, out } = await run('import', fx('positions-synonyms.csv'), '--workspace', workspace, '--as-of', '2024-06-30',
      '--date-format', 'dd/mm/yyyy', '--mapping', fx('mapping-synonyms.json'), '--json');
    expect(code).toBe(0);
    const meta = JSON.parse(out) as { mapping: Record<string, string>; rows: { positions: number } };
    expect(meta.mapping.product).toBe('Desk');
    expect(meta.rows.positions).toBe(1);
  });

  it('refuses invalid rows with exit 1 and keeps them with --skip-invalid', async () => {
    const ws = mkdtempSync(path.join(workspace, 'ws-'));
    const refused = await run('import', fx('positions-mixed.csv'), '--workspace', ws, '--as-of', '2024-06-30');
    expect(refused.code).toBe(1);
    expect(refused.err.split('\n')[0]).toBe('almready: the input was refused (2 problems):');
    expect(refused.err).toMatch(/positions-mixed\.csv +3 +notional +0 +notional must be greater than 0/);
    expect(readdirSync(path.join(ws, 'datasets'))).toEqual([]);
    const kept = await run('import', fx('positions-mixed.csv'), '--workspace', ws, '--as-of', '2024-06-30', '--skip-invalid');
    expect(kept.code).toBe(0);
    expect(kept.out).toContain('rows: 3 positions, 0 curve points, 0 schedule flows; 2 rows skipped');
  });

  it('refuses bad options and unreadable mapping files with exit 2', async () => {
    const badMapping = path.join(workspace, 'mapping.json');
    writeFileSync(badMapping, '["not", "an", "object"]');
    const mapping = await run('import', fx('positions-basic.csv'), '--workspace', workspace, '--as-of', '2024-06-30', '--mapping', badMapping);
    expect(mapping.code).toBe(2);
    expect(mapping.err).toContain('the mapping file must hold one JSON object');
    const twoPositions = await run('import', fx('positions-basic.csv'), fx('positions-mixed.csv'), '--workspace', workspace);
    expect(twoPositions.code).toBe(2);
    expect(twoPositions.err).toContain('two positions files given (positions-basic.csv, positions-mixed.csv)');
    const missing = await run('import', fx('nothing.csv'), '--workspace', workspace);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/<files\.\.\.> +\S+nothing\.csv +no such file/);
  });

  it('classifies files by name and aligns tables', () => {
    const c = classifyFiles(['a/book.xlsx', 'b/curves.csv', 'c/flows_schedule.csv']);
    expect(c.ok && Object.fromEntries(Object.entries(c.sources).map(([k, v]) => [k, v?.originalName]))).toEqual({ positions: 'book.xlsx', curves: 'curves.csv', schedules: 'flows_schedule.csv' });
    expect(classifyFiles(['export.zip']).ok && classifyFiles(['export.zip'])).toMatchObject({ sources: { bankZip: { originalName: 'export.zip' } } });
    expect(formatTable(['name', 'amount'], [['a', '1.5'], ['bbb', '-20']])).toBe('name  amount\n----  ------\na        1.5\nbbb      -20');
  });
});
