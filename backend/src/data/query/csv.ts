/**
 * RFC 4180 CSV text: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled.
 *
 * Text that a spreadsheet would run as a formula (OWASP CSV injection: a first character of
 * `=`, `+`, `-`, `@`, tab or carriage return) gets a leading single quote, so Excel and
 * LibreOffice show it as text. Numbers are never touched: `-12.5` given as a number stays `-12.5`.
 * csv-sql.ts applies the same rule inside DuckDB.
 */
export const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'] as const;

export function neutraliseFormula(text: string): string {
  return (FORMULA_STARTS as readonly string[]).includes(text.charAt(0)) ? `'${text}` : text;
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
