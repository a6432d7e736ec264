/**
 * SQL expressions that turn a staged VARCHAR cell into its canonical typed value, or NULL when it
 * cannot be read. Rules compare "raw present but typed NULL" to report unparsable cells, so each
 * kind is parsed in exactly one place.
 */
import type { ColumnSpec } from './columns.ts';

export interface ParseOptions {
  /** also accept dd/mm/yyyy (ISO yyyy-mm-dd is always accepted) */
  dateFormat: 'iso' | 'dd/mm/yyyy';
  /** `,` is the decimal mark (bank exports, `;`-separated files) */
  decimalComma: boolean;
  /** rate, spread, floor and cap are percentage points (3,25 = 0.0325) */
  percentRates: boolean;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Same key as `normaliseHeader`: lower case, blanks, `_` and `-` removed. */
function enumKey(cell: string): string {
  return `lower(regexp_replace(${cell}, '[\\s_\\-]+', '', 'g'))`;
}

export function present(column: string): string {
  return `(nullif(trim(${quoteIdent(column)}), '') IS NOT NULL)`;
}

export function parseExpression(spec: ColumnSpec, options: ParseOptions): string {
  const cell = `nullif(trim(${quoteIdent(spec.name)}), '')`;
  switch (spec.kind) {
    case 'text':
      return cell;
    case 'currency':
      return `CASE WHEN regexp_full_match(upper(${cell}), '[A-Z]{3}') THEN upper(${cell}) END`;
    case 'number': {
      const compact = `regexp_replace(${cell}, '\\s+', '', 'g')`;
      // decimal comma files may group thousands with dots: 1.234.567,89
      const text = options.decimalComma
        ? `CASE WHEN regexp_full_match(${compact}, '-?[1-9]\\d{0,2}(\\.\\d{3})+(,\\d*)?') THEN replace(replace(${compact}, '.', ''), ',', '.') ELSE replace(${compact}, ',', '.') END`
        : compact;
      const value = `TRY_CAST(${text} AS DOUBLE)`;
      // rounding keeps 4,1 → 0.041 exact instead of 0.040999…; rates never carry 12 decimals
      const scaled = spec.percent && options.percentRates ? `round(${value} / 100.0, 12)` : value;
      return `CASE WHEN isfinite(${value}) THEN ${scaled} END`;
    }
    case 'date': {
      const iso = `CASE WHEN regexp_full_match(${cell}, '\\d{4}-\\d{2}-\\d{2}') THEN CAST(try_strptime(${cell}, '%Y-%m-%d') AS DATE) END`;
      if (options.dateFormat === 'iso') return iso;
      const dmy = `CASE WHEN regexp_full_match(${cell}, '\\d{1,2}/\\d{1,2}/\\d{4}') THEN CAST(try_strptime(${cell}, '%d/%m/%Y') AS DATE) END`;
      return `coalesce(${iso}, ${dmy})`;
    }
    case 'enum': {
      const cases = Object.entries(spec.values ?? {})
        .map(([key, value]) => `WHEN ${sqlString(key)} THEN ${sqlString(value)}`)
        .join(' ');
      return `CASE ${enumKey(cell)} ${cases} END`;
    }
    case 'months': {
      // whole months as a number (3, 3.0) or a period token (3M, 1Y)
      const key = `upper(regexp_replace(${cell}, '\\s+', '', 'g'))`;
      return `CASE WHEN regexp_full_match(${key}, '\\d+([.,]0+)?') THEN TRY_CAST(regexp_extract(${key}, '^\\d+') AS INTEGER)
        WHEN regexp_full_match(${key}, '\\d+M') THEN TRY_CAST(regexp_extract(${key}, '^\\d+') AS INTEGER)
        WHEN regexp_full_match(${key}, '\\d+Y') THEN 12 * TRY_CAST(regexp_extract(${key}, '^\\d+') AS INTEGER) END`;
    }
  }
}

/** The user-facing reason when a present cell does not parse. */
export function unparsableReason(spec: ColumnSpec, options: ParseOptions): string {
  switch (spec.kind) {
    case 'text':
      return `${spec.name} cannot be read`;
    case 'currency':
      return `${spec.name} must be a 3-letter ISO 4217 code such as EUR`;
    case 'number':
      return `${spec.name} is not a number${options.decimalComma ? ' (decimal comma expected)' : ''}${spec.percent && options.percentRates ? ' in percentage points' : ''}`;
    case 'date':
      return `${spec.name} is not a valid date (expected yyyy-mm-dd${options.dateFormat === 'dd/mm/yyyy' ? ' or dd/mm/yyyy' : ''})`;
    case 'enum': {
      const allowed = [...new Set(Object.values(spec.values ?? {}))];
      return `unknown ${spec.name}; expected one of ${allowed.join(', ')}`;
    }
    case 'months':
      return `${spec.name} must be a whole number of months ≥ 1 (e.g. 3, 3M, 1Y)`;
  }
}
