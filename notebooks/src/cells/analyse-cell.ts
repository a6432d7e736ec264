/**
 * Analysis of any cell, by kind, and of a whole notebook into its graph. SQL goes through the port
 * (DuckDB's parser on the server); everything else is analysed here.
 */
import { assertNever } from '../assert-never.ts';
import type { NotebookCell, NotebookDocument } from '../format/schema.ts';
import { NotebookGraph } from '../graph/graph.ts';
import { describeSpecErrors, readChartSpec, readGridSpec, readInputSpec } from '../specs/cell-spec.ts';
import type { CellAnalysis } from './analysis.ts';
import { analyseMarkdown } from './markdown-analysis.ts';
import { analyseSql, type SqlReferencePort } from './sql-analysis.ts';
import { analyseTs } from './ts-analysis.ts';

export async function analyseCell(cell: NotebookCell, sql: SqlReferencePort): Promise<CellAnalysis> {
  switch (cell.kind) {
    case 'markdown': return analyseMarkdown(cell.source);
    case 'sql': return analyseSql(cell.source, cell.name, sql);
    case 'ts': return analyseTs(cell.source, cell.name);
    case 'chart': case 'grid': {
      const spec = cell.kind === 'chart' ? readChartSpec(cell) : readGridSpec(cell);
      return spec.ok ? { defines: [], uses: [spec.spec.data], problems: [] } : { defines: [], uses: [], problems: describeSpecErrors(spec.errors).map((message) => ({ message })) };
    }
    case 'input': {
      const spec = readInputSpec(cell);
      const problems = spec.ok ? [] : describeSpecErrors(spec.errors).map((message) => ({ message }));
      if (cell.name === undefined) problems.push({ message: 'an input cell needs a name: other cells read its value by that name' });
      return { defines: cell.name === undefined ? [] : [cell.name], uses: [], problems };
    }
    default: return assertNever(cell);
  }
}

export interface NotebookAnalysis {
  cells: Map<string, CellAnalysis>;
  graph: NotebookGraph;
  /** Every problem of every cell (its own analysis, then the graph's), in words. */
  problems: Map<string, string[]>;
}

export async function analyseNotebook(doc: NotebookDocument, sql: SqlReferencePort): Promise<NotebookAnalysis> {
  const cells = new Map<string, CellAnalysis>();
  for (const cell of doc.cells) cells.set(cell.id, await analyseCell(cell, sql));
  const graph = NotebookGraph.fromCells(doc.cells.map((c) => ({ id: c.id, analysis: cells.get(c.id)! })));
  const problems = new Map<string, string[]>();
  const graphProblems = graph.problems();
  for (const [id, analysis] of cells) {
    const own = analysis.problems.map((p) => (p.line !== undefined ? `line ${p.line}, column ${p.column ?? 1}: ${p.message}` : p.message));
    const all = [...own, ...(graphProblems.get(id) ?? [])];
    if (all.length > 0) problems.set(id, all);
  }
  return { cells, graph, problems };
}
