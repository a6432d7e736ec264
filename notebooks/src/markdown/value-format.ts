/**
 * Scalar outputs as prose shows them: `${eve_base:money}` → "-1,234,567", `${ratio:pct}` → "5.23%",
 * `${shock:bp}` → "200 bp". Rates and shocks are decimals, as the engine computes them.
 */
export const INLINE_FORMATS = ['money', 'pct', 'bp'] as const;
export type InlineFormat = (typeof INLINE_FORMATS)[number];

const money = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const basisPoints = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

export function isInlineFormat(name: string): name is InlineFormat {
  return (INLINE_FORMATS as readonly string[]).includes(name);
}

export type Formatted = { ok: true; text: string } | { ok: false; reason: string };

export function formatInline(value: unknown, format: InlineFormat | undefined): Formatted {
  if (value === null || (typeof value === 'object' && !(value instanceof Date)) || typeof value === 'function' || typeof value === 'symbol' || value === undefined) {
    return { ok: false, reason: Array.isArray(value) ? 'is a list, not a single value' : value === null || value === undefined ? 'has no value' : 'is a table or object, not a single value' };
  }
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (format === undefined) {
    if (typeof number === 'number') return Number.isFinite(number) ? { ok: true, text: Math.abs(number) >= 1000 ? money.format(number) : plain.format(number) } : { ok: true, text: String(number) };
    return { ok: true, text: number instanceof Date ? number.toISOString().slice(0, 10) : String(number) };
  }
  if (typeof number !== 'number' || !Number.isFinite(number)) return { ok: false, reason: `is not a number, so it has no ${format} format` };
  switch (format) {
    case 'money': return { ok: true, text: money.format(number) };
    case 'pct': return { ok: true, text: percent.format(number) };
    case 'bp': return { ok: true, text: `${basisPoints.format(number * 10_000)} bp` };
  }
}
