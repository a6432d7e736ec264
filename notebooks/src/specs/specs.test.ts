import { describe, expect, it } from 'vitest';
import { REGULATORY_SCENARIO_IDS } from '@almready/engine';
import { describeSpecErrors, readChartSpec, readGridSpec, readInputSpec } from './cell-spec.ts';
import { inputDefault, parseInputValue, REGULATORY_SCENARIOS, type InputSpec } from './input-spec.ts';
import { checkSpecColumns } from './view-spec.ts';

const errors = (r: { ok: true } | { ok: false; errors: { field: string; message: string }[] }) => (r.ok ? [] : describeSpecErrors(r.errors));
const chart = (spec: unknown) => readChartSpec({ source: JSON.stringify(spec) });
const input = (spec: unknown) => readInputSpec({ source: JSON.stringify(spec) });

describe('chart and grid specs', () => {
  it('accepts each chart type bound to a named result', () => {
    const bar = chart({ data: 'by_product', type: 'bar', x: 'product', y: 'notional', formats: { notional: 'money' } });
    expect(bar).toEqual({ ok: true, spec: { data: 'by_product', type: 'bar', x: 'product', y: 'notional', formats: { notional: 'money' } } });
    expect(chart({ data: 'r', type: 'stacked-bar', x: 'bucket', y: 'gap', series: 'currency' }).ok).toBe(true);
    expect(chart({ data: 'r', type: 'stacked-bar', x: 'bucket', y: ['assets', 'liabilities'] }).ok).toBe(true);
    expect(chart({ data: 'r', type: 'line', x: 'month', y: ['nii_base', 'nii_up'] }).ok).toBe(true);
    expect(chart({ data: 'r', type: 'waterfall', x: 'scenario', y: 'delta_eve' }).ok).toBe(true);
  });

  it('names the field to fix', () => {
    expect(errors(chart({ data: 'r', type: 'pie', x: 'a', y: 'b' }))).toEqual(['type: Invalid option: expected one of "bar"|"stacked-bar"|"line"|"waterfall"']);
    expect(errors(chart({ data: 'r', type: 'bar', x: 'a' }))).toEqual(['y: is required']);
    expect(errors(chart({ data: 'by-product', type: 'bar', x: 'a', y: 'b' }))).toEqual(['data: a cell name is an identifier (letters, digits, _)']);
    expect(errors(chart({ data: 'r', type: 'bar', x: 'a', y: 'b', formats: { b: 'euros' } }))).toEqual(['formats.b: Invalid option: expected one of "money"|"pct"|"bp"|"number"|"integer"|"date"|"text"']);
    expect(errors(chart({ data: 'r', type: 'bar', x: 'a', y: 'b', colour: 'red' }))).toEqual(['unknown field "colour"']);
    expect(errors(chart({ data: 'r', type: 'waterfall', x: 'a', y: ['b', 'c'] }))).toEqual(['y: a waterfall shows one y column and no series']);
    expect(errors(chart({ data: 'r', type: 'stacked-bar', x: 'a', y: 'b' }))).toEqual(['series: a stacked bar needs a series column or several y columns to stack']);
    expect(errors(readChartSpec({ source: '{"data": "r",' }))[0]).toMatch(/^the chart spec is not valid JSON: /);
    expect(errors(readChartSpec({ source: '  ' }))).toEqual(['the chart spec is empty: write a JSON object']);
    expect(errors(readGridSpec({ source: '{"data": "r", "pageSize": 5}' }))).toEqual(['pageSize: Too small: expected number to be >=10']);
  });

  it('checks the columns a spec names against its result', () => {
    const spec = readGridSpec({ source: '{"data": "by_product", "columns": ["product", "notionl"], "sort": [{"column": "ccy", "direction": "asc"}]}' });
    expect(spec.ok && checkSpecColumns(spec.spec, ['product', 'currency', 'notional'])).toEqual([
      'columns.1: by_product has no column "notionl" (its columns: product, currency, notional)',
      'sort.0.column: by_product has no column "ccy" (its columns: product, currency, notional)',
    ]);
  });
});

describe('input specs', () => {
  it('every input type has its default', () => {
    const specs: [unknown, unknown][] = [
      [{ type: 'date', default: '2024-12-31' }, '2024-12-31'],
      [{ type: 'dataset' }, null],
      [{ type: 'dataset', default: 'q4-2024' }, 'q4-2024'],
      [{ type: 'number', default: 0.15, min: 0, max: 1, format: 'pct' }, 0.15],
      [{ type: 'select', options: [12, 24], default: 24 }, 24],
      [{ type: 'scenarios', default: ['parallel_up', 'short_down'] }, ['parallel_up', 'short_down']],
      [{ type: 'tier1', default: 1.2e9, currency: 'EUR' }, 1.2e9],
    ];
    for (const [spec, value] of specs) {
      const read = input(spec);
      expect(read.ok, JSON.stringify(spec)).toBe(true);
      if (read.ok) expect(inputDefault(read.spec)).toEqual(value);
    }
  });

  it('invalid inputs name the field', () => {
    expect(errors(input({ type: 'date', default: '2024-02-30' }))).toEqual(['default: not a calendar date']);
    expect(errors(input({ type: 'number', default: 2, max: 1 }))).toEqual(['default: the default 2 is outside [-∞, 1]']);
    expect(errors(input({ type: 'select', options: ['a', 'b'], default: 'c' }))).toEqual(['default: the default "c" is not one of the options']);
    expect(errors(input({ type: 'scenarios', default: ['parallel_up', 'twist'] }))).toEqual(['default.1: "twist" is not one of the scenarios offered (parallel_up, parallel_down, steepener, flattener, short_up, short_down)']);
    expect(errors(input({ type: 'tier1', default: -5 }))).toEqual(['default: Tier 1 capital is a positive amount']);
    expect(errors(input({ type: 'colour', default: 'red' }))[0]).toMatch(/^type: /);
  });

  it('reads --param values as text against the spec', () => {
    const spec = (s: unknown): InputSpec => { const r = input(s); if (!r.ok) throw new Error('bad spec'); return r.spec; };
    expect(parseInputValue(spec({ type: 'tier1', default: 1 }), '1_500_000_000')).toEqual({ ok: true, value: 1.5e9 });
    expect(parseInputValue(spec({ type: 'number', default: 1, min: 0, max: 10 }), '11')).toEqual({ ok: false, reason: '11 is outside [0, 10]' });
    expect(parseInputValue(spec({ type: 'date', default: '2024-12-31' }), '31/12/2024')).toEqual({ ok: false, reason: '"31/12/2024" is not a date: write YYYY-MM-DD' });
    expect(parseInputValue(spec({ type: 'select', options: [12, 24], default: 12 }), '24')).toEqual({ ok: true, value: 24 });
    expect(parseInputValue(spec({ type: 'scenarios', default: [] }), 'parallel_up, steepener')).toEqual({ ok: true, value: ['parallel_up', 'steepener'] });
    expect(parseInputValue(spec({ type: 'scenarios', default: [] }), 'parallel_up,twist')).toEqual({ ok: false, reason: 'unknown scenario twist (offered: parallel_up, parallel_down, steepener, flattener, short_up, short_down)' });
  });

  it('offers the engine\'s six supervisory scenarios', () => {
    expect([...REGULATORY_SCENARIOS]).toEqual([...REGULATORY_SCENARIO_IDS]);
  });
});
