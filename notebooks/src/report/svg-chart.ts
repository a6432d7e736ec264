/**
 * A view spec's chart as inline SVG text: bar (grouped), stacked bar, line and waterfall, with a
 * value axis (nice ticks, the y column's format), category labels, a legend and the title. No
 * script, no external font or stylesheet: the SVG draws the same offline, in print and in any
 * browser. Deterministic (fixed geometry, fixed number formats), so an export is byte-identical.
 */
import { escapeAll } from '../markdown/render.ts';
import type { CellValue } from '../runtime/outputs.ts';
import type { ChartSpec } from '../specs/view-spec.ts';
import { formatTick, formatValue } from './format.ts';

const W = 720;
const H = 340;
const M = { top: 50, right: 16, bottom: 70, left: 76 };
const PALETTE = ['#2f6db5', '#e08a1e', '#3c9a5f', '#c4443b', '#7d5bb5', '#8c6d46', '#d35fa6', '#6f7f8f'];
const UP = '#3c9a5f';
const DOWN = '#c4443b';
const TOTAL = '#6f7f8f';

type Row = Record<string, CellValue>;
interface Series { name: string; values: (number | null)[] }

export function renderChartSvg(spec: ChartSpec, rows: readonly Row[]): string {
  const ys = typeof spec.y === 'string' ? [spec.y] : spec.y;
  const format = spec.formats?.[ys[0]!] ?? null;
  const categories = unique(rows.map((r) => label(r[spec.x])));
  const series = seriesOf(spec, ys, rows, categories);
  const title = spec.title ?? `${ys.join(', ')} by ${spec.x}`;
  const parts: string[] = [];
  if (categories.length === 0 || series.every((s) => s.values.every((v) => v === null))) {
    parts.push(text(W / 2, H / 2, 'no data to draw', { anchor: 'middle', cls: 'muted' }));
    return svg(title, parts);
  }
  let bars: Bar[] = [];
  let lines: Series[] = [];
  let totalLabel: string | null = null;
  switch (spec.type) {
    case 'bar': bars = grouped(series); break;
    case 'stacked-bar': bars = stacked(series); break;
    case 'line': lines = series; break;
    case 'waterfall': {
      bars = waterfall(series[0]!);
      totalLabel = 'Total';
      break;
    }
  }
  const slots = categories.length + (totalLabel === null ? 0 : 1);
  const values = [0, ...bars.flatMap((b) => [b.from, b.to]), ...lines.flatMap((s) => s.values.filter((v): v is number => v !== null))];
  const scale = niceScale(Math.min(...values), Math.max(...values));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - ((v - scale.min) / (scale.max - scale.min)) * plotH;
  const band = plotW / slots;
  // value axis: grid lines and tick labels
  for (const tick of scale.ticks) {
    const py = round(y(tick));
    parts.push(`<line x1="${M.left}" y1="${py}" x2="${W - M.right}" y2="${py}" class="grid"/>`);
    parts.push(text(M.left - 6, py + 4, formatTick(tick, format), { anchor: 'end' }));
  }
  parts.push(`<line x1="${M.left}" y1="${round(y(0))}" x2="${W - M.right}" y2="${round(y(0))}" class="axis"/>`);
  // category axis
  const labels = totalLabel === null ? categories : [...categories, totalLabel];
  const every = Math.max(1, Math.ceil(slots / 24));
  const rotate = slots > 8 || labels.some((l) => l.length * 7 > band);
  labels.forEach((l, i) => {
    if (i % every !== 0) return;
    const cx = round(M.left + band * (i + 0.5));
    const cy = M.top + plotH + 14;
    parts.push(rotate ? text(cx, cy, clip(l), { anchor: 'end', rotate: true }) : text(cx, cy, clip(l), { anchor: 'middle' }));
  });
  for (const bar of bars) {
    const x0 = M.left + band * bar.slot + band * 0.1 + (band * 0.8 * bar.lane) / bar.lanes;
    const width = Math.max(1, (band * 0.8) / bar.lanes - 1);
    const top = y(Math.max(bar.from, bar.to));
    const height = Math.max(0.5, Math.abs(y(bar.from) - y(bar.to)));
    parts.push(`<rect x="${round(x0)}" y="${round(top)}" width="${round(width)}" height="${round(height)}" fill="${bar.color}"><title>${escapeAll(`${bar.title}: ${formatValue(bar.value, format)}`)}</title></rect>`);
  }
  lines.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const points = s.values.map((v, j) => (v === null ? null : [round(M.left + band * (j + 0.5)), round(y(v))] as const));
    // a missing value breaks the line
    let path = '';
    let pen = false;
    for (const p of points) {
      if (p === null) { pen = false; continue; }
      path += `${pen ? 'L' : 'M'}${p[0]} ${p[1]} `;
      pen = true;
    }
    parts.push(`<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="2"/>`);
    points.forEach((p, j) => {
      if (p !== null) parts.push(`<circle cx="${p[0]}" cy="${p[1]}" r="3" fill="${color}"><title>${escapeAll(`${s.name} ${categories[j]}: ${formatValue(s.values[j] ?? null, format)}`)}</title></circle>`);
    });
  });
  // legend: one entry a series (not for a single unnamed series or a waterfall)
  const legend = spec.type === 'waterfall' ? [] : series.length > 1 || spec.series !== undefined ? series.map((s) => s.name) : [];
  let lx = M.left;
  legend.slice(0, 12).forEach((name, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    parts.push(`<rect x="${lx}" y="24" width="10" height="10" fill="${color}"/>`);
    parts.push(text(lx + 14, 33, clip(name, 18), { anchor: 'start' }));
    lx += 24 + Math.min(18, name.length) * 6.5;
  });
  return svg(title, parts);
}

interface Bar { slot: number; lane: number; lanes: number; from: number; to: number; value: number; color: string; title: string }

function seriesOf(spec: ChartSpec, ys: readonly string[], rows: readonly Row[], categories: readonly string[]): Series[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const collect = (name: string, pick: (row: Row) => number | null, keep: (row: Row) => boolean): Series => {
    const values: (number | null)[] = categories.map(() => null);
    for (const row of rows) {
      if (!keep(row)) continue;
      const v = pick(row);
      const i = index.get(label(row[spec.x]))!;
      if (v !== null) values[i] = (values[i] ?? 0) + v; // several rows of one category add up
    }
    return { name, values };
  };
  if (spec.series !== undefined) {
    const names = unique(rows.map((r) => label(r[spec.series!])));
    return names.map((n) => collect(n, (r) => numeric(r[ys[0]!]), (r) => label(r[spec.series!]) === n));
  }
  return ys.map((c) => collect(c, (r) => numeric(r[c]), () => true));
}

function grouped(series: readonly Series[]): Bar[] {
  return series.flatMap((s, lane) => s.values.flatMap((v, slot) => (v === null ? [] : [{ slot, lane, lanes: series.length, from: 0, to: v, value: v, color: PALETTE[lane % PALETTE.length]!, title: s.name }])));
}

/** Positives stack up from 0, negatives down from 0. */
function stacked(series: readonly Series[]): Bar[] {
  const up: number[] = [];
  const down: number[] = [];
  const bars: Bar[] = [];
  series.forEach((s, k) => s.values.forEach((v, slot) => {
    if (v === null) return;
    const base = v >= 0 ? (up[slot] ?? 0) : (down[slot] ?? 0);
    bars.push({ slot, lane: 0, lanes: 1, from: base, to: base + v, value: v, color: PALETTE[k % PALETTE.length]!, title: s.name });
    if (v >= 0) up[slot] = base + v;
    else down[slot] = base + v;
  }));
  return bars;
}

/** Each step from the running total to the next, then the total from 0. */
function waterfall(series: Series): Bar[] {
  let level = 0;
  const bars: Bar[] = [];
  series.values.forEach((v, slot) => {
    if (v === null) return;
    bars.push({ slot, lane: 0, lanes: 1, from: level, to: level + v, value: v, color: v >= 0 ? UP : DOWN, title: series.name });
    level += v;
  });
  bars.push({ slot: series.values.length, lane: 0, lanes: 1, from: 0, to: level, value: level, color: TOTAL, title: 'Total' });
  return bars;
}

/** Axis bounds on round numbers with 4–8 ticks, always including 0. */
export function niceScale(lo: number, hi: number): { min: number; max: number; ticks: number[] } {
  let min = Math.min(0, lo);
  let max = Math.max(0, hi);
  if (min === max) max = min + 1;
  const raw = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  min = Math.floor(min / step) * step;
  max = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min, max, ticks };
}

function svg(title: string, parts: readonly string[]): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeAll(title)}">`
    + `<text x="${M.left}" y="16" class="chart-title">${escapeAll(title)}</text>${parts.join('')}</svg>`;
}

function text(x: number, y: number, content: string, o: { anchor: 'start' | 'middle' | 'end'; rotate?: boolean; cls?: string }): string {
  const transform = o.rotate ? ` transform="rotate(-40 ${x} ${y})"` : '';
  return `<text x="${x}" y="${y}" text-anchor="${o.anchor}"${transform}${o.cls ? ` class="${o.cls}"` : ''}>${escapeAll(content)}</text>`;
}

function label(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function numeric(value: CellValue | undefined): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function clip(text: string, max = 24): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
