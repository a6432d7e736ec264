/**
 * "Open in a notebook" on a finished run: a notebook whose first cells read that run's result
 * tables by their stable names (`run_<first 8 characters of the run id>_<table>`, backend API.md
 * "Run results in SQL"), one SQL cell per main table and a chart of the changes, to go on from.
 */
import { NOTEBOOK_FORMAT, NOTEBOOK_VERSION, type NotebookDocument } from '@almready/notebooks';
import type { Run } from '../api/types.ts';

export const runTableName = (runId: string, table: string): string => `run_${runId.slice(0, 8).toLowerCase()}_${table}`;

const MAIN_TABLES = [
  { table: 'eve', sql: (t: string) => `SELECT scenario, eve, delta_eve, loss\nFROM ${t}\nORDER BY delta_eve` },
  { table: 'nii', sql: (t: string) => `SELECT scenario, nii, delta_nii\nFROM ${t}\nORDER BY delta_nii` },
  { table: 'gap', sql: (t: string) => `SELECT bucket, from_years, to_years, assets, liabilities, gap\nFROM ${t}\nORDER BY from_years` },
] as const;

export function runNotebookName(run: Run): string {
  return `Run ${run.id.slice(0, 8)} (${run.finishedAt?.slice(0, 10) ?? run.createdAt.slice(0, 10)})`;
}

export function runNotebookDocument(run: Run): NotebookDocument {
  const id8 = run.id.slice(0, 8);
  const s = run.settings;
  const currencies = run.summary?.currencies?.join(', ');
  const intro = [
    `# Run ${id8}`,
    '',
    `${s.method} method · ${s.floor ? 'EU floor' : 'no floor'} · NII over ${s.niiHorizonMonths} months · scenarios ${s.scenarios.join(', ')}${currencies ? ` · currencies ${currencies}` : ''}.`,
    '',
    "The cells below read this run's tables by name, whatever dataset the notebook runs on:",
    '',
    ...['eve', 'nii', 'gap', 'eve_by_currency', 'nii_by_currency', 'nii_profile', 'eve_by_bucket', 'eve_by_product'].map((t) => `- \`${runTableName(run.id, t)}\``),
  ].join('\n');
  return {
    format: NOTEBOOK_FORMAT,
    version: NOTEBOOK_VERSION,
    title: `Run ${id8}`,
    cells: [
      { id: 'intro', kind: 'markdown', source: intro },
      ...MAIN_TABLES.map((m) => ({ id: m.table, kind: 'sql' as const, name: m.table, source: m.sql(runTableName(run.id, m.table)) })),
      { id: 'eve_chart', kind: 'chart', source: JSON.stringify({ data: 'eve', type: 'bar', x: 'scenario', y: 'delta_eve', formats: { delta_eve: 'money' }, title: 'ΔEVE by scenario' }, null, 2) },
      { id: 'nii_chart', kind: 'chart', source: JSON.stringify({ data: 'nii', type: 'bar', x: 'scenario', y: 'delta_nii', formats: { delta_nii: 'money' }, title: 'ΔNII by scenario' }, null, 2) },
    ],
  } as NotebookDocument;
}
