import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { loadDataset } from './load-dataset.ts';
import { datasetEntries, fixture, fixturesDir, importOptions, removeTempWorkspaces, tempWorkspace } from './test-workspace.ts';

afterAll(removeTempWorkspaces);

describe('row validation (methodology §1.1)', () => {
  it('reports every broken rule with row, column, value and reason, and keeps nothing', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-errors.csv') } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const expected = JSON.parse(readFileSync(path.join(fixturesDir, 'positions-errors.expected.json'), 'utf8')) as object[];
    expect(result.errors).toEqual(expected.map((e) => ({ file: 'positions-errors.csv', ...e })));
    expect(result.total).toBe(20);
    expect(result.mapping.notional).toBe('notional');
    // all-or-nothing: no dataset directory and no temp directory left behind
    expect(datasetEntries(ws)).toEqual([]);
  });

  it('accepts dd/mm/yyyy only when told', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { dateFormat: 'dd/mm/yyyy', sources: { positions: fixture('positions-errors.csv') } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.find((e) => e.row === 7)).toBeUndefined();
    expect(result.total).toBe(19);
  });

  it('skipInvalid keeps the valid rows and the skipped-row report', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { skipInvalid: true, sources: { positions: fixture('positions-mixed.csv') } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.dataset.rows.positions).toBe(3);
    expect(result.dataset.skipped).toEqual({
      count: 2,
      errors: [
        { file: 'positions-mixed.csv', row: 3, column: 'notional', value: '0', reason: 'notional must be greater than 0' },
        { file: 'positions-mixed.csv', row: 5, column: 'maturity_date', value: '2020-01-01', reason: 'maturity_date is not after the analysis date 2024-06-30' },
      ],
    });
    const dir = path.join(ws, 'datasets', result.dataset.id);
    const skipped = JSON.parse(readFileSync(path.join(dir, 'skipped.json'), 'utf8')) as { rows: number; totalErrors: number };
    expect(skipped).toMatchObject({ rows: 2, totalErrors: 2 });
    const loaded = await loadDataset(dir);
    expect(loaded.positions.id).toEqual(['M1', 'M3', 'M5']);
  });

  it('refuses the same mixed file without skipInvalid', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-mixed.csv') } }));
    expect(result.ok).toBe(false);
    expect(result.ok ? 0 : result.total).toBe(2);
    expect(datasetEntries(ws)).toEqual([]);
  });

  it('checks currencies and indexes against the curves given with the positions', async () => {
    const ws = tempWorkspace();
    const curves = { path: path.join(fixturesDir, 'curves-long.csv'), originalName: 'curves.csv' };
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-mixed.csv'), curves } }));
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors.filter((e) => e.column === 'currency')).toEqual([
      { file: 'positions-mixed.csv', row: 5, column: 'currency', value: 'GBP', reason: 'no curve for currency GBP (curves cover: EUR, USD)' },
    ]);
  });

  it('validates schedules: ids must exist, scheduled positions only, dates and amounts readable', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-scheduled.csv'), schedules: fixture('schedules-unknown-id.csv') } }));
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors).toEqual([
      { file: 'schedules-unknown-id.csv', row: 3, column: 'position_id', value: 'S9', reason: 'position_id is not among the imported positions' },
      { file: 'schedules-unknown-id.csv', row: 4, column: 'position_id', value: 'B1', reason: 'schedule rows belong to positions with amortization scheduled only' },
      { file: 'schedules-unknown-id.csv', row: 5, column: 'date', value: '2026-13-01', reason: 'date is not a valid date (expected yyyy-mm-dd)' },
      { file: 'schedules-unknown-id.csv', row: 5, column: 'principal', value: '-4', reason: 'principal must be greater than 0 (a repayment)' },
    ]);
    expect(datasetEntries(ws)).toEqual([]);
  });

  it('imports schedules sorted by position then date', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-scheduled.csv'), schedules: fixture('schedules.csv') } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.dataset.rows.schedules).toBe(3);
    const loaded = await loadDataset(path.join(ws, 'datasets', result.dataset.id));
    expect(Array.from(loaded.schedules.positionIndex)).toEqual([0, 0, 0]);
    expect(Array.from(loaded.schedules.date)).toEqual([20269, 20453, 20634]);
    expect(Array.from(loaded.schedules.principal)).toEqual([1000, 1000, 1500]);
  });

  it('refuses curves with two tenors at the same pillar and unreadable rates', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-basic.csv'), curves: fixture('curves-duplicate-pillar.csv') } }));
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors).toEqual([
      { file: 'curves-duplicate-pillar.csv', row: 4, column: 'tenor', value: '1Y', reason: 'curve EUR_ESTR_OIS already has a pillar at the same time (12M); keep only one of them' },
      { file: 'curves-duplicate-pillar.csv', row: 5, column: 'rate', value: 'abc', reason: 'rate must be a finite decimal (0.025 for 2.5%)' },
    ]);
  });

  it('refuses bad options before touching any file', async () => {
    const ws = tempWorkspace();
    const result = await importDataset(importOptions(ws, { name: ' ', asOf: '2024-02-30', sources: {} }));
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors.map((e) => `${e.column}: ${e.reason}`)).toEqual([
      'name: give the dataset a name',
      'as_of: as_of must be a real date written yyyy-mm-dd',
      'sources: a dataset needs a positions file (CSV, XLSX, Parquet) or a bank ZIP export',
    ]);
    expect(datasetEntries(ws)).toEqual([]);
  });

  it('requires an analysis date when the source does not carry one', async () => {
    const ws = tempWorkspace();
    const { asOf: _asOf, ...rest } = importOptions(ws, { sources: { positions: fixture('positions-basic.csv') } });
    const result = await importDataset(rest);
    expect(result.ok ? '' : result.errors[0]?.reason).toBe('no analysis date: give asOf (yyyy-mm-dd); only the bank ZIP export carries its own Reference day');
    expect(datasetEntries(ws)).toEqual([]);
  });
});
