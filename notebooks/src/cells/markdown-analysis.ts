/** A prose cell reads the names it interpolates (`${name}`, `${name:pct}`); it defines nothing. */
import { renderMarkdown } from '../markdown/render.ts';
import type { CellAnalysis } from './analysis.ts';

export function analyseMarkdown(source: string): CellAnalysis {
  const rendered = renderMarkdown(source);
  return { defines: [], uses: rendered.references, problems: rendered.problems.map((message) => ({ message })) };
}
