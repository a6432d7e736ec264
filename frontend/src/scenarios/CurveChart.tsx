/**
 * Base and shocked zero curves by tenor, with one handle per shock point to drag up or down. An
 * SVG of its own rather than the app's AG chart: the handles need pointer dragging, which the
 * community charts do not offer. Tenors are on a square-root axis so the short end stays readable.
 */
import { useRef, useState, type PointerEvent } from 'react';
import type { ShockPoint } from '@almready/contracts';
import { bpAtRate } from './scenarioPoints.ts';

const W = 760;
const H = 340;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };
const TICKS = [0.25, 1, 2, 5, 10, 20, 30, 50];

export interface CurvePoint { tenorYears: number; base: number; shocked: number }

function linear(points: readonly CurvePoint[], t: number, key: 'base' | 'shocked'): number {
  const first = points[0];
  if (!first) return 0;
  if (t <= first.tenorYears) return first[key];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (t <= b.tenorYears) return a[key] + ((b[key] - a[key]) * (t - a.tenorYears)) / (b.tenorYears - a.tenorYears);
  }
  return points[points.length - 1]![key];
}

export function CurveChart({ curve, shocks, onDrag, currency }: {
  curve: readonly CurvePoint[];
  shocks: readonly ShockPoint[] | null;
  /** a handle moved: point index and its new bp */
  onDrag?: (index: number, bp: number) => void;
  currency: string;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  // the y range is fixed while dragging so the handle stays under the pointer
  const [frozen, setFrozen] = useState<[number, number] | null>(null);
  const maxT = Math.max(30, ...curve.map((p) => p.tenorYears));
  const handles = (shocks ?? []).map((s) => ({ ...s, rate: linear(curve, s.tenorYears, 'base') + s.bp / 10_000 }));
  const values = [...curve.flatMap((p) => [p.base, p.shocked]), ...handles.map((h) => h.rate)];
  const range: [number, number] = frozen ?? (() => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = Math.max((hi - lo) * 0.1, 0.001);
    return [lo - pad, hi + pad];
  })();
  const x = (t: number) => PAD.left + (Math.sqrt(t) / Math.sqrt(maxT)) * (W - PAD.left - PAD.right);
  const y = (r: number) => PAD.top + ((range[1] - r) / (range[1] - range[0])) * (H - PAD.top - PAD.bottom);
  const rateAt = (clientY: number) => {
    const box = svg.current!.getBoundingClientRect();
    const py = ((clientY - box.top) / box.height) * H;
    return range[1] - ((py - PAD.top) / (H - PAD.top - PAD.bottom)) * (range[1] - range[0]);
  };
  const path = (key: 'base' | 'shocked') => curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.tenorYears).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: 6 }, (_, i) => range[0] + ((range[1] - range[0]) * i) / 5);

  const down = (index: number) => (event: PointerEvent<SVGCircleElement>) => {
    (event.target as Element).setPointerCapture(event.pointerId);
    setDragging(index);
    setFrozen(range);
  };
  const move = (event: PointerEvent<SVGSVGElement>) => {
    if (dragging === null || !onDrag) return;
    const handle = handles[dragging];
    if (!handle) return;
    onDrag(dragging, bpAtRate(rateAt(event.clientY), linear(curve, handle.tenorYears, 'base')));
  };
  const up = () => {
    setDragging(null);
    setFrozen(null);
  };

  return (
    <svg ref={svg} viewBox={`0 0 ${W} ${H}`} className="curve-chart" role="img" aria-label={`${currency} zero curves: base and shocked`}
      onPointerMove={move} onPointerUp={up} onPointerCancel={up}>
      {yTicks.map((r) => (
        <g key={r}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(r)} y2={y(r)} className="grid-line" />
          <text x={PAD.left - 6} y={y(r) + 4} textAnchor="end" className="tick">{(r * 100).toFixed(2)}%</text>
        </g>
      ))}
      {TICKS.filter((t) => t <= maxT).map((t) => (
        <text key={t} x={x(t)} y={H - PAD.bottom + 18} textAnchor="middle" className="tick">{t < 1 ? `${t * 12}M` : `${t}Y`}</text>
      ))}
      <path d={path('base')} className="line-base" />
      <path d={path('shocked')} className="line-shocked" />
      {handles.map((h, i) => (
        <circle key={h.tenorYears} cx={x(h.tenorYears)} cy={y(h.rate)} r={dragging === i ? 8 : 6} className="handle"
          data-testid={`handle-${h.tenorYears}`} onPointerDown={onDrag ? down(i) : undefined}>
          <title>{`${h.tenorYears}Y: ${h.bp} bp`}</title>
        </circle>
      ))}
      <g className="legend" transform={`translate(${PAD.left + 8}, ${PAD.top + 4})`}>
        <line x1={0} x2={18} y1={6} y2={6} className="line-base" /><text x={24} y={10}>base</text>
        <line x1={70} x2={88} y1={6} y2={6} className="line-shocked" /><text x={94} y={10}>shocked (engine)</text>
      </g>
    </svg>
  );
}
