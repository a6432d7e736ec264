/**
 * What running one TypeScript cell gives back: its exported values, console lines and display
 * outputs, or one error saying what broke and where in the cell's own source.
 */

/** A value that crosses the sandbox wall: plain JSON data, or a reference to a host table. */
export type CellValue =
  | null
  | boolean
  | number
  | string
  | CellValue[]
  | { [key: string]: CellValue }
  | TableRef;

/** A table lives on the host (DuckDB); the sandbox only ever holds its id. */
export interface TableRef {
  $almTable: string;
}

export const isTableRef = (value: unknown): value is TableRef =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $almTable?: unknown }).$almTable === 'string' && Object.keys(value).length === 1;

export type CellErrorKind =
  /** the TypeScript does not parse, or uses what a cell cannot (imports, unnamed exports) */
  | 'syntax'
  /** an exception the cell did not catch (thrown value, TypeError, a refused `alm` call, …) */
  | 'runtime'
  | 'timeout'
  | 'memory'
  | 'stack'
  | 'output-limit'
  | 'host-call-limit'
  /** top-level await on a promise nothing can settle */
  | 'never-resolves'
  /** an exported value that cannot leave the sandbox (function, Map, cycle, NaN, …) */
  | 'export'
  /** stopped from outside (TsSandbox.cancel) */
  | 'cancelled'
  /** the sandbox itself failed (worker crash); the cell may be re-run */
  | 'crashed';

export interface CellError {
  kind: CellErrorKind;
  message: string;
  /** 1-based, in the cell's TypeScript source, when known */
  line?: number;
  column?: number;
}

export interface ConsoleLine {
  level: 'log' | 'warn' | 'error';
  text: string;
}

export type Display =
  | { type: 'grid'; data: CellValue }
  | { type: 'chart'; spec: CellValue }
  | { type: 'metric'; label: string; value: CellValue; format: string | null };

export interface CellTiming {
  /** fresh QuickJS runtime + context + `alm` ready, in the warm worker */
  sandboxStartMs: number;
  transpileMs: number;
  /** evaluation of the cell, host calls included */
  runMs: number;
}

export type CellResult =
  | { ok: true; outputs: Record<string, CellValue>; console: ConsoleLine[]; displays: Display[]; timing: CellTiming }
  | { ok: false; error: CellError; console: ConsoleLine[]; displays: Display[]; timing: CellTiming | null };
