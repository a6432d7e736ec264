/**
 * The `almready` command line. Each command lives in its own file and registers itself here.
 * Commands return an exit code; expected failures print a readable message, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { registerCalc } from './calc.ts';
import { registerImport } from './import.ts';
import { registerUsers } from './users.ts';
import { registerServe } from './serve.ts';
import { registerRun } from './run.ts';
import { compiled } from '../runtime-paths.ts';
import backendPackage from '../../package.json' with { type: 'json' };

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Commands set this to report their own exit code (0 when untouched). */
export interface CliContext {
  io: CliIo;
  exitCode: number;
}

export function buildProgram(context: CliContext): Command {
  const program = new Command('almready')
    .description('ALMReady: interest-rate risk in the banking book (EVE, NII, repricing gap)')
    // Says which code runs: the build (backend/dist) or the TypeScript sources through tsx.
    .version(`${backendPackage.version} (${compiled ? 'compiled' : 'TypeScript sources'})`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.io.out(s), writeErr: (s) => context.io.err(s) });
  registerCalc(program, context);
  registerImport(program, context);
  registerUsers(program, context);
  registerServe(program, context);
  registerRun(program, context);
  return program;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const context: CliContext = { io, exitCode: 0 };
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.err(`almready: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
