/**
 * analyse() against the reference, figure by figure (reference.test.ts): each position run on its
 * own through the engine and through the reference, then the whole book.
 */
import { analyse, type AnalysisResult } from '../analyse.ts';
import { BUCKET_LABELS } from '../buckets.ts';
import { buildCurveSet, type CurveRow } from '../curve-set.ts';
import { PositionsBuilder, SchedulesBuilder } from '../position-builder.ts';
import type { PositionRecord } from '../positions.ts';
import type { AnalysisSettings } from '../settings.ts';
import { referenceAnalyse, type ReferenceResult } from './analyse.ts';
import { eveOutlierTest, niiOutlierTest, type OutlierVerdict } from './outlier.ts';
import type { ScheduleRow } from './position.ts';

export interface Book {
  positions: PositionRecord[];
  schedules: ScheduleRow[];
  curves: CurveRow[];
  settings: AnalysisSettings;
}

/** One figure that differs: the position (all its fields), the figure, both values. */
export interface Difference {
  position: PositionRecord | 'book';
  schedule: ScheduleRow[];
  figure: string;
  engine: number;
  reference: number;
  relative: number;
}

export function engineRun(book: Book, method: 'full' | 'standardised'): AnalysisResult {
  const builder = new PositionsBuilder();
  book.positions.forEach((p) => builder.add(p));
  const positions = builder.build();
  const schedules = new SchedulesBuilder(positions.id);
  for (const row of book.schedules) schedules.add(row.position_id, row.date, row.principal);
  const curves = buildCurveSet(book.curves);
  if (!curves.ok) throw new Error(`bad test curves: ${JSON.stringify(curves.errors)}`);
  // the standardised run is read for EVE only: a one-month NII keeps it short
  const niiHorizonMonths = method === 'full' ? book.settings.niiHorizonMonths : 1;
  return analyse({ positions, schedules: schedules.build(), curves: curves.curves, settings: { ...book.settings, method, niiHorizonMonths } });
}

interface Figures {
  eveFull: Record<string, number>;
  eveStandardised: Record<string, number>;
  nii: Record<string, number>;
  niiProfile: Record<string, number[]>;
  gapAssets: number[];
  gapLiabilities: number[];
}

function engineFigures(full: AnalysisResult, standardised: AnalysisResult): Figures {
  const value = (r: AnalysisResult['eve'] | AnalysisResult['nii'], s: string): number => (s === 'base' ? r.base : (r.scenarios[s]?.value ?? Number.NaN));
  const out: Figures = { eveFull: {}, eveStandardised: {}, nii: {}, niiProfile: {}, gapAssets: full.gap.map((g) => g.assets), gapLiabilities: full.gap.map((g) => g.liabilities) };
  for (const s of full.scenarios.includes('base') ? full.scenarios : ['base', ...full.scenarios]) {
    out.eveFull[s] = value(full.eve, s);
    out.eveStandardised[s] = value(standardised.eve, s);
    out.nii[s] = value(full.nii, s);
    out.niiProfile[s] = full.nii.profile.map((m) => (s === 'base' ? m.base : (m.scenarios[s] ?? Number.NaN)));
  }
  return out;
}

function referenceFigures(ref: ReferenceResult, k: number | 'book'): Figures {
  if (k === 'book') return ref.total;
  const p = ref.positions[k]!;
  const zero = new Array<number>(19).fill(0);
  return { ...p, gapAssets: p.side === 'asset' ? p.gap : zero, gapLiabilities: p.side === 'asset' ? zero : p.gap };
}

/** Every figure of a and b (engine, reference) further apart than `tolerance` relative to max(|a|, |b|, scale). */
function differences(engine: Figures, reference: Figures, scenarios: readonly string[], scale: number, tolerance: number): Omit<Difference, 'position' | 'schedule'>[] {
  const out: Omit<Difference, 'position' | 'schedule'>[] = [];
  const check = (figure: string, a: number | undefined, b: number | undefined): void => {
    const x = a ?? Number.NaN;
    const y = b ?? Number.NaN;
    const relative = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), scale);
    if (!(relative <= tolerance)) out.push({ figure, engine: x, reference: y, relative });
  };
  for (const s of scenarios) {
    check(`EVE full ${s}`, engine.eveFull[s], reference.eveFull[s]);
    check(`EVE standardised ${s}`, engine.eveStandardised[s], reference.eveStandardised[s]);
    check(`NII ${s}`, engine.nii[s], reference.nii[s]);
    (reference.niiProfile[s] ?? []).forEach((v, m) => check(`NII ${s} month ${m + 1}`, engine.niiProfile[s]?.[m], v));
  }
  BUCKET_LABELS.forEach((label, k) => {
    check(`gap assets ${label}`, engine.gapAssets[k], reference.gapAssets[k]);
    check(`gap liabilities ${label}`, engine.gapLiabilities[k], reference.gapLiabilities[k]);
  });
  return out;
}

/**
 * Differences beyond `tolerance` (relative; figures smaller than 1e-6 of the notional are
 * compared against 1e-6 of the notional), position by position, then for the whole book.
 */
export function compareBook(book: Book, tolerance = 1e-9, referencePositions: PositionRecord[] = book.positions): Difference[] {
  // referencePositions: what the reference reads instead (the test that the comparison can fail)
  const reference = referenceAnalyse({ ...book, positions: referencePositions });
  const found: Difference[] = [];
  book.positions.forEach((position, k) => {
    const one: Book = { ...book, positions: [position], schedules: book.schedules.filter((s) => s.position_id === position.position_id) };
    const engine = engineFigures(engineRun(one, 'full'), engineRun(one, 'standardised'));
    for (const d of differences(engine, referenceFigures(reference, k), reference.scenarios, 1e-6 * position.notional, tolerance)) {
      found.push({ position, schedule: one.schedules, ...d });
    }
  });
  const full = engineRun(book, 'full');
  const standardised = engineRun(book, 'standardised');
  const total = engineFigures(full, standardised);
  const scale = 1e-6 * book.positions.reduce((s, p) => s + p.notional, 0);
  const add = (d: Omit<Difference, 'position' | 'schedule'>): number => found.push({ position: 'book', schedule: [], ...d });
  differences(total, referenceFigures(reference, 'book'), reference.scenarios, scale, tolerance).forEach(add);
  // the outlier tests' verdicts on the totals (standardised: its own EVE; NII is the full run's)
  const tier1 = book.settings.tier1;
  const verdicts: [string, AnalysisResult['sot']['eve'], OutlierVerdict][] = [
    ['EVE outlier test', full.sot.eve, eveOutlierTest(reference.total.eveFull, reference.scenarios, tier1)],
    ['EVE outlier test (standardised)', standardised.sot.eve, eveOutlierTest(reference.total.eveStandardised, reference.scenarios, tier1)],
    ['NII outlier test', full.sot.nii, niiOutlierTest(reference.total.nii, tier1)],
  ];
  for (const [name, engine, ref] of verdicts) {
    const relative = Math.abs(engine.worst_delta - ref.worstDelta) / Math.max(Math.abs(engine.worst_delta), Math.abs(ref.worstDelta), scale);
    if (!(relative <= tolerance)) add({ figure: `${name} worst delta`, engine: engine.worst_delta, reference: ref.worstDelta, relative });
    if (engine.worst_scenario !== ref.worstScenario || engine.flagged !== ref.flagged || engine.threshold !== ref.threshold) {
      add({ figure: `${name} verdict (${String(engine.worst_scenario)} ${engine.flagged ? 'flagged' : 'passes'} / ${String(ref.worstScenario)} ${ref.flagged ? 'flagged' : 'passes'})`, engine: Number(engine.flagged), reference: Number(ref.flagged), relative: 1 });
    }
  }
  return found;
}

/** The first differing position with all its fields and both figures, for a failing test's message. */
export function describeDifference(d: Difference, all: number): string {
  const what = d.position === 'book' ? 'the whole book' : `position ${JSON.stringify(d.position)}${d.schedule.length ? `\nschedule ${JSON.stringify(d.schedule)}` : ''}`;
  return `${all} figure(s) differ; first: ${d.figure} of ${what}\nengine ${d.engine}\nreference ${d.reference}\nrelative difference ${d.relative.toExponential(3)}`;
}
