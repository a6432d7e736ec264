import { describe, expect, it } from 'vitest';
import { formatBp, formatPct, formatValue, guessFormat, metricFormat } from './valueFormat.ts';

describe('notebook value formats', () => {
  it('shows a rate as a percentage with enough decimals to read it', () => {
    expect(formatPct(0.0005)).toBe('0.05%');
    expect(formatPct(0.025)).toBe('2.50%');
    expect(formatPct(0.000012)).toBe('0.0012%');
    expect(formatPct(-0.0005)).toBe('-0.05%');
    expect(formatPct(0)).toBe('0.00%');
    expect(formatValue(0.0005, 'pct')).not.toMatch(/^0\.00?0?%?$/);
  });

  it('writes money whole and grouped, basis points from decimals', () => {
    expect(formatValue(-1234567.89, 'money')).toBe('-1,234,568');
    expect(formatBp(0.02)).toBe('200 bp');
    expect(formatValue(0.00125, 'bp')).toBe('12.5 bp');
    expect(formatValue(1234.5, 'integer')).toBe('1,235');
  });

  it('keeps small plain numbers to 4 decimals and large ones whole', () => {
    expect(formatValue(0.12345678, undefined)).toBe('0.1235');
    expect(formatValue(98765.4, undefined)).toBe('98,765');
    expect(formatValue('2025-06-30T00:00:00', 'date')).toBe('2025-06-30');
    expect(formatValue(null, 'money')).toBe('');
  });

  it('guesses a format from numeric column names only', () => {
    expect(guessFormat('rate', true)).toBe('pct');
    expect(guessFormat('wavg_rate', true)).toBe('pct');
    expect(guessFormat('notional', true)).toBe('money');
    expect(guessFormat('delta_eve', true)).toBe('money');
    expect(guessFormat('shock_bp', true)).toBe('number');
    expect(guessFormat('rate', false)).toBeUndefined();
    expect(guessFormat('count', true)).toBeUndefined();
    expect(metricFormat('int')).toBe('integer');
    expect(metricFormat('nonsense')).toBeUndefined();
  });
});
