/**
 * A scenario drawn in the scenario editor, written as a `ts` cell a quant can read and edit: the
 * points (tenor in years → shift in bp) per currency, and one `alm.scenario` call whose shock is
 * linear between the points and flat outside them — the same interpolation, in the same
 * arithmetic, as the server's preview (`interpolateLinearFlat` over decimal shifts), so the run
 * uses exactly the curve the editor drew.
 */
import { scenarioById } from '@almready/engine';
import type { ShockPoint } from '@almready/contracts';
import type { NotebookCell, NotebookDocument } from '@almready/notebooks';
import { newCellId } from '../notebooks/notebookEdits.ts';

export interface ScenarioDraft {
  id: string;
  label?: string;
  floorable: boolean;
  /** currency → points; a currency without points is not shocked */
  shocks: Record<string, ShockPoint[]>;
}

const SCENARIO_ID = /^[a-z][a-z0-9_]{0,63}$/;

/** Why `id` cannot name a new scenario in `doc` (null when it can). */
export function scenarioIdProblem(id: string, doc: NotebookDocument): string | null {
  if (!SCENARIO_ID.test(id)) return 'a scenario id is lower-case letters, digits and _ starting with a letter (like twist_up), at most 64';
  if (scenarioById(id)) return `"${id}" is a built-in scenario; choose another name`;
  const exported = new RegExp(`\\bexport\\s+(?:const|let|var|function|class)\\s+${id}\\b`);
  const clash = doc.cells.find((c) => c.name === id || (c.kind === 'ts' && exported.test(c.source)));
  return clash ? `another cell already defines "${id}"; choose another name` : null;
}

const number = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12))));

function pointsLiteral(points: readonly ShockPoint[]): string {
  return `[${[...points].sort((a, b) => a.tenorYears - b.tenorYears).map((p) => `[${number(p.tenorYears)}, ${number(p.bp)}]`).join(', ')}]`;
}

export function scenarioCellSource(draft: ScenarioDraft): string {
  const currencies = Object.keys(draft.shocks).filter((c) => (draft.shocks[c]?.length ?? 0) > 0).sort();
  const table = `${draft.id}_bp`;
  const options = [`floorable: ${draft.floorable}`, ...(draft.label && draft.label !== draft.id ? [`label: ${JSON.stringify(draft.label)}`] : [])];
  return [
    `// Scenario "${draft.id}", drawn in the scenario editor: the shift of each currency's zero curves`,
    '// in bp at tenors in years, linear between the points and flat before the first and after the',
    `// last (as curves interpolate). Currencies not listed are not shocked. Run it with alm.run({ scenarios: [${draft.id}] }).`,
    `const ${table}: Record<string, [number, number][]> = {`,
    ...currencies.map((c) => `  ${c}: ${pointsLiteral(draft.shocks[c]!)},`),
    '};',
    '',
    `export const ${draft.id} = alm.scenario(${JSON.stringify(draft.id)}, (t, currency) => {`,
    `  const points = ${table}[currency];`,
    '  if (points === undefined || points.length === 0) return 0;',
    '  const first = points[0]!;',
    '  const last = points[points.length - 1]!;',
    '  if (t <= first[0]) return first[1] / 10000;',
    '  if (t >= last[0]) return last[1] / 10000;',
    '  let i = 1;',
    '  while (points[i]![0] <= t) i++;',
    '  const [t0, bp0] = points[i - 1]!;',
    '  const [t1, bp1] = points[i]!;',
    '  const s0 = bp0 / 10000;',
    '  const s1 = bp1 / 10000;',
    '  return s0 + ((s1 - s0) * (t - t0)) / (t1 - t0);',
    `}, { ${options.join(', ')} });`,
    '',
  ].join('\n');
}

/** The cell for `draft`: a new one, or `cellId`'s own when the editor reopened a saved scenario. */
export function scenarioCell(doc: NotebookDocument, draft: ScenarioDraft, random?: () => number, cellId?: string): NotebookCell {
  return { id: cellId ?? newCellId(doc.cells, random), kind: 'ts', source: scenarioCellSource(draft) };
}

/** Puts a cell in the document: in place of the cell with its id, else at the end. */
export function upsertCell(doc: NotebookDocument, cell: NotebookCell): NotebookDocument {
  const at = doc.cells.findIndex((c) => c.id === cell.id);
  if (at < 0) return { ...doc, cells: [...doc.cells, cell] };
  return { ...doc, cells: doc.cells.map((c, i) => (i === at ? { ...c, kind: cell.kind, source: cell.source } as NotebookCell : c)) };
}

const HEADER = /^\/\/ Scenario "([a-z][a-z0-9_]{0,63})", drawn in the scenario editor/;
const ROW = /^ {2}([A-Z]{3}): (\[.*\]),$/;

/**
 * A cell this editor wrote, read back (null for any other cell, or one edited past recognition):
 * the points table, the id, `floorable` and the label.
 */
export function readScenarioCell(cell: NotebookCell): { cellId: string; draft: ScenarioDraft } | null {
  if (cell.kind !== 'ts') return null;
  const lines = cell.source.split('\n');
  const id = HEADER.exec(lines[0] ?? '')?.[1];
  if (!id) return null;
  const start = lines.indexOf(`const ${id}_bp: Record<string, [number, number][]> = {`);
  if (start < 0) return null;
  const shocks: Record<string, ShockPoint[]> = {};
  for (let i = start + 1; i < lines.length && lines[i] !== '};'; i++) {
    const row = ROW.exec(lines[i]!);
    if (!row) return null;
    let pairs: unknown;
    try {
      pairs = JSON.parse(row[2]!);
    } catch {
      return null;
    }
    if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)))) return null;
    shocks[row[1]!] = (pairs as [number, number][]).map(([tenorYears, bp]) => ({ tenorYears, bp }));
  }
  const options = /\}, \{ floorable: (true|false)(?:, label: ("(?:[^"\\]|\\.)*"))? \}\);\s*$/.exec(cell.source);
  if (!options) return null;
  const label = options[2] ? (JSON.parse(options[2]) as string) : undefined;
  return { cellId: cell.id, draft: { id, floorable: options[1] === 'true', shocks, ...(label !== undefined ? { label } : {}) } };
}
