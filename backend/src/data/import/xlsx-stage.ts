/**
 * A positions workbook's first sheet → a prepared staging CSV (`__src, __row, <targets>`), in a
 * worker thread: exceljs parses on the thread that calls it, and a large sheet would otherwise
 * hold the server's event loop for as long as it takes. The ZIP limits are checked here first
 * (directory only, no inflating), so a workbook bomb is refused without starting a worker.
 */
import path from 'node:path';
import { POSITION_COLUMNS, fileError, resolveMapping, type ImportError, type ResolvedMapping } from '../schema/index.ts';
import { CsvWriter } from './csv-writer.ts';
import { runOffThread } from './off-thread.ts';
import { workerStart } from '../../runtime-paths.ts';
import { targetOf } from './position-target.ts';
import { readFirstSheet } from './xlsx-rows.ts';
import { checkZipArchive, type ZipLimits } from './zip-limits.ts';

export interface XlsxStageJob {
  path: string;
  /** the user's file name, for errors */
  name: string;
  src: number;
  stagingDir: string;
  mapping?: Record<string, string>;
  limits: ZipLimits;
}

export type XlsxStageResult =
  | { ok: true; path: string; columns: string[]; used: Record<string, string>; attributes: string[] }
  | { ok: false; errors: ImportError[] };

const XLSX_WORKER_HEAP_MB = 1024;

export async function stageXlsxOffThread(job: XlsxStageJob): Promise<XlsxStageResult> {
  const checked = await checkZipArchive(job.path, job.name, job.limits);
  if (!checked.ok) {
    const reason = checked.damaged === undefined ? checked.reason : `the file cannot be read as an XLSX workbook (${checked.damaged})`;
    return { ok: false, errors: [fileError(job.name, reason)] };
  }
  return runOffThread<XlsxStageResult>(workerStart(new URL('./xlsx-stage-worker.ts', import.meta.url), 'xlsx-stage-worker'), job, { maxOldGenerationSizeMb: XLSX_WORKER_HEAP_MB });
}

/** The parse itself (run in the worker; callable directly in tests). */
export async function stageXlsxFile(job: XlsxStageJob): Promise<XlsxStageResult> {
  const { name, src } = job;
  let writer: CsvWriter | undefined;
  let resolved: ResolvedMapping | undefined;
  let columns: string[] = [];
  let indexes: (number | undefined)[] = [];
  let mappingReasons: ImportError[] = [];
  const read = await readFirstSheet(job.path, async (cells, rowNumber) => {
    if (mappingReasons.length > 0) return;
    if (!resolved) {
      const r = resolveMapping(cells, POSITION_COLUMNS, job.mapping);
      if (!r.ok) {
        mappingReasons = r.reasons.map((x) => ({ file: name, row: rowNumber, column: x.column, value: x.value, reason: x.reason }));
        return;
      }
      resolved = r.mapping;
      const target = targetOf(resolved, (i) => String(i), src);
      columns = Object.keys(target.select);
      indexes = Object.values(target.select).map((i) => (i === undefined ? undefined : Number(i)));
      writer = new CsvWriter(path.join(job.stagingDir, `xlsx-${src}.csv`), ['__src', '__row', ...columns]);
      return;
    }
    await writer!.write([String(src), String(rowNumber), ...indexes.map((i) => (i === undefined ? undefined : cells[i]))]);
  }, { label: name, limits: job.limits });
  await writer?.close();
  if (!read.ok) return { ok: false, errors: [fileError(name, read.reason)] };
  if (mappingReasons.length > 0) return { ok: false, errors: mappingReasons };
  if (!writer || !resolved) return { ok: false, errors: [fileError(name, 'the worksheet is empty; expected a header row and position rows')] };
  return { ok: true, path: writer.path, columns, used: resolved.used, attributes: Object.keys(resolved.attributes) };
}
