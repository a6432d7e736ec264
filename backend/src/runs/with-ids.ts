/** Naming the positions of a shared book (shared-dataset.ts: no id strings) when the engine must. */
import { UnvaluedPositionError, type AnalysisInput } from '@almready/engine';
import { idsOf, type SharedIds } from './shared-dataset.ts';

/**
 * The shared columns carry no ids (strings cannot be shared): a position that cannot be valued is
 * named by running the calculation again with the ids decoded, only on that failure path.
 */
export function withIds<T>(input: AnalysisInput, ids: SharedIds, compute: (input: AnalysisInput) => T): T {
  try {
    return compute(input);
  } catch (error) {
    if (!(error instanceof UnvaluedPositionError)) throw error;
    const { onProgress: _, ...quiet } = input;
    return compute({ ...quiet, positions: { ...input.positions, id: idsOf(ids) } });
  }
}

