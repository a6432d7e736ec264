/**
 * SQL expressions that turn a staged VARCHAR cell into its canonical typed value, or NULL when it
 * cannot be read. Rules compare "raw present but typed NULL" to report unparsable cells, so each
 * kind is parsed in exactly one place.
 */
import type { ColumnSpec } from './columns.ts';
import { quoteIdent, sqlString } from '../sql-quote.ts';

export interface ParseOptions {
  /** also accept dd/mm/yyyy (ISO yyyy-mm-dd is always accepted) */
  dateFormat: 'iso' | 'dd/mm/yyyy';
  /** `,` is the decimal mark (bank exports, `;`-separated files) */
  decimalComma: boolean;
  /** rate, spread, floor and cap are percentage points (3,25 = 0.0325) */
  percentRates: boolean;
}

// Quoting lives in one module for the whole backend; re-exported so schema users keep one import.
export { quoteIdent, sqlString } from '../sql-quote.ts';

/** Same key as `normaliseHeader`: lower case, blanks, `_` and `-` removed (plain replaces: cheaper than a regex). */
function enumKey(cell: string): string {
  return `replace(replace(replace(replace(lower(${cell}), ' ', ''), '_', ''), '-', ''), chr(9), '')`;
}

export function present(column: string): string {
  return `(nullif(trim(${quoteIdent(column)}), '') IS NOT NULL)`;
}

/**
 * A cell is parsed in two steps so no expression is evaluated twice: `inner` reads the raw cell
 * (fast path first: DuckDB's own casts tolerate surrounding blanks; slower normalisation only for
 * the cells that need it), `outer` finishes from the inner result `p` (finite, whole months,
 * percentage points). Numbers go through DOUBLE: an INTEGER cast would round 1.5 to 2.
 */
export function parseStages(spec: ColumnSpec, options: ParseOptions): { inner: string; outer: (p: string) => string } {
  const raw = quoteIdent(spec.name);
  const same = (p: string) => p;
  switch (spec.kind) {
    case 'text':
      return { inner: `nullif(trim(${raw}), '')`, outer: same };
    case 'currency':
      return { inner: `CASE WHEN regexp_full_match(trim(${raw}), '[A-Za-z]{3}') THEN upper(trim(${raw})) END`, outer: same };
    case 'number': {
      // decimal comma files may group thousands with dots: 1.234.567,89 or 1.000.000
      const compact = `replace(${raw}, ' ', '')`;
      const inner = options.decimalComma
        ? `CASE WHEN contains(${raw}, ',') THEN TRY_CAST(replace(replace(${compact}, '.', ''), ',', '.') AS DOUBLE)
            WHEN regexp_full_match(trim(${raw}), '-?[1-9]\\d{0,2}(\\.\\d{3})+') THEN TRY_CAST(replace(${compact}, '.', '') AS DOUBLE)
            ELSE coalesce(TRY_CAST(${raw} AS DOUBLE), TRY_CAST(${compact} AS DOUBLE)) END`
        : `coalesce(TRY_CAST(${raw} AS DOUBLE), TRY_CAST(${compact} AS DOUBLE))`;
      // rounding keeps 4,1 → 0.041 exact instead of 0.040999…; rates never carry 12 decimals
      const scale = (p: string) => (spec.percent && options.percentRates ? `round(${p} / 100.0, 12)` : p);
      return { inner, outer: (p) => `CASE WHEN isfinite(${p}) THEN ${scale(p)} END` };
    }
    case 'date': {
      if (options.dateFormat === 'iso') return { inner: `CASE WHEN NOT contains(${raw}, '/') THEN TRY_CAST(${raw} AS DATE) END`, outer: same };
      return { inner: `CASE WHEN contains(${raw}, '/') THEN CAST(try_strptime(trim(${raw}), '%d/%m/%Y') AS DATE) ELSE TRY_CAST(${raw} AS DATE) END`, outer: same };
    }
    case 'enum': {
      // canonical spellings take the fast path; the normalised key only for the others
      const canonical = [...new Set(Object.values(spec.values ?? {}))].map(sqlString).join(', ');
      const cases = Object.entries(spec.values ?? {}).map(([key, value]) => `WHEN ${sqlString(key)} THEN ${sqlString(value)}`).join(' ');
      return { inner: `CASE WHEN ${raw} IN (${canonical}) THEN ${raw} ELSE CASE ${enumKey(raw)} ${cases} END END`, outer: same };
    }
    case 'months': {
      // whole months as a number (3, 3.0) or a period token (3M, 1Y)
      const key = `upper(replace(${raw}, ' ', ''))`;
      const token = `CASE WHEN ends_with(${key}, 'M') THEN TRY_CAST(rtrim(${key}, 'M') AS DOUBLE)
        WHEN ends_with(${key}, 'Y') THEN 12 * TRY_CAST(rtrim(${key}, 'Y') AS DOUBLE) END`;
      return {
        inner: `coalesce(TRY_CAST(${raw} AS DOUBLE), ${token})`,
        outer: (p) => `CASE WHEN ${p} = floor(${p}) AND ${p} BETWEEN 0 AND 1200 THEN CAST(${p} AS INTEGER) END`,
      };
    }
  }
}

/** Single-expression form (tests, small tables). */
export function parseExpression(spec: ColumnSpec, options: ParseOptions): string {
  const { inner, outer } = parseStages(spec, options);
  return outer(`(${inner})`);
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
