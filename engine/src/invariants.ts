import type { AnalysisPartial } from './analyse.ts';
import { AnalysisInputError } from './settings.ts';

/**
 * Every figure a run reports is a number (methodology §7): a NaN or an infinity that reached a
 * sum would print as null, and a null limit test reads as a pass (a breach turned into "not
 * flagged"). So a run whose partial holds one fails, naming the positions that cannot be valued.
 */
export class UnvaluedPositionError extends AnalysisInputError {
  constructor(
    messages: string[],
    /** ids of the positions found (at most MAX_NAMED) */
    readonly positionIds: string[],
  ) {
    super(messages);
    this.message = `the analysis cannot run:\n- ${messages.join('\n- ')}`;
  }
}

const MAX_NAMED = 5;

/** The measures of a partial that hold a value that is not a finite number, each with the scenarios concerned. */
export function unvaluedFigures(partial: AnalysisPartial, scenarioIds: readonly string[]): string[] {
  const found: string[] = [];
  const scenariosOf = (perScenario: readonly Float64Array[]): string[] =>
    perScenario.flatMap((values, s) => (values.every(Number.isFinite) ? [] : [scenarioIds[s] ?? `#${s}`]));
  const eve = new Set([...partial.eveByGroup.flatMap(scenariosOf), ...scenariosOf(partial.eveByBucket)]);
  const nii = new Set([...partial.niiByGroup.flatMap(scenariosOf), ...scenariosOf(partial.niiProfile)]);
  if (eve.size > 0) found.push(`EVE (${[...eve].join(', ')})`);
  if (nii.size > 0) found.push(`NII (${[...nii].join(', ')})`);
  if (!partial.gap.every(Number.isFinite)) found.push('repricing gap');
  return found;
}

/**
 * Throws UnvaluedPositionError when `partial` (positions [from, to)) holds a figure that is not a
 * finite number. The positions responsible are found by halving the range and computing each
 * half again (`compute`: additive partials of a sub-range, same run) — only on this failure path,
 * so a good run pays one scan of its sums. `idOf(k)`: the input id of visiting position k.
 */
export function assertValued(
  partial: AnalysisPartial,
  scenarioIds: readonly string[],
  compute: (from: number, to: number) => AnalysisPartial,
  idOf: (k: number) => string,
): void {
  if (unvaluedFigures(partial, scenarioIds).length === 0) return;
  const named: { id: string; figures: string[] }[] = [];
  let unexplained = false;
  const search = (from: number, to: number, figures: string[]): void => {
    if (named.length >= MAX_NAMED) return;
    if (to - from === 1) {
      named.push({ id: idOf(from), figures });
      return;
    }
    const mid = from + Math.floor((to - from) / 2);
    let found = false;
    for (const [a, b] of [
      [from, mid],
      [mid, to],
    ] as const) {
      const bad = unvaluedFigures(compute(a, b), scenarioIds);
      if (bad.length > 0) {
        found = true;
        search(a, b, bad);
      }
    }
    if (!found) unexplained = true; // each half is valued, their sum overflows
  };
  search(partial.from, partial.to, unvaluedFigures(partial, scenarioIds));
  const messages = named.map(
    ({ id, figures }) =>
      `position ${id} cannot be valued: its ${figures.join(', ')} is not a number — the run is stopped rather than report a figure (or an outlier test) without it; check the position's dates, rates and curves`,
  );
  if (named.length >= MAX_NAMED) messages.push(`(the first ${MAX_NAMED} positions found; there may be more)`);
  if (unexplained) messages.push(`positions ${partial.from}..${partial.to - 1} (visiting order) add up to a figure beyond the range of numbers; check for absurd notionals`);
  throw new UnvaluedPositionError(messages, named.map((n) => n.id));
}
