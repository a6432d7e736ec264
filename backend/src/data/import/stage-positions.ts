/**
 * Puts one positions source (CSV, XLSX, Parquet or bank ZIP) into the DuckDB staging table
 * `staged_positions` and reports the mapping used. Row parsing and rules come later (schema/).
 */
import path from 'node:path';
import type { DuckDb } from '../duckdb.ts';
import { POSITION_COLUMNS, fileError, resolveMapping, type ImportError, type ParseOptions } from '../schema/index.ts';
import { readBankZipOffThread } from './bank-zip.ts';
import { sourceFormat, type SourceFormat } from './file-type.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-limits.ts';
import { createStaged, csvSelect, parquetColumnTypes, parquetSelect, preparedTarget } from './stage.ts';
import { sniffTextFile } from './text-source.ts';
import { firstLine } from './xlsx-rows.ts';
import { stageXlsxOffThread } from './xlsx-stage.ts';
import { canonicalNames, targetOf } from './position-target.ts';


export interface StagePositionsOptions {
  file: { path: string; originalName: string; format?: SourceFormat };
  stagingDir: string;
  mapping?: Record<string, string>;
  dateFormat: 'iso' | 'dd/mm/yyyy';
  /** registers a file name for error reports, returns its __src ordinal */
  addSource: (name: string) => Promise<number>;
  /** ZIP bomb guard for bank exports and workbooks (config.ts) */
  zipLimits?: ZipLimits;
}

export type StagedPositions = {
  ok: true;
  format: SourceFormat;
  mapping: Record<string, string>;
  attributes: string[];
  parse: ParseOptions;
  asOf?: string;
  ignored: string[];
  /** prepared staging file of bank `payment` rows */
  bankSchedules?: { path: string; rows: number };
};

export type StagePositionsResult = StagedPositions | { ok: false; errors: ImportError[]; mapping: Record<string, string> };

function mappingErrors(file: string, reasons: { column: string; value: string; reason: string }[], headerLine = 1): ImportError[] {
  return reasons.map((r) => ({ file, row: headerLine, column: r.column, value: r.value, reason: r.reason }));
}

export async function stagePositions(db: DuckDb, o: StagePositionsOptions): Promise<StagePositionsResult> {
  const name = o.file.originalName;
  const format = sourceFormat(o.file);
  const iso: ParseOptions = { dateFormat: o.dateFormat, decimalComma: false, percentRates: false };
  const fail = (errors: ImportError[], mapping: Record<string, string> = {}) => ({ ok: false as const, errors, mapping });
  try {
    if (format === 'zip') {
      const bank = await readBankZipOffThread({
        zipPath: o.file.path, zipName: name, stagingDir: o.stagingDir, firstSrc: await o.addSource(name), explicitMapping: o.mapping ?? {}, limits: o.zipLimits ?? DEFAULT_ZIP_LIMITS,
      });
      if (!bank.ok) return fail(bank.errors, bank.mapping);
      for (const f of bank.files.slice(1)) await o.addSource(f.name);
      await db.run('UPDATE sources SET name = ? WHERE src = ?', [bank.files[0]!.name, bank.files[0]!.src]);
      const selects = bank.files.map((f) => csvSelect(preparedTarget(f.src, f.columns), { path: f.path, delimiter: ',', fieldCount: f.columns.length + 2, explicitRows: true }));
      await createStaged(db, 'staged_positions', selects);
      const attributes = [...new Set(bank.files.flatMap((f) => f.columns.filter((c) => !canonicalNames.includes(c))))];
      return {
        ok: true, format, mapping: bank.mapping, attributes, ignored: bank.ignored, bankSchedules: bank.schedules,
        parse: { dateFormat: 'dd/mm/yyyy', decimalComma: true, percentRates: true }, ...(bank.asOf ? { asOf: bank.asOf } : {}),
      };
    }
    const src = await o.addSource(name);
    if (format === 'parquet') {
      const types = await parquetColumnTypes(db, o.file.path).catch((error: unknown) => {
        throw new SourceError(`the file cannot be read as Parquet (${firstLine(error)})`);
      });
      const headers = [...types.keys()];
      const resolved = resolveMapping(headers, POSITION_COLUMNS, o.mapping);
      if (!resolved.ok) return fail(mappingErrors(name, resolved.reasons));
      await createStaged(db, 'staged_positions', [parquetSelect(targetOf(resolved.mapping, (i) => headers[i] ?? '', src), o.file.path, types)]);
      return { ok: true, format, mapping: resolved.mapping.used, attributes: Object.keys(resolved.mapping.attributes), ignored: [], parse: iso };
    }
    if (format === 'xlsx') return await stageXlsx(db, o, src, iso);
    const sniffed = await sniffTextFile(o.file.path, path.join(o.stagingDir, `utf8-${src}.csv`));
    if (!sniffed.ok) return fail([fileError(name, sniffed.reason)]);
    const { headers, delimiter } = sniffed.source;
    const resolved = resolveMapping(headers, POSITION_COLUMNS, o.mapping);
    if (!resolved.ok) return fail(mappingErrors(name, resolved.reasons, sniffed.source.headerLine));
    const target = targetOf(resolved.mapping, (i) => `c${i}`, src);
    await createStaged(db, 'staged_positions', [csvSelect(target, { path: sniffed.source.path, delimiter, fieldCount: headers.length, headerLine: sniffed.source.headerLine })]);
    return {
      ok: true, format, mapping: resolved.mapping.used, attributes: Object.keys(resolved.mapping.attributes), ignored: [],
      parse: { ...iso, decimalComma: delimiter === ';' },
    };
  } catch (error) {
    const reason = error instanceof SourceError ? error.message : `the file cannot be read as ${format.toUpperCase()} (${firstLine(error)})`;
    return fail([fileError(name, reason)]);
  }
}

class SourceError extends Error {}

async function stageXlsx(db: DuckDb, o: StagePositionsOptions, src: number, parse: ParseOptions): Promise<StagePositionsResult> {
  const staged = await stageXlsxOffThread({ path: o.file.path, name: o.file.originalName, src, stagingDir: o.stagingDir, ...(o.mapping ? { mapping: o.mapping } : {}), limits: o.zipLimits ?? DEFAULT_ZIP_LIMITS });
  if (!staged.ok) return { ok: false, errors: staged.errors, mapping: {} };
  await createStaged(db, 'staged_positions', [csvSelect(preparedTarget(src, staged.columns), { path: staged.path, delimiter: ',', fieldCount: staged.columns.length + 2, explicitRows: true })]);
  return { ok: true, format: 'xlsx', mapping: staged.used, attributes: staged.attributes, ignored: [], parse };
}
