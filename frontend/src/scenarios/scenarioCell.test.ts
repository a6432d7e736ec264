/**
 * The scenario editor's cell: parsed by the notebooks package's own TS analysis (what the runtime
 * and graph see), and its shock function run to check it is the server preview's interpolation.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { interpolateLinearFlat } from '@almready/engine';
import { analyseTs } from '@almready/notebooks/analysis';
import type { NotebookDocument } from '@almready/notebooks';
import { readScenarioCell, scenarioCell, scenarioCellSource, scenarioIdProblem, upsertCell, type ScenarioDraft } from './scenarioCell.ts';

const draft: ScenarioDraft = {
  id: 'twist_eur',
  label: 'EUR twist',
  floorable: true,
  shocks: { EUR: [{ tenorYears: 10, bp: 80 }, { tenorYears: 1, bp: 50 }, { tenorYears: 5, bp: -20 }], USD: [{ tenorYears: 2, bp: 15 }], GBP: [] },
};
const doc = (cells: NotebookDocument['cells']): NotebookDocument => ({ format: 'almready-notebook', version: 2, title: 'T', cells } as NotebookDocument);

/** Runs the cell's JavaScript with a stand-in `alm` that keeps what alm.scenario received. */
function evaluate(source: string) {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText.replace(/^export /gm, '');
  const calls: { id: string; shock: (t: number, ccy: string) => number; options: unknown }[] = [];
  const alm = { scenario: (id: string, shock: (t: number, ccy: string) => number, options: unknown) => (calls.push({ id, shock, options }), { id }) };
  new Function('alm', js)(alm);
  return calls;
}

describe('scenario cell code', () => {
  it('exports the scenario under its id, reads only alm, keeps its table local, has no problems', () => {
    const source = scenarioCellSource(draft);
    const analysis = analyseTs(source);
    expect(analysis.problems).toEqual([]);
    expect(analysis.defines).toEqual(['twist_eur']);
    expect(analysis.uses).toEqual([]);
    expect(analysis.locals).toEqual(['twist_eur_bp']);
    expect(source).toContain('  EUR: [[1, 50], [5, -20], [10, 80]],\n  USD: [[2, 15]],\n};');
    expect(source).not.toContain('GBP');
    expect(source).toContain('}, { floorable: true, label: "EUR twist" });');
  });

  it('its shock is the engine\'s linear-flat interpolation of the decimal shifts, bit for bit', () => {
    const [call] = evaluate(scenarioCellSource(draft));
    expect(call!.id).toBe('twist_eur');
    expect(call!.options).toEqual({ floorable: true, label: 'EUR twist' });
    const times = Float64Array.from([1, 5, 10]);
    const shifts = Float64Array.from([50, -20, 80], (bp) => bp / 10_000);
    for (const t of [0, 1 / 365, 0.25, 1, 1.5, 3, 4.999, 5, 7, 9.5, 10, 30, 100]) {
      expect(call!.shock(t, 'EUR')).toBe(interpolateLinearFlat(times, shifts, t));
    }
    expect(call!.shock(3, 'USD')).toBe(0.0015);
    expect(call!.shock(3, 'GBP')).toBe(0);
    expect(call!.shock(3, 'JPY')).toBe(0);
    expect(call!.shock(7, 'EUR')).toBeCloseTo(0.002, 15);
  });

  it('a non-floorable scenario says so; odd tenors are written readably', () => {
    const source = scenarioCellSource({ id: 'steep', floorable: false, shocks: { EUR: [{ tenorYears: 1 / 12, bp: 12.5 }] } });
    expect(source).toContain('EUR: [[0.0833333333333, 12.5]]');
    expect(source).toContain('}, { floorable: false });');
    expect(analyseTs(source).defines).toEqual(['steep']);
  });

  it('refuses ids the runtime would refuse or that another cell defines', () => {
    const existing = doc([{ id: 'a', kind: 'ts', source: 'export const twist = 1;' }, { id: 'b', kind: 'sql', source: 'SELECT 1', name: 'by_ccy' }]);
    expect(scenarioIdProblem('Twist', existing)).toMatch(/lower-case/);
    expect(scenarioIdProblem('parallel_up', existing)).toMatch(/built-in/);
    expect(scenarioIdProblem('twist', existing)).toMatch(/another cell/);
    expect(scenarioIdProblem('by_ccy', existing)).toMatch(/another cell/);
    expect(scenarioIdProblem('twist_2', existing)).toBeNull();
    const cell = scenarioCell(existing, { ...draft, id: 'twist_2' }, () => 0.5);
    expect(cell).toMatchObject({ kind: 'ts' });
    expect(cell.id).not.toBe('a');
  });
});

describe('a saved scenario cell, reopened', () => {
  it('reads back exactly the draft it was written from', () => {
    const cell = scenarioCell(doc([]), draft, () => 0.3);
    const read = readScenarioCell(cell);
    expect(read?.cellId).toBe(cell.id);
    expect(read?.draft).toEqual({
      id: 'twist_eur', label: 'EUR twist', floorable: true,
      shocks: { EUR: [{ tenorYears: 1, bp: 50 }, { tenorYears: 5, bp: -20 }, { tenorYears: 10, bp: 80 }], USD: [{ tenorYears: 2, bp: 15 }] },
    });
    const plain = readScenarioCell({ id: 'x', kind: 'ts', source: scenarioCellSource({ id: 'flat', floorable: false, shocks: { EUR: [{ tenorYears: 3, bp: -12.5 }] } }) });
    expect(plain?.draft).toEqual({ id: 'flat', floorable: false, shocks: { EUR: [{ tenorYears: 3, bp: -12.5 }] } });
  });

  it('other cells, or a table edited by hand into something else, are not read as scenarios', () => {
    const source = scenarioCellSource(draft);
    expect(readScenarioCell({ id: 'a', kind: 'sql', source })).toBeNull();
    expect(readScenarioCell({ id: 'a', kind: 'ts', source: 'export const x = 1;' })).toBeNull();
    expect(readScenarioCell({ id: 'a', kind: 'ts', source: source.replace('[5, -20]', '[5, twenty]') })).toBeNull();
    expect(readScenarioCell({ id: 'a', kind: 'ts', source: source.replace('{ floorable: true, label: "EUR twist" }', 'opts') })).toBeNull();
  });

  it('saving a reopened scenario replaces its cell in place; a new one is appended', () => {
    const existing = doc([{ id: 'a', kind: 'markdown', source: '# Hi' }, { id: 's', kind: 'ts', source: 'old' }, { id: 'z', kind: 'sql', source: 'SELECT 1' }]);
    const replaced = upsertCell(existing, { id: 's', kind: 'ts', source: 'new' });
    expect(replaced.cells.map((c) => [c.id, c.source])).toEqual([['a', '# Hi'], ['s', 'new'], ['z', 'SELECT 1']]);
    expect(upsertCell(existing, { id: 'n', kind: 'ts', source: 'x' }).cells.map((c) => c.id)).toEqual(['a', 's', 'z', 'n']);
  });
});
