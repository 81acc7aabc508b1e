// Planning for a site: the forecast of the coming weeks with 80 % and 95 %
// bands and its backtest accuracy, the floor-closing plan as a weekday ×
// floor grid with its energy figures, and the estimate with 95 % intervals
// where only some workstations are measured.
import React, { useState } from "react";
import { Button, Dropdown, DropdownItem, Heading, TextInput, ToggleButton } from "suomifi-ui-components";
import { inventory, planning, sampling } from "../api";
import { BandChart, BandLegend, WhiskerChart, type BandPoint, type Whisker } from "../charts";
import { ChartFigure, DataTable, ErrorBox, Loading, useLoad, type Column } from "../components";
import { defaultWindow, isDay } from "../dates";
import type { FloorPlanReport, FloorPlanUnit, FloorPlanWeekday, ForecastAccuracy, ForecastDay, ForecastReport, ForecastValue } from "../gen/monipaikka/v1/planning_pb";
import {
  SamplingStrata, type ObservationGroup, type ObservationHour, type ObservationStudyReport, type SampleEstimateReport, type SamplingStratumFigures,
} from "../gen/monipaikka/v1/sampling_pb";
import { useLocale, type Strings } from "../i18n";
import { href, navigate, type Route } from "../route";
import { SitePicker } from "./Site";

export async function loadPlanning(site: string, from: string, to: string, weeks: number, unit: string) {
  const [info, forecast, plan, estimate, study] = await Promise.all([
    inventory.getSite({ code: site }),
    planning.getForecast({ site, lastDate: to, weeks }),
    planning.getFloorPlan({ site, fromDate: from, toDate: to, unit }),
    sampling.getSampleEstimate({ scope: { site }, fromDate: from, toDate: to, strata: SamplingStrata.ZONE }),
    sampling.getObservationStudy({ scope: { site }, fromDate: from, toDate: to, strata: SamplingStrata.ZONE }),
  ]);
  return { info, forecast, plan, estimate, study };
}

// A plan unit's area source (the API's documented codes) in the user's
// language; an unknown code is shown as it is.
export function areaSourceLabel(t: Strings, code: string): string {
  const labels: Record<string, string> = {
    floor: t.areaFromFloor,
    zone: t.areaFromZone,
    "floor less zones": t.areaFloorLessZones,
    "site pro rata": t.areaSiteProRata,
  };
  return labels[code] ?? code;
}

// Weeks ahead in the address: 1 … 8, default 4.
export function forecastWeeks(q: URLSearchParams): number {
  const n = Number(q.get("weeks"));
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : 4;
}

export function bandPoint(d: ForecastDay, v: ForecastValue | undefined, label: string): BandPoint {
  const has = !!v && v.hasValue && !d.holiday;
  const band = has && v!.hasInterval;
  return {
    label,
    value: has ? v!.value : null,
    low80: band ? v!.low80 : null,
    high80: band ? v!.high80 : null,
    low95: band ? v!.low95 : null,
    high95: band ? v!.high95 : null,
  };
}

function ForecastSection(props: { f: ForecastReport; site: string; name: string }) {
  const { t, num, pct, date } = useLocale();
  const { f } = props;
  const label = (d: ForecastDay) => `${t.weekdays[d.isoWeekday - 1]} ${date(d.date)}`;
  const figure = (kind: "peak" | "util") => {
    const pick = (d: ForecastDay) => (kind === "peak" ? d.peakOccupancy : d.timeUtilization);
    const share = kind === "util";
    const points = f.days.map((d) => bandPoint(d, pick(d), label(d)));
    const max = share
      ? Math.min(1, Math.max(0.1, ...points.map((p) => p.high95 ?? p.value ?? 0)) * 1.1)
      : Math.max(f.workstationsMeasured > 0 ? 1 : 1, ...points.map((p) => p.high95 ?? p.value ?? 0)) * 1.1;
    const v = (d: ForecastDay, key: "value" | "low80" | "high80" | "low95" | "high95"): number | null => {
      const x = pick(d);
      if (!x || d.holiday || !x.hasValue) return null;
      if (key !== "value" && !x.hasInterval) return null;
      return x[key];
    };
    const digits = share ? undefined : 1;
    const columns: Column<ForecastDay>[] = [
      { key: "date", header: t.date, value: (d) => d.date },
      { key: "weekday", header: t.weekday, value: (d) => t.weekdays[d.isoWeekday - 1] },
      { key: "horizon", header: t.horizonWeeks, value: (d) => d.horizonWeeks },
      { key: "holiday", header: t.holiday, value: (d) => (d.holiday ? t.yes : t.no) },
      { key: "value", header: t.forecastValue, value: (d) => v(d, "value"), share, digits },
      { key: "low80", header: t.low80, value: (d) => v(d, "low80"), share, digits },
      { key: "high80", header: t.high80, value: (d) => v(d, "high80"), share, digits },
      { key: "low95", header: t.low95, value: (d) => v(d, "low95"), share, digits },
      { key: "high95", header: t.high95, value: (d) => v(d, "high95"), share, digits },
      { key: "residuals", header: t.residuals, value: (d) => (pick(d)?.hasInterval ? pick(d)!.residuals : null) },
    ];
    const title = `${share ? t.forecastUtil : t.forecastPeak}: ${props.name}`;
    const width = Math.max(560, 34 * points.length + 90);
    const id = share ? "forecast-util" : "forecast-peak";
    return (
      <ChartFigure
        id={id}
        title={title}
        filename={`${id}-${props.site}-${f.lastDate}`}
        width={width}
        height={320}
        legend={<BandLegend value={t.forecastValue} band80={t.interval80} band95={t.interval95} />}
        table={<DataTable id={`${id}-table`} caption={title} filename={`${id}-${props.site}-${f.lastDate}`} rows={f.days} columns={columns} />}
      >
        <BandChart points={points} width={width} height={320} max={max} unit={share ? "pct" : "count"} />
      </ChartFigure>
    );
  };
  const accuracy: { name: string; a?: ForecastAccuracy; share: boolean }[] = [
    { name: t.dailyPeak, a: f.peakAccuracy, share: false },
    { name: t.timeUtilization, a: f.utilizationAccuracy, share: true },
  ];
  // Utilization MAE is a fraction: shown in percentage points.
  const mae = (r: { a?: ForecastAccuracy; share: boolean }, naive: boolean) =>
    r.a && r.a.days > 0 ? (naive ? r.a.naiveMae : r.a.mae) * (r.share ? 100 : 1) : null;
  const accuracyColumns: Column<{ name: string; a?: ForecastAccuracy; share: boolean }>[] = [
    { key: "figure", header: t.figure, value: (r) => r.name },
    { key: "days", header: t.backtestDays, value: (r) => r.a?.days ?? 0 },
    { key: "mae", header: t.mae, value: (r) => mae(r, false), digits: 2 },
    { key: "naiveMae", header: t.naiveMae, value: (r) => mae(r, true), digits: 2 },
    { key: "mape", header: t.mape, value: (r) => (r.a && r.a.mapeDays > 0 ? r.a.mape : null), digits: 1 },
    { key: "naiveMape", header: t.naiveMape, value: (r) => (r.a && r.a.mapeDays > 0 ? r.a.naiveMape : null), digits: 1 },
    {
      key: "beatsNaive",
      header: t.beatsNaive,
      value: (r) => (r.a && r.a.days > 0 ? (r.a.beatsNaive ? t.yes : t.no) : null),
      render: (r) => (r.a && r.a.days > 0 ? (r.a.beatsNaive ? `✓ ${t.yes}` : `✗ ${t.no}`) : "–"),
    },
  ];
  return (
    <>
      <p className="window" id="forecast-facts">
        {t.history}: {f.fromDate} – {f.lastDate} ({num(f.historyDays)} {t.workingDays}) · {t.measured} {num(f.workstationsMeasured)} ·{" "}
        {t.trendPerWeek}: {num(f.peakTrendPerWeek, 2)} / {pct(f.utilizationTrendPerWeek, 2)} · {t.model}: {t.levelWeeks} {f.levelWeeks},{" "}
        {t.trendWeeks} {f.trendWeeks}, {t.damping} {num(f.damping, 2)}, {t.backtestWeeks} {f.backtestWeeks}
      </p>
      {figure("peak")}
      {figure("util")}
      <Heading variant="h3">{t.accuracy}</Heading>
      <p>{t.accuracyHelp}</p>
      <DataTable id="accuracy-table" caption={`${t.accuracy}: ${props.name}`} filename={`forecast-accuracy-${props.site}-${f.lastDate}`} rows={accuracy} columns={accuracyColumns} />
    </>
  );
}

// The plan as a grid: a row per floor (zone), a column per weekday; each
// cell reads open ✓ or closed ✗ in words, whatever its colour.
function PlanGrid(props: { plan: FloorPlanReport; name: string }) {
  const { t, num } = useLocale();
  const { plan } = props;
  const days = plan.weekdays;
  return (
    <div className="table-wrap" role="region" aria-labelledby="plan-grid-caption" tabIndex={0}>
      <table id="plan-grid" className="data-table plan-grid">
        <caption id="plan-grid-caption">{`${t.planGrid}: ${props.name}`}</caption>
        <thead>
          <tr>
            <th scope="col">{plan.unit === "zone" ? t.zone : t.floor}</th>
            {days.map((d) => (
              <th key={d.isoWeekday} scope="col" data-weekday={d.isoWeekday}>{t.weekdays[d.isoWeekday - 1]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {plan.units.map((u) => (
            <tr key={u.code}>
              <th scope="row">{u.name || u.code} <span className="muted">({u.code})</span></th>
              {days.map((d) => {
                const closed = d.closedUnits.includes(u.code);
                return (
                  <td
                    key={d.isoWeekday}
                    className={closed ? "plan-cell closed" : "plan-cell open"}
                    data-unit={u.code}
                    data-weekday={d.isoWeekday}
                    data-state={closed ? "closed" : "open"}
                  >
                    <span aria-hidden="true">{closed ? "✗ " : "✓ "}</span>
                    {closed ? t.closed : t.open}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr className="plan-demand">
            <th scope="row">{t.demand} / {t.openCapacity}</th>
            {days.map((d) => (
              <td key={d.isoWeekday} className="num" data-weekday={d.isoWeekday} data-value={d.hasData ? d.demand : ""}>
                {d.hasData ? `${num(d.demand)} / ${num(d.openCapacity)}${d.demandMet ? "" : ` ⚠ ${t.demandNotMet}`}` : t.noData}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function PlanSection(props: { plan: FloorPlanReport; site: string; name: string; query: Record<string, string> }) {
  const { t, num } = useLocale();
  const { plan } = props;
  const zone = plan.unit === "zone";
  const dayColumns: Column<FloorPlanWeekday>[] = [
    { key: "weekday", header: t.weekday, value: (d) => t.weekdays[d.isoWeekday - 1] },
    { key: "days", header: t.daysCounted, value: (d) => d.daysCounted },
    { key: "p95", header: t.peakP95, value: (d) => (d.hasData ? d.peakOccupancyP95 : null) },
    { key: "demand", header: t.demand, value: (d) => (d.hasData ? d.demand : null) },
    { key: "openCapacity", header: t.openCapacity, value: (d) => d.openCapacity },
    { key: "demandMet", header: t.demandMetCol, value: (d) => (d.demandMet ? t.yes : t.no), render: (d) => (d.demandMet ? `✓ ${t.yes}` : `✗ ${t.no}`) },
    { key: "closed", header: t.closedUnits, value: (d) => d.closedUnits.join(", ") || "–" },
    { key: "closedM2", header: t.closedM2, value: (d) => d.closedAreaM2, digits: 1 },
    { key: "coreDays", header: t.coreDaysYear, value: (d) => d.coreDaysPerYear },
    { key: "m2Days", header: t.closedM2Days, value: (d) => d.closedM2DaysPerYear, digits: 0 },
    { key: "kwh", header: t.energyKwh, value: (d) => d.energySavedKwhPerYear, digits: 0 },
    { key: "co2", header: t.co2Kg, value: (d) => d.co2SavedKgPerYear, digits: 0 },
  ];
  const unitColumns: Column<FloorPlanUnit>[] = [
    { key: "code", header: t.code, value: (u) => u.code },
    { key: "name", header: t.name, value: (u) => u.name },
    { key: "floor", header: t.floor, value: (u) => u.floor },
    { key: "area", header: t.areaM2, value: (u) => u.areaM2, digits: 1 },
    { key: "areaSource", header: t.areaSource, value: (u) => areaSourceLabel(t, u.areaSource) },
    { key: "capacity", header: t.capacity, value: (u) => u.capacity },
    { key: "homeOf", header: t.homeOf, value: (u) => u.homeOf.join(", ") || "–" },
  ];
  const a = plan.assumptions;
  return (
    <>
      <div className="toggle-row" role="group" aria-label={t.planUnit}>
        <ToggleButton checked={!zone} onClick={() => navigate(href("planning", [props.site], { ...props.query, unit: "" }))}>{t.byFloorUnit}</ToggleButton>
        <ToggleButton checked={zone} onClick={() => navigate(href("planning", [props.site], { ...props.query, unit: "zone" }))}>{t.byZoneUnit}</ToggleButton>
      </div>
      <p className="window">
        {t.period}: {plan.fromDate} – {plan.toDate} · {t.buffer} {num(plan.bufferPct)} % · {t.measured} {num(plan.workstationsMeasured)} · {t.planYear}: {plan.yearFrom} – {plan.yearTo}
      </p>
      <PlanGrid plan={plan} name={props.name} />
      <dl className="key-figures" id="plan-totals">
        <div><dt>{t.closedM2Days}</dt><dd data-value={plan.closedM2DaysPerYear}>{num(plan.closedM2DaysPerYear)} m²·{t.daysUnit}</dd></div>
        <div><dt>{t.energyKwh}</dt><dd data-value={plan.energySavedKwhPerYear}>{num(plan.energySavedKwhPerYear)} kWh</dd></div>
        <div><dt>{t.co2Kg}</dt><dd data-value={plan.co2SavedKgPerYear}>{num(plan.co2SavedKgPerYear)} kg CO₂</dd></div>
      </dl>
      {a ? (
        <p id="plan-assumptions">
          <strong>{t.assumptions}:</strong> {num(a.kwhPerM2ClosedDay, 2)} kWh/m² {t.perClosedDay} ({a.kwhFromRequest ? t.assumptionGiven : t.kwhDefaultSource}); {num(a.kgCo2PerKwh, 3)} kg CO₂/kWh ({a.co2FromRequest ? t.assumptionGiven : t.co2DefaultSource}).
        </p>
      ) : null}
      <DataTable id="plan-weekdays" caption={`${t.planByWeekday}: ${props.name}`} filename={`floor-plan-${props.site}-${plan.fromDate}-${plan.toDate}`} rows={plan.weekdays} columns={dayColumns} />
      <DataTable id="plan-units" caption={`${zone ? t.zones : t.floors}: ${props.name}`} filename={`floor-plan-units-${props.site}`} rows={plan.units} columns={unitColumns} />
    </>
  );
}

// `id`: the prefix of its element ids ("estimate", "obs-estimate").
function EstimateSection(props: { e: SampleEstimateReport; site: string; name: string; from: string; to: string; id: string }) {
  const { t, num, pct } = useLocale();
  const { e } = props;
  const coverage = `${t.measured} ${num(e.workstationsMeasured)} / ${num(e.workstations)}`;
  if (e.exact) return <p id={`${props.id}-status`} data-status="exact">{coverage}: {t.estimateExact}</p>;
  if (!e.available) {
    return (
      <div id={`${props.id}-status`} data-status="unavailable">
        <p>{coverage}: {t.estimateUnavailable}</p>
        {e.unmeasuredStrata.length ? (
          <>
            <p>{t.unmeasuredStrata}:</p>
            <ul id={`${props.id}-unmeasured-strata`}>{e.unmeasuredStrata.map((s) => <li key={s}>{s}</li>)}</ul>
          </>
        ) : null}
      </div>
    );
  }
  type Row = { key: string; label: string; v: { value: number; lower: number; upper: number }; share: boolean };
  const rows: Row[] = [
    { key: "timeUtilization", label: t.timeUtilization, v: e.timeUtilization!, share: true },
    { key: "deskDayUsage", label: t.deskDayUsage, v: e.deskDayUsage!, share: true },
    { key: "peakMean", label: t.peakMean, v: e.peakOccupancyMean!, share: false },
    { key: "peakP95", label: t.peakP95, v: e.peakOccupancyP95!, share: false },
  ].filter((r) => r.v);
  const shareRows: Whisker[] = rows.filter((r) => r.share).map((r) => ({ label: r.label, ...r.v }));
  const countRows: Whisker[] = rows.filter((r) => !r.share).map((r) => ({ label: r.label, ...r.v }));
  const columns: Column<Row>[] = [
    { key: "figure", header: t.figure, value: (r) => r.label },
    { key: "value", header: t.estimate, value: (r) => (r.share ? r.v.value : r.v.value), render: (r) => (r.share ? pct(r.v.value) : num(r.v.value, 1)) },
    { key: "lower", header: t.lower95, value: (r) => r.v.lower, render: (r) => (r.share ? pct(r.v.lower) : num(r.v.lower, 1)) },
    { key: "upper", header: t.upper95, value: (r) => r.v.upper, render: (r) => (r.share ? pct(r.v.upper) : num(r.v.upper, 1)) },
  ];
  const strataColumns: Column<SamplingStratumFigures>[] = [
    { key: "name", header: t.zone, value: (s) => s.name },
    { key: "workstations", header: t.workstations, value: (s) => s.workstations },
    { key: "measured", header: t.measured, value: (s) => s.workstationsMeasured },
    { key: "timeUtilization", header: t.timeUtilization, value: (s) => s.timeUtilization, share: true },
    { key: "deskDayUsage", header: t.deskDayUsage, value: (s) => s.deskDayUsage, share: true },
    { key: "neededMeasured", header: t.neededMeasured, value: (s) => s.neededMeasured },
    { key: "additional", header: t.additionalSensors, value: (s) => s.additionalSensors },
  ];
  const title = `${t.estimates}: ${props.name}`;
  const maxCount = Math.max(1, e.workstations, ...countRows.map((r) => r.upper));
  return (
    <>
      <p id={`${props.id}-status`} data-status="estimate">
        {coverage} · {t.daysCounted} {num(e.daysCounted)} · {t.replicates} {num(e.replicates)} ({t.seed} {String(e.seed)}) · {t.neededWs}{" "}
        {num(e.neededWorkstations)} ({t.upper95} P95 + {num(e.bufferPct)} %)
      </p>
      <ChartFigure
        id={`${props.id}-chart`}
        title={title}
        filename={`${props.id}-${props.site}-${props.from}-${props.to}`}
        width={720}
        height={40 * rows.length + 90}
        table={<DataTable id={`${props.id}-table`} caption={title} filename={`${props.id}-${props.site}-${props.from}-${props.to}`} rows={rows} columns={columns} />}
      >
        <g>
          <WhiskerChart rows={shareRows} width={720} max={1} format={(v) => `${num(v * 100, 1)} %`} />
          <g transform={`translate(0 ${40 * shareRows.length + 30})`}>
            <WhiskerChart rows={countRows} width={720} max={maxCount} format={(v) => num(v, 1)} />
          </g>
        </g>
      </ChartFigure>
      <p id={`${props.id}-margin`}>
        {t.marginNow}: ± {num(e.currentMarginPp, 1)} {t.pp} · {t.marginTarget}: ± {num(e.targetMarginPp, 1)} {t.pp} · {t.neededMeasured}{" "}
        {num(e.neededMeasured)} · {t.additionalSensors} {num(e.additionalSensors)}
      </p>
      {e.singleMeasuredStrata.length ? <p>{t.singleMeasured}: {e.singleMeasuredStrata.join(", ")}</p> : null}
      <DataTable id={`${props.id}-strata`} caption={`${t.strata}: ${props.name}`} filename={`${props.id}-strata-${props.site}-${props.from}-${props.to}`} rows={e.stratumFigures} columns={strataColumns} />
      {e.unmeasuredWorkstations.length ? (
        <details className="chart-table">
          <summary>{t.unmeasuredWorkstations}: {num(e.unmeasuredWorkstations.length)}</summary>
          <p id={`${props.id}-unmeasured-workstations`}>{e.unmeasuredWorkstations.join(", ")}</p>
        </details>
      ) : null}
    </>
  );
}

// An observation-round study of the site over the window: the rounds'
// figures, by hour and by zone, the estimate from the observed workstations
// and the agreement with the sensors.
function ObservationSection(props: { study: ObservationStudyReport; site: string; name: string; from: string; to: string; timeZone: string }) {
  const { t, num, pct, dateTime } = useLocale();
  const { study } = props;
  const total = study.total;
  if (!total || total.rounds === 0) return <p id="obs-status" data-status="none">{t.noRounds}</p>;
  const hourColumns: Column<ObservationHour>[] = [
    { key: "hour", header: t.hour, value: (h) => `${String(h.hour).padStart(2, "0")}:00` },
    { key: "rounds", header: t.rounds, value: (h) => h.rounds },
    { key: "observed", header: t.observations, value: (h) => h.shares?.observed ?? 0 },
    { key: "utilization", header: t.roundUtilization, value: (h) => h.shares?.utilization ?? 0, share: true },
    { key: "occupied", header: t.occupiedShare, value: (h) => h.shares?.occupiedShare ?? 0, share: true },
    { key: "signsOfLife", header: t.signsOfLifeShare, value: (h) => h.shares?.signsOfLifeShare ?? 0, share: true },
  ];
  const groupColumns: Column<ObservationGroup>[] = [
    { key: "name", header: t.zone, value: (g) => g.name },
    { key: "workstations", header: t.workstations, value: (g) => g.workstations },
    { key: "observed", header: t.workstationsObserved, value: (g) => g.figures?.workstationsObserved ?? 0 },
    { key: "rounds", header: t.rounds, value: (g) => g.figures?.rounds ?? 0 },
    { key: "meanUtilization", header: t.meanRoundUtilization, value: (g) => g.figures?.meanUtilization ?? 0, share: true },
    { key: "peak", header: t.peakRoundUtilization, value: (g) => g.figures?.peak?.utilization ?? 0, share: true },
  ];
  const c = study.calibration;
  const peakMs = Date.parse(total.peakRound);
  return (
    <>
      <p id="obs-status" data-status="rounds">
        {t.rounds} {num(total.rounds)} · {t.workstationsObserved} {num(total.workstationsObserved)} / {num(study.workstations)} ·{" "}
        {t.meanRoundUtilization} <span id="obs-mean" data-value={total.meanUtilization}>{pct(total.meanUtilization)}</span> ({t.occupiedShare}{" "}
        {pct(total.meanOccupiedShare)}, {t.signsOfLifeShare} {pct(total.meanSignsOfLifeShare)}) · {t.peakRoundUtilization}{" "}
        {pct(total.peak?.utilization ?? 0)} ({Number.isNaN(peakMs) ? total.peakRound : dateTime(peakMs, props.timeZone)})
      </p>
      <DataTable id="obs-hours" caption={`${t.observationStudy} ${t.byHour}: ${props.name}`} filename={`observations-hours-${props.site}-${props.from}-${props.to}`} rows={study.byHour} columns={hourColumns} />
      <DataTable id="obs-groups" caption={`${t.observationStudy}, ${t.zones}: ${props.name}`} filename={`observations-zones-${props.site}-${props.from}-${props.to}`} rows={study.groups} columns={groupColumns} />
      {study.estimate ? <EstimateSection e={study.estimate} site={props.site} name={props.name} from={props.from} to={props.to} id="obs-estimate" /> : null}
      {c && c.pairs > 0 ? (
        <p id="obs-calibration">
          {t.calibration}: {num(c.pairs)} {t.pairs} · {t.agreement} {pct(c.agreement)} · {t.bias} {num(c.biasPp, 1)} {t.pp}
        </p>
      ) : null}
    </>
  );
}

export function Planning(props: { route: Route }) {
  const { t } = useLocale();
  const site = props.route.args[0] ?? "";
  const q = props.route.query;
  const win = defaultWindow();
  const from = isDay(q.get("from") ?? "") ? q.get("from")! : win.from;
  const to = isDay(q.get("to") ?? "") ? q.get("to")! : win.to;
  const weeks = forecastWeeks(q);
  const unit = q.get("unit") === "zone" ? "zone" : "floor";
  const [draft, setDraft] = useState({ from, to, weeks: String(weeks) });
  const data = useLoad(`${site}|${from}|${to}|${weeks}|${unit}`, () =>
    site ? loadPlanning(site, from, to, weeks, unit) : Promise.resolve(null),
  );
  const query = { from, to, weeks: String(weeks), unit: unit === "zone" ? "zone" : "" };
  const d = data.data;
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.planning}{d ? `: ${d.info.name}` : ""}</Heading>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("planning", [site], { ...query, ...draft }));
        }}
      >
        <SitePicker page="planning" current={site} query={query} />
        <TextInput id="from" labelText={t.from} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} />
        <TextInput id="to" labelText={t.to} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} />
        <Dropdown id="weeks" labelText={t.weeksAhead} value={draft.weeks} onChange={(v) => setDraft({ ...draft, weeks: v })}>
          {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
            <DropdownItem key={n} value={String(n)}>{String(n)}</DropdownItem>
          ))}
        </Dropdown>
        <Button type="submit" id="apply">{t.apply}</Button>
      </form>
      {!site ? null : data.loading ? <Loading /> : data.error ? <ErrorBox error={data.error} /> : d ? (
        <>
          <p className="window">{d.info.code} · {t.period}: {from} – {to} · {t.planningHelp}</p>
          <Heading variant="h2">{t.forecast}</Heading>
          <ForecastSection f={d.forecast} site={site} name={d.info.name} />
          <Heading variant="h2">{t.floorClosingPlan}</Heading>
          <PlanSection plan={d.plan} site={site} name={d.info.name} query={query} />
          <Heading variant="h2">{t.sampleEstimate}</Heading>
          <EstimateSection e={d.estimate} site={site} name={d.info.name} from={from} to={to} id="estimate" />
          <Heading variant="h2">{t.observationStudy}</Heading>
          <ObservationSection study={d.study} site={site} name={d.info.name} from={from} to={to} timeZone={d.info.timezone} />
        </>
      ) : null}
    </section>
  );
}
