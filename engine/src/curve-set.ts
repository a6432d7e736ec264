import { zeroCurve, type ZeroCurve } from './curve.ts';
import { parseTenor } from './tenor.ts';

/** One row of the long curve format of methodology §1.2. */
export interface CurveRow {
  curve_id: string;
  tenor: string;
  rate: number;
}

/** row = 1-based data row number (0 for errors in the options rather than the rows). */
export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface CurveSet {
  get(id: string): ZeroCurve | undefined;
  discountCurve(currency: string): ZeroCurve | undefined;
  ids(): string[];
  currencies(): string[];
  discountCurveId(currency: string): string | undefined;
}

export type CurveSetResult = { ok: true; curves: CurveSet } | { ok: false; errors: RowError[] };

const CURRENCY = /^[A-Z]{3}$/;

/** Currency of a curve id: its first `_`/`-` token when that is three capital letters (EUR_ESTR_OIS → EUR). */
export function curveCurrency(curveId: string): string | undefined {
  const first = curveId.split(/[_-]/)[0] ?? '';
  return CURRENCY.test(first) ? first : undefined;
}

function isOisName(curveId: string): boolean {
  const tokens = curveId.split(/[_-]/);
  return tokens.length >= 2 && tokens[tokens.length - 1] === 'OIS';
}

interface Pending {
  currency: string | undefined;
  firstRow: number;
  pillars: { time: number; rate: number; tenor: string }[];
}

export function buildCurveSet(
  rows: readonly CurveRow[],
  options: { discountCurves?: Record<string, string> } = {},
): CurveSetResult {
  const errors: RowError[] = [];
  const pending = new Map<string, Pending>();
  rows.forEach((r, i) => {
    const row = i + 1;
    const id = (r.curve_id ?? '').trim();
    if (id === '') {
      errors.push({ row, column: 'curve_id', value: String(r.curve_id ?? ''), reason: 'curve_id is empty' });
      return;
    }
    let curve = pending.get(id);
    if (!curve) {
      curve = { currency: curveCurrency(id), firstRow: row, pillars: [] };
      pending.set(id, curve);
      if (!curve.currency) {
        errors.push({
          row,
          column: 'curve_id',
          value: id,
          reason: `curve id "${id}" does not start with a currency code; name it like EUR_ESTR_OIS (CCY_..., 3 capital letters)`,
        });
      }
    }
    const tenor = parseTenor(String(r.tenor ?? ''));
    if (!tenor.ok) errors.push({ row, column: 'tenor', value: String(r.tenor ?? ''), reason: tenor.reason });
    if (typeof r.rate !== 'number' || !Number.isFinite(r.rate)) {
      errors.push({ row, column: 'rate', value: String(r.rate), reason: 'rate must be a finite decimal (0.025 for 2.5%)' });
    }
    if (!tenor.ok) return;
    const clash = curve.pillars.find((p) => p.time === tenor.years);
    if (clash) {
      errors.push({
        row,
        column: 'tenor',
        value: r.tenor,
        reason: `curve ${id} already has a pillar at the same time (${clash.tenor}); keep only one of them`,
      });
      return;
    }
    curve.pillars.push({ time: tenor.years, rate: r.rate, tenor: r.tenor.trim() });
  });

  const curves = new Map<string, ZeroCurve>();
  const currencies: string[] = [];
  for (const [id, p] of pending) {
    if (!p.currency || p.pillars.length === 0) continue;
    if (!currencies.includes(p.currency)) currencies.push(p.currency);
    if (p.pillars.some((x) => !Number.isFinite(x.rate))) continue;
    p.pillars.sort((a, b) => a.time - b.time);
    const times = Float64Array.from(p.pillars, (x) => x.time);
    const rates = Float64Array.from(p.pillars, (x) => x.rate);
    curves.set(id, zeroCurve(id, p.currency, times, rates));
  }

  // §1.2: the configured curve, else <CCY>_..._OIS, else the first curve of that currency in input order.
  const discountIds = new Map<string, string>();
  for (const [ccy, id] of Object.entries(options.discountCurves ?? {})) {
    const p = pending.get(id);
    if (!p) {
      errors.push({ row: 0, column: 'discountCurves', value: `${ccy}=${id}`, reason: `discount curve ${id} for ${ccy} is not among the curves` });
    } else if (p.currency !== ccy) {
      errors.push({ row: 0, column: 'discountCurves', value: `${ccy}=${id}`, reason: `discount curve ${id} is a ${p.currency ?? 'currency-less'} curve, not ${ccy}` });
    } else {
      discountIds.set(ccy, id);
    }
  }
  for (const ccy of currencies) {
    if (discountIds.has(ccy)) continue;
    const own = [...pending.entries()].filter(([, p]) => p.currency === ccy).map(([id]) => id);
    const chosen = own.find(isOisName) ?? own[0];
    if (chosen) discountIds.set(ccy, chosen);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    curves: {
      get: (id) => curves.get(id),
      discountCurve: (ccy) => {
        const id = discountIds.get(ccy);
        return id === undefined ? undefined : curves.get(id);
      },
      ids: () => [...curves.keys()],
      currencies: () => currencies.slice(),
      discountCurveId: (ccy) => discountIds.get(ccy),
    },
  };
}
