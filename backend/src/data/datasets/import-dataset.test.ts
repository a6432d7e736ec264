import { mkdtempSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../duckdb.ts';
import { importDataset } from './import-dataset.ts';
import { loadDataset } from './load-dataset.ts';
import { deleteDataset, listDatasets, readDatasetMeta } from './dataset-store.ts';
import { importOptions } from './test-workspace.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => ({ path: path.join(fixtures, name), originalName: name });
const workspaces: string[] = [];
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'almready-ds-'));
  workspaces.push(dir);
  return dir;
}
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await Promise.all(workspaces.map((w) => rm(w, { recursive: true, force: true })));
});

describe('importDataset: canonical CSV', () => {
  it('writes positions, curves and empty schedules Parquet with a manifest', async () => {
    const ws = workspace();
    const result = await importDataset(importOptions(ws, { sources: { positions: fixture('positions-basic.csv'), curves: fixture('curves-long.csv') } }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const meta = result.dataset;
    expect(meta.rows).toEqual({ positions: 5, curves: 7, schedules: 0 });
    expect(meta.createdAt).toBe('2024-07-01T08:00:00.000Z');
    expect(meta.totals).toEqual([
      { side: 'asset', currency: 'EUR', count: 2, notional: 350000.5 },
      { side: 'asset', currency: 'USD', count: 1, notional: 5000 },
      { side: 'liability', currency: 'EUR', count: 2, notional: 200000 },
    ]);
    expect(meta.attributes).toEqual(['segment']);
    expect(meta.mapping.position_id).toBe('position_id');
    expect(meta.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const dir = path.join(ws, 'datasets', meta.id);
    expect(readdirSync(dir).sort()).toEqual(['curves.parquet', 'manifest.json', 'positions.parquet', 'schedules.parquet']);
    expect(readdirSync(path.join(ws, 'datasets'))).toEqual([meta.id]);

    const db = await openDuckDb();
    const rows = await db.all(`SELECT position_id, notional, CAST(maturity_date AS VARCHAR) m, "index", reset_frequency_months r, payment_frequency_months f, day_count, segment FROM read_parquet('${dir}/positions.parquet')`);
    const types = await db.all(`DESCRIBE SELECT * FROM read_parquet('${dir}/positions.parquet')`);
    const schedules = await db.all(`DESCRIBE SELECT * FROM read_parquet('${dir}/schedules.parquet')`);
    db.close();
    expect(rows[1]).toEqual({ position_id: 'L2', notional: 250000.5, m: '2028-06-30', index: 'EUR_EURIBOR_3M', r: 3, f: 3, day_count: 'ACT/360', segment: 'corporate' });
    // defaults: bullet pays yearly, others monthly; ACT/365 when no day count
    expect(rows[3]).toMatchObject({ position_id: 'D1', f: 12, day_count: 'ACT/365', index: null, r: null });
    expect(rows[2]).toMatchObject({ position_id: 'L3', f: 1, day_count: 'ACT/365' });
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toMatchObject({
      notional: 'DOUBLE', maturity_date: 'DATE', payment_frequency_months: 'INTEGER', segment: 'VARCHAR', side: 'VARCHAR',
    });
    expect(schedules.map((s) => `${s.column_name}:${s.column_type}`)).toEqual(['position_id:VARCHAR', 'date:DATE', 'principal:DOUBLE']);

    const loaded = await loadDataset(dir);
    expect(loaded.asOf).toBe('2024-06-30');
    expect(loaded.positions.id).toEqual(['L1', 'L2', 'L3', 'D1', 'D2']);
    expect(Array.from(loaded.positions.side)).toEqual([1, 1, 1, -1, -1]);
    expect(Array.from(loaded.positions.amortization)).toEqual([2, 0, 1, 0, 4]);
    expect(Array.from(loaded.positions.rateType)).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(loaded.positions.maturityDate.slice(0, 2))).toEqual([25581, 21365]);
    expect(loaded.positions.maturityDate[4]).toBe(-2147483648);
    expect(Array.from(loaded.positions.resetFrequencyMonths)).toEqual([0, 3, 0, 0, 0]);
    expect(Array.from(loaded.positions.nmdCategory)).toEqual([-1, -1, -1, -1, 0]);
    expect(Array.from(loaded.positions.dayCount)).toEqual([2, 0, 1, 1, 1]);
    expect(loaded.positions.cpr[0]).toBe(0.05);
    expect(Number.isNaN(loaded.positions.cpr[1])).toBe(true);
    expect(loaded.positions.currency.values).toEqual(['EUR', 'USD']);
    expect(Array.from(loaded.positions.currency.codes)).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(loaded.positions.index.codes)).toEqual([-1, 0, -1, -1, -1]);
    expect(loaded.positions.attributes.segment?.values).toEqual(['retail', 'corporate']);
    expect(loaded.curves[0]).toEqual({ curve_id: 'EUR_ESTR_OIS', tenor: 'ON', rate: 0.03 });
    expect(loaded.schedules.length).toBe(0);

    expect((await listDatasets(ws)).map((d) => d.id)).toEqual([meta.id]);
    expect((await readDatasetMeta(ws, meta.id))?.rows.positions).toBe(5);
    expect(await readDatasetMeta(ws, '../etc')).toBeUndefined();
    expect(await deleteDataset(ws, meta.id)).toBe(true);
    expect(readdirSync(path.join(ws, 'datasets'))).toEqual([]);
    expect(await deleteDataset(ws, meta.id)).toBe(false);
  });
});
