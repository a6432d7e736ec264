/**
 * A finished run's result tables as files: one table as CSV, the whole run as one XLSX workbook
 * (a summary sheet, then one sheet per table). Numbers stay numbers (typed cells in XLSX, bare in
 * CSV) and lose their float noise: a sum such as 0.1 + 0.2 is written as 0.3, not
 * 0.30000000000000004. Text that a spreadsheet would run as a formula is neutralised in both
 * (data/query/csv.ts FORMULA_STARTS): a scenario or product named `=HYPERLINK(…)` stays text.
 */
import ExcelJS from 'exceljs';
import type { RunSummary } from '@almready/contracts';
import { csvLine, neutraliseFormula } from '../data/query/csv.ts';
import { RESULT_TABLES, type ResultTable, type ResultTableName } from './worker-protocol.ts';

/** A run's result tables (readRunTables); a table a run made before it existed may be absent. */
export interface RunTables {
  tables: Partial<Record<ResultTableName, ResultTable>>;
  summary?: unknown;
}

/**
 * A double with the digits it really holds: 15 significant digits, the precision an IEEE double
 * carries exactly, so the last-bit residue of additions disappears and no real digit is lost.
 */
export function cleanNumber(value: number): number {
  if (!Number.isFinite(value) || value === 0 || Number.isInteger(value)) return value;
  return Number(value.toPrecision(15));
}

function cell(value: unknown): unknown {
  return typeof value === 'number' ? cleanNumber(value) : value;
}

export function tableCsv(table: ResultTable): string {
  const names = table.columns.map((c) => c.name);
  return csvLine(names) + table.rows.map((row) => csvLine(names.map((n) => cell(row[n])))).join('');
}

/** What a spreadsheet cell holds: numbers and booleans typed, text neutralised, nulls empty. */
function xlsxValue(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return cleanNumber(value);
  if (typeof value === 'boolean') return value;
  return neutraliseFormula(typeof value === 'string' ? value : JSON.stringify(value));
}

export interface WorkbookRun {
  id: string;
  datasetId: string;
  settings: unknown;
  summary: RunSummary;
}

function summaryRows(run: WorkbookRun): [string, ExcelJS.CellValue][] {
  const s = run.summary;
  const currencies = s.currencies ?? [];
  return [
    ['Run', run.id],
    ['Dataset', run.datasetId],
    ['As of', s.asOf],
    ['Method', s.method],
    ['Engine version', s.engineVersion],
    ['Positions', s.positions],
    ['Currencies', currencies.join(', ')],
    ['Totals are in', reportingCurrencyLabel(currencies)],
    ['EVE base', cleanNumber(s.eveBase)],
    ['Worst ΔEVE', cleanNumber(s.worstEve.delta)],
    ['Worst ΔEVE scenario', s.worstEve.scenario],
    ['EVE loss (BCBS)', cleanNumber(s.eveLoss)],
    ['NII base', cleanNumber(s.niiBase)],
    ['Worst ΔNII', cleanNumber(s.worstNii.delta)],
    ['Worst ΔNII scenario', s.worstNii.scenario],
    ['Settings', neutraliseFormula(JSON.stringify(run.settings))],
  ];
}

/** The currency every total of a run is stated in; a sum over several currencies is not converted. */
export function reportingCurrencyLabel(currencies: readonly string[]): string {
  if (currencies.length === 0) return 'unknown (run made before currencies were recorded)';
  if (currencies.length === 1) return currencies[0] as string;
  return `${currencies.join(' + ')} summed without FX conversion; see the by-currency tables`;
}

export async function runWorkbook(run: WorkbookRun, result: RunTables): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'ALMReady';
  const summary = book.addWorksheet('summary');
  summary.columns = [{ header: 'Item', width: 22 }, { header: 'Value', width: 60 }];
  for (const [item, value] of summaryRows(run)) summary.addRow([item, value]);
  summary.getRow(1).font = { bold: true };
  for (const name of RESULT_TABLES) {
    const table = result.tables[name];
    if (!table || table.columns.length === 0) continue;
    const sheet = book.addWorksheet(name);
    sheet.columns = table.columns.map((c) => ({ header: c.name, width: Math.max(12, c.name.length + 2) }));
    for (const row of table.rows) sheet.addRow(table.columns.map((c) => xlsxValue(row[c.name])));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
