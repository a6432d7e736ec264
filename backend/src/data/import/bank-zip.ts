/**
 * The bank balance export (formats.md): a ZIP of `;`-separated Windows-1252 CSV files. Each data
 * file is streamed (yauzl → iconv → csv-parse) into a prepared UTF-8 staging file; `payment` rows
 * become scheduled principal flows of the contract above them.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { POSITION_COLUMNS, fileError, normaliseHeader, resolveMapping, type ImportError } from '../schema/index.ts';
import { CsvWriter } from './csv-writer.ts';
import { classifyBankEntry, dmyToIso, type BankFileKind } from './bank-zip-names.ts';
import { firstLine } from './xlsx-rows.ts';

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

export async function readBankZip(
  zipPath: string,
  zipName: string,
  stagingDir: string,
  firstSrc: number,
  explicitMapping: Record<string, string> = {},
): Promise<BankZipResult> {
  const errors: ImportError[] = [];
  const files: BankZipFile[] = [];
  const ignored: string[] = [];
  const mapping: Record<string, string> = {};
  const asOfs = new Set<string>();
  const schedules = new CsvWriter(path.join(stagingDir, 'bank-schedules.csv'), ['__src', '__row', ...SCHEDULE_STAGING_COLUMNS]);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? reject(err) : resolve(z))),
    );
  } catch (error) {
    await schedules.close();
    return { ok: false, errors: [fileError(zipName, `the file is not a readable ZIP archive (${firstLine(error)})`)], mapping };
  }
  try {
    for await (const entry of entries(zip)) {
      const kind = classifyBankEntry(entry.fileName);
      if (kind.kind === 'skip') continue;
      if (kind.kind === 'ignored') {
        ignored.push(entry.fileName);
        continue;
      }
      const src = firstSrc + files.length;
      const name = `${zipName}/${kind.base}`;
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))));
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
    errors.push(fileError(zipName, `the ZIP archive is damaged (${firstLine(error)})`));
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

async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const next = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => { cleanup(); resolve(e); };
      const onEnd = () => { cleanup(); resolve(null); };
      const onError = (err: Error) => { cleanup(); reject(err); };
      const cleanup = () => { zip.off('entry', onEntry); zip.off('end', onEnd); zip.off('error', onError); };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
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
  const records = stream.pipe(iconv.decodeStream('win1252')).pipe(
    parse({ delimiter: ';', relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, bom: true }),
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
    return { ok: false, errors: [fileError(o.name, `the file cannot be read as a ;-separated CSV (${firstLine(error)})`)] };
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
