// HR (role hr): the workstation distribution with its change, and office
// days per month by organization or unit. A withheld figure reads
// "suppressed" in the UI language: never 0, never blank.
import React, { useState } from "react";
import { Button, Heading, TextInput, ToggleButton } from "suomifi-ui-components";
import { workforce } from "../api";
import { DataTable, ErrorBox, Loading, useLoad, type Column } from "../components";
import { addDays, lastMonthEnd } from "../dates";
import { HrGrouping, type DistributionCategory, type OfficeDaysRow } from "../gen/monipaikka/v1/workforce_pb";
import { useLocale, type Strings } from "../i18n";
import { href, navigate, type Route } from "../route";

// A distribution category in the UI language (the API's label is English).
export function categoryLabel(t: Strings, category: string, apiLabel: string): string {
  const labels: Record<string, string> = {
    employees: t.catEmployees,
    in_offices: t.catInOffices,
    at_home: t.catAtHome,
    shared_use: t.catSharedUse,
    unassigned: t.catUnassigned,
    multi_space: t.catMultiSpace,
  };
  return labels[category] ?? (apiLabel || category);
}

export function Hr(props: { route: Route }) {
  const { t } = useLocale();
  const q = props.route.query;
  const asOf = q.get("asof") || lastMonthEnd();
  const compareTo = q.get("compare") ?? addDays(asOf.slice(0, 8) + "01", -1);
  const month = asOf.slice(0, 7);
  const fromMonth = q.get("from") || month;
  const toMonth = q.get("to") || month;
  const byUnit = q.get("by") === "unit";
  const [draft, setDraft] = useState({ asof: asOf, compare: compareTo, from: fromMonth, to: toMonth });
  const query = { asof: asOf, compare: compareTo, from: fromMonth, to: toMonth, by: byUnit ? "unit" : "" };
  const dist = useLoad(`d|${asOf}|${compareTo}`, () => workforce.getWorkstationDistribution({ asOf, compareTo }));
  const days = useLoad(`o|${fromMonth}|${toMonth}|${byUnit}`, () =>
    workforce.getOfficeDays({ fromMonth, toMonth, groupBy: byUnit ? HrGrouping.UNIT : HrGrouping.ORGANIZATION }),
  );
  const distColumns: Column<DistributionCategory>[] = [
    { key: "category", header: t.category, value: (c) => categoryLabel(t, c.category, c.label) },
    { key: "employees", header: t.employees, value: (c) => Number(c.employees?.value ?? 0n), suppressed: (c) => !!c.employees?.withheld },
    {
      key: "share", header: t.shareOfOffice,
      value: (c) => (c.shareOfOfficePct ? c.shareOfOfficePct.value / 100 : null), share: true,
      suppressed: (c) => !!c.shareOfOfficePct?.withheld,
    },
    { key: "change", header: `${t.change} (${compareTo})`, value: (c) => (c.change ? Number(c.change.value) : null), suppressed: (c) => !!c.change?.withheld },
  ];
  const count = (pick: (r: OfficeDaysRow) => { value: bigint; withheld: boolean } | undefined, key: string, header: string): Column<OfficeDaysRow> => ({
    key, header, value: (r) => (pick(r) ? Number(pick(r)!.value) : null), suppressed: (r) => !!pick(r)?.withheld,
  });
  const buckets = days.data?.bucketLabels ?? [];
  const dayColumns: Column<OfficeDaysRow>[] = [
    { key: "group", header: byUnit ? t.unit : t.organization, value: (r) => (r.unit ? `${r.organization} / ${r.unit}` : r.organization || t.state) },
    { key: "month", header: t.month, value: (r) => r.month },
    count((r) => r.registered, "registered", t.registered),
    count((r) => r.withDays, "withDays", t.withDays),
    ...buckets.map((label, i) => count((r) => r.officeDayBuckets[i], `b${i}`, `${label} d`)),
    { key: "median", header: t.medianDays, value: (r) => r.medianOfficeDays?.value ?? null, digits: 1, suppressed: (r) => !!r.medianOfficeDays?.withheld },
    count((r) => r.meetingRecommendation, "meeting", t.meetingRec),
    { key: "meetingPct", header: t.meetingRecPct, value: (r) => (r.meetingRecommendationPct ? r.meetingRecommendationPct.value / 100 : null), share: true, suppressed: (r) => !!r.meetingRecommendationPct?.withheld },
    { key: "sharedPct", header: t.sharedUsePct, value: (r) => (r.sharedUsePct ? r.sharedUsePct.value / 100 : null), share: true, suppressed: (r) => !!r.sharedUsePct?.withheld },
  ];
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.hr}</Heading>
      <form className="filters" onSubmit={(e) => { e.preventDefault(); navigate(href("hr", [], { ...query, ...draft })); }}>
        <TextInput id="asof" labelText={t.asOfDate} value={draft.asof} onChange={(v) => setDraft({ ...draft, asof: String(v ?? "") })} />
        <TextInput id="compare" labelText={t.compareTo} value={draft.compare} onChange={(v) => setDraft({ ...draft, compare: String(v ?? "") })} />
        <TextInput id="from-month" labelText={t.fromMonth} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} />
        <TextInput id="to-month" labelText={t.toMonth} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} />
        <Button type="submit" id="apply">{t.apply}</Button>
      </form>
      <Heading variant="h2">{t.distribution}</Heading>
      {dist.loading ? <Loading /> : dist.error ? <ErrorBox error={dist.error} /> : (
        <DataTable id="distribution-table" caption={`${t.distribution} ${asOf}`} columns={distColumns} rows={dist.data!.categories} filename={`workstation-distribution-${asOf}`} />
      )}
      <Heading variant="h2">{t.officeDays}</Heading>
      <div className="toggle-row" role="group" aria-label={t.groupBy}>
        <ToggleButton checked={!byUnit} onClick={() => navigate(href("hr", [], { ...query, by: "" }))}>{t.byOrganization}</ToggleButton>
        <ToggleButton checked={byUnit} onClick={() => navigate(href("hr", [], { ...query, by: "unit" }))}>{t.byUnit}</ToggleButton>
      </div>
      {days.loading ? <Loading /> : days.error ? <ErrorBox error={days.error} /> : (
        <DataTable id="office-days-table" caption={`${t.officeDays} ${fromMonth} – ${toMonth}`} columns={dayColumns} rows={days.data!.rows} filename={`office-days-${fromMonth}-${toMonth}`} />
      )}
    </section>
  );
}
