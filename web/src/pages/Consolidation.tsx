// Consolidation what-if: pick organizations and a candidate site and see
// whether their combined daily peak fits its capacity.
import React, { useState } from "react";
import { Button, Checkbox, Dropdown, DropdownItem, Heading, TextInput } from "suomifi-ui-components";
import { analytics, inventory } from "../api";
import { ChartFigure, DataTable, ErrorBox, Loading, SeriesLegend, useLoad, type Column, type LineSeries } from "../components";
import { defaultWindow, isDay } from "../dates";
import { RegistryFigureWithheld, type ConsolidationDay, type ConsolidationGroup } from "../gen/monipaikka/v1/analytics_pb";
import { useLocale } from "../i18n";
import { href, navigate, type Route } from "../route";

export function Consolidation(props: { route: Route }) {
  const { t, num } = useLocale();
  const q = props.route.query;
  const win = defaultWindow();
  const from = isDay(q.get("from") ?? "") ? q.get("from")! : win.from;
  const to = isDay(q.get("to") ?? "") ? q.get("to")! : win.to;
  const orgs = (q.get("orgs") ?? "").split(",").filter(Boolean);
  const candidate = q.get("candidate") ?? "";
  const [draft, setDraft] = useState({ from, to, orgs, candidate });
  const lists = useLoad("consolidation-lists", () => Promise.all([inventory.listOrganizations({}), inventory.listSites({})]));
  const report = useLoad(`${from}|${to}|${orgs.join(",")}|${candidate}`, () =>
    candidate && orgs.length
      ? analytics.getConsolidation({ organizations: orgs, candidateSite: candidate, fromDate: from, toDate: to })
      : Promise.resolve(null),
  );
  const submit = () =>
    navigate(href("consolidation", [], { from: draft.from, to: draft.to, orgs: draft.orgs.join(","), candidate: draft.candidate }));
  const r = report.data;
  const series: LineSeries[] = [
    { name: t.combinedPeak, colour: "#003479", dash: "", marker: "circle", axis: "count" },
    { name: t.capacity, colour: "#a9232e", dash: "8 4", marker: "square", axis: "count" },
  ];
  const groupColumns: Column<ConsolidationGroup>[] = [
    { key: "name", header: t.organization, value: (g) => g.name || g.code },
    { key: "measured", header: t.measured, value: (g) => g.workstationsMeasured },
    { key: "p95", header: t.peakP95, value: (g) => g.peakOccupancyP95 },
    { key: "max", header: t.dailyPeak, value: (g) => g.peakOccupancyMax },
    { key: "fte", header: "FTE", value: (g) => g.fte, digits: 1, suppressed: (g) => g.fteWithheld !== RegistryFigureWithheld.REGISTRY_FIGURE_SHOWN },
  ];
  const dayColumns: Column<ConsolidationDay>[] = [
    { key: "date", header: t.date, value: (d) => d.date },
    { key: "combined", header: t.combinedPeak, value: (d) => d.combinedPeak },
    { key: "capacity", header: t.capacity, value: () => r?.capacity ?? null },
  ];
  const h = 300;
  const width = Math.max(480, (r?.days.length ?? 0) * 22 + 120);
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.consolidation}</Heading>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <fieldset className="org-choices">
          <legend>{t.organizations}</legend>
          {(lists.data?.[0].organizations ?? []).map((o) => (
            <Checkbox
              key={o.code}
              id={`org-${o.code}`}
              checked={draft.orgs.includes(o.code)}
              onClick={({ checkboxState }) =>
                setDraft({ ...draft, orgs: checkboxState ? [...draft.orgs, o.code] : draft.orgs.filter((c) => c !== o.code) })
              }
            >
              {`${o.name} (${o.code})`}
            </Checkbox>
          ))}
        </fieldset>
        <Dropdown id="candidate" labelText={t.candidate} value={draft.candidate || null} visualPlaceholder={t.candidate} onChange={(v) => setDraft({ ...draft, candidate: v })}>
          {(lists.data?.[1].sites ?? []).map((s) => (
            <DropdownItem key={s.code} value={s.code}>{`${s.name} (${s.code})`}</DropdownItem>
          ))}
        </Dropdown>
        <TextInput id="from" labelText={t.from} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} />
        <TextInput id="to" labelText={t.to} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} />
        <Button type="submit" id="apply">{t.check}</Button>
      </form>
      {report.loading ? <Loading /> : report.error ? <ErrorBox error={report.error} /> : r ? (
        <>
          <p className={r.fits ? "verdict ok" : "verdict bad"} id="verdict" data-fits={r.fits ? "true" : "false"}>
            {r.fits ? `✓ ${t.fits}` : `✗ ${t.doesNotFit}`}: {t.needed} {num(r.neededWorkstations)} ({t.combinedP95} {num(r.combinedPeakP95)} + {num(r.bufferPct)} %) · {t.capacity} {num(r.capacity)} · {t.headroom} {num(r.headroom)}
          </p>
          <ChartFigure
            id="consolidation-chart"
            title={`${t.combinedPeak} / ${t.capacity}: ${r.candidateSite}`}
            filename={`consolidation-${r.candidateSite}-${from}-${to}`}
            width={width}
            height={h}
            legend={<SeriesLegend series={series} />}
            table={<DataTable id="consolidation-days" caption={t.combinedPeak} columns={dayColumns} rows={r.days} filename={`consolidation-days-${r.candidateSite}`} />}
          >
            {(() => {
              const left = 48, top = 16, bottom = 56, w = width - left - 16, ch = h - top - bottom;
              const max = Math.max(1, r.capacity, ...r.days.map((d) => d.combinedPeak)) * 1.1;
              const y = (v: number) => top + ch - (v / max) * ch;
              const bw = r.days.length ? w / r.days.length : w;
              return (
                <g fontSize={11}>
                  {[0, 0.25, 0.5, 0.75, 1].map((p) => (
                    <g key={p}>
                      <line x1={left} x2={left + w} y1={y(max * p)} y2={y(max * p)} stroke="#c8cdd0" />
                      <text x={left - 6} y={y(max * p) + 4} textAnchor="end" fill="#1f2933">{num(max * p)}</text>
                    </g>
                  ))}
                  {r.days.map((d, i) => (
                    <g key={d.date}>
                      <rect x={left + i * bw + 2} y={y(d.combinedPeak)} width={Math.max(2, bw - 4)} height={top + ch - y(d.combinedPeak)} fill="#2a6ebb">
                        <title>{`${d.date}: ${d.combinedPeak}`}</title>
                      </rect>
                      {i % Math.max(1, Math.ceil(r.days.length / 14)) === 0 ? (
                        <text x={left + i * bw + bw / 2} y={top + ch + 14} textAnchor="end" transform={`rotate(-35 ${left + i * bw + bw / 2} ${top + ch + 14})`} fill="#1f2933">{d.date}</text>
                      ) : null}
                    </g>
                  ))}
                  <line x1={left} x2={left + w} y1={y(r.capacity)} y2={y(r.capacity)} stroke="#a9232e" strokeWidth={2.5} strokeDasharray="8 4" />
                  <text x={left + w} y={y(r.capacity) - 6} textAnchor="end" fill="#a9232e">{t.capacity} {num(r.capacity)}</text>
                </g>
              );
            })()}
          </ChartFigure>
          <DataTable id="consolidation-groups" caption={t.organizations} columns={groupColumns} rows={r.groups} filename={`consolidation-groups-${r.candidateSite}`} />
        </>
      ) : null}
    </section>
  );
}
