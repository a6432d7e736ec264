/**
 * The reference run: every figure of analyse() for each position on its own, then summed.
 * One contract at a time, one scenario at a time, no shared state between positions.
 */
import type { CurveRow } from '../curve-set.ts';
import type { PositionRecord } from '../positions.ts';
import { DEFAULTS, type AnalysisSettings } from '../settings.ts';
import { nmdPortions, scenarioBehaviourRate } from './behaviour.ts';
import { parseDay } from './calendar.ts';
import { projectFlows, type ProjectionSettings } from './cashflows.ts';
import { eveFull, eveStandardised, nmdEveFull, type Market } from './eve.ts';
import { gapByBucket, nmdGapByBucket } from './gap.ts';
import { REFERENCE_SCENARIOS, curvesFromRows, discountCurveOf, type ScenarioId } from './market.ts';
import { NiiMonths, accrueFlows, nmdInterest, renewFlows } from './nii.ts';
import { contractOf, type Contract, type ScheduleRow } from './position.ts';

export interface ReferenceInput {
  positions: readonly PositionRecord[];
  schedules?: readonly ScheduleRow[];
  curves: readonly CurveRow[];
  settings: AnalysisSettings;
}

/** What the reference computes for one position, per scenario id (base first). */
export interface PositionFigures {
  id: string;
  /** §6 full method */
  eveFull: Record<string, number>;
  /** §6 standardised method */
  eveStandardised: Record<string, number>;
  /** §7 NII over the horizon, and by month */
  nii: Record<string, number>;
  niiProfile: Record<string, number[]>;
  /** §8 unsigned principal by bucket, on the position's side */
  gap: number[];
  side: 'asset' | 'liability';
}

export interface ReferenceResult {
  scenarios: ScenarioId[];
  positions: PositionFigures[];
  total: Omit<PositionFigures, 'id' | 'side' | 'gap'> & { gapAssets: number[]; gapLiabilities: number[] };
}

export function referenceAnalyse(input: ReferenceInput): ReferenceResult {
  // The settings a run leaves out take the engine's documented defaults (settings.ts DEFAULTS).
  const settings = {
    ...input.settings,
    scenarios: input.settings.scenarios ?? [...DEFAULTS.scenarios],
    niiHorizonMonths: input.settings.niiHorizonMonths ?? DEFAULTS.niiHorizonMonths,
    floor: input.settings.floor ?? DEFAULTS.floor,
  };
  if ((settings.balanceSheet ?? 'constant') !== 'constant') throw new RangeError('the reference computes the constant balance sheet of §7 only');
  const scenarios: ScenarioId[] = ['base'];
  for (const id of settings.scenarios) {
    if (id === 'base') continue;
    if (!(REFERENCE_SCENARIOS as readonly string[]).includes(id)) throw new RangeError(`the reference knows base and the six §4 scenarios, not "${id}"`);
    scenarios.push(id as ScenarioId);
  }
  const asOf = parseDay(settings.asOf);
  const curves = curvesFromRows(input.curves);
  const months = new NiiMonths(asOf, settings.niiHorizonMonths);
  const positions = input.positions.map((record) => positionFigures(contractOf(record, input.schedules ?? []), record.side));

  function positionFigures(c: Contract, side: 'asset' | 'liability'): PositionFigures {
    const discount = discountCurveOf(curves, c.currency);
    const projection = c.index === undefined || !c.floating ? undefined : curves.get(c.index);
    if (c.floating && projection === undefined) throw new RangeError(`${c.id}: no curve ${String(c.index)}`);
    const figures: PositionFigures = { id: c.id, side, eveFull: {}, eveStandardised: {}, nii: {}, niiProfile: {}, gap: [] };
    for (const scenario of scenarios) {
      const market: Market = { asOf, scenario, floor: settings.floor, discount };
      const profile = new Array<number>(months.months).fill(0);
      if (c.amortization === 'non_maturing') {
        const portions = nmdPortions(c, settings.nmd, scenario, asOf);
        figures.eveFull[scenario] = nmdEveFull(c.sign, c.notional, portions, market);
        figures.eveStandardised[scenario] = eveStandardised(
          portions.map((p) => ({ date: p.date, amount: c.sign * c.notional * p.share })),
          market,
        );
        nmdInterest(c, portions, months, { ...market, projection }, profile);
        if (scenario === 'base') figures.gap = nmdGapByBucket(asOf, c.notional, portions);
      } else {
        const projectionSettings: ProjectionSettings = {
          asOf,
          scenario,
          floor: settings.floor,
          projection,
          annualBehaviourRate: scenarioBehaviourRate(c, scenario),
          truncateAtReset: false,
        };
        const flows = projectFlows(c, projectionSettings);
        figures.eveFull[scenario] = eveFull(c.sign, flows, market);
        accrueFlows(c, flows, months, profile);
        renewFlows(c, flows, months, { ...market, projection }, profile);
        // §6 standardised: a floating contract's principal and known coupon at its next reset
        const slotted = projectFlows(c, { ...projectionSettings, projection: undefined, truncateAtReset: true });
        figures.eveStandardised[scenario] = eveStandardised(
          slotted.map((f) => ({ date: f.date, amount: c.sign * (f.interest + f.principal) })),
          market,
        );
        if (scenario === 'base') figures.gap = gapByBucket(asOf, slotted);
      }
      figures.niiProfile[scenario] = profile;
      figures.nii[scenario] = profile.reduce((a, b) => a + b, 0);
    }
    return figures;
  }

  const total: ReferenceResult['total'] = {
    eveFull: {},
    eveStandardised: {},
    nii: {},
    niiProfile: {},
    gapAssets: new Array<number>(19).fill(0),
    gapLiabilities: new Array<number>(19).fill(0),
  };
  for (const s of scenarios) {
    total.eveFull[s] = positions.reduce((sum, p) => sum + (p.eveFull[s] as number), 0);
    total.eveStandardised[s] = positions.reduce((sum, p) => sum + (p.eveStandardised[s] as number), 0);
    total.nii[s] = positions.reduce((sum, p) => sum + (p.nii[s] as number), 0);
    total.niiProfile[s] = Array.from({ length: months.months }, (_, m) => positions.reduce((sum, p) => sum + (p.niiProfile[s]![m] as number), 0));
  }
  for (const p of positions) {
    const target = p.side === 'asset' ? total.gapAssets : total.gapLiabilities;
    p.gap.forEach((v, k) => (target[k]! += v));
  }
  return { scenarios, positions, total };
}
