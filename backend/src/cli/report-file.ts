/**
 * `almready run --out report.html`: the execution's stored outputs (read back from the output
 * store, as the server's outputs route reads them) rendered by the notebooks package's report
 * export into ONE self-contained HTML file. Tables longer than their first page get the rows a
 * publication keeps (publish.ts `fetchTableRows`); the footer names the notebook version, the
 * dataset and its content hash, the engine version and the run.
 * The file is written beside its final name and renamed, so a reader never sees half a report.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolveInputValues, type CellOutput, type NotebookDocument, type Parameters } from '@almready/notebooks';
import { renderReportHtml } from '@almready/notebooks/report';
import { readDatasetMeta } from '../data/datasets/dataset-store.ts';
import { fetchTableRows } from '../notebook-exec/publish.ts';
import type { HeadlessCore } from './headless.ts';

export interface ReportFileInput {
  file: string;
  workspace: { id: string; dir: string };
  user: { id: string };
  dataset: { id: string; name: string; asOf: string } | null;
  notebook: { id: string; name: string; version: number; document: NotebookDocument };
  parameters: Parameters;
  ranAt: Date;
  runMs: number;
}

export async function writeReportFile(core: HeadlessCore, input: ReportFileInput): Promise<{ bytes: number }> {
  const { workspace, dataset, notebook } = input;
  const stored = await core.exec.outputs(workspace, notebook.id, notebook.version, notebook.document, dataset?.id ?? null, input.parameters);
  const outputs = new Map<string, CellOutput>();
  for (const cell of stored.cells) if (cell.output !== null) outputs.set(cell.cellId, cell.output);
  // the rows a publication keeps of each table longer than its first page, paged the same way
  const tableRows = await fetchTableRows(core.deps, { workspace, user: input.user, datasetId: dataset?.id ?? null }, outputs);
  const meta = dataset === null ? undefined : await readDatasetMeta(workspace.dir, dataset.id);
  const html = renderReportHtml({
    document: notebook.document,
    outputs,
    tableRows,
    meta: {
      notebookId: notebook.id,
      notebookName: notebook.name,
      version: notebook.version,
      publicationId: null,
      datasetId: dataset?.id ?? null,
      datasetName: dataset?.name ?? null,
      datasetAsOf: dataset?.asOf ?? null,
      datasetHash: meta?.contentHash ?? null,
      engineVersion: core.exec.engineVersion,
      parameters: parameterValues(notebook.document, input.parameters),
      ranAt: input.ranAt.toISOString(),
      runMs: input.runMs,
      publishedAt: null,
      publishedBy: null,
    },
  });
  const temporary = `${input.file}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, html, 'utf8');
    await rename(temporary, input.file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { bytes: Buffer.byteLength(html) };
}

/** Every input's value by its name, defaults and `--param`s resolved as the execution resolved them. */
function parameterValues(document: NotebookDocument, parameters: Parameters): Record<string, string | number | string[] | null> {
  const resolved = resolveInputValues(document, parameters);
  const out: Record<string, string | number | string[] | null> = {};
  if (!resolved.ok) return out;
  for (const cell of document.cells) {
    if (cell.kind === 'input' && cell.name !== undefined && resolved.values.has(cell.id)) out[cell.name] = resolved.values.get(cell.id)!;
  }
  return out;
}
