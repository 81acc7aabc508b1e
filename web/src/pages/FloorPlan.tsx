// Floor plan: each workstation of a floor drawn where it stands (its x_m,
// y_m in the inventory, over the floor's plan drawing when there is one),
// the others laid out zone by zone; coloured by its own time utilization
// over the window, or by its live state. Every desk carries its value (or a
// state symbol) as text, so colour is never the only cue.
//
// The plan drawing is shown only as an <image> with a data: URL: an SVG
// loaded as an image runs no scripts and loads nothing outside itself, so
// an imported drawing cannot act on the page.
import React from "react";
import { Heading, ToggleButton, Dropdown, DropdownItem } from "suomifi-ui-components";
import { analytics, inventory } from "../api";
import { ChartFigure, DataTable, ErrorBox, Loading, ScaleLegend, scaleColour, useLoad, type Column } from "../components";
import { defaultWindow, isDay } from "../dates";
import { Grouping } from "../gen/monipaikka/v1/analytics_pb";
import type { Space, Workstation } from "../gen/monipaikka/v1/inventory_pb";
import { OccupancyState } from "../gen/monipaikka/v1/live_pb";
import { useLocale } from "../i18n";
import { useLiveOccupancy } from "../liveState";
import { href, navigate, type Route } from "../route";
import { SitePicker } from "./Site";

interface Block {
  space: Space;
  desks: Workstation[];
  x: number;
  y: number;
  w: number;
  h: number;
}

const DESK = 34, GAP = 6, PAD = 10, HEAD = 26, MAX_W = 900;

// The user-unit box of a plan drawing (metres): its viewBox, else 0 0 width
// height; null when it states neither.
export function planBox(svg: string): { x: number; y: number; w: number; h: number } | null {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) return null;
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(root)?.[1];
  const vb = (attr("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0) return { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
  const w = parseFloat(attr("width") ?? ""), h = parseFloat(attr("height") ?? "");
  return w > 0 && h > 0 ? { x: 0, y: 0, w, h } : null;
}

export interface PlacedDesk {
  desk: Workstation;
  // Centre, drawing pixels.
  cx: number;
  cy: number;
}

export interface Placement {
  desks: PlacedDesk[];
  // Pixels per metre; a position (x, y) m is drawn at origin + (x, y) · scale.
  scale: number;
  origin: number;
  // Where the plan drawing goes (pixels), when there is one.
  image: { x: number; y: number; w: number; h: number } | null;
  size: number; // desk square, pixels
  width: number;
  height: number;
}

// The desks with a position, drawn to scale: the floor's extent (its plan
// drawing's box and every desk) fits MAX_W pixels wide, at 8 to 60 px/m.
export function placeDesks(desks: Workstation[], box: { x: number; y: number; w: number; h: number } | null): Placement {
  const placed = desks.filter((d) => d.xM !== undefined && d.yM !== undefined).sort((a, b) => a.code.localeCompare(b.code));
  const right = Math.max(box ? box.x + box.w : 0, ...placed.map((d) => d.xM! + 1));
  const bottom = Math.max(box ? box.y + box.h : 0, ...placed.map((d) => d.yM! + 1));
  const scale = Math.min(60, Math.max(8, (MAX_W - 2 * PAD) / Math.max(right, 1)));
  const size = Math.min(DESK, Math.max(20, 0.9 * scale));
  return {
    desks: placed.map((d) => ({ desk: d, cx: PAD + d.xM! * scale, cy: PAD + d.yM! * scale })),
    scale,
    origin: PAD,
    image: box ? { x: PAD + box.x * scale, y: PAD + box.y * scale, w: box.w * scale, h: box.h * scale } : null,
    size,
    width: PAD * 2 + right * scale + size / 2,
    height: PAD * 2 + bottom * scale + size / 2,
  };
}

// Zones (and rooms and desks directly on the floor) as blocks in rows,
// desks in a grid inside each block.
export function layout(floor: Space, spaces: Space[], desks: Workstation[]): { blocks: Block[]; width: number; height: number } {
  const parentOf = new Map(spaces.map((s) => [s.code, s.parent]));
  const topUnder = (code: string): string => {
    let c = code;
    while (parentOf.get(c) && parentOf.get(c) !== floor.code) c = parentOf.get(c)!;
    return parentOf.get(c) === floor.code ? c : code === floor.code ? floor.code : "";
  };
  const groups = new Map<string, Workstation[]>();
  for (const d of desks) {
    const top = d.space === floor.code ? floor.code : topUnder(d.space);
    if (!top) continue;
    groups.set(top, [...(groups.get(top) ?? []), d]);
  }
  const byCode = new Map(spaces.map((s) => [s.code, s]));
  const blocks: Block[] = [];
  let x = 0, y = 0, rowH = 0;
  for (const code of [...groups.keys()].sort()) {
    const list = groups.get(code)!.sort((a, b) => a.code.localeCompare(b.code));
    const cols = Math.max(2, Math.ceil(Math.sqrt(list.length * 1.6)));
    const rows = Math.ceil(list.length / cols);
    const w = PAD * 2 + cols * DESK + (cols - 1) * GAP;
    const h = HEAD + PAD + rows * DESK + (rows - 1) * GAP + PAD;
    if (x > 0 && x + w > MAX_W) {
      x = 0;
      y += rowH + 16;
      rowH = 0;
    }
    blocks.push({ space: byCode.get(code) ?? floor, desks: list, x, y, w, h });
    x += w + 16;
    rowH = Math.max(rowH, h);
  }
  return { blocks, width: Math.max(...blocks.map((b) => b.x + b.w), 200) + 2, height: y + rowH + 2 };
}

export function FloorPlan(props: { route: Route }) {
  const { t, num, pct } = useLocale();
  const site = props.route.args[0] ?? "";
  const q = props.route.query;
  const win = defaultWindow();
  const from = isDay(q.get("from") ?? "") ? q.get("from")! : win.from;
  const to = isDay(q.get("to") ?? "") ? q.get("to")! : win.to;
  const mode = q.get("mode") === "live" ? "live" : "utilization";
  const inv = useLoad(`inv|${site}`, async () =>
    site ? Promise.all([inventory.listSpaces({ site }), inventory.listWorkstations({ site })]) : null,
  );
  const floors = (inv.data?.[0].spaces ?? []).filter((s) => s.level === "floor").sort((a, b) => a.code.localeCompare(b.code));
  const floorCode = props.route.args[1] || floors[0]?.code || "";
  const floor = floors.find((f) => f.code === floorCode);
  const usage = useLoad(`use|${site}|${floorCode}|${from}|${to}`, async () =>
    site && floorCode
      ? Promise.all([
          analytics.getUsageReport({ scope: { space: floorCode }, fromDate: from, toDate: to, groupBy: Grouping.WORKSTATION }),
          analytics.getUsageReport({ scope: { space: floorCode }, fromDate: from, toDate: to, groupBy: Grouping.ZONE }),
          analytics.getUsageReport({ scope: { space: floorCode }, fromDate: from, toDate: to, groupBy: Grouping.ROOM }),
        ])
      : null,
  );
  const planSvg = useLoad(`plan|${floorCode}|${floor?.hasPlanSvg ? 1 : 0}`, async () =>
    floor?.hasPlanSvg ? (await inventory.getPlanSvg({ space: floorCode })).svg : "",
  );
  const liveState = useLiveOccupancy(mode === "live" ? site : "");
  const query = { from, to, mode: mode === "live" ? "live" : "" };
  if (!site) {
    return (
      <section aria-labelledby="page-title">
        <Heading variant="h1" id="page-title">{t.floorPlan}</Heading>
        <SitePicker page="floor" current="" query={query} />
      </section>
    );
  }
  if (inv.loading) return <Loading />;
  if (inv.error) return <ErrorBox error={inv.error} />;
  const spaces = inv.data![0].spaces;
  const byCode = new Map(spaces.map((s) => [s.code, s]));
  const floorOf = (code: string): string => {
    let c = code;
    for (let i = 0; i < 10 && byCode.get(c)?.parent; i++) c = byCode.get(c)!.parent;
    return c;
  };
  const onFloor = inv.data![1].workstations.filter((w) => w.status !== "inactive" && floorOf(w.space) === floorCode);
  const svgText = planSvg.data ?? "";
  const placement = placeDesks(onFloor, svgText ? planBox(svgText) : null);
  const placedCodes = new Set(placement.desks.map((p) => p.desk.code));
  const auto = floor ? layout(floor, spaces, onFloor.filter((d) => !placedCodes.has(d.code))) : { blocks: [], width: 200, height: 50 };
  const positioned = placement.desks.length > 0 || placement.image !== null;
  const autoTop = positioned ? placement.height + 16 : 0;
  const width = Math.max(positioned ? placement.width : 0, auto.blocks.length ? auto.width : 0, 200);
  const height = autoTop + (auto.blocks.length ? auto.height : 0) + 2;
  // Each desk's own time utilization over the window; none: no data.
  const deskUtil = new Map<string, number>();
  for (const g of usage.data?.[0].groups ?? []) {
    if (g.figures && g.figures.workstationsMeasured > 0 && g.figures.observedMs > 0n) deskUtil.set(g.key, g.figures.timeUtilization);
  }
  // A zone block's heading: its zone's (or room's) figure.
  const blockUtil = new Map<string, number>();
  for (const report of usage.data?.slice(1) ?? []) {
    for (const g of report.groups) {
      if (g.measured && g.figures && g.figures.observedMs > 0n) blockUtil.set(g.key, g.figures.timeUtilization);
    }
  }
  const liveByDesk = new Map((liveState.occupancy?.workstations ?? []).map((w) => [w.workstation, w.state]));
  const stateText = (s: OccupancyState | undefined) =>
    s === OccupancyState.FREE ? t.free : s === OccupancyState.OCCUPIED ? t.occupied : t.unknown;
  const stateStyle = (s: OccupancyState | undefined) =>
    s === OccupancyState.FREE
      ? { fill: "#d6f0dd", text: "#0b5b1f", symbol: "✓" }
      : s === OccupancyState.OCCUPIED
        ? { fill: "#a9232e", text: "#ffffff", symbol: "●" }
        : { fill: "#eeeeee", text: "#33393d", symbol: "?" };
  const zoneName = (d: Workstation) => {
    const sp = byCode.get(d.space);
    return sp ? sp.name || sp.code : d.space;
  };
  const position = (d: Workstation) => (d.xM !== undefined && d.yM !== undefined ? `${num(d.xM, 1)}; ${num(d.yM, 1)}` : "");
  const rows = [...placement.desks.map((p) => p.desk), ...auto.blocks.flatMap((b) => b.desks)].map((d) => ({
    desk: d.code,
    zone: zoneName(d),
    position: position(d),
    util: deskUtil.get(d.code) ?? null,
    state: liveByDesk.get(d.code),
  }));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "desk", header: t.desk, value: (r) => r.desk },
    { key: "zone", header: t.space, value: (r) => r.zone },
    { key: "position", header: t.positionM, value: (r) => r.position },
    mode === "live"
      ? { key: "state", header: t.byLive, value: (r) => stateText(r.state) }
      : { key: "util", header: t.timeUtilization, value: (r) => r.util, share: true },
  ];
  // One desk: a square centred at (cx, cy) with its value (or state
  // symbol) as text, and its code and value as tooltip.
  const drawDesk = (d: Workstation, cx: number, cy: number, size: number) => {
    const s = liveByDesk.get(d.code);
    const u = deskUtil.get(d.code);
    const c = mode === "live" ? stateStyle(s) : { ...(u === undefined ? { fill: "#ffffff", text: "#33393d" } : scaleColour(u)), symbol: "" };
    const value = mode === "live" ? stateText(s) : u === undefined ? t.noData : pct(u);
    return (
      <g
        key={d.code}
        className="desk"
        data-desk={d.code}
        data-state={mode === "live" ? stateText(s) : ""}
        data-value={mode === "live" || u === undefined ? "" : String(u)}
        data-x-m={d.xM}
        data-y-m={d.yM}
      >
        <title>{`${d.code}: ${value}`}</title>
        <rect x={cx - size / 2} y={cy - size / 2} width={size} height={size} rx={3} fill={c.fill} stroke="#33393d" />
        <text x={cx} y={cy + 4} textAnchor="middle" fill={c.text} fontSize={size < 28 ? 9 : 11}>
          {mode === "live" ? c.symbol : u === undefined ? "–" : num(u * 100)}
        </text>
      </g>
    );
  };
  const title = `${t.floorPlan}: ${floor ? floor.name || floor.code : ""} (${mode === "live" ? t.byLive : t.byUtilization})`;
  const notes = [
    positioned ? t.positionsNote : t.noPositions,
    positioned && auto.blocks.length ? t.someUnplaced : "",
    mode === "utilization" ? `${t.deskUtilizationNote} ${t.period}: ${from} – ${to}` : "",
  ].filter(Boolean);
  return (
    <section aria-labelledby="page-title" data-usage-loaded={usage.data ? "true" : "false"}>
      <Heading variant="h1" id="page-title">{t.floorPlan}: {site}</Heading>
      <div className="filters">
        <SitePicker page="floor" current={site} query={query} />
        <Dropdown id="floor-picker" labelText={t.floor} value={floorCode || null} onChange={(v) => navigate(href("floor", [site, v], query))}>
          {floors.map((f) => (
            <DropdownItem key={f.code} value={f.code}>{f.name || f.code}</DropdownItem>
          ))}
        </Dropdown>
      </div>
      <div className="toggle-row" role="group" aria-label={t.colourBy}>
        <ToggleButton checked={mode === "utilization"} onClick={() => navigate(href("floor", [site, floorCode], { ...query, mode: "" }))}>{t.byUtilization}</ToggleButton>
        <ToggleButton checked={mode === "live"} onClick={() => navigate(href("floor", [site, floorCode], { ...query, mode: "live" }))}>{t.byLive}</ToggleButton>
      </div>
      <p className="note">{notes.join(" ")}</p>
      {planSvg.error ? <ErrorBox error={planSvg.error} /> : null}
      <ChartFigure
        id="floorplan"
        title={title}
        filename={`floorplan-${floorCode}-${mode}`}
        width={width}
        height={height}
        legend={
          mode === "live" ? (
            <ul className="series-legend">
              {[OccupancyState.FREE, OccupancyState.OCCUPIED, OccupancyState.UNKNOWN].map((s) => (
                <li key={s}>
                  <span className="swatch" style={{ background: stateStyle(s).fill, color: stateStyle(s).text }} aria-hidden="true">{stateStyle(s).symbol}</span>
                  {stateText(s)}
                </li>
              ))}
            </ul>
          ) : (
            <ScaleLegend />
          )
        }
        table={<DataTable id="floorplan-table" caption={title} columns={columns} rows={rows} filename={`floorplan-${floorCode}-${mode}`} />}
      >
        <g fontSize={11}>
          {positioned ? (
            <g className="plan" data-scale={placement.scale} data-origin={placement.origin}>
              {placement.image ? (
                <image
                  className="plan-image"
                  href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`}
                  x={placement.image.x}
                  y={placement.image.y}
                  width={placement.image.w}
                  height={placement.image.h}
                  preserveAspectRatio="none"
                />
              ) : (
                <rect x={PAD / 2} y={PAD / 2} width={placement.width - PAD} height={placement.height - PAD} fill="#f7f7f8" stroke="#5f686d" rx={4} />
              )}
              {placement.desks.map((p) => drawDesk(p.desk, p.cx, p.cy, placement.size))}
            </g>
          ) : null}
          <g transform={`translate(0,${autoTop})`}>
            {auto.blocks.map((b) => {
              const u = blockUtil.get(b.space.code);
              return (
                <g key={b.space.code} transform={`translate(${b.x},${b.y})`} className="zone" data-space={b.space.code}>
                  <rect width={b.w} height={b.h} fill="#f7f7f8" stroke="#5f686d" rx={4} />
                  <text x={PAD} y={17} fontWeight={600} fill="#1f2933">
                    {(b.space.name || b.space.code).slice(0, Math.floor(b.w / 7))}
                    {mode === "utilization" ? ` ${u === undefined ? "–" : pct(u, 0)}` : ""}
                  </text>
                  {b.desks.map((d, i) => {
                    const cols = Math.round((b.w - 2 * PAD + GAP) / (DESK + GAP));
                    const dx = PAD + (i % cols) * (DESK + GAP);
                    const dy = HEAD + Math.floor(i / cols) * (DESK + GAP);
                    return drawDesk(d, dx + DESK / 2, dy + DESK / 2, DESK);
                  })}
                </g>
              );
            })}
          </g>
        </g>
      </ChartFigure>
      <p>{t.workstations}: {num(rows.length)}</p>
    </section>
  );
}
