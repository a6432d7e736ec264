/**
 * Query-layer figures at one million positions: a sorted, filtered grid page (target < 100 ms
 * warm), a group-by with every aggregate (target < 200 ms), a CSV export and the cold first
 * request (instance open + lock-down + Parquet metadata), all with the page cache off, plus one
 * repeat through the page cache. Run: `npx tsx bench/data-query.ts`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDuckDb } from '../backend/src/data/duckdb.ts';
import { WorkspaceQueryService } from '../backend/src/data/query/index.ts';

/** `cpuMs` (all threads) is printed too: on a shared, loaded machine it is the steadier figure. */
export interface BenchFigure { name: string; ms: number; peakRssMb: number; cpuMs?: number }

const ROWS = 1_000_000;
const WARM_RUNS = 7;

/** Realistic-looking positions generated inside DuckDB (deterministic hashes, no JS loop). */
export async function writeDataset(datasetDir: string, rows = ROWS): Promise<void> {
  await fs.mkdir(datasetDir, { recursive: true });
  const db = await openDuckDb();
  try {
    await db.run(`COPY (
      SELECT
        'P' || lpad(range::VARCHAR, 8, '0') AS position_id,
        CASE WHEN h % 10 < 6 THEN 'asset' ELSE 'liability' END AS side,
        ['mortgage', 'consumer_loan', 'corporate_loan', 'sme_loan', 'term_deposit', 'current_account', 'savings', 'bond'][1 + (h // 10) % 8] AS product,
        ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'CHF'][1 + (h // 100) % 6] AS currency,
        round(1000 + (h // 1000) % 5000000 * 0.37, 2) AS notional,
        DATE '2015-01-01' + CAST((h // 7) % 3650 AS INTEGER) AS start_date,
        CASE WHEN (h // 10) % 8 IN (5, 6) THEN NULL ELSE DATE '2025-01-01' + CAST((h // 13) % 10950 AS INTEGER) END AS maturity_date,
        CASE WHEN (h // 10) % 8 IN (5, 6) THEN 'non_maturing' ELSE ['bullet', 'linear', 'annuity'][1 + (h // 17) % 3] END AS amortization,
        CASE WHEN (h // 19) % 3 = 0 THEN 'floating' ELSE 'fixed' END AS rate_type,
        round(((h // 23) % 600) / 10000.0, 5) AS rate,
        CASE WHEN (h // 19) % 3 = 0 THEN 'EUR_EURIBOR_3M' END AS "index",
        CASE WHEN (h // 19) % 3 = 0 THEN round(((h // 29) % 300) / 10000.0, 5) END AS spread,
        [1, 3, 6, 12][1 + (h // 31) % 4] AS payment_frequency_months,
        CASE WHEN (h // 19) % 3 = 0 THEN 3 END AS reset_frequency_months,
        CASE WHEN (h // 19) % 3 = 0 THEN DATE '2025-01-01' + CAST((h // 37) % 90 AS INTEGER) END AS next_reset_date,
        ['ACT/360', 'ACT/365', '30/360', 'ACT/ACT'][1 + (h // 41) % 4] AS day_count,
        CAST(NULL AS DOUBLE) AS floor, CAST(NULL AS DOUBLE) AS cap,
        CASE WHEN (h // 10) % 8 IN (5, 6) THEN 'retail_transactional' END AS nmd_category,
        CAST(NULL AS DOUBLE) AS cpr, CAST(NULL AS DOUBLE) AS tdrr,
        ['Retail', 'Corporate', 'Treasury'][1 + (h // 43) % 3] AS segment
      FROM (SELECT range, CAST(hash(range) // 2 AS BIGINT) AS h FROM range(${rows}))
    ) TO '${datasetDir}/positions.parquet' (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (VALUES ('EUR_ESTR_OIS', '1Y', 0.03, 1.0), ('EUR_EURIBOR_3M', '1Y', 0.032, 1.0)) AS t(curve_id, tenor, rate, time_years)) TO '${datasetDir}/curves.parquet' (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (VALUES ('P00000001', DATE '2025-06-30', 500.0)) AS t(position_id, date, principal)) TO '${datasetDir}/schedules.parquet' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  await fs.writeFile(path.join(datasetDir, 'manifest.json'), JSON.stringify({ asOf: '2024-12-31' }));
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

interface Timing<T> { ms: number; cpuMs: number; value: T }

async function timed<T>(fn: () => Promise<T>): Promise<Timing<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

/** Median wall time of repeated runs (and the CPU time of that run). */
async function median(fn: () => Promise<unknown>): Promise<Timing<null>> {
  const runs: Timing<null>[] = [];
  for (let i = 0; i < WARM_RUNS; i += 1) runs.push({ ...(await timed(fn)), value: null });
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)] as Timing<null>;
}

export async function benchDataQuery(): Promise<BenchFigure[]> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'almready-bench-query-'));
  const workspaceDir = path.join(root, 'workspaces', 'owner', 'workspace');
  // The figures measure queries, so this service remembers no pages; `cached` shows a repeat.
  const service = new WorkspaceQueryService({ pageCacheCells: 0 });
  const cached = new WorkspaceQueryService();
  const figures: BenchFigure[] = [];
  const record = (name: string, t: { ms: number; cpuMs: number }) => figures.push({ name, ms: Math.round(t.ms * 10) / 10, peakRssMb: peakRssMb(), cpuMs: Math.round(t.cpuMs) });
  try {
    record(`write ${ROWS.toLocaleString('en')}-position Parquet`, await timed(() => writeDataset(path.join(workspaceDir, 'datasets', 'd1'))));
    const gridPage = () => service.page(workspaceDir, 'd1', {
      table: 'positions', startRow: 5000, endRow: 5100,
      sortModel: [{ colId: 'notional', sort: 'desc' }],
      filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'EUR' }, product: { filterType: 'text', type: 'contains', filter: 'loan' } },
    });
    const cold = await timed(gridPage);
    record('grid page, cold (open + lock-down + first query)', cold);
    record(`grid page warm: EUR & product~loan, notional desc, rows 5000-5100 (rowCount ${cold.value.rowCount.toLocaleString('en')}, ${cold.value.rows.length} rows)`, await median(gridPage));
    const groups = await service.page(workspaceDir, 'd1', { table: 'positions', startRow: 0, endRow: 100, groupBy: ['product', 'currency'] });
    record(`group-by product, currency, all aggregates (${groups.rowCount} groups)`, await median(() => service.page(workspaceDir, 'd1', { table: 'positions', startRow: 0, endRow: 100, groupBy: ['product', 'currency'], sortModel: [{ colId: 'sum_notional', sort: 'desc' }] })));
    // With the page cache on (the server's default): a sorted page computes the next four ahead.
    const scroll = (startRow: number) => cached.page(workspaceDir, 'd1', { table: 'positions', startRow, endRow: startRow + 100, sortModel: [{ colId: 'notional', sort: 'desc' }], filterModel: { currency: { filterType: 'text', type: 'equals', filter: 'EUR' }, product: { filterType: 'text', type: 'contains', filter: 'loan' } } });
    await scroll(0);
    record('page cache on: sorted filtered page 5000-5100 plus 4 pages read ahead', await timed(() => scroll(5000)));
    record('page cache on: the next 4 pages while scrolling, total', await timed(async () => { for (let b = 1; b <= 4; b += 1) await scroll(5000 + b * 100); }));
    record('page cache on: the same page again', await median(() => scroll(5000)));
    record('row count only (unfiltered page of 100)', await median(() => service.page(workspaceDir, 'd1', { table: 'positions', startRow: 0, endRow: 100 })));
    let bytes = 0;
    const exported = await timed(() => service.exportCsv(workspaceDir, 'd1', { table: 'positions', filterModel: { currency: { filterType: 'set', values: ['EUR'] } } }, (chunk) => { bytes += chunk.length; }));
    record(`CSV export of EUR positions (${exported.value.rows.toLocaleString('en')} rows, ${Math.round(bytes / 1e6)} MB)`, exported);
    record('user SQL: sum(notional) by side, currency', await median(() => service.runSql(workspaceDir, 'd1', 'select side, currency, sum(notional) from positions group by all')));
  } finally {
    await service.closeAll();
    await cached.closeAll();
    await fs.rm(root, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchDataQuery();
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`${'step'.padEnd(width)}  ${'ms'.padStart(9)}  ${'cpu ms'.padStart(7)}  ${'peak RSS MB'.padStart(11)}`);
  for (const f of figures) console.log(`${f.name.padEnd(width)}  ${f.ms.toFixed(1).padStart(9)}  ${String(f.cpuMs ?? '').padStart(7)}  ${String(f.peakRssMb).padStart(11)}`);
}
