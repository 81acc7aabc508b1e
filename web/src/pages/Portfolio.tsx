// Portfolio: every site with time utilization, P95 daily peak, m²/FTE
// against its target, the shared-use share against the 25 % target, sensor
// coverage and unknown time. Sortable; filtered by organization and site
// kind over any date range.
import React, { useState } from "react";
import { Button, Dropdown, DropdownItem, Heading, TextInput } from "suomifi-ui-components";
import { analytics, inventory } from "../api";
import { DataTable, ErrorBox, Loading, useLoad, type Column } from "../components";
import { Grouping, RegistryFigureWithheld } from "../gen/monipaikka/v1/analytics_pb";
import { useLocale } from "../i18n";
import { href, navigate, type Route } from "../route";
import { portfolioChoices, portfolioUsageScopes } from "./portfolioQuery";

export const SHARED_USE_TARGET = 0.25;

export interface PortfolioRow {
  code: string;
  name: string;
  kind: string;
  municipality: string;
  timeUtilization: number | null;
  peakP95: number | null;
  peakUtilP95: number | null;
  m2PerFte: number | null;
  m2Target: number | null;
  targetMet: boolean | null;
  fteSuppressed: boolean;
  sharedShare: number | null;
  coverage: number | null;
  unknownShare: number | null;
  workstations: number;
  measured: number;
}

export async function loadPortfolio(from: string, to: string, organization: string): Promise<PortfolioRow[]> {
  const [orgs, sharedScope, allScope] = portfolioUsageScopes(organization);
  const usage = (organizations: string[]) =>
    analytics.getUsageReport({ scope: { organizations }, fromDate: from, toDate: to, groupBy: Grouping.SITE });
  const [sites, main, shared, all, efficiency] = await Promise.all([
    inventory.listSites({}),
    usage(orgs),
    usage(sharedScope),
    allScope ? usage(allScope) : Promise.resolve(null),
    analytics.getSpaceEfficiency({ asOf: to }).catch(() => null),
  ]);
  const byKey = <T extends { key: string }>(groups: T[]) => new Map(groups.map((g) => [g.key, g]));
  const mainGroups = byKey(main.groups);
  const sharedGroups = byKey(shared.groups);
  const allGroups = byKey((all ?? main).groups);
  const eff = new Map((efficiency?.rows ?? []).filter((r) => r.scope === "site").map((r) => [r.code, r]));
  const rows: PortfolioRow[] = [];
  for (const site of sites.sites) {
    const g = mainGroups.get(site.code);
    if (orgs.length && (!g || g.workstationsInScope === 0)) continue;
    const f = g?.figures;
    const measured = !!g && g.measured && !!f && f.observedMs > 0n;
    const sharedWs = sharedGroups.get(site.code)?.workstationsInScope ?? 0;
    const allWs = allGroups.get(site.code)?.workstationsInScope ?? 0;
    const e = eff.get(site.code);
    const fteSuppressed = !!e && e.fteWithheld !== RegistryFigureWithheld.REGISTRY_FIGURE_SHOWN;
    const hasM2 = !!e && e.fteAvailable && !fteSuppressed && e.fte > 0;
    rows.push({
      code: site.code,
      name: site.name,
      kind: site.kind,
      municipality: site.municipality,
      timeUtilization: measured ? f!.timeUtilization : null,
      peakP95: measured && f!.daysCounted > 0 ? f!.peakOccupancyP95 : null,
      peakUtilP95: measured && f!.daysCounted > 0 ? f!.peakUtilizationP95 : null,
      m2PerFte: hasM2 ? e!.m2PerFte : null,
      m2Target: e && e.targetM2PerFte > 0 ? e.targetM2PerFte : null,
      targetMet: hasM2 && e!.targetM2PerFte > 0 ? e!.meetsTarget : null,
      fteSuppressed,
      sharedShare: allWs > 0 ? sharedWs / allWs : null,
      coverage: g && g.workstationsInScope > 0 ? (f?.workstationsMeasured ?? 0) / g.workstationsInScope : null,
      unknownShare: measured ? f!.unknownShare : null,
      workstations: g?.workstationsInScope ?? 0,
      measured: f?.workstationsMeasured ?? 0,
    });
  }
  return rows;
}

export function Portfolio(props: { route: Route }) {
  const { t, num, pct } = useLocale();
  const { from, to, org, kind } = portfolioChoices(props.route.query);
  const [draft, setDraft] = useState({ from, to, org, kind });
  const orgs = useLoad("orgs", () => inventory.listOrganizations({}));
  const data = useLoad(`${from}|${to}|${org}`, () => loadPortfolio(from, to, org));
  const apply = (next = draft) => navigate(href("portfolio", [], next));
  const kinds = ["A", "B", "C", "D", "E", "F", "G"];
  const kindLabel = (k: string) => (t as unknown as Record<string, string>)[`kind${k}`] ?? k;

  const columns: Column<PortfolioRow>[] = [
    { key: "name", header: t.site, value: (r) => r.name, render: (r) => <a href={href("site", [r.code], { from, to })}>{r.name}</a> },
    { key: "kind", header: t.kind, value: (r) => r.kind },
    { key: "municipality", header: t.municipality, value: (r) => r.municipality },
    { key: "timeUtilization", header: t.timeUtilization, value: (r) => r.timeUtilization, share: true },
    { key: "peakP95", header: t.peakP95, value: (r) => r.peakP95 },
    { key: "peakUtilP95", header: t.peakUtilP95, value: (r) => r.peakUtilP95, share: true },
    { key: "m2PerFte", header: t.m2PerFte, value: (r) => r.m2PerFte, digits: 1, suppressed: (r) => r.fteSuppressed },
    { key: "m2Target", header: t.m2Target, value: (r) => r.m2Target, digits: 1 },
    {
      key: "targetMet",
      header: t.targetMet,
      value: (r) => (r.targetMet === null ? (r.m2Target === null ? t.noTarget : null) : r.targetMet ? t.met : t.notMet),
      suppressed: (r) => r.fteSuppressed,
      render: (r) =>
        r.targetMet === null ? (r.m2Target === null ? t.noTarget : "–") : (
          <span className={r.targetMet ? "badge ok" : "badge bad"}>{r.targetMet ? `✓ ${t.met}` : `✗ ${t.notMet}`}</span>
        ),
    },
    {
      key: "sharedShare",
      header: `${t.sharedShare} (${t.sharedTarget})`,
      value: (r) => r.sharedShare,
      share: true,
      render: (r) =>
        r.sharedShare === null ? "–" : (
          <span className={r.sharedShare >= SHARED_USE_TARGET ? "badge ok" : "badge bad"}>
            {r.sharedShare >= SHARED_USE_TARGET ? "✓" : "✗"} {pct(r.sharedShare)}
          </span>
        ),
    },
    { key: "coverage", header: t.coverage, value: (r) => r.coverage, share: true },
    { key: "unknownShare", header: t.unknownTime, value: (r) => r.unknownShare, share: true },
    { key: "workstations", header: t.workstations, value: (r) => r.workstations },
  ];
  const rows = (data.data ?? []).filter((r) => !kind || r.kind === kind);
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.portfolio}</Heading>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <TextInput id="from" labelText={t.from} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} visualPlaceholder="YYYY-MM-DD" />
        <TextInput id="to" labelText={t.to} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} visualPlaceholder="YYYY-MM-DD" />
        <Dropdown id="org" labelText={t.organization} value={draft.org || "*"} onChange={(v) => setDraft({ ...draft, org: v === "*" ? "" : v })}>
          {[
            <DropdownItem key="*" value="*">{t.allOrganizations}</DropdownItem>,
            ...(orgs.data?.organizations ?? []).map((o) => (
              <DropdownItem key={o.code} value={o.code}>{`${o.name} (${o.code})`}</DropdownItem>
            )),
          ]}
        </Dropdown>
        <Dropdown id="kind" labelText={t.siteKind} value={draft.kind || "*"} onChange={(v) => setDraft({ ...draft, kind: v === "*" ? "" : v })}>
          {[<DropdownItem key="*" value="*">{t.allKinds}</DropdownItem>, ...kinds.map((k) => <DropdownItem key={k} value={k}>{kindLabel(k)}</DropdownItem>)]}
        </Dropdown>
        <Button type="submit" id="apply">{t.apply}</Button>
      </form>
      <p className="window">{t.period}: {from} – {to}{org ? ` · ${org}` : ""}{kind ? ` · ${kindLabel(kind)}` : ""} · {num(rows.length)} {t.site.toLowerCase()}</p>
      {data.loading ? <Loading /> : data.error ? <ErrorBox error={data.error} /> : (
        <DataTable id="portfolio-table" caption={t.portfolio} columns={columns} rows={rows} filename={`portfolio-${from}-${to}`} initialSort="name" />
      )}
    </section>
  );
}
