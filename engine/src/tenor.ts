/**
 * Curve tenor tokens, methodology §1.2: ON = 1/365, nD = n/365, nW = 7n/365, nM = n/12, nY = n.
 * Case-insensitive, surrounding blanks ignored.
 */
const TENOR = /^(\d+)([DWMY])$/;

export type TenorResult = { ok: true; years: number } | { ok: false; reason: string };

export function parseTenor(token: string): TenorResult {
  const text = token.trim().toUpperCase();
  if (text === 'ON') return { ok: true, years: 1 / 365 };
  const match = TENOR.exec(text);
  if (!match) {
    return { ok: false, reason: `tenor "${token}" is not one of ON, nD, nW, nM, nY (e.g. 3M, 10Y)` };
  }
  const n = Number(match[1]);
  if (n <= 0) return { ok: false, reason: `tenor "${token}" must be a positive length` };
  switch (match[2]) {
    case 'D':
      return { ok: true, years: n / 365 };
    case 'W':
      return { ok: true, years: (7 * n) / 365 };
    case 'M':
      return { ok: true, years: n / 12 };
    default:
      return { ok: true, years: n };
  }
}
