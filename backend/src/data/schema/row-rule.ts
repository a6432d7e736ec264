import { quoteIdent, sqlString, parseExpression, present, unparsableReason, type ParseOptions } from './sql-parse.ts';
import type { ColumnSpec } from './columns.ts';

/**
 * A row rule, evaluated in SQL over the typed staging table (raw cells under the canonical name,
 * parsed values under `t_<name>`). A row matching `when` gets one error for `column`.
 */
export interface RowRule {
  column: string;
  when: string;
  /** SQL expression giving the reason text */
  reason: string;
  /** SQL expression for the offending value; defaults to the raw cell of `column` */
  value?: string;
}

export const typed = (name: string): string => quoteIdent(`t_${name}`);

export function typedColumns(specs: readonly ColumnSpec[], options: ParseOptions): string[] {
  return specs.map((spec) => `${parseExpression(spec, options)} AS ${typed(spec.name)}`);
}

/** Rules every column gets from its spec: required value present, present value readable. */
export function columnRules(specs: readonly ColumnSpec[], options: ParseOptions): RowRule[] {
  const rules: RowRule[] = [];
  for (const spec of specs) {
    if (spec.required) {
      rules.push({ column: spec.name, when: `NOT ${present(spec.name)}`, reason: sqlString(`${spec.name} is required`) });
    }
    if (spec.kind !== 'text') {
      rules.push({
        column: spec.name,
        when: `${present(spec.name)} AND ${typed(spec.name)} IS NULL`,
        reason: sqlString(unparsableReason(spec, options)),
      });
    }
    if (spec.kind === 'months') {
      rules.push({
        column: spec.name,
        when: `${typed(spec.name)} < 1`,
        reason: sqlString(unparsableReason(spec, options)),
      });
    }
  }
  return rules;
}

/** `(SELECT ... UNION ALL ...)` listing every error of every rule with its rule order. */
export function errorSelects(table: string, rules: readonly RowRule[]): string[] {
  return rules.map((rule, order) => {
    const value = rule.value ?? `coalesce(CAST(${quoteIdent(rule.column)} AS VARCHAR), '')`;
    return `SELECT __src, __row, ${order} AS rule, ${sqlString(rule.column)} AS "column", ${value} AS value, ${rule.reason} AS reason FROM ${table} WHERE ${rule.when}`;
  });
}
