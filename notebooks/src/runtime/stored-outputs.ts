/**
 * The outputs a notebook version already has, without running anything: every cell's key is
 * known from the sources and inputs alone, so an opened notebook shows its last outputs at once.
 */
import type { NotebookAnalysis } from '../cells/analyse-cell.ts';
import type { NotebookDocument } from '../format/schema.ts';
import { notebookCacheKeys } from './notebook-keys.ts';
import type { InputValue } from '../specs/input-spec.ts';
import type { OutputStore, StoredOutput } from './ports.ts';

export interface VersionOutput {
  cacheKey: string | null;
  stored: StoredOutput | null;
}

export async function storedOutputs(
  doc: NotebookDocument,
  analysis: NotebookAnalysis,
  context: { datasetId: string | null; engineVersion: string; inputValues: ReadonlyMap<string, InputValue> },
  store: OutputStore,
): Promise<Map<string, VersionOutput>> {
  const keys = notebookCacheKeys(doc, analysis, context);
  const out = new Map<string, VersionOutput>();
  for (const cell of doc.cells) {
    const key = keys.get(cell.id) ?? null;
    out.set(cell.id, { cacheKey: key, stored: key === null ? null : await store.get(key) });
  }
  return out;
}
