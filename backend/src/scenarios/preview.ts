/**
 * The scenario editor's curve view: the base zero curve of one currency and the same curve under a
 * scenario, computed the way a run computes it. A custom shock goes the path a notebook's
 * `alm.scenario` takes into a run — sampled at the engine's shock times (scenario-grid.ts), rebuilt
 * as an engine scenario (runs/custom-scenarios.ts) — then both kinds through the engine's own
 * `scenarioCurveSet` (shock after interpolation, EU lower bound for floorable scenarios, §4).
 */
import { buildCurveSet, interpolateLinearFlat, scenarioById, scenarioCurveSet, UnknownCurrencyError, type CurveRow, type Scenario } from '@almready/engine';
import type { ScenarioPreview, ScenarioPreviewBody, ShockPoint } from '@almready/contracts';
import { engineScenario } from '../runs/custom-scenarios.ts';
import { engineShockTimes } from '../notebook-exec/ts-sandbox/scenario-grid.ts';

/** Where a custom shock is sampled: the grid of a 30-year flow horizon, as for a short book (workspace-host.ts). */
const PREVIEW_HORIZON_DAYS = 30 * 365;
/** Tenors shown besides the curve's pillars and the shock's points. */
const DISPLAY_TENORS = [1 / 12, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30];

export type PreviewResult = { ok: true; preview: Omit<ScenarioPreview, 'datasetId'> } | { ok: false; field: string; reason: string };

/** The editor's shock: linear in bp between its points, flat outside (the curve's own interpolation, §2). */
export function customShift(points: readonly ShockPoint[]): (t: number) => number {
  const sorted = [...points].sort((a, b) => a.tenorYears - b.tenorYears);
  const times = Float64Array.from(sorted, (p) => p.tenorYears);
  const shifts = Float64Array.from(sorted, (p) => p.bp / 10_000);
  return (t) => interpolateLinearFlat(times, shifts, t);
}

function customEngineScenario(currency: string, points: readonly ShockPoint[], floorable: boolean): Scenario {
  const shift = customShift(points);
  const times = engineShockTimes(PREVIEW_HORIZON_DAYS);
  return engineScenario({ id: 'custom', label: 'Custom', floorable, rampMonths: 0, horizonDays: PREVIEW_HORIZON_DAYS, shifts: { [currency]: times.map(shift) } });
}

export function previewScenario(rows: readonly CurveRow[], body: ScenarioPreviewBody): PreviewResult {
  const built = buildCurveSet([...rows]);
  if (!built.ok) return { ok: false, field: 'datasetId', reason: `the dataset's curves cannot be used (${built.errors.length} problem(s)): ${built.errors[0]?.reason ?? ''}` };
  const currencies = built.curves.currencies().slice().sort();
  const currency = body.currency ?? currencies[0];
  if (currency === undefined) return { ok: false, field: 'datasetId', reason: 'the dataset has no curves with a currency' };
  const base = built.curves.discountCurve(currency);
  const curveId = built.curves.discountCurveId(currency);
  if (!base || !curveId) return { ok: false, field: 'currency', reason: `the dataset has no curve for ${currency}; its currencies are ${currencies.join(', ')}` };

  const scenario = body.shocks ? customEngineScenario(currency, body.shocks, body.floorable) : scenarioById(body.scenario ?? 'base');
  if (!scenario) return { ok: false, field: 'scenario', reason: `unknown scenario ${body.scenario}` };
  let shocked;
  try {
    // the shock for a currency is made when its curve is first read: a regulatory one needs the currency's §4 sizes
    shocked = scenarioCurveSet(built.curves, scenario, body.floor).discountCurve(currency)!;
  } catch (error) {
    if (error instanceof UnknownCurrencyError) return { ok: false, field: 'scenario', reason: `${scenario.id} cannot shock ${currency}: ${error.message}` };
    throw error;
  }

  const last = Math.max(30, base.times[base.times.length - 1] ?? 0, ...(body.shocks ?? []).map((p) => p.tenorYears));
  const tenors = [...new Set([...DISPLAY_TENORS, ...base.times, ...(body.shocks ?? []).map((p) => p.tenorYears)])]
    .filter((t) => t > 0 && t <= last)
    .sort((a, b) => a - b);
  const points = tenors.map((t) => ({ tenorYears: t, base: base.zero(t), shocked: shocked.zero(t) }));
  return {
    ok: true,
    preview: { currency, curveId, scenario: body.shocks ? 'custom' : scenario.id, floor: body.floor, floorable: scenario.floorable, points, currencies },
  };
}
