/**
 * Reads the spec of a view or input cell from its source. A bad spec is a value naming the field
 * to fix (`y: Invalid input…`), shown on that cell; the notebook itself still saves.
 */
import { z } from 'zod';
import type { ChartCell, GridCell, InputCell } from '../format/schema.ts';
import { inputSpecSchema, type InputSpec } from './input-spec.ts';
import { chartSpecSchema, gridSpecSchema, type ChartSpec, type GridSpec } from './view-spec.ts';

export type SpecResult<T> = { ok: true; spec: T } | { ok: false; errors: SpecError[] };
/** `field` is the dotted path in the spec ("y", "default", "options.2"), empty for the whole spec. */
export interface SpecError { field: string; message: string }

export function readSpec<T>(what: string, schema: z.ZodType<T>, source: string): SpecResult<T> {
  if (source.trim() === '') return { ok: false, errors: [{ field: '', message: `the ${what} spec is empty: write a JSON object` }] };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ok: false, errors: [{ field: '', message: `the ${what} spec is not valid JSON: ${(error as Error).message}` }] };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issueMessage(issue, value) })) };
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.path.length > 0 && at(value, issue.path) === undefined) return 'is required';
  return issue.message;
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeSpecErrors(errors: SpecError[]): string[] {
  return errors.map((e) => (e.field === '' ? e.message : `${e.field}: ${e.message}`));
}

export const readChartSpec = (cell: Pick<ChartCell, 'source'>): SpecResult<ChartSpec> => readSpec('chart', chartSpecSchema, cell.source);
export const readGridSpec = (cell: Pick<GridCell, 'source'>): SpecResult<GridSpec> => readSpec('grid', gridSpecSchema, cell.source);
export const readInputSpec = (cell: Pick<InputCell, 'source'>): SpecResult<InputSpec> => readSpec('input', inputSpecSchema, cell.source);
