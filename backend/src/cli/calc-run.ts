/**
 * The run behind `almready calc` (its options are in calc.ts): positions and curves go through the
 * same import rules as an upload (readSources: the valid rows straight into engine columns, no
 * dataset written), then the engine over two threads (calc-split.ts).
 * `--json` prints exactly one JSON object on stdout; otherwise aligned tables.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AnalysisInputError, buildCurveSet, defaultSettings, type AnalysisResult, type AnalysisSettings } from '@almready/engine';
import { readSources } from '../data/datasets/read-sources.ts';
import { sharedArrays } from '../data/datasets/column-stream.ts';
import { CalcWorker, SPLIT_MIN_FILE_BYTES, analyseSplit } from './calc-split.ts';
import { isRealIsoDate } from '../data/datasets/import-options.ts';
import { formatTable, printImportErrors, printOptionErrors, readMappingOption, unreadableFiles } from './import.ts';
import type { CliIo } from './main.ts';
import type { CalcFlags } from './calc.ts';
import { assumptionsFileSchema } from '../runs/settings.ts';

type Problem = { option: string; value: string; reason: string };

export function calcSettings(flags: CalcFlags): { ok: true; settings: AnalysisSettings } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isRealIsoDate(flags.asOf)) problems.push({ option: '--as-of', value: flags.asOf, reason: 'must be a real date yyyy-mm-dd' });
  if (flags.method !== 'full' && flags.method !== 'standardised') problems.push({ option: '--method', value: flags.method, reason: 'use full or standardised' });
  if (flags.floor !== 'eu' && flags.floor !== 'none') problems.push({ option: '--floor', value: flags.floor, reason: 'use eu or none' });
  if (flags.dateFormat !== undefined && flags.dateFormat !== 'iso' && flags.dateFormat !== 'dd/mm/yyyy') problems.push({ option: '--date-format', value: flags.dateFormat, reason: 'use iso or dd/mm/yyyy' });
  const tier1 = flags.tier1 === undefined ? undefined : Number(flags.tier1);
  if (tier1 !== undefined && !(Number.isFinite(tier1) && tier1 > 0)) problems.push({ option: '--tier1', value: String(flags.tier1), reason: 'must be a positive amount' });
  const horizon = Number(flags.niiHorizon);
  if (!/^\d+$/.test(flags.niiHorizon) || horizon < 1 || horizon > 120) problems.push({ option: '--nii-horizon', value: flags.niiHorizon, reason: 'must be a whole number of months from 1 to 120' });
  const scenarios = flags.scenarios.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (scenarios.length === 0) problems.push({ option: '--scenarios', value: flags.scenarios, reason: 'give all or a comma list of scenario ids' });
  if (problems.length > 0) return { ok: false, problems };
  const settings: AnalysisSettings = {
    ...defaultSettings(flags.asOf),
    method: flags.method === 'standardised' ? 'standardised' : 'full',
    floor: flags.floor === 'none' ? 'none' : 'eu',
    niiHorizonMonths: horizon,
    ...(tier1 !== undefined ? { tier1 } : {}),
  };
  if (!(scenarios.length === 1 && scenarios[0] === 'all')) settings.scenarios = scenarios.filter((s) => s !== 'base');
  return { ok: true, settings };
}

export async function runCalc(flags: CalcFlags, io: CliIo): Promise<number> {
  const checked = calcSettings(flags);
  if (!checked.ok) {
    printOptionErrors(io, checked.problems);
    return 2;
  }
  const missing = await unreadableFiles([
    { option: '--positions', file: flags.positions }, { option: '--curves', file: flags.curves },
    { option: '--schedules', file: flags.schedules }, { option: '--mapping', file: flags.mapping },
    { option: '--assumptions', file: flags.assumptions },
  ]);
  if (missing.length > 0) {
    printOptionErrors(io, missing);
    return 2;
  }
  const mappingOption = await readMappingOption(flags.mapping, io);
  if (!mappingOption.ok) return 2;
  const mapping = mappingOption.mapping;
  if (flags.assumptions) {
    const read = await readAssumptionsFile(flags.assumptions);
    if (!read.ok) {
      printOptionErrors(io, read.reasons.map((reason) => ({ option: '--assumptions', value: flags.assumptions as string, reason })));
      return 2;
    }
    Object.assign(checked.settings, read.assumptions);
  }
  const file = (p: string) => ({ path: path.resolve(p), originalName: path.basename(p) });
  // the worker boots while the files are read; a small book is computed on this thread alone
  const worker = (await stat(flags.positions)).size >= SPLIT_MIN_FILE_BYTES ? new CalcWorker() : undefined;
  try {
    const read = await readSources({
      asOf: flags.asOf, alloc: sharedArrays,
      sources: { positions: file(flags.positions), curves: file(flags.curves), ...(flags.schedules ? { schedules: file(flags.schedules) } : {}) },
      ...(mapping ? { mapping } : {}),
      ...(flags.dateFormat === 'dd/mm/yyyy' ? { dateFormat: 'dd/mm/yyyy' as const } : {}),
    });
    if (!read.ok) {
      printImportErrors(io, read.errors, read.total);
      return 1;
    }
    const curves = buildCurveSet(read.curves);
    if (!curves.ok) {
      printImportErrors(io, curves.errors.map((e) => ({ file: path.basename(flags.curves), ...e })), curves.errors.length);
      return 1;
    }
    let result: AnalysisResult;
    try {
      result = await analyseSplit({ positions: read.positions, schedules: read.schedules, curves: curves.curves, settings: checked.settings }, read.curves, worker);
    } catch (error) {
      if (!(error instanceof AnalysisInputError)) throw error;
      io.err('almready: the analysis cannot run:');
      for (const message of error.messages) io.err(`  - ${message}`);
      return 1;
    }
    io.out(flags.json ? JSON.stringify(result) : calcReport(result));
    return 0;
  } finally {
    await worker?.close();
  }
}

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const percent = (n: number | null) => (n === null ? 'n/a' : `${(n * 100).toFixed(2)}%`);

/** The readable report: EVE and NII by scenario with % of Tier 1, outlier tests, gap, warnings. */
export function calcReport(r: AnalysisResult): string {
  const tier1 = r.sot.tier1;
  const ofTier1 = (delta: number) => (tier1 ? percent(delta / tier1) : 'n/a');
  const eveRows = [['base', money(r.eve.base), '0', 'n/a'], ...Object.entries(r.eve.scenarios).map(([id, s]) => [id, money(s.value), money(s.delta), ofTier1(s.delta)])];
  const niiRows = [['base', money(r.nii.base), '0', 'n/a'], ...Object.entries(r.nii.scenarios).map(([id, s]) => [id, money(s.value), money(s.delta), ofTier1(s.delta)])];
  const verdict = (name: string, t: AnalysisResult['sot']['eve'], limit: string) =>
    [name, limit, t.worst_scenario ?? '-', money(t.worst_delta), percent(t.ratio), tier1 === null ? 'not evaluated' : t.flagged ? 'OUTLIER' : 'pass'];
  return [
    `ALMReady IRRBB run as of ${r.as_of} (method ${r.method}, floor ${r.floor}, engine ${r.engine_version})`,
    '',
    'EVE',
    formatTable(['scenario', 'EVE', 'ΔEVE', '% Tier 1'], eveRows),
    '',
    `NII (${r.nii.horizon_months} months)`,
    formatTable(['scenario', 'NII', 'ΔNII', '% Tier 1'], niiRows),
    '',
    `Supervisory outlier tests${tier1 ? ` (Tier 1 ${money(tier1)})` : ''}`,
    formatTable(['test', 'limit', 'worst scenario', 'worst Δ', '% Tier 1', 'verdict'], [verdict('EVE', r.sot.eve, '-15%'), verdict('NII', r.sot.nii, '-5%')]),
    '',
    'Repricing gap',
    formatTable(['bucket', 'assets', 'liabilities', 'gap', 'cumulative'], r.gap.map((g) => [g.bucket, money(g.assets), money(g.liabilities), money(g.gap), money(g.cumulative_gap)])),
    ...(r.warnings.length ? ['', 'Warnings', ...r.warnings.map((w) => `  - ${w}`)] : []),
  ].join('\n');
}

async function readAssumptionsFile(file: string): Promise<{ ok: true; assumptions: Pick<AnalysisSettings, 'nmd' | 'balanceSheet'> } | { ok: false; reasons: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { ok: false, reasons: ['is not valid JSON'] };
  }
  const parsed = assumptionsFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reasons: parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)) };
  return { ok: true, assumptions: { ...(parsed.data.nmd ? { nmd: parsed.data.nmd } : {}), ...(parsed.data.balanceSheet ? { balanceSheet: parsed.data.balanceSheet } : {}) } };
}
