/**
 * The names a cell reads, bound to its upstream cells' outputs: an SQL result or a run table is a
 * table, a ts export or an input's value is a value (a ts export holding a table reference is
 * that table). SQL names match case-insensitively, as DuckDB resolves them.
 */
import { assertNever } from '../assert-never.ts';
import type { CellOutput, CellValue, TableHandle } from './outputs.ts';
import type { InputBinding } from './ports.ts';

export function bindName(name: string, output: CellOutput, caseInsensitive: boolean): InputBinding | undefined {
  const same = (a: string) => (caseInsensitive ? a.toLowerCase() === name.toLowerCase() : a === name);
  const tableNamed = (tables: Record<string, TableHandle>) => Object.entries(tables).find(([n]) => same(n))?.[1];
  switch (output.kind) {
    case 'sql': return same(output.table.name) ? { kind: 'table', table: output.table } : undefined;
    case 'ts': {
      const valueName = Object.keys(output.values).find(same);
      if (valueName !== undefined) {
        const value = output.values[valueName]!;
        const ref = tableRef(value);
        const table = ref === undefined ? undefined : Object.values(output.tables).find((t) => t.id === ref);
        if (table !== undefined) return { kind: 'table', table };
        if (ref === undefined) return { kind: 'value', value };
      }
      const table = tableNamed(output.tables);
      return table === undefined ? undefined : { kind: 'table', table };
    }
    case 'input': return { kind: 'value', value: output.value };
    case 'markdown': case 'chart': case 'grid': return undefined;
    default: return assertNever(output);
  }
}

function tableRef(value: CellValue): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$almTable' && typeof value.$almTable === 'string' ? value.$almTable : undefined;
}

/** Rows a view can draw from a value: an array of plain objects (a ts cell's `export const rows = …`). */
export function valueRows(value: CellValue): Record<string, CellValue>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rows: Record<string, CellValue>[] = [];
  for (const row of value) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
    rows.push(row);
  }
  return rows;
}

/**
 * Inputs as the ts sandbox takes them: values as they are, tables as `{ "$almTable": id }`
 * references the sandbox turns back into handles (`.rows()`, `.count()`).
 */
export function sandboxInputs(inputs: Readonly<Record<string, InputBinding>>): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const [name, binding] of Object.entries(inputs)) out[name] = binding.kind === 'table' ? { $almTable: binding.table.id } : binding.value;
  return out;
}
