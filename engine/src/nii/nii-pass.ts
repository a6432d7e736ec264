import { FLOATING, FlowGenerator, NON_MATURING } from '../cashflows/generate.ts';
import type { ScheduleIndex } from '../cashflows/schedule-index.ts';
import type { ScheduleCache } from '../cashflows/schedule-cache.ts';
import { NO_DATE } from '../positions.ts';
import { NiiAccumulator, type NiiSettings, type NiiValues } from './nii-accumulator.ts';

export type { NiiValues } from './nii-accumulator.ts';

export interface NiiPassInput extends NiiSettings {
  schedules: ScheduleIndex | undefined;
  /** day offsets covered by the market grids */
  span: number;
  /** shared between passes of one run (optional) */
  scheduleCache?: ScheduleCache;
  /** positions [from, to) only (default all): results of disjoint ranges add up (partitioned runs) */
  from?: number;
  to?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * NII = interest income − interest expense accrued over the horizon (methodology §7), monthly, on
 * its own pass over the positions (the EVE pass can feed the same NiiAccumulator instead: evePass
 * `nii`).
 */
export function niiPass(input: NiiPassInput): NiiValues {
  const { positions: p, asOf } = input;
  const nii = new NiiAccumulator(input);
  const generator = new FlowGenerator(p, input.schedules, asOf, asOf + input.span - 1, input.scheduleCache);
  const from = input.from ?? 0;
  const to = input.to ?? p.length;
  for (let i = from; i < to; i++) {
    if ((i & 0xffff) === 0 && input.onProgress) input.onProgress((i - from) / Math.max(1, to - from));
    if (p.amortization[i] === NON_MATURING) {
      nii.nmd(i);
      continue;
    }
    const maturity = p.maturityDate[i] as number;
    if (maturity === NO_DATE || maturity <= asOf) continue;
    if (!generator.prepare(i)) continue;
    if (p.rateType[i] === FLOATING) nii.floating(i, generator, null);
    else nii.fixed(i, generator, null);
  }
  return nii.finish();
}
