// Free desks now, per floor and zone, kept current by the server's stream
// (WatchLiveOccupancy). ?kiosk=1 (and every display token) gets the lobby
// screen layout: big numbers, nothing to click. Times are in the site's
// time zone.
import React from "react";
import { Heading } from "suomifi-ui-components";
import { DataTable, ErrorBox, Loading, type Column } from "../components";
import type { LiveSpace } from "../gen/monipaikka/v1/live_pb";
import { useLocale } from "../i18n";
import { useLiveOccupancy } from "../liveState";
import type { Route } from "../route";
import { SitePicker } from "./Site";

export function Live(props: { route: Route; kiosk: boolean; timezone?: string }) {
  const { t, num, dateTime } = useLocale();
  const site = props.route.args[0] ?? "";
  const kiosk = props.kiosk || props.route.query.get("kiosk") === "1";
  const { occupancy, connected, error } = useLiveOccupancy(site);
  // Times in the site's own time zone, as the server states it.
  const zone = occupancy?.timezone || props.timezone || "Europe/Helsinki";
  const spaces = (occupancy?.spaces ?? []).filter((s) => s.level === "floor" || s.level === "zone");
  spaces.sort((a, b) => a.space.localeCompare(b.space, "fi"));
  const columns: Column<LiveSpace>[] = [
    { key: "name", header: t.space, value: (s) => s.name || s.space },
    { key: "level", header: t.level, value: (s) => (s.level === "floor" ? t.floor : t.zone) },
    { key: "free", header: t.free, value: (s) => s.free },
    { key: "occupied", header: t.occupied, value: (s) => s.occupied },
    { key: "unknown", header: t.unknown, value: (s) => s.unknown },
    { key: "workstations", header: t.workstations, value: (s) => s.workstations },
  ];
  return (
    <section aria-labelledby="page-title" className={kiosk ? "kiosk" : undefined}>
      <Heading variant="h1" id="page-title">{t.live}{site ? `: ${site}` : ""}</Heading>
      {!kiosk ? <SitePicker page="live" current={site} /> : null}
      {error && !occupancy ? <ErrorBox error={error} /> : !site ? null : !occupancy ? <Loading /> : (
        <>
          <p className="live-status" role="status">
            <span className={connected ? "dot on" : "dot off"} aria-hidden="true" />
            {connected ? t.connected : t.reconnecting} · {t.asOf}{" "}
            <span id="live-as-of" data-as-of-ms={String(occupancy.asOfMs)} data-timezone={zone}>
              {dateTime(Number(occupancy.asOfMs), zone)} ({t.timeZone} {zone})
            </span>
          </p>
          <div className="live-total" id="live-total" data-free={occupancy.free}>
            <span className="big">{num(occupancy.free)}</span>
            <span>{t.freeDesks} / {num(occupancy.workstationsTotal)}</span>
          </div>
          {kiosk ? (
            <ul className="kiosk-spaces">
              {spaces.map((s) => (
                <li key={s.space} className={`kiosk-space level-${s.level}`} data-space={s.space} data-free={s.free}>
                  <span className="kiosk-name">{s.name || s.space}</span>
                  <span className="kiosk-free">{num(s.free)}</span>
                  <span className="kiosk-of">/ {num(s.workstations)} {t.free.toLowerCase()}</span>
                </li>
              ))}
            </ul>
          ) : (
            <DataTable id="live-table" caption={`${t.freeDesks}: ${site}`} columns={columns} rows={spaces} filename={`live-${site}`} />
          )}
        </>
      )}
    </section>
  );
}
