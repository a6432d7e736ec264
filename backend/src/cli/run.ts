/**
 * `almready run`: every cell of a notebook, headless, through the server's execution service.
 * This file declares the options; the work is run-command.ts, loaded when the command runs.
 */
import type { Command } from 'commander';
import type { CliContext } from './main.ts';

export interface RunFlags {
  workspace?: string;
  dataset?: string;
  notebookVersion?: string;
  param: string[];
  out?: string;
  json?: boolean;
  dataDir?: string;
  positions?: string;
  curves?: string;
  schedules?: string;
  asOf?: string;
  mapping?: string;
  dateFormat?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRun(program: Command, context: CliContext): void {
  program
    .command('run')
    .description('run every cell of a notebook (a stored one or a .md/.json file) in dependency order, without the server')
    .argument('<notebook>', 'a notebook file (.md, or .json of format v1), or the id or name of a notebook stored in --workspace')
    .option('--workspace <id | name>', 'the workspace whose data the cells read and where outputs are stored')
    .option('--dataset <id | name>', 'the dataset of the workspace the cells read (default: the newest)')
    .option('--notebook-version <n>', 'the saved version of a stored notebook (default: the current one)')
    .option('--param <name=value>', 'the value of an input cell (repeatable)', collect, [])
    .option('--out <report.html>', 'write the report (one self-contained HTML file)')
    .option('--json', 'print one JSON summary on stdout (cells, status, timings, scalar outputs, row counts)')
    .option('--data-dir <dir>', 'the data directory (default: ALMREADY_DATA_DIR, else ./data, as the server)')
    .option('--positions <file>', 'without --workspace: positions file, imported into a throw-away workspace')
    .option('--curves <file>', 'without --workspace: curves file')
    .option('--schedules <file>', 'without --workspace: scheduled principal flows')
    .option('--as-of <yyyy-mm-dd>', 'without --workspace: analysis date of the imported data')
    .option('--mapping <json file>', 'without --workspace: explicit column mapping {"canonical": "source column"}')
    .option('--date-format <format>', 'without --workspace: iso or dd/mm/yyyy')
    .action(async (notebook: string, flags: RunFlags) => {
      // DuckDB, the engine and the sandbox load only now, so `--help` starts at once.
      const { runCommand } = await import('./run-command.ts');
      context.exitCode = await runCommand(notebook, flags, context.io);
    });
}
