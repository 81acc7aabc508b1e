// Floor plan: each workstation of a floor drawn zone by zone (the inventory
// has no desk positions yet), coloured by the utilization of its zone or
// room over the window, or by its live state. Every desk carries a symbol
// and every zone its figure, so colour is never the only cue.
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
  const usage = useLoad(`use|${site}|${floorCode}|${from}|${to}`, async () =>
    site && floorCode
      ? Promise.all([
          analytics.getUsageReport({ scope: { space: floorCode }, fromDate: from, toDate: to, groupBy: Grouping.ZONE }),
          analytics.getUsageReport({ scope: { space: floorCode }, fromDate: from, toDate: to, groupBy: Grouping.ROOM }),
        ])
      : null,
  );
  const liveState = useLiveOccupancy(mode === "live" ? site : "");
  const query = { from, to, mode: mode === "live" ? "live" : "" };
  const floor = floors.find((f) => f.code === floorCode);
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
  const desks = inv.data![1].workstations.filter((w) => w.status !== "inactive");
  const plan = floor ? layout(floor, spaces, desks) : { blocks: [], width: 200, height: 50 };
  // Utilization of a block: its zone's (or room's) figure over the window.
  const util = new Map<string, number>();
  for (const report of usage.data ?? []) {
    for (const g of report.groups) {
      if (g.measured && g.figures && g.figures.observedMs > 0n) util.set(g.key, g.figures.timeUtilization);
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
  const rows = plan.blocks.flatMap((b) =>
    b.desks.map((d) => ({ desk: d.code, zone: b.space.name || b.space.code, util: util.get(b.space.code) ?? null, state: liveByDesk.get(d.code) })),
  );
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "desk", header: t.desk, value: (r) => r.desk },
    { key: "zone", header: t.zone, value: (r) => r.zone },
    mode === "live"
      ? { key: "state", header: t.byLive, value: (r) => stateText(r.state) }
      : { key: "util", header: t.timeUtilization, value: (r) => r.util, share: true },
  ];
  const title = `${t.floorPlan}: ${floor ? floor.name || floor.code : ""} (${mode === "live" ? t.byLive : t.byUtilization})`;
  return (
    <section aria-labelledby="page-title">
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
      <p className="note">{t.noPositions} {mode === "utilization" ? `${t.period}: ${from} – ${to}` : ""}</p>
      <ChartFigure
        id="floorplan"
        title={title}
        filename={`floorplan-${floorCode}-${mode}`}
        width={plan.width}
        height={plan.height}
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
          {plan.blocks.map((b) => {
            const u = util.get(b.space.code);
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
                  const s = liveByDesk.get(d.code);
                  const c = mode === "live" ? stateStyle(s) : { ...(u === undefined ? { fill: "#ffffff", text: "#33393d" } : scaleColour(u)), symbol: "" };
                  return (
                    <g key={d.code} className="desk" data-desk={d.code} data-state={mode === "live" ? stateText(s) : ""}>
                      <title>{`${d.code}: ${mode === "live" ? stateText(s) : u === undefined ? t.noData : pct(u)}`}</title>
                      <rect x={dx} y={dy} width={DESK} height={DESK} rx={3} fill={c.fill} stroke="#33393d" />
                      <text x={dx + DESK / 2} y={dy + DESK / 2 + 4} textAnchor="middle" fill={c.text}>
                        {mode === "live" ? c.symbol : d.code.slice(-3)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </g>
      </ChartFigure>
      <p>{t.workstations}: {num(rows.length)}</p>
    </section>
  );
}
