/**
 * The cells the runner computes itself, without the host: prose rendered with the scalars it
 * interpolates, chart and grid specs checked against the result they name, input values.
 */
import type { ChartCell, GridCell, MarkdownCell } from '../format/schema.ts';
import { renderMarkdown } from '../markdown/render.ts';
import { describeSpecErrors, readChartSpec, readGridSpec } from '../specs/cell-spec.ts';
import type { InputValue } from '../specs/input-spec.ts';
import { checkSpecColumns } from '../specs/view-spec.ts';
import { valueRows } from './bindings.ts';
import type { CellOutput } from './outputs.ts';
import type { HostResult, InputBinding } from './ports.ts';

type Bindings = Readonly<Record<string, InputBinding>>;

export function runMarkdown(cell: MarkdownCell, inputs: Bindings, workspaceImageUrl?: (path: string) => string | null): HostResult<CellOutput> {
  const values: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(inputs)) if (binding.kind === 'value') values[name] = binding.value;
  const rendered = renderMarkdown(cell.source, { values, ...(workspaceImageUrl ? { workspaceImageUrl } : {}) });
  return { ok: true, output: { kind: 'markdown', html: rendered.html, references: rendered.references, problems: rendered.problems } };
}

export function runView(cell: ChartCell | GridCell, inputs: Bindings): HostResult<CellOutput> {
  const read = cell.kind === 'chart' ? readChartSpec(cell) : readGridSpec(cell);
  if (!read.ok) return { ok: false, message: describeSpecErrors(read.errors).join('; ') };
  const binding = inputs[read.spec.data];
  if (binding === undefined) return { ok: false, message: `data: no result named "${read.spec.data}" has been computed` };
  let data: { table: Extract<InputBinding, { kind: 'table' }>['table'] } | { rows: NonNullable<ReturnType<typeof valueRows>> };
  let columns: string[];
  if (binding.kind === 'table') {
    data = { table: binding.table };
    columns = binding.table.columns.map((c) => c.name);
  } else {
    const rows = valueRows(binding.value);
    if (rows === undefined) return { ok: false, message: `data: "${read.spec.data}" is a single value, not a table or a list of rows` };
    data = { rows };
    columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  }
  const problems = checkSpecColumns(read.spec, columns);
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  return { ok: true, output: cell.kind === 'chart' && 'type' in read.spec ? { kind: 'chart', spec: read.spec, data } : { kind: 'grid', spec: read.spec, data } };
}

export function runInput(value: InputValue | undefined): HostResult<CellOutput> {
  return value === undefined ? { ok: false, message: 'the input has no value: fix its spec' } : { ok: true, output: { kind: 'input', value } };
}
