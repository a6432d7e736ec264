import { dictionaryValue } from './dictionary.ts';
import type { PositionColumns } from './positions.ts';

/**
 * A grouping of positions for breakdowns (methodology §6–§7). Every group lies in one currency,
 * because discounting and shock sizes are per currency. `keys[g]` holds the group's value for each
 * of `columns`.
 */
export interface Dimension {
  name: string;
  columns: string[];
  group: Int32Array;
  count: number;
  currency: Int32Array;
  keys: string[][];
}

const EMPTY = '(none)';

/** codeOf: a number in [0, codeLimit) identifying the group of position i; keyOf is only called on a group's first position. */
function buildDimension(
  p: PositionColumns,
  name: string,
  columns: string[],
  codeLimit: number,
  codeOf: (i: number) => number,
  keyOf: (i: number) => string[],
): Dimension {
  // codes are small non-negative integers (products × currencies × sides): a dense table, not a map
  const lookup = new Int32Array(Math.max(1, codeLimit)).fill(-1);
  const group = new Int32Array(p.length);
  const keys: string[][] = [];
  const currency: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const code = codeOf(i);
    let g = lookup[code] as number;
    if (g < 0) {
      g = keys.length;
      lookup[code] = g;
      keys.push(keyOf(i));
      currency.push(p.currency.codes[i] as number);
    }
    group[i] = g;
  }
  return { name, columns, group, count: keys.length, currency: Int32Array.from(currency), keys };
}

/** (currency, side, product): the base grouping every result is broken down by. */
export function baseDimension(p: PositionColumns): Dimension {
  const width = p.product.values.length + 1;
  return buildDimension(
    p,
    'base',
    ['currency', 'side', 'product'],
    (p.currency.values.length + 1) * 2 * width,
    (i) => (((p.currency.codes[i] as number) + 1) * 2 + ((p.side[i] as number) > 0 ? 0 : 1)) * width + (p.product.codes[i] as number) + 1,
    (i) => [dictionaryValue(p.currency, i) ?? EMPTY, (p.side[i] as number) > 0 ? 'asset' : 'liability', dictionaryValue(p.product, i) ?? EMPTY],
  );
}

/** (currency, attribute value) for an attribute column; undefined when the column does not exist. */
export function attributeDimension(p: PositionColumns, column: string): Dimension | undefined {
  const attribute = p.attributes[column];
  if (attribute === undefined) return undefined;
  const width = attribute.values.length + 1;
  return buildDimension(
    p,
    column,
    ['currency', column],
    (p.currency.values.length + 1) * width,
    (i) => ((p.currency.codes[i] as number) + 1) * width + (attribute.codes[i] as number) + 1,
    (i) => [dictionaryValue(p.currency, i) ?? EMPTY, dictionaryValue(attribute, i) ?? EMPTY],
  );
}

/** One line of a breakdown: the value in the base scenario and per scenario value and delta. */
export interface BreakdownRow {
  key: string;
  base: number;
  scenarios: Record<string, { value: number; delta: number }>;
}

/**
 * Sums per-group values (values[s][g], scenario 0 = base) over the groups sharing `column`'s value.
 */
export function breakdownBy(dimension: Dimension, column: string, scenarioIds: readonly string[], values: readonly Float64Array[]): BreakdownRow[] {
  const at = dimension.columns.indexOf(column);
  if (at < 0) throw new RangeError(`dimension ${dimension.name} has no column ${column}`);
  const rows = new Map<string, Float64Array>();
  for (let g = 0; g < dimension.count; g++) {
    const key = dimension.keys[g]?.[at] ?? EMPTY;
    let sums = rows.get(key);
    if (sums === undefined) {
      sums = new Float64Array(scenarioIds.length);
      rows.set(key, sums);
    }
    for (let s = 0; s < scenarioIds.length; s++) sums[s]! += values[s]?.[g] ?? 0;
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, sums]) => toRow(key, scenarioIds, sums));
}

export function toRow(key: string, scenarioIds: readonly string[], sums: ArrayLike<number>): BreakdownRow {
  const base = sums[0] ?? 0;
  const scenarios: BreakdownRow['scenarios'] = {};
  for (let s = 1; s < scenarioIds.length; s++) {
    const value = sums[s] ?? 0;
    scenarios[scenarioIds[s] as string] = { value, delta: value - base };
  }
  return { key, base, scenarios };
}
