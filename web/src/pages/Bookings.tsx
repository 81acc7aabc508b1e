// Bookings against what the sensors saw, for a site and window: desk
// no-shows, unbooked use and booked-unmeasured desk-days; room booked and
// occupied hours, ghost meetings, early releases, walk-ins and seat
// utilization; by weekday, hour and room; and the right-sizing of rooms.
import React, { useState } from "react";
import { Button, Heading, TextInput } from "suomifi-ui-components";
import { bookings, inventory } from "../api";
import { BarLegend, GroupedBarChart, type BarSeries } from "../charts";
import { ChartFigure, DataTable, ErrorBox, Loading, useLoad, type Column } from "../components";
import { defaultWindow, isDay } from "../dates";
import { BookingGrouping, type BookingReport, type DeskBookingFigures, type RoomBookingFigures, type RoomSizeNeed } from "../gen/monipaikka/v1/bookings_pb";
import { useLocale, type Strings } from "../i18n";
import { href, navigate, type Route } from "../route";
import { SitePicker } from "./Site";

export async function loadBookings(site: string, from: string, to: string) {
  const report = (groupBy: BookingGrouping) => bookings.getBookingReport({ scope: { site }, fromDate: from, toDate: to, groupBy });
  const [info, total, weekday, hour, room] = await Promise.all([
    inventory.getSite({ code: site }),
    report(BookingGrouping.NONE),
    report(BookingGrouping.WEEKDAY),
    report(BookingGrouping.HOUR),
    report(BookingGrouping.ROOM),
  ]);
  return { info, total, weekday, hour, room };
}

// A row of the tables: the whole scope or one group.
interface Row {
  key: string;
  label: string;
  desks?: DeskBookingFigures;
  rooms?: RoomBookingFigures;
}

const hours = (ms: bigint | undefined) => (ms === undefined ? 0 : Number(ms) / 3600000);
const n = (v: bigint | undefined) => (v === undefined ? 0 : Number(v));
// A rate over an empty denominator is no figure, not 0.
export const rate = (value: number | undefined, denominator: number) => (denominator > 0 && value !== undefined ? value : null);

export function deskColumns(t: Strings, first: string): Column<Row>[] {
  return [
    { key: "label", header: first, value: (r) => r.label },
    { key: "bookedDeskDays", header: t.bookedDeskDays, value: (r) => n(r.desks?.bookedDeskDays) },
    { key: "bookedObserved", header: t.bookedObserved, value: (r) => n(r.desks?.bookedObserved) },
    { key: "noShows", header: t.noShows, value: (r) => n(r.desks?.noShows) },
    { key: "noShowRate", header: t.noShowRate, value: (r) => rate(r.desks?.noShowRate, n(r.desks?.bookedObserved)), share: true },
    { key: "bookedUnmeasured", header: t.bookedUnmeasured, value: (r) => n(r.desks?.bookedUnmeasured) },
    { key: "usedDeskDays", header: t.usedDeskDays, value: (r) => n(r.desks?.usedDeskDays) },
    { key: "unbookedUsed", header: t.unbookedUsed, value: (r) => n(r.desks?.unbookedUsed) },
    { key: "unbookedUseShare", header: t.unbookedUseShare, value: (r) => rate(r.desks?.unbookedUseShare, n(r.desks?.usedDeskDays)), share: true },
  ];
}

export function roomColumns(t: Strings, first: string): Column<Row>[] {
  const ro = (r: Row) => r.rooms;
  return [
    { key: "label", header: first, value: (r) => r.label },
    { key: "meetings", header: t.meetings, value: (r) => n(ro(r)?.meetings) },
    { key: "bookedH", header: t.bookedHours, value: (r) => hours(ro(r)?.bookedMs), digits: 1 },
    { key: "bookedOccupiedH", header: t.bookedOccupiedHours, value: (r) => hours(ro(r)?.bookedOccupiedMs), digits: 1 },
    { key: "bookedUnknownH", header: t.bookedUnknownHours, value: (r) => hours(ro(r)?.bookedUnknownMs), digits: 1 },
    { key: "bookedOccupiedShare", header: t.bookedOccupiedShare, value: (r) => rate(ro(r)?.bookedOccupiedShare, n(ro(r)?.bookedObservedMs)), share: true },
    { key: "occupiedH", header: t.occupiedHours, value: (r) => hours(ro(r)?.occupiedMs), digits: 1 },
    { key: "ghosts", header: t.ghosts, value: (r) => n(ro(r)?.ghosts) },
    { key: "ghostUnknown", header: t.ghostUnknown, value: (r) => n(ro(r)?.ghostUnknown) },
    { key: "ghostRate", header: t.ghostRate, value: (r) => rate(ro(r)?.ghostRate, n(ro(r)?.ghosts) + n(ro(r)?.attended)), share: true },
    { key: "earlyReleases", header: t.earlyReleases, value: (r) => n(ro(r)?.earlyReleases) },
    { key: "walkIns", header: t.walkIns, value: (r) => n(ro(r)?.walkIns) },
    { key: "walkInH", header: t.walkInHours, value: (r) => hours(ro(r)?.walkInMs), digits: 1 },
    { key: "seatUtilization", header: t.seatUtilization, value: (r) => (ro(r)?.hasSeatData ? ro(r)!.seatUtilization : null), share: true },
  ];
}

function rows(report: BookingReport, label: (key: string, label: string) => string): Row[] {
  return report.groups.map((g) => ({ key: g.key, label: label(g.key, g.label), desks: g.desks, rooms: g.rooms }));
}

export function Bookings(props: { route: Route }) {
  const { t, num } = useLocale();
  const site = props.route.args[0] ?? "";
  const q = props.route.query;
  const win = defaultWindow();
  const from = isDay(q.get("from") ?? "") ? q.get("from")! : win.from;
  const to = isDay(q.get("to") ?? "") ? q.get("to")! : win.to;
  const [draft, setDraft] = useState({ from, to });
  const data = useLoad(`${site}|${from}|${to}`, () => (site ? loadBookings(site, from, to) : Promise.resolve(null)));
  const query = { from, to };
  const d = data.data;
  const weekdayLabel = (key: string) => t.weekdays[Number(key) - 1] ?? key;
  const deskSeries: BarSeries[] = [
    { name: t.bookedDeskDays, colour: "#003479", pattern: "" },
    { name: t.noShows, colour: "#a9232e", pattern: "hatch" },
    { name: t.unbookedUsed, colour: "#1a7a3e", pattern: "dots" },
  ];
  const roomSeries: BarSeries[] = [
    { name: t.bookedHours, colour: "#003479", pattern: "" },
    { name: t.bookedOccupiedHours, colour: "#b3531a", pattern: "hatch" },
    { name: t.walkInHours, colour: "#1a7a3e", pattern: "dots" },
  ];
  const sizeColumns: Column<RoomSizeNeed>[] = [
    { key: "capacity", header: t.roomCapacity, value: (r) => r.capacity },
    { key: "roomsNow", header: t.roomsNow, value: (r) => r.roomsNow },
    { key: "meetings", header: t.meetings, value: (r) => Number(r.meetings) },
    { key: "neededP95", header: t.roomsNeededP95, value: (r) => r.neededP95 },
    { key: "surplus", header: t.roomsSurplus, value: (r) => r.surplus },
  ];
  return (
    <section aria-labelledby="page-title">
      <Heading variant="h1" id="page-title">{t.bookings}{d ? `: ${d.info.name}` : ""}</Heading>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href("bookings", [site], { ...query, ...draft }));
        }}
      >
        <SitePicker page="bookings" current={site} query={query} />
        <TextInput id="from" labelText={t.from} value={draft.from} onChange={(v) => setDraft({ ...draft, from: String(v ?? "") })} />
        <TextInput id="to" labelText={t.to} value={draft.to} onChange={(v) => setDraft({ ...draft, to: String(v ?? "") })} />
        <Button type="submit" id="apply">{t.apply}</Button>
      </form>
      {!site ? null : data.loading ? <Loading /> : data.error ? <ErrorBox error={data.error} /> : d ? (() => {
        const total: Row = { key: "total", label: t.total, desks: d.total.desks, rooms: d.total.rooms };
        const byWeekday = rows(d.weekday, (k) => weekdayLabel(k));
        const byHour = rows(d.hour, (k) => `${k}:00`);
        const byRoom = rows(d.room, (k, l) => (l && l !== k ? `${l} (${k})` : k));
        const weekdayChartWidth = Math.max(480, byWeekday.length * 90 + 80);
        const hourChartWidth = Math.max(480, byHour.length * 60 + 80);
        return (
          <>
            <p className="window" id="bookings-facts">
              {d.info.code} · {t.period}: {from} – {to} · {t.daysCounted} {num(d.total.daysCounted)} · {t.workstations} {num(d.total.workstationsInScope)} ·{" "}
              {t.rooms} {num(d.total.roomsInScope)} ({t.roomsMeasured} {num(d.total.roomsMeasured)}, {t.roomsCounting} {num(d.total.roomsCounting)})
            </p>
            <p>{t.bookingsHelp}</p>
            <Heading variant="h2">{t.deskBookings}</Heading>
            <ChartFigure
              id="desk-weekday-chart"
              title={`${t.deskBookings} ${t.byWeekday}: ${d.info.name}`}
              filename={`desk-bookings-weekday-${site}-${from}-${to}`}
              width={weekdayChartWidth}
              height={280}
              legend={<BarLegend id="desk-weekday-chart" series={deskSeries} />}
              table={<DataTable id="desk-weekday-table" caption={`${t.deskBookings} ${t.byWeekday}`} filename={`desk-bookings-weekday-${site}-${from}-${to}`} rows={byWeekday} columns={deskColumns(t, t.weekday)} />}
            >
              <GroupedBarChart
                id="desk-weekday-chart"
                labels={byWeekday.map((r) => r.label)}
                series={deskSeries}
                values={byWeekday.map((r) => [n(r.desks?.bookedDeskDays), n(r.desks?.noShows), n(r.desks?.unbookedUsed)])}
                width={weekdayChartWidth}
                height={280}
                format={(v) => num(v)}
              />
            </ChartFigure>
            <DataTable id="desk-table" caption={`${t.deskBookings}: ${d.info.name}`} filename={`desk-bookings-${site}-${from}-${to}`} rows={[total]} columns={deskColumns(t, t.scope)} />
            <Heading variant="h2">{t.roomBookings}</Heading>
            <ChartFigure
              id="room-hour-chart"
              title={`${t.roomBookings} ${t.byHour}: ${d.info.name}`}
              filename={`room-bookings-hour-${site}-${from}-${to}`}
              width={hourChartWidth}
              height={280}
              legend={<BarLegend id="room-hour-chart" series={roomSeries} />}
              table={<DataTable id="room-hour-table" caption={`${t.roomBookings} ${t.byHour}`} filename={`room-bookings-hour-${site}-${from}-${to}`} rows={byHour} columns={roomColumns(t, t.hour)} />}
            >
              <GroupedBarChart
                id="room-hour-chart"
                labels={byHour.map((r) => r.label)}
                series={roomSeries}
                values={byHour.map((r) => [hours(r.rooms?.bookedMs), hours(r.rooms?.bookedOccupiedMs), hours(r.rooms?.walkInMs)])}
                width={hourChartWidth}
                height={280}
                format={(v) => `${num(v, 1)} h`}
              />
            </ChartFigure>
            <DataTable id="room-table" caption={`${t.roomBookings}: ${d.info.name}`} filename={`room-bookings-${site}-${from}-${to}`} rows={[total]} columns={roomColumns(t, t.scope)} />
            <DataTable id="room-weekday-table" caption={`${t.roomBookings} ${t.byWeekday}`} filename={`room-bookings-weekday-${site}-${from}-${to}`} rows={byWeekday} columns={roomColumns(t, t.weekday)} />
            <DataTable id="room-by-room-table" caption={`${t.roomBookings} ${t.byRoom}`} filename={`room-bookings-room-${site}-${from}-${to}`} rows={byRoom} columns={roomColumns(t, t.room)} />
            <Heading variant="h2">{t.roomSizing}</Heading>
            <p>{t.roomSizingHelp}</p>
            {d.total.roomSizes.length === 0 ? (
              <p id="room-sizes-none">{t.none}</p>
            ) : (
              <DataTable id="room-sizes" caption={`${t.roomSizing}: ${d.info.name}`} filename={`room-sizing-${site}-${from}-${to}`} rows={d.total.roomSizes} columns={sizeColumns} />
            )}
          </>
        );
      })() : null}
    </section>
  );
}
