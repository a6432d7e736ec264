/**
 * The tables a SQL query on one dataset can name (backend/API.md "Run results in SQL"): the
 * dataset's own, `result_<table>` for its latest finished run, and `run_<short id>_<table>` for
 * every finished run of the workspace, newest first.
 */
import { RESULT_TABLES } from '@almready/contracts';
import type { Run } from '../api/types.ts';

export interface SqlTableGroup { label: string; tables: string[] }

export function runTablePrefix(runId: string): string {
  return `run_${runId.slice(0, 8).toLowerCase()}_`;
}

export function sqlTables(runs: readonly Run[], datasetId: string | null): SqlTableGroup[] {
  const done = runs.filter((r) => r.status === 'done').sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
  const groups: SqlTableGroup[] = [{ label: 'Dataset', tables: ['positions', 'curves', 'schedules'] }];
  const latest = done.find((r) => r.datasetId === datasetId);
  if (latest) groups.push({ label: `Latest run of this dataset (= ${runTablePrefix(latest.id)}*)`, tables: RESULT_TABLES.map((t) => `result_${t}`) });
  for (const run of done) {
    groups.push({ label: `Run of ${run.finishedAt?.slice(0, 16).replace('T', ' ') ?? '?'}${run.datasetId === datasetId ? ' (this dataset)' : ''}`, tables: RESULT_TABLES.map((t) => `${runTablePrefix(run.id)}${t}`) });
  }
  return groups;
}
