// Charts of the planning and bookings pages, drawn as SVG inside a
// ChartFigure: a forecast line with its 80 % and 95 % bands, estimates with
// their 95 % intervals as whiskers, and grouped bars. Each series differs
// by pattern or marker as well as colour.
import React from "react";
import { useLocale } from "./i18n";

export interface BandPoint {
  label: string;
  // null: no value (a holiday or nothing forecast).
  value: number | null;
  low80: number | null;
  high80: number | null;
  low95: number | null;
  high95: number | null;
}

export const BAND_COLOURS = { line: "#003479", band80: "#8fb5de", band95: "#d6e6f6" };

// The forecast: the 95 % band, the 80 % band inside it, the value as a
// line with circles; a gap where a day has no value.
export function BandChart(props: { points: BandPoint[]; width: number; height: number; max: number; unit: "count" | "pct" }) {
  const { num } = useLocale();
  const { points, width, height, unit } = props;
  // Room on the left and below for the slanted day labels.
  const left = 96, right = 16, top = 16, bottom = 80;
  const w = width - left - right, h = height - top - bottom;
  const max = Math.max(unit === "pct" ? 0.01 : 1, props.max);
  const x = (i: number) => left + (points.length <= 1 ? w / 2 : (i * w) / (points.length - 1));
  const y = (v: number) => top + h - (v / max) * h;
  const every = Math.max(1, Math.ceil(points.length / 20));
  // Runs of consecutive points that have a band: one polygon each.
  const runs = (lo: (p: BandPoint) => number | null, hi: (p: BandPoint) => number | null) => {
    const out: number[][] = [];
    let run: number[] = [];
    points.forEach((p, i) => {
      if (lo(p) !== null && hi(p) !== null) run.push(i);
      else if (run.length) {
        out.push(run);
        run = [];
      }
    });
    if (run.length) out.push(run);
    return out.map((r) =>
      [...r.map((i) => `${x(i)},${y(hi(points[i]) as number)}`), ...[...r].reverse().map((i) => `${x(i)},${y(lo(points[i]) as number)}`)].join(" "),
    );
  };
  const tick = (v: number) => (unit === "pct" ? `${num(v * 100)} %` : num(v, max < 5 ? 1 : 0));
  const lineRuns: number[][] = [];
  let run: number[] = [];
  points.forEach((p, i) => {
    if (p.value !== null) run.push(i);
    else if (run.length) {
      lineRuns.push(run);
      run = [];
    }
  });
  if (run.length) lineRuns.push(run);
  return (
    <g fontSize={12}>
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line x1={left} x2={left + w} y1={y(max * f)} y2={y(max * f)} stroke="#c8cdd0" />
          <text x={left - 6} y={y(max * f) + 4} textAnchor="end" fill="#1f2933">{tick(max * f)}</text>
        </g>
      ))}
      {runs((p) => p.low95, (p) => p.high95).map((pts, i) => (
        <polygon key={`b95-${i}`} className="band95" points={pts} fill={BAND_COLOURS.band95} stroke="#6ea5d8" strokeDasharray="4 3" />
      ))}
      {runs((p) => p.low80, (p) => p.high80).map((pts, i) => (
        <polygon key={`b80-${i}`} className="band80" points={pts} fill={BAND_COLOURS.band80} stroke="#2a6ebb" />
      ))}
      {lineRuns.map((r, i) => (
        <polyline key={`l-${i}`} points={r.map((j) => `${x(j)},${y(points[j].value as number)}`).join(" ")} fill="none" stroke={BAND_COLOURS.line} strokeWidth={2.5} />
      ))}
      {points.map((p, i) =>
        p.value === null ? (
          <text key={`n-${i}`} x={x(i)} y={y(0) - 6} textAnchor="middle" fill="#1f2933">–</text>
        ) : (
          <circle key={`c-${i}`} cx={x(i)} cy={y(p.value)} r={3.5} fill={BAND_COLOURS.line}>
            <title>{`${p.label}: ${tick(p.value)}`}</title>
          </circle>
        ),
      )}
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={`x-${i}`} x={x(i)} y={top + h + 16} textAnchor="end" transform={`rotate(-35 ${x(i)} ${top + h + 16})`} fill="#1f2933">
            {p.label}
          </text>
        ) : null,
      )}
    </g>
  );
}

export function BandLegend(props: { value: string; band80: string; band95: string }) {
  return (
    <ul className="series-legend">
      <li>
        <svg width={36} height={12} aria-hidden="true">
          <line x1={0} x2={36} y1={6} y2={6} stroke={BAND_COLOURS.line} strokeWidth={2.5} />
          <circle cx={18} cy={6} r={3.5} fill={BAND_COLOURS.line} />
        </svg>
        {props.value}
      </li>
      <li>
        <svg width={36} height={12} aria-hidden="true">
          <rect x={0} y={1} width={36} height={10} fill={BAND_COLOURS.band80} stroke="#2a6ebb" />
        </svg>
        {props.band80}
      </li>
      <li>
        <svg width={36} height={12} aria-hidden="true">
          <rect x={0} y={1} width={36} height={10} fill={BAND_COLOURS.band95} stroke="#6ea5d8" strokeDasharray="4 3" />
        </svg>
        {props.band95}
      </li>
    </ul>
  );
}

export interface Whisker {
  label: string;
  value: number;
  lower: number;
  upper: number;
}

// Estimates as dots on horizontal 95 % interval whiskers (with end caps),
// one row each, on a shared axis from 0 to max.
export function WhiskerChart(props: { rows: Whisker[]; width: number; max: number; format: (v: number) => string }) {
  const { rows, width, format } = props;
  const left = 210, right = 24, top = 12, rowH = 40;
  const w = width - left - right;
  const max = props.max > 0 ? props.max : 1;
  const x = (v: number) => left + (Math.max(0, Math.min(max, v)) / max) * w;
  const bottom = top + rows.length * rowH;
  return (
    <g fontSize={12}>
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line x1={x(max * f)} x2={x(max * f)} y1={top} y2={bottom} stroke="#c8cdd0" />
          <text x={x(max * f)} y={bottom + 16} textAnchor="middle" fill="#1f2933">{format(max * f)}</text>
        </g>
      ))}
      {rows.map((r, i) => {
        const cy = top + i * rowH + rowH / 2;
        return (
          <g key={r.label} className="whisker">
            <text x={left - 8} y={cy + 4} textAnchor="end" fill="#1f2933">{r.label}</text>
            <line x1={x(r.lower)} x2={x(r.upper)} y1={cy} y2={cy} stroke="#003479" strokeWidth={2} />
            <line x1={x(r.lower)} x2={x(r.lower)} y1={cy - 7} y2={cy + 7} stroke="#003479" strokeWidth={2} />
            <line x1={x(r.upper)} x2={x(r.upper)} y1={cy - 7} y2={cy + 7} stroke="#003479" strokeWidth={2} />
            <circle cx={x(r.value)} cy={cy} r={5} fill="#b3531a" stroke="#ffffff" />
            <text x={x(r.value)} y={cy - 10} textAnchor="middle" fill="#1f2933">
              {`${format(r.value)} (${format(r.lower)} – ${format(r.upper)})`}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export interface BarSeries {
  name: string;
  colour: string;
  // A fill pattern id defined by BarPatterns ("" for solid).
  pattern: string;
}

// SVG patterns so that bars differ by texture, not colour alone.
export function BarPatterns(props: { series: BarSeries[]; prefix: string }) {
  return (
    <defs>
      {props.series.map((s) =>
        s.pattern === "hatch" ? (
          <pattern key={s.name} id={`${props.prefix}-hatch-${s.colour.slice(1)}`} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width={6} height={6} fill="#ffffff" />
            <line x1={0} x2={0} y1={0} y2={6} stroke={s.colour} strokeWidth={4} />
          </pattern>
        ) : s.pattern === "dots" ? (
          <pattern key={s.name} id={`${props.prefix}-dots-${s.colour.slice(1)}`} width={5} height={5} patternUnits="userSpaceOnUse">
            <rect width={5} height={5} fill="#ffffff" />
            <circle cx={2.5} cy={2.5} r={1.8} fill={s.colour} />
          </pattern>
        ) : null,
      )}
    </defs>
  );
}

export function barFill(s: BarSeries, prefix: string): string {
  return s.pattern ? `url(#${prefix}-${s.pattern}-${s.colour.slice(1)})` : s.colour;
}

// Grouped bars: for each label one bar of each series.
export function GroupedBarChart(props: {
  id: string;
  labels: string[];
  series: BarSeries[];
  values: number[][]; // values[label][series]
  width: number;
  height: number;
  format: (v: number) => string;
}) {
  const { labels, series, values, width, height, format } = props;
  const left = 56, right = 16, top = 16, bottom = 40;
  const w = width - left - right, h = height - top - bottom;
  const max = Math.max(1e-9, ...values.flat()) * 1.1;
  const y = (v: number) => top + h - (v / max) * h;
  const gw = labels.length ? w / labels.length : w;
  const bw = Math.max(2, (gw - 8) / Math.max(1, series.length));
  return (
    <g fontSize={12}>
      <BarPatterns series={series} prefix={`${props.id}-pat`} />
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line x1={left} x2={left + w} y1={y(max * f)} y2={y(max * f)} stroke="#c8cdd0" />
          <text x={left - 6} y={y(max * f) + 4} textAnchor="end" fill="#1f2933">{format(max * f)}</text>
        </g>
      ))}
      {labels.map((label, i) => (
        <g key={label}>
          {series.map((s, j) => {
            const v = values[i]?.[j] ?? 0;
            return (
              <rect
                key={s.name}
                x={left + i * gw + 4 + j * bw}
                y={y(v)}
                width={bw - 1}
                height={top + h - y(v)}
                fill={barFill(s, `${props.id}-pat`)}
                stroke={s.colour}
              >
                <title>{`${label} · ${s.name}: ${format(v)}`}</title>
              </rect>
            );
          })}
          <text x={left + i * gw + gw / 2} y={top + h + 16} textAnchor="middle" fill="#1f2933">{label}</text>
        </g>
      ))}
    </g>
  );
}

export function BarLegend(props: { id: string; series: BarSeries[] }) {
  return (
    <ul className="series-legend">
      {props.series.map((s) => (
        <li key={s.name}>
          <svg width={24} height={14} aria-hidden="true">
            <BarPatterns series={[s]} prefix={`${props.id}-legend`} />
            <rect x={1} y={1} width={22} height={12} fill={barFill(s, `${props.id}-legend`)} stroke={s.colour} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}
