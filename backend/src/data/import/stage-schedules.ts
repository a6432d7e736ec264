/** Scheduled principal flows `(position_id, date, principal)` from a CSV, into a staging table. */
import path from 'node:path';
import type { DuckDb } from '../duckdb.ts';
import { SCHEDULE_COLUMNS, fileError, resolveMapping, type ImportError, type ParseOptions } from '../schema/index.ts';
import { createStaged, csvSelect, preparedTarget } from './stage.ts';
import { sniffTextFile } from './text-source.ts';
import { firstLine } from './xlsx-rows.ts';

export type StagedSchedules = { ok: true; parse: ParseOptions } | { ok: false; errors: ImportError[] };

export async function stageScheduleCsv(
  db: DuckDb,
  table: string,
  o: { file: { path: string; originalName: string }; stagingDir: string; dateFormat: 'iso' | 'dd/mm/yyyy'; src: number },
): Promise<StagedSchedules> {
  const name = o.file.originalName;
  try {
    const sniffed = await sniffTextFile(o.file.path, path.join(o.stagingDir, `utf8-${o.src}.csv`));
    if (!sniffed.ok) return { ok: false, errors: [fileError(name, sniffed.reason)] };
    const { headers, delimiter } = sniffed.source;
    const resolved = resolveMapping(headers, SCHEDULE_COLUMNS);
    if (!resolved.ok) return { ok: false, errors: resolved.reasons.map((r) => ({ file: name, row: sniffed.source.headerLine, column: r.column, value: r.value, reason: r.reason })) };
    const select = Object.fromEntries(SCHEDULE_COLUMNS.map((c) => [c.name, `c${resolved.mapping.columns[c.name]}`]));
    await createStaged(db, table, [csvSelect({ src: o.src, select }, { path: sniffed.source.path, delimiter, fieldCount: headers.length, headerLine: sniffed.source.headerLine })]);
    return { ok: true, parse: { dateFormat: o.dateFormat, decimalComma: delimiter === ';', percentRates: false } };
  } catch (error) {
    return { ok: false, errors: [fileError(name, `the file cannot be read as CSV (${firstLine(error)})`)] };
  }
}

/** The prepared file of bank `payment` rows (dates dd/mm/yyyy, decimal comma). */
export async function stageBankSchedules(db: DuckDb, table: string, file: { path: string }): Promise<StagedSchedules> {
  const names = SCHEDULE_COLUMNS.map((c) => c.name);
  await createStaged(db, table, [csvSelect(preparedTarget(0, names), { path: file.path, delimiter: ',', fieldCount: names.length + 2, explicitRows: true })]);
  return { ok: true, parse: { dateFormat: 'dd/mm/yyyy', decimalComma: true, percentRates: false } };
}
