/**
 * The engine's AnalysisResult as the six flat tables of the API (`{columns, rows}`), in long
 * format (one row per scenario and key) so SQL cells and charts can filter and pivot them.
 */
import type { AnalysisResult, BreakdownRow } from '@almready/engine';
import type { RunSummary } from '@almready/contracts';
import type { ResultTable, ResultTableName } from './worker-protocol.ts';

type Cell = string | number | boolean | null;

function table(columns: [string, 'string' | 'number' | 'boolean'][], rows: Record<string, Cell>[]): ResultTable {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows };
}

function longBreakdown(keyName: string, scenarios: string[], rows: BreakdownRow[], value: string, delta: string): ResultTable {
  const out: Record<string, Cell>[] = [];
  for (const row of rows) {
    for (const scenario of scenarios) {
      const v = scenario === 'base' ? row.base : row.scenarios[scenario]?.value ?? 0;
      out.push({ [keyName]: row.key, scenario, [value]: v, [delta]: scenario === 'base' ? 0 : v - row.base });
    }
  }
  return table([[keyName, 'string'], ['scenario', 'string'], [value, 'number'], [delta, 'number']], out);
}

export function resultTables(result: AnalysisResult): Record<ResultTableName, ResultTable> {
  const ids = result.scenarios;
  const eve = ids.map((scenario) => {
    const s = result.eve.scenarios[scenario];
    return { scenario, eve: s?.value ?? result.eve.base, delta_eve: s?.delta ?? 0, loss: s?.loss ?? 0 };
  });
  const nii = ids.map((scenario) => {
    const s = result.nii.scenarios[scenario];
    return { scenario, nii: s?.value ?? result.nii.base, delta_nii: s?.delta ?? 0 };
  });
  const profile: Record<string, Cell>[] = [];
  for (const month of result.nii.profile) {
    for (const scenario of ids) profile.push({ month: month.month, scenario, nii: scenario === 'base' ? month.base : month.scenarios[scenario] ?? 0 });
  }
  return {
    eve: table([['scenario', 'string'], ['eve', 'number'], ['delta_eve', 'number'], ['loss', 'number']], eve),
    nii: table([['scenario', 'string'], ['nii', 'number'], ['delta_nii', 'number']], nii),
    gap: table(
      [['bucket', 'string'], ['from_years', 'number'], ['to_years', 'number'], ['assets', 'number'], ['liabilities', 'number'], ['gap', 'number'], ['cumulative_gap', 'number']],
      result.gap.map((g) => ({ ...g })),
    ),
    eve_by_bucket: longBreakdown('bucket', ids, result.eve.breakdown.bucket ?? [], 'eve', 'delta_eve'),
    eve_by_product: longBreakdown('product', ids, result.eve.breakdown.product ?? [], 'eve', 'delta_eve'),
    eve_by_currency: longBreakdown('currency', ids, result.eve.breakdown.currency ?? [], 'eve', 'delta_eve'),
    nii_by_currency: longBreakdown('currency', ids, result.nii.breakdown.currency ?? [], 'nii', 'delta_nii'),
    nii_profile: table([['month', 'number'], ['scenario', 'string'], ['nii', 'number']], profile),
  };
}

export function runSummary(result: AnalysisResult, positions: number, elapsedMs: number): RunSummary {
  return {
    asOf: result.as_of,
    method: result.method,
    positions,
    eveBase: result.eve.base,
    worstEve: result.eve.worst,
    eveLoss: result.eve.loss,
    niiBase: result.nii.base,
    worstNii: result.nii.worst,
    outlierTests: result.sot,
    warnings: result.warnings,
    engineVersion: result.engine_version,
    elapsedMs,
    currencies: (result.eve.breakdown.currency ?? []).map((row) => row.key).sort(),
    gapByCurrency: result.gap_by_currency.map((row) => ({ ...row })),
  };
}
