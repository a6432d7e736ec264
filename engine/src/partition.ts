import { computePartial, runContext, summarise, type AnalysisInput, type AnalysisPartial, type AnalysisResult } from './analyse.ts';
import { AnalysisInputError } from './settings.ts';

/**
 * Partitioned runs: EVE and NII values, breakdowns, bucket sums and gap amounts of disjoint position
 * ranges add up; the worst scenario, losses and outlier tests are taken after merging. A caller
 * (a worker pool) gives each worker the same input and its own range, then merges on one thread.
 * Ranges are over the run's visiting order (the input in locality order, RunContext.positions),
 * which every worker derives the same way from the same input:
 * mergeAnalyses(input, ranges.map(([a, b]) => analysePartial(input, a, b))) equals analyse(input)
 * to rounding (summation order). `input.onProgress` hears this range's progress (phases as analyse()'s).
 * The server splits large runs this way (backend/src/runs/split-run.ts): the columns on
 * SharedArrayBuffer in locality order (shareInLocalityOrder), so no thread copies or reorders them.
 */
export function analysePartial(input: AnalysisInput, from: number, to: number): AnalysisPartial {
  const n = input.positions.length;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= n)) {
    throw new RangeError(`position range [${from}, ${to}) must lie inside [0, ${n}) with from ≤ to`);
  }
  return computePartial(runContext(input), from, to, input.onProgress);
}

/** Sums partials that cover [0, n) exactly once and summarises them as analyse() would. */
export function mergeAnalyses(input: AnalysisInput, partials: readonly AnalysisPartial[]): AnalysisResult {
  const run = runContext(input);
  const n = input.positions.length;
  const ranges = [...partials].sort((a, b) => a.from - b.from);
  let covered = 0;
  for (const r of ranges) {
    if (r.from !== covered) throw new AnalysisInputError([`partials must cover positions [0, ${n}) without gap or overlap; found [${r.from}, ${r.to}) after ${covered}`]);
    covered = r.to;
  }
  if (covered !== n) throw new AnalysisInputError([`partials cover positions up to ${covered}, not all ${n}`]);
  const first = ranges[0];
  if (first === undefined) throw new AnalysisInputError(['no partial to merge']);
  const sum = (list: Float64Array[]) => list.map((a) => Float64Array.from(a));
  const merged: AnalysisPartial = {
    from: 0,
    to: n,
    eveByGroup: first.eveByGroup.map(sum),
    eveByBucket: sum(first.eveByBucket),
    niiByGroup: first.niiByGroup.map(sum),
    niiProfile: sum(first.niiProfile),
    gap: Float64Array.from(first.gap),
  };
  for (const r of ranges.slice(1)) {
    r.eveByGroup.forEach((byScenario, d) => byScenario.forEach((values, s) => addInto(merged.eveByGroup[d]![s]!, values)));
    r.eveByBucket.forEach((values, s) => addInto(merged.eveByBucket[s]!, values));
    r.niiByGroup.forEach((byScenario, d) => byScenario.forEach((values, s) => addInto(merged.niiByGroup[d]![s]!, values)));
    r.niiProfile.forEach((values, s) => addInto(merged.niiProfile[s]!, values));
    addInto(merged.gap, r.gap);
  }
  return summarise(run, merged);
}

function addInto(target: Float64Array, source: Float64Array): void {
  if (target.length !== source.length) throw new AnalysisInputError(['partials come from different settings or positions (array sizes differ)']);
  for (let k = 0; k < target.length; k++) target[k]! += source[k] as number;
}
