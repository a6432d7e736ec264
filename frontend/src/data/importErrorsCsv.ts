import type { ValidationError } from '../api/types.ts';

/** The server's rule (backend data/query/csv.ts): text a spreadsheet would run as a formula gets a leading quote. */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_STARTS.includes(text.charAt(0))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows an import refused or skipped, as RFC 4180 CSV (file, row, column, value, reason). */
export function importErrorsCsv(errors: readonly ValidationError[]): string {
  const lines = [['file', 'row', 'column', 'value', 'reason'], ...errors.map((e) => [e.file, e.row, e.column, e.value, e.reason])];
  return lines.map((values) => `${values.map(field).join(',')}\r\n`).join('');
}

/** Saves text as a file in the browser. */
export function saveText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
