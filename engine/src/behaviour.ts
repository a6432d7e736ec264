import { NMD_CATEGORIES, type NmdCategory } from './positions.ts';

/** Methodology §5: per category, stable share of the balance, core share of the stable part, core average maturity. */
export interface NmdAssumption {
  category: NmdCategory;
  stableShare: number;
  coreShare: number;
  averageMaturityYears: number;
  /** scenario id → core share used in that scenario instead of `coreShare` */
  coreShareByScenario?: Record<string, number>;
}

/** Regulatory caps of §5 (BCBS d368 / EBA GL 2022/14). */
export const NMD_CAPS: Record<NmdCategory, { coreShare: number; averageMaturityYears: number }> = {
  retail_transactional: { coreShare: 0.9, averageMaturityYears: 5 },
  retail_non_transactional: { coreShare: 0.7, averageMaturityYears: 4.5 },
  wholesale: { coreShare: 0.5, averageMaturityYears: 4 },
};

const percent = (x: number): string => `${Number((x * 100).toFixed(4))}%`;

function shareError(category: string, what: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return `${category} ${what} must be a decimal between 0 and 1 (0.8 for 80%), got ${String(value)}`;
  }
  return undefined;
}

/** Every problem in the list at once; each message names the category, the value and the cap. */
export function validateNmdAssumptions(list: NmdAssumption[]): { ok: true } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const a of list) {
    if (!(NMD_CATEGORIES as readonly string[]).includes(a.category)) {
      errors.push(`unknown non-maturing deposit category "${String(a.category)}"; use one of ${NMD_CATEGORIES.join(', ')}`);
      continue;
    }
    if (seen.has(a.category)) errors.push(`${a.category} is given more than once; keep one assumption per category`);
    seen.add(a.category);
    const cap = NMD_CAPS[a.category];
    const stable = shareError(a.category, 'stable share', a.stableShare);
    if (stable) errors.push(stable);
    const core = shareError(a.category, 'core share', a.coreShare);
    if (core) errors.push(core);
    else if (a.coreShare > cap.coreShare) {
      errors.push(`${a.category} core share ${percent(a.coreShare)} exceeds the regulatory cap of ${percent(cap.coreShare)}`);
    }
    for (const [scenario, share] of Object.entries(a.coreShareByScenario ?? {})) {
      const bad = shareError(a.category, `core share in ${scenario}`, share);
      if (bad) errors.push(bad);
      else if (share > cap.coreShare) {
        errors.push(`${a.category} core share ${percent(share)} in ${scenario} exceeds the regulatory cap of ${percent(cap.coreShare)}`);
      }
    }
    const m = a.averageMaturityYears;
    if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) {
      errors.push(`${a.category} average maturity must be a positive number of years, got ${String(m)}`);
    } else if (m > cap.averageMaturityYears) {
      errors.push(`${a.category} average maturity ${m} years exceeds the regulatory cap of ${cap.averageMaturityYears} years`);
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** Core share in a scenario (§5: scenario-dependent where the user gives one). */
export function coreShareFor(assumption: NmdAssumption, scenarioId: string): number {
  return assumption.coreShareByScenario?.[scenarioId] ?? assumption.coreShare;
}

/** Share of the balance that runs off on the core profile; the rest (non-core, non-stable) reprices overnight. */
export function nmdCoreFraction(assumption: NmdAssumption, scenarioId: string): number {
  return assumption.stableShare * coreShareFor(assumption, scenarioId);
}

const UP = new Set(['parallel_up', 'short_up']);
const DOWN = new Set(['parallel_down', 'short_down']);
const UP_SHIFT = /^(parallel|ramp)_up_\d+$/;
const DOWN_SHIFT = /^(parallel|ramp)_down_\d+$/;

function direction(scenarioId: string): 'up' | 'down' | 'steepener' | 'flattener' | 'other' {
  if (UP.has(scenarioId) || UP_SHIFT.test(scenarioId)) return 'up';
  if (DOWN.has(scenarioId) || DOWN_SHIFT.test(scenarioId)) return 'down';
  if (scenarioId === 'steepener' || scenarioId === 'flattener') return scenarioId;
  return 'other';
}

/**
 * The id whose behavioural multipliers a scenario takes (scenarios.ts Scenario.behaviour): its
 * `behaviour` when set (a custom scenario's choice; `neutral` is ×1), else its own id.
 */
export function behaviourId(scenario: { id: string; behaviour?: string }): string {
  return scenario.behaviour ?? scenario.id;
}

/** §5: loans prepay less when rates rise (×0.8 up, steepener) and more when they fall (×1.2 down, flattener). */
export function cprMultiplier(scenarioId: string): number {
  const d = direction(scenarioId);
  if (d === 'up' || d === 'steepener') return 0.8;
  if (d === 'down' || d === 'flattener') return 1.2;
  return 1;
}

/** §5: depositors break term deposits more when short rates rise (×1.2 up, flattener), less when they fall. */
export function tdrrMultiplier(scenarioId: string): number {
  const d = direction(scenarioId);
  if (d === 'up' || d === 'flattener') return 1.2;
  if (d === 'down' || d === 'steepener') return 0.8;
  return 1;
}

/** Scaled annual rate, capped at 1 (§5). */
export function applyMultiplier(rate: number, multiplier: number): number {
  return Math.min(1, rate * multiplier);
}

// monthlyRate memo: a book has a few hundred distinct annual rates (×3 multipliers) asked for
// millions of times, and Math.pow costs ~60 ns; a slot keeps the last rate that hashed to it
const MEMO_SLOTS = 4096;
const memoRates = new Float64Array(MEMO_SLOTS).fill(Number.NaN);
const memoValues = new Float64Array(MEMO_SLOTS);

/**
 * README "prepayment-timing": months of behaviour the first remaining payment period carries — the
 * share of the period [start, day] left after as_of, times its length in months. Survival over it
 * is (1 − SMM)^months.
 */
export function firstPeriodMonths(frequencyMonths: number, start: number, day: number, asOf: number): number {
  return (frequencyMonths * (day - Math.max(start, asOf))) / (day - start);
}

/** §3: single monthly mortality SMM = 1 − (1 − annual)^(1/12). */
export function monthlyRate(annual: number): number {
  const slot = ((annual * 1048576) | 0) & (MEMO_SLOTS - 1);
  if (memoRates[slot] === annual) return memoValues[slot] as number;
  const smm = 1 - Math.pow(1 - annual, 1 / 12);
  memoRates[slot] = annual;
  memoValues[slot] = smm;
  return smm;
}

/** Share of the CORE balance repaying at the end of each month (month 1 = first month after as_of). */
export interface NmdRunoff {
  months: Int32Array;
  fractions: Float64Array;
}

export type NmdRunoffProfile = 'linear' | 'exponential';

/** Months after which the exponential profile repays whatever is left (market-conventions.md "nmd-runoff"). */
export const EXPONENTIAL_RUNOFF_HORIZON_MONTHS = 240;

/**
 * Core run-off whose average maturity Σ fraction·month/12 equals `averageMaturityYears` exactly
 * (market-conventions.md "nmd-runoff"):
 * - linear: a uniform run-off over T months, T fitted so the end-of-month average is M = 12·A months
 *   (T = 2M − 1 when that is whole; otherwise the last month repays a partial slice);
 * - exponential: a constant monthly run-off q with the remainder repaid at 240 months; q solves
 *   (1 − (1 − q)^H)/q = M.
 * An average at or below one month repays everything at the end of month 1.
 */
export function nmdCoreRunoff(averageMaturityYears: number, profile: NmdRunoffProfile = 'linear'): NmdRunoff {
  if (!Number.isFinite(averageMaturityYears) || averageMaturityYears <= 0) {
    throw new RangeError(`core average maturity must be a positive number of years, got ${averageMaturityYears}`);
  }
  const m = averageMaturityYears * 12;
  if (m <= 1) return { months: Int32Array.of(1), fractions: Float64Array.of(1) };
  return profile === 'linear' ? linearRunoff(m) : exponentialRunoff(m);
}

function linearRunoff(m: number): NmdRunoff {
  // Whole months n = ⌊2M − 1⌋ of weight 1/T, then a slice r/T in month n + 1, with T = n + r and
  // r = n·(M − (n+1)/2)/(n + 1 − M) so that [n(n+1)/2 + (n+1)·r]/T = M.
  const n = Math.floor(2 * m - 1 + 1e-9);
  const r = Math.max(0, (n * (m - (n + 1) / 2)) / (n + 1 - m));
  const total = n + r;
  const count = r > 1e-12 ? n + 1 : n;
  const months = new Int32Array(count);
  const fractions = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    months[k] = k + 1;
    fractions[k] = (k < n ? 1 : r) / total;
  }
  return { months, fractions };
}

function exponentialRunoff(m: number): NmdRunoff {
  const h = EXPONENTIAL_RUNOFF_HORIZON_MONTHS;
  if (m >= h) throw new RangeError(`an exponential run-off cannot average ${m / 12} years within ${h / 12} years`);
  // mean(q) = (1 − (1 − q)^H)/q falls from H (q → 0) to 1 (q = 1): bisect.
  let lo = 1e-12;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const q = (lo + hi) / 2;
    if ((1 - Math.pow(1 - q, h)) / q > m) lo = q;
    else hi = q;
  }
  const q = (lo + hi) / 2;
  const months = new Int32Array(h);
  const fractions = new Float64Array(h);
  let left = 1;
  for (let k = 0; k < h; k++) {
    months[k] = k + 1;
    const paid = k === h - 1 ? left : left * q;
    fractions[k] = paid;
    left -= paid;
  }
  return { months, fractions };
}
