import type { ScheduleCache } from '../cashflows/schedule-cache.ts';

/**
 * Undiscounted flows summed by (master schedule, group, payment index k, lane) before they are
 * summed by (group, day). A prepared contract's payment dates are the first `count` dates of its
 * schedule master (ScheduleCache), so its k-th flow goes to row k of the (master, group) block:
 * one contract writes one contiguous stretch, and contracts of the same family and group write the
 * same small block — instead of one scattered cache line per flow in day arrays of several MB.
 * Lanes are the scenarios or behaviour variants a kernel computes together ([k·lanes + lane]).
 * foldInto() moves the blocks into the day sums once at the end of the pass.
 */
export class MasterSums {
  /** the sums; base() may replace it, so read it after base() */
  slab: Float64Array;
  private used = 0;
  /** [masterId·groups + group] → block offset + 1 (0: none yet) */
  private offsets = new Int32Array(0);
  private readonly blocks: number[] = []; // masterId, group, offset, rows …

  constructor(
    private readonly cache: ScheduleCache,
    readonly groups: number,
    readonly lanes: number,
  ) {
    this.slab = new Float64Array(Math.max(1024, 64 * lanes));
  }

  /** Offset of the (masterId, group) block: row k, lane l at slab[base + k·lanes + l]. */
  base(masterId: number, group: number): number {
    const key = masterId * this.groups + group;
    if (key >= this.offsets.length) {
      const grown = new Int32Array(Math.max(2 * this.offsets.length, key + 1, 1024));
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const known = this.offsets[key] as number;
    if (known > 0) return known - 1;
    const rows = this.cache.masterById(masterId).dates.length;
    const size = rows * this.lanes;
    if (this.used + size > this.slab.length) {
      const grown = new Float64Array(Math.max(2 * this.slab.length, this.used + size));
      grown.set(this.slab.subarray(0, this.used));
      this.slab = grown;
    }
    const offset = this.used;
    this.used += size;
    this.offsets[key] = offset + 1;
    this.blocks.push(masterId, group, offset, rows);
    return offset;
  }

  /** targets[lane][group·span + dates[k] − asOf] += every block's row k, lane by lane. */
  foldInto(targets: readonly Float64Array[], span: number, asOf: number): void {
    const lanes = this.lanes;
    const slab = this.slab;
    const blocks = this.blocks;
    for (let b = 0; b < blocks.length; b += 4) {
      const dates = this.cache.masterById(blocks[b] as number).dates;
      const row = (blocks[b + 1] as number) * span - asOf;
      const offset = blocks[b + 2] as number;
      const rows = blocks[b + 3] as number;
      for (let lane = 0; lane < lanes; lane++) {
        const target = targets[lane] as Float64Array;
        for (let k = 0, at = offset + lane; k < rows; k++, at += lanes) {
          const cf = slab[at] as number;
          if (cf !== 0) target[row + (dates[k] as number)]! += cf;
        }
      }
    }
  }
}
