/**
 * Every cell's output key before anything runs: a cell's key hashes its own kind, source and name
 * with the keys of the cells it reads (an input cell: the hash of its value), the dataset id and
 * the engine version. Cells with problems, on a cycle or downstream of either have no key: they
 * cannot run.
 */
import type { NotebookAnalysis } from '../cells/analyse-cell.ts';
import type { NotebookDocument } from '../format/schema.ts';
import type { InputValue } from '../specs/input-spec.ts';
import { outputCacheKey, valueHash } from './cache-key.ts';

export interface KeyContext {
  datasetId: string | null;
  engineVersion: string;
  /** Input cells' values by cell id (`parameters.ts`). */
  inputValues: ReadonlyMap<string, InputValue>;
}

export function notebookCacheKeys(doc: NotebookDocument, analysis: NotebookAnalysis, context: KeyContext): Map<string, string> {
  const keys = new Map<string, string>();
  const cells = new Map(doc.cells.map((c) => [c.id, c]));
  for (const id of analysis.graph.runOrder()) {
    const cell = cells.get(id);
    if (cell === undefined || analysis.problems.has(id)) continue;
    const inputs: Record<string, string> = {};
    let complete = true;
    for (const { name, from } of analysis.graph.inputs(id)) {
      const upstream = keys.get(from);
      if (upstream === undefined) complete = false;
      else inputs[name] = upstream;
    }
    if (cell.kind === 'input') {
      if (!context.inputValues.has(id)) continue;
      inputs['=value'] = valueHash(context.inputValues.get(id)); // '=' cannot start a name, so no use collides with it
    }
    if (!complete) continue;
    keys.set(id, outputCacheKey({ kind: cell.kind, source: cell.source, ...(cell.name !== undefined ? { name: cell.name } : {}), inputs, datasetId: context.datasetId, engineVersion: context.engineVersion }));
  }
  return keys;
}
