// Shared building blocks: sortable tables with CSV download, charts drawn as
// SVG with SVG/PNG download and a table alternative, the heatmap.
import React, { useMemo, useRef, useState, type ReactNode } from "react";
import { Button } from "suomifi-ui-components";
import { downloadCsv, downloadPng, downloadSvg, type CsvCell } from "./export";
import { useLocale } from "./i18n";

export interface Column<R> {
  key: string;
  header: string;
  // The raw value: sorts, and goes to the CSV. null: nothing to show.
  value: (row: R) => number | string | null;
  // How the cell reads on screen; default: the value, numbers in the locale.
  render?: (row: R) => ReactNode;
  // Digits of a numeric value on screen (default 0).
  digits?: number;
  // A percentage from a share 0..1.
  share?: boolean;
  // The figure is withheld by the server: reads "suppressed", never 0.
  suppressed?: (row: R) => boolean;
}

// One collator for every comparison: localeCompare with a locale builds a
// new one per call, which made sorting a long table slow.
const finnishOrder = new Intl.Collator("fi");

export function DataTable<R>(props: {
  id: string;
  caption: string;
  columns: Column<R>[];
  rows: R[];
  filename: string;
  initialSort?: string;
}) {
  const { t, num, pct } = useLocale();
  const [sortKey, setSortKey] = useState<string | undefined>(props.initialSort);
  const [ascending, setAscending] = useState(true);
  const sorted = useMemo(() => {
    const column = props.columns.find((c) => c.key === sortKey);
    if (!column) return props.rows;
    const rows = [...props.rows];
    rows.sort((a, b) => {
      const sa = column.suppressed?.(a) ? null : column.value(a);
      const sb = column.suppressed?.(b) ? null : column.value(b);
      if (sa === null && sb === null) return 0;
      if (sa === null) return 1;
      if (sb === null) return -1;
      const c = typeof sa === "number" && typeof sb === "number" ? sa - sb : finnishOrder.compare(String(sa), String(sb));
      return ascending ? c : -c;
    });
    return rows;
  }, [props.rows, props.columns, sortKey, ascending]);

  const cellText = (c: Column<R>, r: R): string => {
    if (c.suppressed?.(r)) return t.suppressed;
    const v = c.value(r);
    if (v === null) return "–";
    if (typeof v === "number") return c.share ? pct(v, c.digits ?? 1) : num(v, c.digits ?? 0);
    return v;
  };
  const csvCell = (c: Column<R>, r: R): CsvCell => {
    if (c.suppressed?.(r)) return t.suppressed;
    const v = c.value(r);
    if (typeof v === "number" && c.share) return Math.round(v * 1000) / 10;
    if (typeof v === "number" && c.digits !== undefined) return Number(v.toFixed(c.digits));
    return v;
  };
  const onSort = (key: string) => {
    if (sortKey === key) setAscending(!ascending);
    else {
      setSortKey(key);
      setAscending(true);
    }
  };
  return (
    <div className="table-block">
      <div className="table-wrap" role="region" aria-labelledby={`${props.id}-caption`} tabIndex={0}>
        <table id={props.id} className="data-table">
          <caption id={`${props.id}-caption`}>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sortKey === c.key ? (ascending ? "ascending" : "descending") : undefined}
                >
                  <button type="button" className="sort-button" data-sort={c.key} onClick={() => onSort(c.key)}>
                    {c.header}
                    <span aria-hidden="true">{sortKey === c.key ? (ascending ? " ▲" : " ▼") : " ⇅"}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r, i) => (
              <tr key={i}>
                {props.columns.map((c, j) => {
                  const suppressed = c.suppressed?.(r) ?? false;
                  const raw = suppressed ? null : c.value(r);
                  const Cell = j === 0 ? "th" : "td";
                  return (
                    <Cell
                      key={c.key}
                      scope={j === 0 ? "row" : undefined}
                      data-col={c.key}
                      data-value={raw === null ? "" : String(raw)}
                      className={[typeof raw === "number" ? "num" : "", suppressed ? "suppressed" : ""].join(" ").trim() || undefined}
                    >
                      {suppressed ? <em>{t.suppressed}</em> : c.render ? c.render(r) : cellText(c, r)}
                    </Cell>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Button
        variant="secondaryNoBorder"
        icon={undefined}
        className="download"
        onClick={() =>
          downloadCsv(
            `${props.filename}.csv`,
            props.columns.map((c) => c.header),
            sorted.map((r) => props.columns.map((c) => csvCell(c, r))),
          )
        }
      >
        {t.downloadCsv}: {props.caption}
      </Button>
    </div>
  );
}

// A chart with its downloads and its table alternative.
export function ChartFigure(props: {
  id: string;
  title: string;
  filename: string;
  width: number;
  height: number;
  children: ReactNode;
  table: ReactNode;
  legend?: ReactNode;
}) {
  const { t } = useLocale();
  const svgRef = useRef<SVGSVGElement>(null);
  return (
    <figure className="chart" id={props.id}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      {props.legend}
      <div className="chart-scroll">
        <svg
          ref={svgRef}
          role="img"
          aria-labelledby={`${props.id}-title`}
          viewBox={`0 0 ${props.width} ${props.height}`}
          width={props.width}
          height={props.height}
          className="chart-svg"
        >
          <rect x={0} y={0} width={props.width} height={props.height} fill="#ffffff" />
          {props.children}
        </svg>
      </div>
      <div className="chart-actions">
        <Button variant="secondary" onClick={() => svgRef.current && downloadSvg(`${props.filename}.svg`, svgRef.current)}>
          {t.downloadSvg}
        </Button>
        <Button variant="secondary" onClick={() => svgRef.current && void downloadPng(`${props.filename}.png`, svgRef.current)}>
          {t.downloadPng}
        </Button>
      </div>
      <details className="chart-table">
        <summary>{t.showTable}: {props.title}</summary>
        {props.table}
      </details>
    </figure>
  );
}

// Sequential blue scale (Suomi.fi brand blue at the top); text colour picked
// for contrast on each step.
const SCALE = ["#f1f6fb", "#d6e6f6", "#a9cbea", "#6ea5d8", "#2a6ebb", "#1a4f99", "#003479"];
export function scaleColour(share: number): { fill: string; text: string } {
  const i = Math.max(0, Math.min(SCALE.length - 1, Math.floor(share * SCALE.length)));
  return { fill: SCALE[i], text: i >= 4 ? "#ffffff" : "#1f2933" };
}

export function ScaleLegend() {
  const { t, num } = useLocale();
  const step = 100 / SCALE.length;
  return (
    <div className="scale-legend" aria-label={t.legend} role="group">
      <span className="legend-title">{t.legend}:</span>
      {SCALE.map((c, i) => (
        <span key={c} className="legend-step">
          <span className="swatch" style={{ background: c }} aria-hidden="true" />
          {num(i * step)}–{num((i + 1) * step)} %
        </span>
      ))}
      <span className="legend-step">
        <span className="swatch swatch-none" aria-hidden="true" />
        {t.noData}
      </span>
      <span className="legend-note">{t.colourLegend}</span>
    </div>
  );
}

export interface LinePoint {
  label: string;
  values: (number | null)[];
}
export interface LineSeries {
  name: string;
  colour: string;
  dash: string;
  marker: "circle" | "square";
  // Which axis: "pct" 0..100 on the left, "count" on the right.
  axis: "pct" | "count";
}

// Lines of a few series over labelled points; each series has its own dash
// and marker shape so that colour is not the only cue.
export function LineChart(props: { points: LinePoint[]; series: LineSeries[]; width: number; height: number }) {
  const { num } = useLocale();
  const { points, series, width, height } = props;
  const left = 48, right = 48, top = 16, bottom = 56;
  const w = width - left - right, h = height - top - bottom;
  const maxCount = Math.max(1, ...points.flatMap((p) => p.values.filter((v, i) => v !== null && series[i].axis === "count") as number[]));
  const x = (i: number) => left + (points.length <= 1 ? w / 2 : (i * w) / (points.length - 1));
  const y = (v: number, axis: "pct" | "count") => top + h - (axis === "pct" ? v / 100 : v / maxCount) * h;
  const every = Math.max(1, Math.ceil(points.length / 12));
  return (
    <g fontSize={12}>
      {[0, 25, 50, 75, 100].map((p) => (
        <g key={p}>
          <line x1={left} x2={left + w} y1={y(p, "pct")} y2={y(p, "pct")} stroke="#c8cdd0" />
          <text x={left - 6} y={y(p, "pct") + 4} textAnchor="end" fill="#1f2933">{num(p)} %</text>
          <text x={left + w + 6} y={y(p, "pct") + 4} fill="#1f2933">{num((maxCount * p) / 100)}</text>
        </g>
      ))}
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={p.label} x={x(i)} y={top + h + 16} textAnchor="end" transform={`rotate(-35 ${x(i)} ${top + h + 16})`} fill="#1f2933">
            {p.label}
          </text>
        ) : null,
      )}
      {series.map((s, si) => {
        const path = points
          .map((p, i) => (p.values[si] === null ? null : `${x(i)},${y(p.values[si] as number, s.axis)}`))
          .filter(Boolean)
          .join(" ");
        return (
          <g key={s.name}>
            <polyline points={path} fill="none" stroke={s.colour} strokeWidth={2.5} strokeDasharray={s.dash} />
            {points.map((p, i) =>
              p.values[si] === null ? null : s.marker === "circle" ? (
                <circle key={i} cx={x(i)} cy={y(p.values[si] as number, s.axis)} r={3.5} fill={s.colour} />
              ) : (
                <rect key={i} x={x(i) - 3.5} y={y(p.values[si] as number, s.axis) - 3.5} width={7} height={7} fill={s.colour} />
              ),
            )}
          </g>
        );
      })}
    </g>
  );
}

export function SeriesLegend(props: { series: LineSeries[] }) {
  return (
    <ul className="series-legend">
      {props.series.map((s) => (
        <li key={s.name}>
          <svg width={36} height={12} aria-hidden="true">
            <line x1={0} x2={36} y1={6} y2={6} stroke={s.colour} strokeWidth={2.5} strokeDasharray={s.dash} />
            {s.marker === "circle" ? <circle cx={18} cy={6} r={3.5} fill={s.colour} /> : <rect x={14.5} y={2.5} width={7} height={7} fill={s.colour} />}
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

export function Loading() {
  const { t } = useLocale();
  return <p role="status" className="loading">{t.loading}</p>;
}

export function ErrorBox(props: { error: unknown }) {
  const { t } = useLocale();
  const e = props.error as { code?: number; rawMessage?: string; message?: string };
  const refused = e && (e.code === 7 || e.code === 16);
  return (
    <div className="error-box" role="alert" data-refused={refused ? "true" : "false"}>
      <strong>{refused ? t.refused : t.error}</strong>
      {e && (e.rawMessage || e.message) ? <span> ({e.rawMessage ?? e.message})</span> : null}
    </div>
  );
}

// Runs an async load whenever its key changes; the latest result wins.
export function useLoad<T>(key: string, load: () => Promise<T>): { data?: T; error?: unknown; loading: boolean } {
  const [state, setState] = useState<{ key?: string; data?: T; error?: unknown }>({});
  const current = useRef(key);
  current.current = key;
  React.useEffect(() => {
    let alive = true;
    setState({ key: undefined });
    load().then(
      (data) => alive && setState({ key, data }),
      (error) => alive && setState({ key, error }),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { data: state.data, error: state.error, loading: state.key !== key };
}
