/** The options of `importDataset`, checked before any file is touched. */
import { fileError, type ImportError } from '../schema/index.ts';
import type { ZipLimits } from '../import/zip-limits.ts';
import type { SourceFormat } from '../import/file-type.ts';

export interface SourceFile {
  /** where the uploaded bytes are on disk */
  path: string;
  /** the user's file name (shown in errors; without `format`, its extension declares the format) */
  originalName: string;
  /** the sniffer's verdict (file-type.ts), when the caller has it: readers then do not guess again */
  format?: SourceFormat;
}

export interface ImportDatasetOptions {
  workspaceDir: string;
  workspaceId: string;
  datasetId?: string;
  name: string;
  /** analysis date yyyy-mm-dd; the bank ZIP's Reference day is used when absent */
  asOf?: string;
  createdBy: string;
  sources: { positions?: SourceFile; curves?: SourceFile; schedules?: SourceFile; bankZip?: SourceFile };
  /** `{canonical: sourceColumn}`, wins over the automatic synonyms */
  mapping?: Record<string, string>;
  skipInvalid?: boolean;
  /** dates also accepted as dd/mm/yyyy (ISO is always accepted) */
  dateFormat?: 'iso' | 'dd/mm/yyyy';
  onProgress?: (fraction: number) => void;
  /** ZIP bomb guard for bank exports and XLSX workbooks; config.ts defaults when absent */
  zipLimits?: ZipLimits;
  /** side effects, swapped in tests */
  now?: () => Date;
  uuid?: () => string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealIsoDate(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function checkImportOptions(o: ImportDatasetOptions): { ok: true } | { ok: false; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const bad = (column: string, value: string, reason: string) => errors.push(fileError('', reason, column, value));
  if (!o.name || o.name.trim() === '') bad('name', '', 'give the dataset a name');
  if (o.asOf !== undefined && !isRealIsoDate(o.asOf)) bad('as_of', o.asOf, 'as_of must be a real date written yyyy-mm-dd');
  if (o.datasetId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/.test(o.datasetId)) bad('datasetId', o.datasetId, 'dataset ids are letters, digits, - and _ only');
  if (o.dateFormat !== undefined && o.dateFormat !== 'iso' && o.dateFormat !== 'dd/mm/yyyy') bad('dateFormat', String(o.dateFormat), 'dateFormat must be iso or dd/mm/yyyy');
  if (o.sources.positions && o.sources.bankZip) bad('sources', '', 'give either a positions file or a bank ZIP export, not both');
  if (!o.sources.positions && !o.sources.bankZip) bad('sources', '', 'a dataset needs a positions file (CSV, XLSX, Parquet) or a bank ZIP export');
  for (const [canonical, source] of Object.entries(o.mapping ?? {})) {
    if (typeof source !== 'string' || source.trim() === '') bad('mapping', canonical, `mapping for ${canonical} must name a source column`);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
