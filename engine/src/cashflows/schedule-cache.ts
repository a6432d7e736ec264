import { addMonths, monthIndexOf, monthStart } from '../dates.ts';
import { yearFraction } from '../daycount.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import { paymentSchedule } from '../schedule.ts';

/** Payment dates after asOf with the accrual fraction of the period each one closes. */
export interface CachedSchedule {
  dates: Int32Array;
  /** taus[k] = τ(period start, dates[k]) in the contract's day count; period 0 starts at previousRoll */
  taus: Float64Array;
  previousRoll: number;
  /** family masters: month index of dates[0] (dates[k] falls in month firstMonth + k·frequency) */
  firstMonth?: number;
}

/** Reset dates rolled from a first reset, with τ of each reset period [resets[k], resets[k+1]]. */
export interface CachedResets {
  dates: Int32Array;
  taus: Float64Array;
}

/**
 * Many contracts share a maturity, a payment frequency and a day count (and floating ones a reset
 * date and period); their schedules and accrual fractions are computed once per analysis. Calendar
 * arithmetic costs far more than the cash-flow arithmetic, so this is where the time goes otherwise.
 */
export class ScheduleCache {
  private readonly schedules = new Map<number, CachedSchedule>();
  private readonly resets = new Map<number, CachedResets>();
  private readonly families = new Map<number, CachedSchedule>();
  // Per-position memo for the passes of one run (EVE, NII, gap each prepare every position): the
  // index of the position's master schedule in `masters` (−1 = not yet) and how many of its dates
  // are the position's. Two sequential typed-array reads instead of a lookup in a map of ~50,000
  // schedules and the cache misses of a per-maturity view object.
  private memoFor: PositionColumns | undefined;
  private masterOf = new Int32Array(0);
  private countOf = new Int32Array(0);
  private readonly masters: CachedSchedule[] = [];
  private readonly masterId = new Map<CachedSchedule, number>();
  /** number of dates of the schedule positionMaster() returned last */
  lastCount = 0;
  /** id of that schedule (masterById(id) returns it): positions of one master share its dates */
  lastMasterId = -1;

  constructor(
    readonly asOf: number,
    /** last day any reset period must reach (beyond the last maturity) */
    readonly lastDay: number,
  ) {}

  /** Payment dates after asOf (views of the shared family master; forward-starting contracts get their own). */
  schedule(maturity: number, frequencyMonths: number, dayCount: number, startDate: number): CachedSchedule {
    if (startDate !== NO_DATE && startDate > this.asOf) {
      // a forward-starting contract has its own dates; one still in its first period only a different
      // first accrual start, which the generator applies itself (see FlowGenerator.prepare)
      return withTaus(paymentSchedule(this.asOf, maturity, frequencyMonths, startDate), dayCount);
    }
    const key = (maturity * 1024 + frequencyMonths) * 4 + dayCount;
    let cached = this.schedules.get(key);
    if (cached === undefined) {
      const master = this.familyMaster(maturity, frequencyMonths, dayCount);
      const count = this.lastCount;
      cached = count === master.dates.length ? master : { dates: master.dates.subarray(0, count), taus: master.taus.subarray(0, count), previousRoll: master.previousRoll, firstMonth: -1 };
      this.schedules.set(key, cached);
    }
    return cached;
  }

  /**
   * schedule() of position i of p as (master, lastCount): its dates are master.dates[0, lastCount)
   * (the master may hold later dates of the family). Memoised per position.
   */
  positionMaster(p: PositionColumns, i: number, maturity: number, frequencyMonths: number, dayCount: number, startDate: number): CachedSchedule {
    if (p !== this.memoFor) {
      this.memoFor = p;
      this.masterOf = new Int32Array(p.length).fill(-1);
      this.countOf = new Int32Array(p.length);
    }
    const id = this.masterOf[i] as number;
    if (id >= 0) {
      this.lastCount = this.countOf[i] as number;
      this.lastMasterId = id;
      return this.masters[id] as CachedSchedule;
    }
    let master: CachedSchedule;
    if (startDate !== NO_DATE && startDate > this.asOf) {
      master = this.schedule(maturity, frequencyMonths, dayCount, startDate);
      this.lastCount = master.dates.length;
    } else master = this.familyMaster(maturity, frequencyMonths, dayCount);
    let known = this.masterId.get(master);
    if (known === undefined) {
      known = this.masters.push(master) - 1;
      this.masterId.set(master, known);
    }
    this.masterOf[i] = known;
    this.countOf[i] = this.lastCount;
    this.lastMasterId = known;
    return master;
  }

  /** The schedule positionMaster() identified by lastMasterId. */
  masterById(id: number): CachedSchedule {
    const master = this.masters[id];
    if (master === undefined) throw new RangeError(`no master schedule ${id}`);
    return master;
  }

  /**
   * Roll dates depend on the maturity only through its day of month (or month-end flag) and its
   * month modulo the frequency: every contract of such a family shares the same dates after asOf,
   * up to its own maturity. So one master schedule per family (to lastDay) is built and each
   * maturity uses its first dates (count in lastCount) — identical values to
   * paymentSchedule(asOf, maturity), and ~2,300 small shared arrays instead of ~50,000 separate
   * ones, which keeps the hot loops in cache.
   */
  private familyMaster(maturity: number, frequencyMonths: number, dayCount: number): CachedSchedule {
    const month = monthIndexOf(maturity);
    const day = maturity - monthStart(month) + 1;
    const endOfMonth = maturity === monthStart(month + 1) - 1;
    const phase = ((month % frequencyMonths) + frequencyMonths) % frequencyMonths;
    // a number, not a string: this runs once per position on the first pass (frequency < 2^16,
    // phase < frequency, day 1..31 or 0 for month end, day count < 8)
    const key = ((frequencyMonths * 65536 + phase) * 32 + (endOfMonth ? 0 : day)) * 8 + dayCount;
    let master = this.families.get(key);
    if (master === undefined) {
      // the family's roll dates (as paymentSchedule rolls them from the maturity month) down to asOf
      const lastMonth = monthIndexOf(Math.max(this.lastDay, maturity));
      let m = lastMonth - ((((lastMonth - phase) % frequencyMonths) + frequencyMonths) % frequencyMonths);
      const rolls: number[] = [];
      while (rollDate(m, day, endOfMonth) > this.asOf) {
        rolls.push(rollDate(m, day, endOfMonth));
        m -= frequencyMonths;
      }
      master = withTaus({ dates: Int32Array.from(rolls.reverse()), previousRoll: rollDate(m, day, endOfMonth) }, dayCount);
      master.firstMonth = m + frequencyMonths;
      this.families.set(key, master);
    }
    // dates after asOf up to and including the maturity (a family date by construction): the
    // family rolls one date every `frequency` months, so the maturity's month gives its position
    const lo = (month - (master.firstMonth as number)) / frequencyMonths + 1;
    if (!(lo >= 1 && lo <= master.dates.length) || master.dates[lo - 1] !== maturity) {
      // not expected; the direct computation is always right
      const direct = withTaus(paymentSchedule(this.asOf, maturity, frequencyMonths, NO_DATE), dayCount);
      this.lastCount = direct.dates.length;
      return direct;
    }
    this.lastCount = lo;
    return master;
  }

  /** Resets from `first` every `months` months until lastDay. */
  resetDates(first: number, months: number, dayCount: number): CachedResets {
    const key = (first * 1024 + months) * 4 + dayCount;
    let cached = this.resets.get(key);
    if (cached === undefined) {
      const dates: number[] = [first];
      for (let k = 1; (dates[dates.length - 1] as number) <= this.lastDay; k++) dates.push(addMonths(first, k * months, false));
      const taus = new Float64Array(dates.length);
      for (let k = 0; k + 1 < dates.length; k++) taus[k] = yearFraction(dayCount, dates[k] as number, dates[k + 1] as number);
      cached = { dates: Int32Array.from(dates), taus };
      this.resets.set(key, cached);
    }
    return cached;
  }
}

function withTaus(s: { dates: Int32Array; previousRoll: number }, dayCount: number): CachedSchedule {
  const taus = new Float64Array(s.dates.length);
  let from = s.previousRoll;
  for (let k = 0; k < s.dates.length; k++) {
    taus[k] = yearFraction(dayCount, from, s.dates[k] as number);
    from = s.dates[k] as number;
  }
  // every schedule has the same shape (firstMonth set on family masters later), one hidden class
  return { dates: s.dates, taus, previousRoll: s.previousRoll, firstMonth: -1 };
}

/** The roll date of a month: the day clamped to the month's length, or its last day. */
function rollDate(monthIndex: number, day: number, endOfMonth: boolean): number {
  const first = monthStart(monthIndex);
  const last = monthStart(monthIndex + 1) - first;
  return first + (endOfMonth || day > last ? last : day) - 1;
}
