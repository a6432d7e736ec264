/**
 * Cross-field rules of methodology.md §1.1 for positions, on top of the per-column rules
 * (required, readable). Each rule names the column the user has to fix.
 */
import { POSITION_COLUMNS } from './columns.ts';
import { columnRules, missing, typed, type RowRule } from './row-rule.ts';
import { quoteIdent, sqlString, type ParseOptions } from './sql-parse.ts';

export interface PositionRuleOptions extends ParseOptions {
  asOf: string;
  /** when curves come with the positions: every currency and index must have one */
  curves?: { ids: readonly string[]; currencies: readonly string[] };
}

const sqlList = (items: readonly string[]): string => (items.length === 0 ? `(NULL)` : `(${items.map(sqlString).join(', ')})`);

export function positionRules(options: PositionRuleOptions): RowRule[] {
  const t = typed;
  const asOf = `DATE ${sqlString(options.asOf)}`;
  const floating = `${t('rate_type')} = 'floating'`;
  const rules: RowRule[] = [
    ...columnRules(POSITION_COLUMNS, options),
    { column: 'notional', when: `${t('notional')} <= 0`, reason: sqlString('notional must be greater than 0') },
    {
      column: 'maturity_date',
      when: `${t('amortization')} <> 'non_maturing' AND ${missing('maturity_date')}`,
      reason: sqlString('maturity_date is required unless amortization is non_maturing'),
    },
    {
      column: 'maturity_date',
      when: `${t('amortization')} IS DISTINCT FROM 'non_maturing' AND ${t('maturity_date')} <= ${asOf}`,
      reason: sqlString(`maturity_date is not after the analysis date ${options.asOf}`),
    },
    {
      column: 'start_date',
      when: `${t('start_date')} > ${t('maturity_date')}`,
      reason: `'start_date is after maturity_date ' || CAST(${t('maturity_date')} AS VARCHAR)`,
    },
    { column: 'index', when: `${floating} AND ${t('index')} IS NULL`, reason: sqlString('floating positions need index (the projection curve id)') },
    {
      column: 'reset_frequency_months',
      when: `${floating} AND ${missing('reset_frequency_months')}`,
      reason: sqlString('floating positions need reset_frequency_months'),
    },
    { column: 'next_reset_date', when: `${floating} AND ${missing('next_reset_date')}`, reason: sqlString('floating positions need next_reset_date') },
    {
      column: 'floor',
      when: `${t('floor')} > ${t('cap')}`,
      reason: `'floor is above cap ' || CAST(${t('cap')} AS VARCHAR)`,
    },
    { column: 'cpr', when: `${t('cpr')} < 0 OR ${t('cpr')} > 1`, reason: sqlString('cpr must be between 0 and 1 (0.05 for 5% a year)') },
    { column: 'tdrr', when: `${t('tdrr')} < 0 OR ${t('tdrr')} > 1`, reason: sqlString('tdrr must be between 0 and 1 (0.05 for 5% a year)') },
    {
      column: 'nmd_category',
      when: `${t('nmd_category')} IS NOT NULL AND ${t('amortization')} IS DISTINCT FROM 'non_maturing'`,
      reason: sqlString('nmd_category is only allowed on non_maturing positions'),
    },
  ];
  if (options.curves) {
    rules.push(
      {
        column: 'currency',
        when: `${t('currency')} IS NOT NULL AND ${t('currency')} NOT IN ${sqlList(options.curves.currencies)}`,
        reason: `'no curve for currency ' || ${t('currency')} || ' (curves cover: ${options.curves.currencies.join(', ') || 'none'})'`,
      },
      {
        column: 'index',
        when: `${floating} AND ${t('index')} IS NOT NULL AND ${t('index')} NOT IN ${sqlList(options.curves.ids)}`,
        reason: `'index curve ' || ${t('index')} || ' is not among the curves'`,
      },
    );
  }
  return rules;
}

/**
 * Canonical output columns in §1.1 order, defaults filled in (payment frequency 12 for bullet else
 * 1, day count ACT/365), floating-only fields cleared on fixed rows.
 */
export function positionOutputColumns(attributes: readonly string[]): string[] {
  const t = typed;
  const floatingOnly = (name: string) => `CASE WHEN ${t('rate_type')} = 'floating' THEN ${t(name)} END AS ${quoteIdent(name)}`;
  return [
    `${t('position_id')} AS position_id`,
    `${t('side')} AS side`,
    `${t('product')} AS product`,
    `${t('currency')} AS currency`,
    `${t('notional')} AS notional`,
    `${t('start_date')} AS start_date`,
    `${t('maturity_date')} AS maturity_date`,
    `${t('amortization')} AS amortization`,
    `${t('rate_type')} AS rate_type`,
    `${t('rate')} AS rate`,
    floatingOnly('index'),
    `${t('spread')} AS spread`,
    `coalesce(${t('payment_frequency_months')}, CASE WHEN ${t('amortization')} = 'bullet' THEN 12 ELSE 1 END) AS payment_frequency_months`,
    floatingOnly('reset_frequency_months'),
    floatingOnly('next_reset_date'),
    `coalesce(${t('day_count')}, 'ACT/365') AS day_count`,
    `${t('floor')} AS floor`,
    `${t('cap')} AS cap`,
    `${t('nmd_category')} AS nmd_category`,
    `${t('cpr')} AS cpr`,
    `${t('tdrr')} AS tdrr`,
    ...attributes.map((a) => quoteIdent(a)),
  ];
}
