/**
 * A chart cell's spec (`chartSpecSchema`: bar, stacked-bar, line, waterfall; x, y, series,
 * formats) and its rows → AG Charts Community options. AG Charts' own waterfall is an Enterprise
 * series, so a waterfall here is a stacked bar over an invisible base, each step's positive and
 * negative parts apart (a step that crosses zero is drawn from zero both ways).
 */
import type { AgCartesianChartOptions } from 'ag-charts-community';
import type { ChartSpec } from '@almready/notebooks';
import { formatValue } from './valueFormat.ts';

type Row = Record<string, unknown>;

const PALETTE = ['#1f4e79', '#c0504d', '#9bbb59', '#8064a2', '#4bacc6', '#f79646', '#2c7873', '#7f6084'];
const RISE = '#2e7d4f';
const FALL = '#b23a2e';

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0);
const key = (v: unknown): string => (v === null || v === undefined ? '(none)' : String(v));

/** Long rows (x, series, y) → one row per x with a column per series value, in first-seen order. */
export function pivot(rows: readonly Row[], x: string, series: string, y: string): { data: Row[]; keys: string[] } {
  const byX = new Map<string, Row>();
  const keys: string[] = [];
  for (const row of rows) {
    const xk = key(row[x]);
    const sk = key(row[series]);
    if (!keys.includes(sk)) keys.push(sk);
    const target = byX.get(xk) ?? { [x]: row[x] ?? '(none)' };
    target[sk] = num(target[sk]) + num(row[y]);
    byX.set(xk, target);
  }
  return { data: [...byX.values()], keys };
}

export interface WaterfallRow { [k: string]: unknown; basePos: number; baseNeg: number; risePos: number; riseNeg: number; fallPos: number; fallNeg: number; step: number; end: number }

/** Running totals of y, each step split into what stacks above and below zero. */
export function waterfallRows(rows: readonly Row[], x: string, y: string): WaterfallRow[] {
  let start = 0;
  return rows.map((row) => {
    const step = num(row[y]);
    const end = start + step;
    const lo = Math.min(start, end);
    const hi = Math.max(start, end);
    const basePos = hi > 0 ? Math.max(lo, 0) : 0;
    const pos = hi > 0 ? hi - basePos : 0;
    const baseNeg = lo < 0 ? Math.min(hi, 0) : 0;
    const neg = lo < 0 ? lo - baseNeg : 0;
    const rising = step >= 0;
    start = end;
    return { [x]: row[x], basePos, baseNeg, risePos: rising ? pos : 0, riseNeg: rising ? neg : 0, fallPos: rising ? 0 : pos, fallNeg: rising ? 0 : neg, step, end };
  });
}

export function chartOptions(spec: ChartSpec, rows: readonly Row[]): AgCartesianChartOptions {
  const ys = typeof spec.y === 'string' ? [spec.y] : spec.y;
  const yFormat = spec.formats?.[ys[0]!];
  const fmt = (v: unknown) => formatValue(v, yFormat ?? (Math.abs(num(v)) >= 1000 ? 'money' : undefined));
  const tooltip = (label: string) => ({ renderer: (p: { datum: Row; xKey: string; yKey: string }) => ({ heading: key(p.datum[p.xKey]), title: label, data: [{ label, value: fmt(p.datum[p.yKey]) }] }) });
  const axes: AgCartesianChartOptions['axes'] = {
    x: { type: 'category', title: { text: spec.x } },
    y: { type: 'number', label: { formatter: (p: { value: unknown }) => fmt(p.value) }, ...(ys.length === 1 && !spec.series ? { title: { text: ys[0]! } } : {}) },
  };
  const base = { title: spec.title ? { text: spec.title } : undefined, axes, legend: { position: 'bottom' as const } };

  if (spec.type === 'waterfall') {
    const y = ys[0]!;
    const data = waterfallRows(rows, spec.x, y);
    const hidden = (yKey: string) => ({ type: 'bar' as const, xKey: spec.x, yKey, stackGroup: 'w', fill: 'transparent', strokeWidth: 0, showInLegend: false, tooltip: { enabled: false } });
    const step = (yKey: string, yName: string, fill: string, legend: boolean) => ({
      type: 'bar' as const, xKey: spec.x, yKey, yName, stackGroup: 'w', fill, showInLegend: legend,
      tooltip: { renderer: (p: { datum: WaterfallRow }) => ({ heading: key(p.datum[spec.x]), data: [{ label: y, value: fmt(p.datum.step) }, { label: 'running total', value: fmt(p.datum.end) }] }) },
    });
    return { ...base, data, legend: { enabled: false }, series: [hidden('basePos'), hidden('baseNeg'), step('risePos', 'rise', RISE, true), step('riseNeg', 'rise', RISE, false), step('fallPos', 'fall', FALL, true), step('fallNeg', 'fall', FALL, false)] } as AgCartesianChartOptions;
  }

  const stacked = spec.type === 'stacked-bar';
  const seriesType = spec.type === 'line' ? 'line' : 'bar';
  let data: Row[];
  let keys: string[];
  if (spec.series !== undefined) ({ data, keys } = pivot(rows, spec.x, spec.series, ys[0]!));
  else {
    data = rows.map((r) => Object.fromEntries([[spec.x, r[spec.x]], ...ys.map((y) => [y, num(r[y])])]));
    keys = ys;
  }
  const series = keys.map((k, i) => ({
    type: seriesType, xKey: spec.x, yKey: k, yName: k,
    ...(seriesType === 'bar' ? { fill: PALETTE[i % PALETTE.length], ...(stacked ? { stacked: true } : {}) } : { stroke: PALETTE[i % PALETTE.length], marker: { fill: PALETTE[i % PALETTE.length] } }),
    tooltip: tooltip(k),
  }));
  return { ...base, data, series, ...(keys.length === 1 ? { legend: { enabled: false } } : {}) } as AgCartesianChartOptions;
}
