/**
 * Curves in the long format `curve_id, tenor, rate` (methodology §1.2) or the wide workbook of
 * formats.md (curve id, then one column per tenor), from CSV or XLSX. Validation is the engine's
 * `buildCurveSet` (tenor tokens, currency prefix, duplicate pillars such as 12M next to 1Y).
 */
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { buildCurveSet, type CurveRow } from '@almready/engine';
import { fileError, normaliseHeader, type ImportError } from '../schema/index.ts';
import { binaryKind, detectDelimiter } from './text-source.ts';
import { readFirstSheet } from './xlsx-rows.ts';
import { DEFAULT_ZIP_LIMITS, checkZipArchive, type ZipLimits } from './zip-limits.ts';
import { sourceFormat, type SourceFormat } from './file-type.ts';

export type CurvesResult = { ok: true; rows: CurveRow[]; ids: string[]; currencies: string[] } | { ok: false; errors: ImportError[] };

interface Located {
  row: CurveRow;
  line: number;
  column: string;
  text: string;
}

export function parseDecimalText(text: string, decimalComma: boolean): number {
  const compact = text.trim().replace(/\s+/g, '');
  if (compact === '') return Number.NaN;
  const value = Number(decimalComma ? compact.replace(',', '.') : compact);
  return Number.isFinite(value) ? value : Number.NaN;
}

export async function readCurves(file: { path: string; originalName: string; format?: SourceFormat }, zipLimits?: ZipLimits): Promise<CurvesResult> {
  const table = await readTable(file, zipLimits);
  if (!table.ok) return { ok: false, errors: [fileError(file.originalName, table.reason)] };
  const [header, ...body] = table.rows;
  if (!header || body.length === 0) return { ok: false, errors: [fileError(file.originalName, 'the curves file has no data rows under its header')] };
  const keys = header.cells.map(normaliseHeader);
  const long = ['curveid', 'tenor', 'rate'].every((k) => keys.includes(k));
  const located: Located[] = [];
  if (long) {
    const [id, tenor, rate] = ['curveid', 'tenor', 'rate'].map((k) => keys.indexOf(k)) as [number, number, number];
    for (const r of body) {
      const text = r.cells[rate] ?? '';
      located.push({ row: { curve_id: r.cells[id] ?? '', tenor: r.cells[tenor] ?? '', rate: parseDecimalText(text, table.decimalComma) }, line: r.line, column: 'rate', text });
    }
  } else {
    // wide: first column the curve id, every other header a tenor; blank cells are skipped
    for (const r of body) {
      for (let j = 1; j < header.cells.length; j += 1) {
        const text = r.cells[j] ?? '';
        if (text.trim() === '') continue;
        const tenor = header.cells[j] ?? '';
        located.push({ row: { curve_id: r.cells[0] ?? '', tenor, rate: parseDecimalText(text, table.decimalComma) }, line: r.line, column: tenor, text });
      }
    }
    if (located.length === 0) return { ok: false, errors: [fileError(file.originalName, 'no rates found; expected curve_id,tenor,rate columns or a wide sheet (curve id, then one column per tenor)')] };
  }
  const built = buildCurveSet(located.map((l) => l.row));
  if (built.ok) return { ok: true, rows: located.map((l) => l.row), ids: built.curves.ids(), currencies: built.curves.currencies() };
  const errors = built.errors.map((e): ImportError => {
    const at = located[e.row - 1];
    if (!at) return { file: file.originalName, row: 0, column: e.column, value: e.value, reason: e.reason };
    const column = long ? e.column : e.column === 'curve_id' ? header.cells[0] ?? 'curve_id' : at.column;
    const value = e.column === 'rate' ? at.text : e.value;
    return { file: file.originalName, row: at.line, column, value, reason: e.reason };
  });
  return { ok: false, errors };
}

type Table = { ok: true; rows: { cells: string[]; line: number }[]; decimalComma: boolean } | { ok: false; reason: string };

/**
 * Curves are read whole, on the request thread: fine for a curve set (a few thousand pillars is
 * well under 1 MB), so larger files, or workbooks inflating past the same bound, are refused.
 */
export const MAX_CURVES_BYTES = 16 * 1024 * 1024;
const MAX_CURVES_MB = MAX_CURVES_BYTES / 1024 / 1024;

async function readTable(file: { path: string; originalName: string; format?: SourceFormat }, zipLimits?: ZipLimits): Promise<Table> {
  const size = (await stat(file.path)).size;
  if (size > MAX_CURVES_BYTES) return { ok: false, reason: `the curves file is ${(size / 1024 / 1024).toFixed(1)} MB; a curves file may be at most ${MAX_CURVES_MB} MB (a curve set has a few thousand pillars at most)` };
  const bytes = await readFile(file.path);
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  const format = sourceFormat(file);
  if (format === 'xlsx' || format === 'zip') {
    const inflated = await checkZipArchive(file.path, file.originalName, zipLimits ?? DEFAULT_ZIP_LIMITS);
    if (inflated.ok && inflated.bytes > MAX_CURVES_BYTES) {
      return { ok: false, reason: `the curves workbook inflates to ${(inflated.bytes / 1024 / 1024).toFixed(1)} MB; a curves file may be at most ${MAX_CURVES_MB} MB (a curve set has a few thousand pillars at most)` };
    }
    const rows: { cells: string[]; line: number }[] = [];
    const read = await readFirstSheet(file.path, (cells, line) => void rows.push({ cells, line }), { label: file.originalName, ...(zipLimits ? { limits: zipLimits } : {}) });
    return read.ok ? { ok: true, rows, decimalComma: false } : read;
  }
  const binary = binaryKind(bytes.subarray(0, 65536));
  if (binary) return { ok: false, reason: binary };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).includes('\uFFFD') ? iconv.decode(bytes, 'win1252') : bytes.toString('utf8');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = detectDelimiter(firstLine);
  try {
    // csv-parse's typings do not model `info: true` records
    const records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return { ok: true, rows: records.map((r) => ({ cells: r.record, line: r.info.lines })), decimalComma: delimiter === ';' };
  } catch (error) {
    return { ok: false, reason: `the file cannot be read as CSV (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}
