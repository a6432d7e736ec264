/**
 * Publishing: one saved version runs on one dataset through the execution service (cells whose
 * output is stored return at once), and only when every cell is done is it frozen — its outputs
 * and the first rows of every table its report shows go into the publication's file, the row
 * records the dataset's id and content hash, the engine version, the inputs and each cell's output
 * key (publications.ts). A cell that does not finish is a 422 naming it, and nothing is recorded.
 * Reports and the HTML export are built from the frozen outputs alone (`@almready/notebooks/report`).
 */
import { randomUUID } from 'node:crypto';
import type { Publication, PublishFailure } from '@almready/contracts';
import {
  buildReport, reportHtml, reportTableIds, resolveInputValues,
  type CellOutput, type CellValue, type NotebookDocument, type Parameters, type Report, type ReportLimits, type StoredRows, type TableHandle,
} from '@almready/notebooks';
import { readDatasetMeta } from '../data/datasets/dataset-store.ts';
import { getPublication, readPublicationSnapshot, recordPublication, type PublicationSnapshot } from '../notebook-store/publications.ts';
import { readVersion, versionMeta, type NotebookRow } from '../notebook-store/store.ts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { notebookExecFor, workspaceHostFactory } from './registry.ts';

/** Rows of each table a publication keeps (the HTML export's bound; grids page the rest on the server). */
export const PUBLISHED_TABLE_ROWS = 1000;
/** The API's report answer: a table's first page, a chart's whole (bounded) data. */
export const API_REPORT_LIMITS: ReportLimits = { tableRows: 100, chartRows: PUBLISHED_TABLE_ROWS };

export interface PublishInput {
  workspace: { id: string; dir: string };
  user: { id: string };
  row: NotebookRow;
  version: number;
  datasetId: string | null;
  parameters?: Parameters;
}

export async function publishVersion(deps: WorkspaceDeps, input: PublishInput): Promise<Publication> {
  const { workspace, row, version } = input;
  const document = readVersion(workspace.dir, row.id, version);
  const inputs = resolveInputValues(document, input.parameters);
  if (!inputs.ok) throw apiError(422, 'validation_failed', inputs.errors.join('; '), { problems: inputs.errors });
  const exec = notebookExecFor(deps);
  const ranAt = new Date();
  const started = performance.now();
  const { executionId, result } = exec.run({
    workspace, user: input.user, datasetId: input.datasetId,
    notebookId: row.id, version, document, target: { scope: 'notebook' },
    ...(input.parameters ? { parameters: input.parameters } : {}),
  });
  const outcome = await result;
  const runMs = Math.round((performance.now() - started) * 10) / 10;

  const failures: PublishFailure['cells'] = [];
  const outputs = new Map<string, CellOutput>();
  const keys = new Map<string, string>();
  for (const cell of document.cells) {
    const done = outcome.cells.get(cell.id);
    const name = cell.name ?? null;
    if (done?.state.status === 'done' && done.output !== undefined && done.cacheKey !== undefined) {
      outputs.set(cell.id, done.output);
      keys.set(cell.id, done.cacheKey);
      continue;
    }
    const state = done?.state;
    switch (state?.status) {
      case 'failed': failures.push({ cellId: cell.id, name, status: 'failed', message: state.message, ...(state.line !== undefined ? { line: state.line } : {}), ...(state.column !== undefined ? { column: state.column } : {}) }); break;
      case 'blocked': failures.push({ cellId: cell.id, name, status: 'blocked', message: state.reason }); break;
      case 'stale': failures.push({ cellId: cell.id, name, status: 'stale', message: state.reason }); break;
      case 'cancelled': failures.push({ cellId: cell.id, name, status: 'cancelled', message: 'the execution was cancelled' }); break;
      default: failures.push({ cellId: cell.id, name, status: 'not run', message: outcome.error ?? 'the cell did not run' });
    }
  }
  if (failures.length > 0) {
    const first = failures.filter((f) => f.status === 'failed' || f.status === 'not run');
    const named = (first.length > 0 ? first : failures).map((f) => `cell "${f.cellId}"${f.name && f.name !== f.cellId ? ` (${f.name})` : ''} ${f.status === 'not run' ? 'did not run' : f.status}${f.line !== undefined ? ` at line ${f.line}` : ''}: ${f.message}`);
    throw apiError(422, 'publish_failed', `Version ${version} was not published: ${named.join('; ')}. Fix it and publish again; nothing was recorded.`, { executionId, cells: failures } satisfies PublishFailure);
  }

  const tableRows = await fetchTableRows(deps, input, outputs);
  const dataset = input.datasetId === null ? undefined : await readDatasetMeta(workspace.dir, input.datasetId);
  const parameters: Publication['parameters'] = {};
  for (const cell of document.cells) {
    if (cell.kind === 'input' && cell.name !== undefined && inputs.values.has(cell.id)) parameters[cell.name] = inputs.values.get(cell.id)!;
  }
  const id = randomUUID();
  recordPublication(deps.db, workspace.id, workspace.dir, {
    id,
    notebookId: row.id,
    version,
    name: versionMeta(deps.db, row.id, version)?.name ?? row.name,
    datasetId: input.datasetId,
    datasetName: dataset?.name ?? null,
    datasetAsOf: dataset?.asOf ?? null,
    datasetHash: dataset?.contentHash ?? null,
    engineVersion: exec.engineVersion,
    parameters,
    executionId,
    ranAt: ranAt.toISOString(),
    runMs,
    publishedAt: new Date().toISOString(),
    publishedById: input.user.id,
    cells: document.cells.map((cell) => ({ cellId: cell.id, kind: cell.kind, cacheKey: keys.get(cell.id)!, tables: tablesOf(outputs.get(cell.id)!) })),
  }, { outputs, tableRows });
  return getPublication(deps.db, workspace.id, row.id, id)!;
}

/**
 * The first rows of every table the report shows that holds more than its first page, read
 * through the notebook host's pager (a host that cannot page keeps the first pages).
 */
async function fetchTableRows(deps: WorkspaceDeps, input: PublishInput, outputs: ReadonlyMap<string, CellOutput>): Promise<Map<string, StoredRows>> {
  const handles = new Map<string, TableHandle>();
  for (const output of outputs.values()) for (const handle of handlesOf(output)) handles.set(handle.id, handle);
  const wanted = reportTableIds(outputs).filter((id) => {
    const handle = handles.get(id);
    return handle === undefined || handle.rowCount > handle.firstPage.length;
  });
  const out = new Map<string, StoredRows>();
  if (wanted.length === 0) return out;
  const host = (deps.notebookHost ?? workspaceHostFactory(deps))({ workspace: input.workspace, user: input.user, datasetId: input.datasetId }) as {
    page?: (table: TableHandle, request: { startRow: number; endRow: number }) => Promise<{ rowCount: number; columns: { name: string; type: string }[]; rows: unknown[] }>;
    close?: () => Promise<void>;
  };
  if (!host.page) return out;
  try {
    for (const id of wanted) {
      const handle = handles.get(id) ?? { id, name: id, rowCount: 0, columns: [], firstPage: [] };
      const page = await host.page(handle, { startRow: 0, endRow: PUBLISHED_TABLE_ROWS });
      out.set(id, { rowCount: page.rowCount, columns: page.columns.map((c) => ({ name: c.name, type: c.type })), rows: plainRows(page.rows) });
    }
  } finally {
    await host.close?.();
  }
  return out;
}

function handlesOf(output: CellOutput): TableHandle[] {
  switch (output.kind) {
    case 'sql': return [output.table];
    case 'ts': return Object.values(output.tables);
    case 'chart': case 'grid': return 'table' in output.data ? [output.data.table] : [];
    default: return [];
  }
}

function tablesOf(output: CellOutput): string[] {
  return [...new Set(handlesOf(output).map((h) => h.id))];
}

/** JSON of the rows (DuckDB's bigints as numbers), as the cells' first pages are. */
function plainRows(rows: unknown[]): Record<string, CellValue>[] {
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as Record<string, CellValue>[];
}

/** A publication's report from its frozen outputs and the version's document. */
export function publicationReport(workspaceDir: string, publication: Publication, limits: ReportLimits): Report {
  const document: NotebookDocument = readVersion(workspaceDir, publication.notebookId, publication.version);
  const snapshot: PublicationSnapshot = readPublicationSnapshot(workspaceDir, publication.id);
  return buildReport({
    document,
    outputs: snapshot.outputs,
    tableRows: snapshot.tableRows,
    meta: {
      notebookId: publication.notebookId,
      notebookName: publication.name,
      version: publication.version,
      publicationId: publication.id,
      datasetId: publication.datasetId,
      datasetName: publication.datasetName,
      datasetAsOf: publication.datasetAsOf,
      datasetHash: publication.datasetHash,
      engineVersion: publication.engineVersion,
      parameters: publication.parameters,
      ranAt: publication.ranAt,
      runMs: publication.runMs,
      publishedAt: publication.publishedAt,
      publishedBy: publication.publishedBy,
    },
  }, limits);
}

export function publicationHtml(workspaceDir: string, publication: Publication): string {
  return reportHtml(publicationReport(workspaceDir, publication, { tableRows: PUBLISHED_TABLE_ROWS, chartRows: PUBLISHED_TABLE_ROWS }));
}

/** `irrbb-report-v3-2026-12-04.html`: the notebook's name in plain letters, its version and the publication date. */
export function reportFileName(publication: Publication): string {
  const slug = publication.name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'report';
  return `${slug}-v${publication.version}-${publication.publishedAt.slice(0, 10)}.html`;
}
