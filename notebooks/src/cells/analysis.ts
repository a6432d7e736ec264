/**
 * What static analysis says about one cell: the names its outputs are read by (`defines`), the
 * names it reads (`uses`, built-ins and dataset tables left out), and problems in words with a
 * position in the cell's own source. The graph (`graph/`) links cells by these names.
 */
export interface CellProblem {
  message: string;
  /** 1-based line and column in the cell's source, when the problem has a place. */
  line?: number;
  column?: number;
}

export interface CellAnalysis {
  defines: string[];
  uses: string[];
  /** A `ts` cell calling `alm.run` defines every run table `<prefix>_…` (`run1_eve`, `run1_nii`, …). */
  tablePrefix?: string;
  /** SQL identifiers: `uses` match definitions case-insensitively, as DuckDB resolves them. */
  caseInsensitiveUses?: boolean;
  problems: CellProblem[];
}

/** The dataset's tables every SQL cell can read; a cell result cannot take these names. */
export const DATASET_TABLES = ['positions', 'curves', 'schedules'] as const;

/** What a `ts` cell can name without another cell defining it: the language's globals and the host. */
export const SANDBOX_GLOBALS: ReadonlySet<string> = new Set([
  'alm', 'console', 'globalThis', 'Infinity', 'NaN', 'undefined', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'AggregateError', 'Array', 'ArrayBuffer', 'Atomics',
  'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry',
  'Float32Array', 'Float64Array', 'Function', 'Int8Array', 'Int16Array', 'Int32Array', 'JSON', 'Map', 'Math', 'Number',
  'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'String', 'Symbol',
  'SyntaxError', 'TypeError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError', 'WeakMap',
  'WeakRef', 'WeakSet',
]);
