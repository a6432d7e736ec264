import { describe, expect, it } from 'vitest';
import { formatAmount, formatBytes, formatCompact, formatDateTime, formatDecimal, formatPercent } from './format.ts';

describe('format', () => {
  it('shows amounts in whole units and rates with four decimals', () => {
    expect(formatDecimal(276220650.9012357)).toBe('276,220,651');
    expect(formatDecimal(-4060264052.26)).toBe('-4,060,264,052');
    expect(formatDecimal(0.0332081)).toBe('0.0332');
    expect(formatDecimal(null)).toBe('');
    expect(formatAmount(1234.5)).toBe('1,235');
  });

  it('formats percentages, compact axis labels, sizes and timestamps', () => {
    expect(formatPercent(-0.081205)).toBe('-8.12%');
    expect(formatPercent(null)).toBe('—');
    expect(formatCompact(5_000_000_000)).toBe('5bn');
    expect(formatCompact(-2_500_000)).toBe('-2.5m');
    expect(formatBytes(6747270)).toBe('6.4 MB');
    expect(formatDateTime('2026-11-25T22:13:05.123Z')).toBe('2026-11-25 22:13');
  });
});
