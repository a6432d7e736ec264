import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNotebookText } from '../format/document.ts';
import { analyseNotebook } from './analyse-cell.ts';
import type { SqlReferencePort } from './sql-analysis.ts';

// Stands in for DuckDB's parser: the fixture's SQL names its tables after FROM.
const fromClauses: SqlReferencePort = {
  async tableReferences(sql) {
    return { ok: true, tables: [...sql.matchAll(/FROM\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!), statements: 1 };
  },
};

describe('notebook analysis', () => {
  it('the all-kinds fixture links inputs, SQL, ts, run tables, views and prose, with no problem', async () => {
    const parsed = parseNotebookText(readFileSync(new URL('../fixtures/v2-all-kinds.md', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const { graph, problems } = await analyseNotebook(parsed.document, fromClauses);
    expect(problems).toEqual(new Map());
    expect(graph.parents('run1').sort()).toEqual(['shocks', 'tier1']);
    expect(graph.parents('eve_table')).toEqual(['run1']); // FROM run1_eve: a run table of the ts cell named run1
    expect(graph.parents('eve_chart')).toEqual(['eve_table']);
    expect(graph.parents('intro')).toEqual(['run1']);
    expect([...graph.staleAfter(['shocks'])].sort()).toEqual(['eve_chart', 'eve_table', 'eve_waterfall', 'intro', 'run1', 'shocks']);
    const order = graph.runOrder();
    expect(order.indexOf('tier1')).toBeLessThan(order.indexOf('run1'));
    expect(order.indexOf('run1')).toBeLessThan(order.indexOf('intro'));
    expect(order).toHaveLength(parsed.document.cells.length);
  });

  it('problems of every kind reach their cell, in words', async () => {
    const parsed = parseNotebookText([
      '---', 'format: almready-notebook', 'version: 2', 'title: T', '---', '',
      '```input id=i', '{"type": "number"}', '```', '',
      '```chart id=c', '{"data": "q", "type": "bar", "x": "a"}', '```', '',
      '```ts id=t', 'const a = 1;', 'export const b = undefinedHelper(a);', '```', '',
    ].join('\n'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const { problems } = await analyseNotebook(parsed.document, fromClauses);
    expect(problems.get('i')).toEqual(['default: is required', 'an input cell needs a name: other cells read its value by that name']);
    expect(problems.get('c')).toEqual(['y: is required']);
    expect(problems.get('t')).toEqual(['reads "undefinedHelper", which no cell defines']);
  });
});
