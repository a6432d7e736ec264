/** Rules of the scheduled principal flows table `(position_id, date, principal)`, methodology §1.1. */
import { SCHEDULE_COLUMNS } from './columns.ts';
import { columnRules, typed, type RowRule } from './row-rule.ts';
import { sqlString, type ParseOptions } from './sql-parse.ts';

/** `positions` is a table with columns position_id and amortization of the imported positions. */
export function scheduleRules(options: ParseOptions, positions: string): RowRule[] {
  const t = typed;
  return [
    ...columnRules(SCHEDULE_COLUMNS, options),
    { column: 'principal', when: `${t('principal')} <= 0`, reason: sqlString('principal must be greater than 0 (a repayment)') },
    {
      column: 'position_id',
      when: `${t('position_id')} IS NOT NULL AND ${t('position_id')} NOT IN (SELECT position_id FROM ${positions})`,
      reason: sqlString('position_id is not among the imported positions'),
    },
    {
      column: 'position_id',
      when: `${t('position_id')} IN (SELECT position_id FROM ${positions} WHERE amortization <> 'scheduled')`,
      reason: sqlString('schedule rows belong to positions with amortization scheduled only'),
    },
  ];
}

export function scheduleOutputColumns(): string[] {
  return [`${typed('position_id')} AS position_id`, `${typed('date')} AS date`, `${typed('principal')} AS principal`];
}
