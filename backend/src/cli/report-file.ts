/**
 * `almready run --out report.html`: the execution's stored outputs (read back from the output
 * store, as the server's outputs route reads them) rendered by the notebooks package's report
 * export into ONE self-contained HTML file. Tables longer than their first page get up to the
 * export's bound of rows through the workspace host's paging; the footer names the notebook
 * version, the dataset and the SHA-256 of its files, the engine version and the run.
 * The file is written beside its final name and renamed, so a reader never sees half a report.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveInputValues, type CellOutput, type CellValue, type NotebookDocument, type Parameters, type TableHandle } from '@almready/notebooks';
import { HTML_REPORT_LIMITS, renderReportHtml, reportTableIds, type StoredRows } from '@almready/notebooks/report';
import { createWorkspaceCellHost } from '../notebook-exec/cell-host.ts';
import { runServiceFor } from '../runs/service.ts';
import type { WorkspaceQueryService } from '../data/query/index.ts';
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
  const tableRows = await fetchRows(core, input, outputs);
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
      datasetHash: dataset ? await datasetHash(path.join(workspace.dir, 'datasets', dataset.id)) : null,
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

const json = (rows: unknown): Record<string, CellValue>[] => JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as Record<string, CellValue>[];

/** Rows past the first page of the report's tables, up to the export's bound, paged on the workspace host. */
async function fetchRows(core: HeadlessCore, input: ReportFileInput, outputs: ReadonlyMap<string, CellOutput>): Promise<Map<string, StoredRows>> {
  const handles = new Map<string, TableHandle>();
  for (const output of outputs.values()) for (const handle of tableHandles(output)) handles.set(handle.id, handle);
  const wanted = reportTableIds(outputs).map((id) => handles.get(id)).filter((h): h is TableHandle => h !== undefined && h.rowCount > h.firstPage.length);
  const rows = new Map<string, StoredRows>();
  if (wanted.length === 0 || input.dataset === null) return rows;
  const deps = core.deps;
  const host = createWorkspaceCellHost({ queries: deps.queries as unknown as WorkspaceQueryService, runs: runServiceFor(deps), db: deps.db, audit: deps.audit }, { workspace: input.workspace, user: input.user, datasetId: input.dataset.id });
  try {
    const limit = Math.max(HTML_REPORT_LIMITS.tableRows, HTML_REPORT_LIMITS.chartRows);
    for (const handle of wanted) {
      const page = await host.page(handle, { startRow: 0, endRow: Math.min(limit, handle.rowCount) });
      rows.set(handle.id, { rowCount: page.rowCount, columns: page.columns.map((c) => ({ name: c.name, type: c.type })), rows: json(page.rows) });
    }
  } finally {
    await host.close();
  }
  return rows;
}

function tableHandles(output: CellOutput): TableHandle[] {
  switch (output.kind) {
    case 'sql': return [output.table];
    case 'ts': return Object.values(output.tables);
    case 'chart': case 'grid': return 'table' in output.data ? [output.data.table] : [];
    default: return [];
  }
}

/** SHA-256 over the dataset folder's files, by name, each name and its bytes. */
async function datasetHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  for (const name of files) {
    hash.update(`${name}\0`);
    for await (const chunk of createReadStream(path.join(dir, name))) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
