import { quoteIdent, parseStages, present, unparsableReason, sqlString, type ParseOptions } from './sql-parse.ts';
import type { ColumnSpec } from './columns.ts';

/**
 * A row rule, evaluated in SQL over the typed table: parsed values under `t_<name>`, and
 * `e_<name>` true where a cell is present but unreadable. A row matching `when` gets one error
 * for `column`; the offending raw cell is looked up afterwards for the listed errors only.
 */
export interface RowRule {
  column: string;
  when: string;
  /** SQL expression giving the reason text */
  reason: string;
}

export const typed = (name: string): string => quoteIdent(`t_${name}`);
export const unreadable = (name: string): string => quoteIdent(`e_${name}`);
/** No value at all (not merely an unreadable one). */
export const missing = (name: string): string => `(${typed(name)} IS NULL AND NOT ${unreadable(name)})`;

/**
 * `SELECT` list turning the staged view into the typed table: parsed values and unreadable flags,
 * each cell parsed once (inner query `p_*`, outer `t_*`/`e_*`).
 */
export function typedSelect(staged: string, specs: readonly ColumnSpec[], options: ParseOptions, keep: readonly string[]): string {
  const stages = specs.map((spec) => ({ spec, ...parseStages(spec, options) }));
  const inner = stages.map(({ spec, inner }) => `${inner} AS ${quoteIdent(`p_${spec.name}`)}`);
  const outer = stages.flatMap(({ spec, outer }) => {
    const value = outer(quoteIdent(`p_${spec.name}`));
    return [
      `${value} AS ${typed(spec.name)}`,
      spec.kind === 'text' ? `false AS ${unreadable(spec.name)}` : `CASE WHEN ${value} IS NULL THEN ${present(spec.name)} ELSE false END AS ${unreadable(spec.name)}`,
    ];
  });
  const kept = keep.map((a) => `nullif(trim(${quoteIdent(a)}), '') AS ${quoteIdent(a)}`);
  return `SELECT __src, __row, ${[...outer, ...kept].join(', ')} FROM (SELECT *, ${inner.join(', ')} FROM ${quoteIdent(staged)})`;
}

/** Rules every column gets from its spec: required value present, present value readable. */
export function columnRules(specs: readonly ColumnSpec[], options: ParseOptions): RowRule[] {
  const rules: RowRule[] = [];
  for (const spec of specs) {
    if (spec.required) rules.push({ column: spec.name, when: missing(spec.name), reason: sqlString(`${spec.name} is required`) });
    if (spec.kind !== 'text') rules.push({ column: spec.name, when: unreadable(spec.name), reason: sqlString(unparsableReason(spec, options)) });
    if (spec.kind === 'months') rules.push({ column: spec.name, when: `${typed(spec.name)} < 1`, reason: sqlString(unparsableReason(spec, options)) });
  }
  return rules;
}

/** One SELECT per rule: `(__src, __row, rule, column, reason)` of every row it rejects. */
export function errorSelects(table: string, rules: readonly RowRule[]): string[] {
  return rules.map(
    (rule, order) => `SELECT __src, __row, ${order} AS rule, ${sqlString(rule.column)} AS "column", ${rule.reason} AS reason FROM ${table} WHERE ${rule.when}`,
  );
}
