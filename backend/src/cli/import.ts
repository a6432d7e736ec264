/**
 * `almready import <file...> --workspace <dir>`: creates a dataset in a workspace folder from
 * positions (CSV/XLSX/Parquet or bank ZIP), curves and schedules, and prints what it stored and the
 * column mapping it used. Also holds the text tables shared with `almready calc`.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { DatasetMeta, ImportDatasetOptions, SourceFile } from '../data/datasets/index.ts';
import type { ImportError } from '../data/schema/index.ts';
import type { CliContext, CliIo } from './main.ts';

/** Right-aligns numbers, left-aligns text; one space-padded line per row. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+%?$|^$|^n\/a$/.test(r[c] ?? '')));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printImportErrors(io: CliIo, errors: readonly ImportError[], total: number): void {
  io.err(`almready: the input was refused (${total} problem${total === 1 ? '' : 's'}${total > errors.length ? `, first ${errors.length} listed` : ''}):`);
  io.err(formatTable(['file', 'row', 'column', 'value', 'reason'], errors.map((e) => [e.file, e.row === 0 ? '-' : String(e.row), e.column, e.value, e.reason])));
}

export function printOptionErrors(io: CliIo, problems: readonly { option: string; value: string; reason: string }[]): void {
  io.err('almready: bad options:');
  io.err(formatTable(['option', 'value', 'reason'], problems.map((p) => [p.option, p.value, p.reason])));
}

export async function readMappingFile(file: string): Promise<{ ok: true; mapping: Record<string, string> } | { ok: false; reason: string }> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      return { ok: false, reason: 'the mapping file must hold one JSON object {"canonical_column": "source column", ...}' };
    }
    return { ok: true, mapping: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) };
  } catch (error) {
    return { ok: false, reason: `cannot read the mapping file (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** `--mapping <file>` when given: its mapping, or the problem printed as an option error. */
export async function readMappingOption(file: string | undefined, io: CliIo): Promise<{ ok: true; mapping?: Record<string, string> } | { ok: false }> {
  if (!file) return { ok: true };
  const read = await readMappingFile(file);
  if (read.ok) return { ok: true, mapping: read.mapping };
  printOptionErrors(io, [{ option: '--mapping', value: file, reason: read.reason }]);
  return { ok: false };
}

/** Options naming files that cannot be read, as option problems. */
export async function unreadableFiles(files: readonly { option: string; file: string | undefined }[]): Promise<{ option: string; value: string; reason: string }[]> {
  const problems: { option: string; value: string; reason: string }[] = [];
  for (const { option, file } of files) {
    if (file === undefined) continue;
    const readable = await stat(file).then((s) => s.isFile(), () => false);
    if (!readable) problems.push({ option, value: file, reason: 'no such file' });
  }
  return problems;
}

const sourceFile = (file: string): SourceFile => ({ path: path.resolve(file), originalName: path.basename(file) });

/** Positional files by role: a .zip is the bank export, names with "curve"/"schedul" are those tables. */
export function classifyFiles(files: readonly string[]): { ok: true; sources: ImportDatasetOptions['sources'] } | { ok: false; reason: string } {
  const sources: ImportDatasetOptions['sources'] = {};
  for (const file of files) {
    const base = path.basename(file).toLowerCase();
    const role = base.endsWith('.zip') ? 'bankZip' : base.includes('curve') ? 'curves' : base.includes('schedul') ? 'schedules' : 'positions';
    if (sources[role]) return { ok: false, reason: `two ${role} files given (${sources[role]!.originalName}, ${path.basename(file)}); pass one of each` };
    sources[role] = sourceFile(file);
  }
  return { ok: true, sources };
}

export function describeDataset(meta: DatasetMeta): string {
  const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return [
    `dataset ${meta.id} "${meta.name}" as of ${meta.asOf}`,
    `rows: ${meta.rows.positions} positions, ${meta.rows.curves} curve points, ${meta.rows.schedules} schedule flows${meta.skipped.count ? `; ${meta.skipped.count} rows skipped` : ''}`,
    '',
    formatTable(['side', 'currency', 'count', 'notional'], meta.totals.map((t) => [t.side, t.currency, String(t.count), money(t.notional)])),
    '',
    'mapping used:',
    formatTable(['column', 'source column'], Object.entries(meta.mapping).map(([k, v]) => [k, v])),
    ...(meta.attributes.length ? ['', `attributes kept: ${meta.attributes.join(', ')}`] : []),
    ...(meta.ignoredFiles.length ? ['', `ignored files: ${meta.ignoredFiles.join(', ')}`] : []),
  ].join('\n');
}

interface ImportFlags {
  workspace: string;
  workspaceId?: string;
  name?: string;
  asOf?: string;
  mapping?: string;
  skipInvalid?: boolean;
  dateFormat?: string;
  curves?: string;
  schedules?: string;
  json?: boolean;
}

export function registerImport(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('import positions (CSV, XLSX, Parquet or bank ZIP), curves and schedules as a dataset of a workspace folder')
    .argument('<files...>', 'positions file or bank ZIP, optionally curves and schedules files (recognised by name)')
    .requiredOption('--workspace <dir>', 'workspace folder; the dataset goes to <dir>/datasets/<id>/')
    .option('--workspace-id <id>', 'workspace id recorded in the manifest (default: the folder name)')
    .option('--name <name>', 'dataset name (default: the positions file name)')
    .option('--as-of <yyyy-mm-dd>', 'analysis date (the bank ZIP carries its own Reference day)')
    .option('--mapping <json file>', 'explicit column mapping {"canonical": "source column"}')
    .option('--skip-invalid', 'import the valid rows and record the rejected ones instead of refusing the file')
    .option('--date-format <format>', 'iso or dd/mm/yyyy')
    .option('--curves <file>', 'curves file (long curve_id,tenor,rate or the wide workbook)')
    .option('--schedules <file>', 'scheduled principal flows (position_id,date,principal)')
    .option('--json', 'print the dataset metadata as JSON')
    .action(async (files: string[], flags: ImportFlags) => {
      context.exitCode = await runImport(files, flags, context.io);
    });
}

async function runImport(files: string[], flags: ImportFlags, io: CliIo): Promise<number> {
  const all = [...files, ...(flags.curves ? [flags.curves] : []), ...(flags.schedules ? [flags.schedules] : [])];
  const missing = await unreadableFiles([...all.map((file) => ({ option: '<files...>', file })), { option: '--mapping', file: flags.mapping }]);
  if (missing.length > 0) {
    printOptionErrors(io, missing);
    return 2;
  }
  const classified = classifyFiles(all);
  if (!classified.ok) {
    printOptionErrors(io, [{ option: '<files...>', value: files.join(' '), reason: classified.reason }]);
    return 2;
  }
  if (flags.dateFormat !== undefined && flags.dateFormat !== 'iso' && flags.dateFormat !== 'dd/mm/yyyy') {
    printOptionErrors(io, [{ option: '--date-format', value: flags.dateFormat, reason: 'use iso or dd/mm/yyyy' }]);
    return 2;
  }
  const mappingOption = await readMappingOption(flags.mapping, io);
  if (!mappingOption.ok) return 2;
  const mapping = mappingOption.mapping;
  const main = classified.sources.positions ?? classified.sources.bankZip;
  const workspaceDir = path.resolve(flags.workspace);
  // Loaded here, not at start-up (DuckDB and the spreadsheet reader), so `--help` stays quick.
  const { importDataset } = await import('../data/datasets/index.ts');
  const result = await importDataset({
    workspaceDir,
    workspaceId: flags.workspaceId ?? path.basename(workspaceDir),
    name: flags.name ?? main?.originalName ?? 'dataset',
    createdBy: os.userInfo().username || 'cli',
    sources: classified.sources,
    ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
    ...(mapping ? { mapping } : {}),
    ...(flags.skipInvalid ? { skipInvalid: true } : {}),
    ...(flags.dateFormat === 'dd/mm/yyyy' || flags.dateFormat === 'iso' ? { dateFormat: flags.dateFormat } : {}),
  });
  if (!result.ok) {
    printImportErrors(io, result.errors, result.total);
    if (Object.keys(result.mapping).length) io.err(`mapping used:\n${formatTable(['column', 'source column'], Object.entries(result.mapping))}`);
    return 1;
  }
  io.out(flags.json ? JSON.stringify(result.dataset, null, 2) : describeDataset(result.dataset));
  return 0;
}
