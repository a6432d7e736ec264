/**
 * Import benchmark: a 1,000,000-row canonical CSV generated from `syntheticBalanceSheet` is
 * imported as a dataset (validation, Parquet, manifest), then loaded back into engine columns.
 * Each phase runs in its own child process so its peak RSS is its own. Target: import < 10 s, < 1 GB.
 * Run directly: `npx tsx bench/data-import.ts` (set ALMREADY_BENCH_ROWS for a smaller run).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, NO_DATE, RATE_TYPES, dictionaryValue, formatIsoDate, syntheticBalanceSheet } from '@almready/engine';
import { importDataset, loadDataset } from '../backend/src/data/datasets/index.ts';

const AS_OF = '2024-12-31';
const HEADER = [
  'position_id', 'side', 'product', 'currency', 'notional', 'start_date', 'maturity_date', 'amortization', 'rate_type', 'rate', 'index', 'spread',
  'payment_frequency_months', 'reset_frequency_months', 'next_reset_date', 'day_count', 'floor', 'cap', 'nmd_category', 'cpr', 'tdrr', 'segment', 'branch',
];

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let batch: string[] = [];
  const flush = async () => {
    if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
    batch = [];
  };
  for (const line of lines) {
    batch.push(line);
    if (batch.length === 10000) await flush();
  }
  if (batch.length) await flush();
  out.end();
  await once(out, 'finish');
}

/** The synthetic book as canonical CSV files (positions, curves, schedules). */
export async function writeSyntheticCsv(dir: string, rows: number): Promise<void> {
  const { positions: p, schedules: s, curves } = syntheticBalanceSheet({ positions: rows, asOf: AS_OF, seed: 7 });
  const date = (d: number) => (d === NO_DATE ? '' : formatIsoDate(d));
  const num = (x: number) => (Number.isNaN(x) ? '' : String(x));
  function* positionLines() {
    yield HEADER.join(',');
    for (let i = 0; i < p.length; i++) {
      const floating = p.rateType[i] === 1;
      yield [
        p.id[i], p.side[i] === 1 ? 'asset' : 'liability', dictionaryValue(p.product, i) ?? '', dictionaryValue(p.currency, i) ?? '', p.notional[i],
        date(p.startDate[i]!), date(p.maturityDate[i]!), AMORTIZATIONS[p.amortization[i]!], RATE_TYPES[p.rateType[i]!], p.rate[i],
        floating ? dictionaryValue(p.index, i) ?? '' : '', num(p.spread[i]!), p.paymentFrequencyMonths[i], floating ? p.resetFrequencyMonths[i] : '',
        floating ? date(p.nextResetDate[i]!) : '', DAY_COUNTS[p.dayCount[i]!], num(p.floor[i]!), num(p.cap[i]!),
        p.nmdCategory[i]! >= 0 ? NMD_CATEGORIES[p.nmdCategory[i]!] : '', num(p.cpr[i]!), num(p.tdrr[i]!),
        dictionaryValue(p.attributes.segment!, i) ?? '', dictionaryValue(p.attributes.branch!, i) ?? '',
      ].join(',');
    }
  }
  function* scheduleLines() {
    yield 'position_id,date,principal';
    for (let k = 0; k < s.length; k++) yield `${p.id[s.positionIndex[k]!]},${formatIsoDate(s.date[k]!)},${s.principal[k]}`;
  }
  await writeLines(path.join(dir, 'positions.csv'), positionLines());
  await writeLines(path.join(dir, 'schedules.csv'), scheduleLines());
  await writeLines(path.join(dir, 'curves.csv'), ['curve_id,tenor,rate', ...curves.map((c) => `${c.curve_id},${c.tenor},${c.rate}`)]);
}

async function importPhase(dir: string): Promise<number> {
  const file = (name: string) => ({ path: path.join(dir, name), originalName: name });
  const start = performance.now();
  const result = await importDataset({
    workspaceDir: path.join(dir, 'ws'), workspaceId: 'bench', datasetId: 'bench', name: 'bench', asOf: AS_OF, createdBy: 'bench',
    sources: { positions: file('positions.csv'), curves: file('curves.csv'), schedules: file('schedules.csv') },
  });
  if (!result.ok) throw new Error(`import refused: ${result.total} errors, first ${JSON.stringify(result.errors.slice(0, 3))}`);
  return performance.now() - start;
}

async function loadPhase(dir: string): Promise<number> {
  const start = performance.now();
  const loaded = await loadDataset(path.join(dir, 'ws', 'datasets', 'bench'));
  if (loaded.positions.length === 0) throw new Error('nothing loaded');
  return performance.now() - start;
}

const phases: Record<string, (dir: string) => Promise<number>> = { import: importPhase, load: loadPhase };

/** Runs one phase in a child process; the child prints `{ms, peakRssMb}`. */
function runPhase(phase: string, dir: string): { ms: number; peakRssMb: number; cpuMs: number } {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--phase', phase, dir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${phase} phase failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; peakRssMb: number; cpuMs: number };
}

/** `cpuMs` (user + system time of the phase's process) tells a slow machine from a slow import. */
export async function benchDataImport(): Promise<{ name: string; ms: number; peakRssMb: number; cpuMs?: number }[]> {
  const rows = Number(process.env.ALMREADY_BENCH_ROWS ?? 1_000_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almready-bench-import-'));
  try {
    const start = performance.now();
    await writeSyntheticCsv(dir, rows);
    const generated = { name: `generate ${rows.toLocaleString('en-US')}-row CSV`, ms: performance.now() - start, peakRssMb: process.resourceUsage().maxRSS / 1024 };
    return [
      generated,
      { name: `import ${rows.toLocaleString('en-US')}-row CSV as a dataset`, ...runPhase('import', dir) },
      { name: `load ${rows.toLocaleString('en-US')} positions into engine columns`, ...runPhase('load', dir) },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const phaseIndex = process.argv.indexOf('--phase');
if (phaseIndex >= 0) {
  const phase = phases[process.argv[phaseIndex + 1] ?? ''];
  const dir = process.argv[phaseIndex + 2];
  if (!phase || !dir) throw new Error('usage: data-import.ts --phase import|load <dir>');
  const ms = await phase(dir);
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ ms, peakRssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const r of await benchDataImport()) {
    const cpu = r.cpuMs === undefined ? '' : `  (cpu ${(r.cpuMs / 1000).toFixed(2)} s)`;
    console.log(`   ${r.name.padEnd(48)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.peakRssMb.toFixed(0).padStart(6)} MB${cpu}`);
  }
}
