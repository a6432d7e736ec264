/**
 * Input cells' values for one execution: the spec's default, or a parameter (`--param name=value`
 * headless, a report viewer's change). Parameters are checked before anything runs: an unknown
 * name or a bad value refuses the whole execution with sentences saying what to fix.
 */
import type { NotebookDocument } from '../format/schema.ts';
import { describeSpecErrors, readInputSpec } from '../specs/cell-spec.ts';
import { inputDefault, parseInputValue, type InputValue } from '../specs/input-spec.ts';

/** A value as text (`--param tier1=1.2e9`) or typed (a viewer's form); both are read against the spec. */
export type ParameterValue = InputValue | number;
export type Parameters = Readonly<Record<string, ParameterValue>>;

export type InputValues = { ok: true; values: Map<string, InputValue> } | { ok: false; errors: string[] };

export function resolveInputValues(doc: NotebookDocument, parameters: Parameters = {}): InputValues {
  const values = new Map<string, InputValue>();
  const errors: string[] = [];
  const inputs = doc.cells.filter((c) => c.kind === 'input');
  const byName = new Map(inputs.flatMap((c) => (c.name === undefined ? [] : [[c.name, c] as const])));
  for (const name of Object.keys(parameters)) {
    if (!byName.has(name)) errors.push(`there is no input named "${name}"${byName.size > 0 ? ` (the notebook's inputs: ${[...byName.keys()].join(', ')})` : ' (the notebook has no input cells)'}`);
  }
  for (const cell of inputs) {
    const spec = readInputSpec(cell);
    const given = cell.name === undefined ? undefined : parameters[cell.name];
    if (!spec.ok) {
      if (given !== undefined) errors.push(`input "${cell.name}" cannot take a value: its spec has errors (${describeSpecErrors(spec.errors).join('; ')})`);
      continue; // the cell reports its own spec errors when it runs
    }
    if (given === undefined) {
      values.set(cell.id, inputDefault(spec.spec));
      continue;
    }
    const read = parseInputValue(spec.spec, asText(given));
    if (read.ok) values.set(cell.id, read.value);
    else errors.push(`input "${cell.name}": ${read.reason}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

function asText(value: ParameterValue): string {
  if (Array.isArray(value)) return value.join(',');
  return value === null ? '' : String(value);
}
