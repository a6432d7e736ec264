/**
 * Streams the rows of a workbook's first worksheet as text cells (exceljs WorkbookReader), so a
 * large sheet never sits whole in memory. Dates become yyyy-mm-dd, numbers their shortest text.
 */
import ExcelJS from 'exceljs';
import { errorLine } from './read-error.ts';
import { DEFAULT_ZIP_LIMITS, checkZipArchive, type ZipLimits } from './zip-limits.ts';

export type XlsxRowHandler = (cells: string[], rowNumber: number) => Promise<void> | void;

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: unknown };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return String(v.error);
  }
  return String(value);
}

/** Calls `onRow` for every non-empty row of the first worksheet (1-based sheet row numbers). */
export async function readFirstSheet(
  path: string,
  onRow: XlsxRowHandler,
  guard: { label: string; limits?: ZipLimits } = { label: 'the workbook' },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  // A workbook is a ZIP: sizes, ratios and the data itself are checked before exceljs inflates it.
  const checked = await checkZipArchive(path, guard.label, guard.limits ?? DEFAULT_ZIP_LIMITS, true);
  if (!checked.ok) return { ok: false, reason: checked.damaged === undefined ? checked.reason : `the file cannot be read as an XLSX workbook (${checked.damaged})` };
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      entries: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    });
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i += 1) cells.push(cellText(values[i]).trim());
        if (cells.some((c) => c !== '')) await onRow(cells, row.number);
      }
      return { ok: true };
    }
    return { ok: false, reason: 'the workbook has no worksheet' };
  } catch (error) {
    return { ok: false, reason: `the file cannot be read as an XLSX workbook (${firstLine(error)})` };
  }
}

/** The first line of an error's message, without file-system paths (read-error.ts). */
export const firstLine = errorLine;
