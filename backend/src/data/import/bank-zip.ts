/**
 * The bank balance export (formats.md): a ZIP of `;`-separated Windows-1252 CSV files. Each data
 * file is streamed (yauzl → iconv → csv-parse) into a prepared UTF-8 staging file; `payment` rows
 * become scheduled principal flows of the contract above them.
 */
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import type yauzl from 'yauzl';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { POSITION_COLUMNS, fileError, normaliseHeader, resolveMapping, type ImportError } from '../schema/index.ts';
import { CsvWriter } from './csv-writer.ts';
import { classifyBankEntry, dmyToIso, type BankFileKind } from './bank-zip-names.ts';
import { firstLine } from './xlsx-rows.ts';
import { runOffThread } from './off-thread.ts';
import { workerStart } from '../../runtime-paths.ts';
import { DEFAULT_ZIP_LIMITS, checkZipArchive, isOverDeclaredSize, openEntry, openZip, zipEntries, zipReason, type ZipLimits } from './zip-limits.ts';

export interface BankZipFile {
  src: number;
  name: string;
  path: string;
  columns: string[];
}

export type BankZipResult =
  | { ok: true; asOf?: string; files: BankZipFile[]; schedules: { path: string; rows: number }; ignored: string[]; mapping: Record<string, string> }
  | { ok: false; errors: ImportError[]; mapping: Record<string, string> };

export const SCHEDULE_STAGING_COLUMNS = ['position_id', 'date', 'principal'];
const KIND_WORDS = new Set(['contract', 'payment']);

export interface BankZipJob {
  zipPath: string;
  zipName: string;
  stagingDir: string;
  firstSrc: number;
  explicitMapping: Record<string, string>;
  limits: ZipLimits;
}

/** The worker's heap: the parse streams, so this bounds a runaway, not a normal export. */
const BANK_ZIP_WORKER_HEAP_MB = 512;

/**
 * `readBankZip` in a worker thread: the archive is checked first, here (no decompression), so a
 * ZIP bomb is refused without starting a worker; a good export is parsed off the request thread.
 */
export async function readBankZipOffThread(job: BankZipJob): Promise<BankZipResult> {
  const checked = await checkZipArchive(job.zipPath, job.zipName, job.limits);
  if (!checked.ok) return { ok: false, errors: [fileError(job.zipName, checked.reason)], mapping: {} };
  return runOffThread<BankZipResult>(workerStart(new URL('./bank-zip-worker.ts', import.meta.url), 'bank-zip-worker'), job, { maxOldGenerationSizeMb: BANK_ZIP_WORKER_HEAP_MB });
}

export async function readBankZip(
  zipPath: string,
  zipName: string,
  stagingDir: string,
  firstSrc: number,
  explicitMapping: Record<string, string> = {},
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<BankZipResult> {
  // Sizes and ratios from the central directory first: a ZIP bomb is refused before one byte is inflated.
  const checked = await checkZipArchive(zipPath, zipName, limits);
  if (!checked.ok) return { ok: false, errors: [fileError(zipName, checked.reason)], mapping: {} };
  const errors: ImportError[] = [];
  const files: BankZipFile[] = [];
  const ignored: string[] = [];
  const mapping: Record<string, string> = {};
  const asOfs = new Set<string>();
  const schedules = new CsvWriter(path.join(stagingDir, 'bank-schedules.csv'), ['__src', '__row', ...SCHEDULE_STAGING_COLUMNS]);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    await schedules.close();
    return { ok: false, errors: [fileError(zipName, `the file is not a readable ZIP archive (${zipReason(error)})`)], mapping };
  }
  try {
    for await (const entry of zipEntries(zip)) {
      const kind = classifyBankEntry(entry.fileName);
      if (kind.kind === 'skip') continue;
      if (kind.kind === 'ignored') {
        ignored.push(entry.fileName);
        continue;
      }
      const src = firstSrc + files.length;
      const name = `${zipName}/${kind.base}`;
      // yauzl stops the stream with an error should the data inflate past the size checked above
      const stream = await openEntry(zip, entry);
      const outcome = await readBankCsv(stream, { src, name, kind: kind.file, stagingDir, explicitMapping, schedules });
      if (!outcome.ok) {
        errors.push(...outcome.errors);
        continue;
      }
      if (outcome.asOf) asOfs.add(outcome.asOf);
      Object.assign(mapping, outcome.mapping);
      files.push({ src, name, path: outcome.path, columns: outcome.columns });
    }
  } catch (error) {
    errors.push(fileError(zipName, `the ZIP archive is damaged (${zipReason(error)})`));
  } finally {
    zip.close();
    await schedules.close();
  }
  if (errors.length === 0 && files.length === 0) {
    errors.push(fileError(zipName, `the ZIP holds none of the bank export files (Fixed bullet.csv, Variable annuity.csv, Non-maturity.csv, …)${ignored.length ? `; found only ${ignored.join(', ')}` : ''}`));
  }
  if (asOfs.size > 1) errors.push(fileError(zipName, `the files disagree on the Reference day (${[...asOfs].join(', ')})`, 'Reference day'));
  if (errors.length > 0) return { ok: false, errors, mapping };
  const [asOf] = [...asOfs];
  return { ok: true, ...(asOf ? { asOf } : {}), files, schedules: { path: schedules.path, rows: schedules.rows }, ignored, mapping };
}

interface CsvOptions {
  src: number;
  name: string;
  kind: BankFileKind;
  stagingDir: string;
  explicitMapping: Record<string, string>;
  schedules: CsvWriter;
}

type CsvOutcome = { ok: true; path: string; columns: string[]; asOf?: string; mapping: Record<string, string> } | { ok: false; errors: ImportError[] };

async function readBankCsv(stream: Readable, o: CsvOptions): Promise<CsvOutcome> {
  // pipeline, not pipe: an error of the entry stream (damaged data, data inflating past its
  // declared size) must reach the loop below instead of going unhandled
  const records = pipeline(
    stream,
    iconv.decodeStream('win1252'),
    parse({ delimiter: ';', relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, bom: true }),
    () => {},
  );
  let asOf: string | undefined;
  let header: string[] | undefined;
  let writer: CsvWriter | undefined;
  let layout: { fields: (row: string[]) => string[]; columns: string[]; indexes: (number | undefined)[]; mapping: Record<string, string> } | undefined;
  let lastContract: string | undefined;
  const filePath = path.join(o.stagingDir, `bank-${o.src}.csv`);
  try {
    for await (const item of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const row = item.record.map((c) => c.trim());
      const line = item.info.lines;
      if (!header) {
        if (normaliseHeader(row[0] ?? '') === 'referenceday') asOf = dmyToIso(row[1] ?? '') ?? asOf;
        if (row.some((c) => normaliseHeader(c) === 'identifier')) header = row;
        continue;
      }
      const kindWord = (row[0] ?? '').toLowerCase();
      const hasKind = KIND_WORDS.has(kindWord);
      if (!layout) {
        const resolved = bankLayout(header, hasKind, o);
        if (!resolved.ok) return { ok: false, errors: resolved.reasons.map((r) => ({ file: o.name, row: line, column: r.column, value: r.value, reason: r.reason })) };
        layout = resolved.layout;
        writer = new CsvWriter(filePath, ['__src', '__row', ...layout.columns]);
      }
      if (kindWord === 'payment') {
        // payment;Principal;<date>;<amount>: a scheduled principal flow of the contract above
        if ((row[1] ?? '').toLowerCase() === 'principal') await o.schedules.write([String(o.src), String(line), lastContract ?? '', row[2] ?? '', row[3] ?? '']);
        continue;
      }
      const fields = layout.fields(row);
      const values = layout.indexes.map((i) => (i === undefined ? undefined : fields[i]));
      values[layout.columns.indexOf('amortization')] = o.kind.amortization;
      values[layout.columns.indexOf('rate_type')] = o.kind.rateType;
      const currency = layout.columns.indexOf('currency');
      if (layout.indexes[currency] === undefined) values[currency] = 'EUR';
      lastContract = fields[layout.indexes[0] ?? -1];
      await writer!.write([String(o.src), String(line), ...values]);
    }
  } catch (error) {
    await writer?.close();
    const reason = isOverDeclaredSize(error)
      ? 'the file inflates past the size its ZIP directory declares; such archives are refused as ZIP bombs'
      : `the file cannot be read as a ;-separated CSV (${zipReason(error)})`;
    return { ok: false, errors: [fileError(o.name, reason)] };
  }
  if (!header) return { ok: false, errors: [fileError(o.name, 'no header line containing Identifier was found')] };
  if (!writer || !layout) return { ok: false, errors: [fileError(o.name, 'the file has a header but no contract rows')] };
  await writer.close();
  return { ok: true, path: filePath, columns: layout.columns, mapping: layout.mapping, ...(asOf ? { asOf } : {}) };
}

function bankLayout(header: string[], hasKind: boolean, o: CsvOptions) {
  // The kind column is either in the header (first column, not Identifier) or only in the rows.
  const kindInHeader = hasKind && normaliseHeader(header[0] ?? '') !== 'identifier';
  const names = kindInHeader ? header.slice(1) : header;
  const fields = hasKind ? (row: string[]) => row.slice(1) : (row: string[]) => row;
  const rateColumn = o.kind.rateType === 'floating' ? 'Last adjusted rate' : 'Indexed rate';
  const explicit: Record<string, string> = { ...o.explicitMapping };
  if (!explicit.rate && names.some((n) => normaliseHeader(n) === normaliseHeader(rateColumn))) explicit.rate = rateColumn;
  const resolved = resolveMapping(names, POSITION_COLUMNS, explicit, new Set(['amortization', 'rate_type', 'currency']));
  if (!resolved.ok) return resolved;
  const { columns, used, attributes } = resolved.mapping;
  const canonical = POSITION_COLUMNS.map((c) => c.name);
  const layout = {
    fields,
    columns: [...canonical, ...Object.keys(attributes)],
    indexes: [...canonical.map((c) => columns[c]), ...Object.values(attributes)],
    mapping: used,
  };
  return { ok: true as const, layout };
}
