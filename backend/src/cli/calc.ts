/**
 * `almready calc`: one IRRBB run on files, no server. This file declares the options; the run
 * itself is calc-run.ts, loaded when the command runs.
 */
import type { Command } from 'commander';
import type { CliContext } from './main.ts';

export interface CalcFlags {
  positions: string;
  curves: string;
  schedules?: string;
  asOf: string;
  method: string;
  floor: string;
  scenarios: string;
  tier1?: string;
  niiHorizon: string;
  mapping?: string;
  assumptions?: string;
  dateFormat?: string;
  json?: boolean;
}

export function registerCalc(program: Command, context: CliContext): void {
  program
    .command('calc')
    .description('EVE, NII, outlier tests and repricing gap for a positions file and a curves file')
    .requiredOption('--positions <file>', 'positions (CSV, XLSX, Parquet or bank ZIP)')
    .requiredOption('--curves <file>', 'curves (long curve_id,tenor,rate CSV or the wide workbook)')
    .requiredOption('--as-of <yyyy-mm-dd>', 'analysis date')
    .option('--schedules <file>', 'scheduled principal flows (position_id,date,principal)')
    .option('--method <method>', 'full or standardised', 'full')
    .option('--floor <floor>', 'post-shock lower bound: eu or none', 'eu')
    .option('--scenarios <ids>', 'all, or a comma list of scenario ids', 'all')
    .option('--tier1 <amount>', 'Tier 1 capital for the supervisory outlier tests')
    .option('--nii-horizon <months>', 'NII horizon in months', '12')
    .option('--mapping <json file>', 'explicit column mapping {"canonical": "source column"}')
    .option('--assumptions <json file>', 'behavioural assumptions {"nmd": [{category, stableShare, coreShare, averageMaturityYears}], "balanceSheet": "constant"|"runoff"}')
    .option('--date-format <format>', 'iso or dd/mm/yyyy')
    .option('--json', 'print one JSON object')
    .action(async (flags: CalcFlags) => {
      // The run's modules (importers, DuckDB, the engine) load only now, so `--help` starts at once.
      const { runCalc } = await import('./calc-run.ts');
      context.exitCode = await runCalc(flags, context.io);
    });
}

