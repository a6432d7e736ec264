/**
 * The specs of view cells: a `chart` or `grid` cell's source is a JSON object bound by `data` to a
 * named result (an SQL cell's name, a run table such as `run1_eve`). Column names are checked
 * against the result when it exists (`specs/columns.ts`); here only the shape is checked.
 */
import { z } from 'zod';
import { cellNameSchema } from '../format/schema.ts';

/** How a value is shown: money (whole units, grouped), pct (a ratio as %), bp (a decimal as basis points). */
export const VALUE_FORMATS = ['money', 'pct', 'bp', 'number', 'integer', 'date', 'text'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];
export const valueFormatSchema = z.enum(VALUE_FORMATS);

const column = z.string().min(1, 'a column name is not empty').max(200);
const formats = z.record(column, valueFormatSchema);

export const CHART_TYPES = ['bar', 'stacked-bar', 'line', 'waterfall'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const chartSpecSchema = z
  .strictObject({
    data: cellNameSchema,
    type: z.enum(CHART_TYPES),
    x: column,
    y: z.union([column, z.array(column).min(1, 'y lists at least one column').max(20)]),
    series: column.optional(),
    formats: formats.optional(),
    title: z.string().max(200).optional(),
  })
  .superRefine((spec, ctx) => {
    const ys = typeof spec.y === 'string' ? [spec.y] : spec.y;
    if (spec.type === 'waterfall' && (ys.length > 1 || spec.series !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [spec.series !== undefined ? 'series' : 'y'], message: 'a waterfall shows one y column and no series' });
    }
    if (spec.type === 'stacked-bar' && ys.length < 2 && spec.series === undefined) {
      ctx.addIssue({ code: 'custom', path: ['series'], message: 'a stacked bar needs a series column or several y columns to stack' });
    }
    if (spec.series !== undefined && ys.length > 1) ctx.addIssue({ code: 'custom', path: ['series'], message: 'give either a series column or several y columns, not both' });
    if (new Set(ys).size !== ys.length) ctx.addIssue({ code: 'custom', path: ['y'], message: 'a y column is listed twice' });
  });
export type ChartSpec = z.infer<typeof chartSpecSchema>;

export const gridSpecSchema = z.strictObject({
  data: cellNameSchema,
  /** Columns shown, in this order; all columns when absent. */
  columns: z.array(column).min(1).max(500).optional(),
  formats: formats.optional(),
  sort: z.array(z.strictObject({ column, direction: z.enum(['asc', 'desc']) })).max(10).optional(),
  pageSize: z.number().int().min(10).max(1000).optional(),
});
export type GridSpec = z.infer<typeof gridSpecSchema>;

/** The columns a view spec names, with the field naming each (for "no such column" errors). */
export function specColumns(spec: ChartSpec | GridSpec): { field: string; column: string }[] {
  const out: { field: string; column: string }[] = [];
  if ('type' in spec) {
    out.push({ field: 'x', column: spec.x });
    (typeof spec.y === 'string' ? [spec.y] : spec.y).forEach((c, i) => out.push({ field: typeof spec.y === 'string' ? 'y' : `y.${i}`, column: c }));
    if (spec.series !== undefined) out.push({ field: 'series', column: spec.series });
  } else {
    spec.columns?.forEach((c, i) => out.push({ field: `columns.${i}`, column: c }));
    spec.sort?.forEach((s, i) => out.push({ field: `sort.${i}.column`, column: s.column }));
  }
  for (const c of Object.keys(spec.formats ?? {})) out.push({ field: `formats.${c}`, column: c });
  return out;
}

/** Problems of a view spec against the columns its result actually has. */
export function checkSpecColumns(spec: ChartSpec | GridSpec, available: readonly string[]): string[] {
  const known = new Set(available);
  return specColumns(spec)
    .filter((c) => !known.has(c.column))
    .map((c) => `${c.field}: ${spec.data} has no column "${c.column}" (its columns: ${available.join(', ')})`);
}
