// Site: trend of daily peak and utilization by day or week, the weekday ×
// hour heatmap, the by-floor and by-zone table, right-sizing and silent
// sensors.
import React, { useState } from "react";
import { Button, Dropdown, DropdownItem, Heading, TextInput, ToggleButton } from "suomifi-ui-components";
import { analytics, inventory } from "../api";
import {
  ChartFigure, DataTable, ErrorBox, LineChart, Loading, ScaleLegend, SeriesLegend, scaleColour, useLoad,
  type Column, type LineSeries,
} from "../components";
import { defaultWindow, isDay } from "../dates";
import { Grouping, type RightSizingRow, type SilentSensor, type UsageGroup } from "../gen/monipaikka/v1/analytics_pb";
import { useLocale } from "../i18n";
import { href, navigate, type Route } from "../route";

export async function loadSite(site: string, from: string, to: string, week: boolean) {
  const usage = (groupBy: Grouping) =>
    analytics.getUsageReport({ scope: { site }, fromDate: from, toDate: to, groupBy });
  const [info, trend, heat, floors, zones, sizing] = await Promise.all([
    inventory.getSite({ code: site }),
    usage(week ? Grouping.WEEK : Grouping.DAY),
    usage(Grouping.WEEKDAY_HOUR),
    usage(Grouping.FLOOR),
    usage(Grouping.ZONE),
    analytics.getRightSizing({ site, fromDate: from, toDate: to }),
  ]);
  return { info, trend, heat, floors, zones, sizing };
}

export function SitePicker(props: { page: string; current: string; query?: Record<string, string> }) {
  const { t } = useLocale();
  const sites = useLoad("sites", () => inventory.listSites({}));
  if (!sites.data) return null;
  return (
    <Dropdown
      id="site-picker"
      labelText={t.chooseSite}
      value={props.current || null}
      visualPlaceholder={t.chooseSite}
      onChange={(v) => navigate(href(props.page, [v], props.query))}
    >
      {sites.data.sites.map((s) => (
        <DropdownItem key={s.code} value={s.code}>{`${s.name} (${s.code})`}</DropdownItem>
      ))}
    </Dropdown>
  );
}

export function Heatmap(props: { groups: UsageGroup[]; id: string; filename: string; title: string }) {
  const { t, num, pct } = useLocale();
  const cells = props.groups.filter((g) => g.weekday >= 1 && g.hour >= 0);
  const measured = cells.filter((g) => g.measured && g.figures && g.figures.observedMs > 0n);
  const hours = measured.length ? [...new Set(measured.map((g) => g.hour))].sort((a, b) => a - b) : [];
  const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => measured.some((g) => g.weekday === d) || d <= 5);
  const cell = (d: number, h: number) => measured.find((g) => g.weekday === d && g.hour === h);
  const cw = 54, ch = 34, left = 56, top = 28;
  const width = left + hours.length * cw + 8, height = top + days.length * ch + 8;
  const rows = days.map((d) => ({ d }));
  const columns: Column<{ d: number }>[] = [
    { key: "weekday", header: t.weekday, value: (r) => t.weekdays[r.d - 1] },
    ...hours.map((h) => ({
      key: `h${h}`,
      header: `${String(h).padStart(2, "0")}`,
      value: (r: { d: number }) => {
        const g = cell(r.d, h);
        return g ? g.figures!.timeUtilization : null;
      },
      share: true,
    })),
  ];
  return (
    <ChartFigure
      id={props.id}
      title={props.title}
      filename={props.filename}
      width={Math.max(width, 200)}
      height={height}
      legend={<ScaleLegend />}
      table={<DataTable id={`${props.id}-table`} caption={props.title} columns={columns} rows={rows} filename={`${props.filename}-table`} />}
    >
      <g fontSize={12}>
        {hours.map((h, i) => (
          <text key={h} x={left + i * cw + cw / 2} y={top - 8} textAnchor="middle" fill="#1f2933">{String(h).padStart(2, "0")}</text>
        ))}
        {days.map((d, j) => (
          <g key={d}>
            <text x={left - 8} y={top + j * ch + ch / 2 + 4} textAnchor="end" fill="#1f2933">{t.weekdays[d - 1]}</text>
            {hours.map((h, i) => {
              const g = cell(d, h);
              const v = g ? g.figures!.timeUtilization : null;
              const c = v === null ? { fill: "#ffffff", text: "#5f686d" } : scaleColour(v);
              return (
                <g key={h} className="heat-cell" data-weekday={d} data-hour={h} data-value={v === null ? "" : String(v)}>
                  <title>{`${t.weekdays[d - 1]} ${String(h).padStart(2, "0")}: ${v === null ? t.noData : pct(v)}`}</title>
                  <rect x={left + i * cw} y={top + j * ch} width={cw - 2} height={ch - 2} fill={c.fill} stroke="#a5acb0" strokeDasharray={v === null ? "3 2" : undefined} />
                  <text x={left + i * cw + (cw - 2) / 2} y={top + j * ch + ch / 2 + 4} textAnchor="middle" fill={c.text} fontSize={13}>
                    {v === null ? "–" : num(v * 100)}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </g>
    </ChartFigure>
  );
}

export function Site(props: { route: Route }) {
  const { t, num, dateTime } = useLocale();
  const site = props.route.args[0] ?? "";
  const q = props.route.query;
  const win = defaultWindow();
  const from = isDay(q.get("from") ?? "") ? q.get("from")! : win.from;
  const to = isDay(q.get("to") ?? "") ? q.get("to")! : win.to;
  const week = q.get("by") === "week";
  const [draft, setDraft] = useState({ from, to });
  const data = useLoad(`${site}|${from}|${to}|${week}`, () => (site ? loadSite(site, from, to, week) : Promise.resolve(null)));
  const query = { from, to, by: week ? "week" : "" };

  const series: LineSeries[] = [
    { name: `${t.timeUtilization} (%)`, colour: "#003479", dash: "", marker: "circle", axis: "pct" },
    { name: t.dailyPeak, colour: "#b3531a", dash: "6 4", marker: "square", axis: "count" },
  ];
  const usageColumns = (label: string): Column<UsageGroup>[] => [
    { key: "label", header: label, value: (g) => g.label || g.key },
    { key: "workstations", header: t.workstations, value: (g) => g.workstationsInScope },
    { key: "measured", header: t.measured, value: (g) => g.figures?.workstationsMeasured ?? 0 },
    { key: "timeUtilization", header: t.timeUtilization, value: (g) => (g.measured && g.figures ? g.figures.timeUtilization : null), share: true },
    { key: "peakP95", header: t.peakP95, value: (g) => (g.measured && g.figures && g.figures.daysCounted > 0 ? g.figures.peakOccupancyP95 : null) },
    { key: "peakMax", header: t.dailyPeak, value: (g) => (g.measured && g.figures && g.figures.daysCounted > 0 ? g.figures.peakOccupancyMax : null) },
    { key: "unknown", header: t.unknownTime, value: (g) => (g.figures ? g.figures.unknownShare : null), share: true },
  ];
  const sizingColumns: Column<RightSizingRow>[] = [
    { key: "name", header: t.space, value: (r) => r.name || r.code },
    { key: "level", header: t.level, value: (r) => r.level },
    { key: "measured", header: t.measured, value: (r) => r.workstationsMeasured },
    { key: "p95", header: t.peakP95, value: (r) => (r.hasData ? r.peakOccupancyP95 : null) },
    { key: "needed", header: t.neededWs, value: (r) => (r.hasData ? r.neededWorkstations : null) },
    { key: "surplus", header: t.surplusWs, value: (r) => (r.hasData ? r.surplusWorkstations : null) },
    { key: "m2", header: t.releasableM2, value: (r) => (r.hasData ? r.releasableAreaM2 : null), digits: 1 },
    { key: "eur", header: t.releasableEur, value: (r) => (r.hasData ? r.releasableRentEur : null), digits: 0 },
  ];
  const silentColumns: Column<SilentSensor>[] = [
    { key: "sensor", header: t.sensor, value: (s) => s.sensor },
    { key: "kind", header: t.kind, value: (s) => s.kind },
    { key: "target", header: t.target, value: (s) => s.target },
    { key: "status", header: t.status, value: (s) => s.status },
    { key: "lastSeen", header: t.lastSeen, value: (s) => s.lastSeen || null },
  ];
  const d = data.data;
  const trendPoints = (d?.trend.groups ?? []).map((g) => ({
    label: g.label || g.key,
    values: [
      g.measured && g.figures && g.figures.observedMs > 0n ? g.figures.timeUtilization * 100 : null,
      g.measured && g.figures && g.figures.daysCounted > 0 ? g.figures.peakOccupancyMax : null,
    ],
    g,
  }));
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.site}{d ? `: ${d.info.name}` : ""}</Heading>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("site", [site], { ...query, ...draft }));
        }}
      >
        <SitePicker page="site" current={site} query={query} />
        <TextInput id="from" labelText={t.from} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} />
        <TextInput id="to" labelText={t.to} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} />
        <Button type="submit" id="apply">{t.apply}</Button>
      </form>
      {!site ? null : data.loading ? <Loading /> : data.error ? <ErrorBox error={data.error} /> : d ? (
        <>
          <p className="window">
            {d.info.code} · {d.info.municipality} · {t.period}: {from} – {to} · {t.asOf} {d.trend.asOf && !Number.isNaN(Date.parse(d.trend.asOf)) ? dateTime(Date.parse(d.trend.asOf), d.info.timezone) : d.trend.asOf} ({d.info.timezone || "Europe/Helsinki"})
          </p>
          <p className="links">
            <a href={href("floor", [site], { from, to })}>{t.floorPlan}</a> · <a href={href("live", [site])}>{t.live}</a>
          </p>
          <Heading variant="h2">{t.trend}</Heading>
          <div className="toggle-row" role="group" aria-label={t.trend}>
            <ToggleButton checked={!week} onClick={() => navigate(href("site", [site], { ...query, by: "" }))}>{t.byDay}</ToggleButton>
            <ToggleButton checked={week} onClick={() => navigate(href("site", [site], { ...query, by: "week" }))}>{t.byWeek}</ToggleButton>
          </div>
          <ChartFigure
            id="trend"
            title={`${t.trend}: ${d.info.name}`}
            filename={`trend-${site}-${from}-${to}`}
            width={Math.max(480, 40 * trendPoints.length + 100)}
            height={300}
            legend={<SeriesLegend series={series} />}
            table={
              <DataTable
                id="trend-table"
                caption={t.trend}
                filename={`trend-${site}-${from}-${to}`}
                rows={trendPoints.map((p) => p.g)}
                columns={usageColumns(t.period)}
              />
            }
          >
            <LineChart points={trendPoints} series={series} width={Math.max(480, 40 * trendPoints.length + 100)} height={300} />
          </ChartFigure>
          <Heading variant="h2">{t.heatmap}</Heading>
          <Heatmap id="heatmap" title={`${t.heatmap}: ${d.info.name}`} filename={`heatmap-${site}-${from}-${to}`} groups={d.heat.groups} />
          <Heading variant="h2">{t.byFloor}</Heading>
          <DataTable id="floor-table" caption={`${t.byFloor}: ${d.info.name}`} filename={`floors-${site}-${from}-${to}`} rows={d.floors.groups} columns={usageColumns(t.floor)} />
          <Heading variant="h2">{t.byZone}</Heading>
          <DataTable id="zone-table" caption={`${t.byZone}: ${d.info.name}`} filename={`zones-${site}-${from}-${to}`} rows={d.zones.groups} columns={usageColumns(t.zone)} />
          <Heading variant="h2">{t.rightSizing}</Heading>
          <p>
            {t.neededWs}: buffer {num(d.sizing.bufferPct)} %
          </p>
          <DataTable id="sizing-table" caption={`${t.rightSizing}: ${d.info.name}`} filename={`right-sizing-${site}-${from}-${to}`} rows={d.sizing.rows} columns={sizingColumns} />
          <Heading variant="h2">{t.silentSensors}</Heading>
          {(d.trend.coverage?.silentSensors ?? []).length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <DataTable id="silent-table" caption={`${t.silentSensors}: ${d.info.name}`} filename={`silent-sensors-${site}`} rows={d.trend.coverage!.silentSensors} columns={silentColumns} />
          )}
        </>
      ) : null}
    </section>
  );
}
