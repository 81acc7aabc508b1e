// Unit tests of the dashboard's pure functions, bundled by esbuild and run
// on Node (no browser): CSV export, locale formats, live updates, the
// automatic floor layout.
import assert from "node:assert/strict";
import { toCsv } from "../src/export";
import { makeLocale } from "../src/i18n";
import { applyUpdate } from "../src/liveState";
import { layout, placeDesks, planBox } from "../src/pages/FloorPlan";
import { parseRoute, href } from "../src/route";
import { scaleColour } from "../src/components";
import { rate } from "../src/pages/Bookings";
import { areaSourceLabel, bandPoint, forecastWeeks } from "../src/pages/Planning";
import { categoryLabel } from "../src/pages/Hr";
import { create, toJson } from "@bufbuild/protobuf";
import { sendEarly, takeEarly } from "../src/early";
import { Grouping, SpaceEfficiencyRequestSchema, UsageReportRequestSchema } from "../src/gen/monipaikka/v1/analytics_pb";
import { portfolioCalls, portfolioChoices, portfolioUsageScopes } from "../src/pages/portfolioQuery";

let failed = 0;
function test(name: string, fn: () => void) {
  try {
    fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${(e as Error).stack}`);
  }
}

test("CSV for Finnish Excel: BOM, ';', decimal comma, quoting, CRLF", () => {
  const csv = toCsv(["Toimipaikka", "Käyttöaste"], [["Pasila; virastotalo", 23.4], ['Sanoi "hei"', -0.5], ["tyhjä", null]]);
  assert.equal(csv.charCodeAt(0), 0xfeff);
  assert.equal(
    csv.slice(1),
    'Toimipaikka;Käyttöaste\r\n"Pasila; virastotalo";23,4\r\n"Sanoi ""hei""";-0,5\r\ntyhjä;\r\n',
  );
});

test("numbers: decimal comma in fi and sv, point in en; ASCII minus", () => {
  assert.equal(makeLocale("fi").num(1234.5, 1), "1\u00a0234,5");
  assert.equal(makeLocale("sv").pct(0.234), "23,4 %");
  assert.equal(makeLocale("en").pct(0.234), "23.4 %");
  assert.equal(makeLocale("fi").num(-3), "-3");
});

test("times in the site's time zone", () => {
  const ms = Date.UTC(2026, 2, 23, 7, 15, 0); // 09:15 in Helsinki (EET)
  assert.match(makeLocale("fi").dateTime(ms, "Europe/Helsinki"), /9\.15\.00/);
  assert.match(makeLocale("en").dateTime(ms, "Europe/Stockholm"), /08:15:00/);
});

test("every language has every string", () => {
  for (const lang of ["fi", "sv", "en"] as const) {
    const t = makeLocale(lang).t as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(t)) assert.ok(v !== "" && v !== undefined, `${lang}.${k}`);
  }
  assert.equal(makeLocale("fi").t.suppressed, "salattu");
  assert.equal(makeLocale("sv").t.suppressed, "sekretessbelagd");
});

test("live: a snapshot replaces, a change merges by code and updates totals", () => {
  const ws = (code: string, state: number) => ({ workstation: code, state }) as never;
  const snap = { snapshot: true, occupancy: { site: "S", timezone: "Europe/Stockholm", asOfMs: 1n, workstations: [ws("A", 2), ws("B", 3)], rooms: [], spaces: [], free: 1, occupied: 1, unknown: 0, workstationsTotal: 2 } } as never;
  let s = applyUpdate(null, snap)!;
  assert.equal(s.workstations.length, 2);
  s = applyUpdate(s, { snapshot: false, occupancy: { site: "S", asOfMs: 2n, workstations: [ws("B", 2)], rooms: [], spaces: [], free: 2, occupied: 0, unknown: 0, workstationsTotal: 2 } } as never)!;
  assert.equal(s.free, 2);
  assert.equal(s.asOfMs, 2n);
  // A change keeps the snapshot's time zone (changes do not repeat it).
  assert.equal(s.timezone, "Europe/Stockholm");
  assert.deepEqual(s.workstations.map((w) => [w.workstation, w.state]), [["A", 2], ["B", 2]]);
  s = applyUpdate(s, snap)!;
  assert.equal(s.free, 1);
});

test("floor layout: every desk once, zone blocks do not overlap", () => {
  const floor = { code: "F", level: "floor", parent: "" } as never;
  const spaces = [floor, { code: "Z1", parent: "F", level: "zone" }, { code: "Z2", parent: "F", level: "zone" }, { code: "R1", parent: "Z1", level: "room" }] as never[];
  const desks = [
    ...Array.from({ length: 23 }, (_, i) => ({ code: `Z1-${i}`, space: "Z1" })),
    ...Array.from({ length: 5 }, (_, i) => ({ code: `R1-${i}`, space: "R1" })),
    ...Array.from({ length: 40 }, (_, i) => ({ code: `Z2-${i}`, space: "Z2" })),
    { code: "F-1", space: "F" },
    { code: "X-1", space: "OTHER-FLOOR" },
  ] as never[];
  const plan = layout(floor, spaces, desks);
  const placed = plan.blocks.flatMap((b) => b.desks.map((d) => d.code));
  assert.equal(placed.length, 69);
  assert.equal(new Set(placed).size, 69);
  assert.ok(!placed.includes("X-1"));
  assert.deepEqual(plan.blocks.map((b) => b.space.code), ["F", "Z1", "Z2"]);
  for (const a of plan.blocks)
    for (const b of plan.blocks)
      if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, "overlap");
});

test("plan drawing box: viewBox in metres, else width and height", () => {
  assert.deepEqual(planBox('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 22.5"><rect/></svg>'), { x: 0, y: 0, w: 40, h: 22.5 });
  assert.deepEqual(planBox('<svg width="30" height="12" xmlns="http://www.w3.org/2000/svg"></svg>'), { x: 0, y: 0, w: 30, h: 12 });
  assert.equal(planBox('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), null);
  assert.equal(planBox("<html></html>"), null);
});

test("desks with a position are drawn at origin + position × scale", () => {
  const desks = [
    { code: "A", space: "Z", xM: 0, yM: 0 },
    { code: "B", space: "Z", xM: 10, yM: 5.5 },
    { code: "C", space: "Z" },
  ] as never[];
  const p = placeDesks(desks, { x: 0, y: 0, w: 40, h: 20 });
  assert.deepEqual(p.desks.map((d) => d.desk.code), ["A", "B"]);
  assert.ok(p.scale >= 8 && p.scale <= 60);
  const b = p.desks[1];
  assert.equal(b.cx, p.origin + 10 * p.scale);
  assert.equal(b.cy, p.origin + 5.5 * p.scale);
  assert.equal(p.image!.w, 40 * p.scale);
  assert.ok(p.width >= p.origin + 40 * p.scale && p.height >= p.origin + 20 * p.scale);
  // Without a drawing the desks set the extent.
  const q = placeDesks(desks, null);
  assert.equal(q.image, null);
  assert.ok(q.width >= q.origin + 10 * q.scale);
});

test("routes round-trip codes and queries", () => {
  const r = parseRoute(href("site", ["HKI/1 ä"], { from: "2026-01-01", to: "" }));
  assert.equal(r.page, "site");
  assert.deepEqual(r.args, ["HKI/1 ä"]);
  assert.equal(r.query.get("from"), "2026-01-01");
  assert.equal(r.query.has("to"), false);
});

test("planning: weeks ahead from the address, 1 … 8, else 4", () => {
  const weeks = (q: string) => forecastWeeks(new URLSearchParams(q));
  assert.equal(weeks(""), 4);
  assert.equal(weeks("weeks=1"), 1);
  assert.equal(weeks("weeks=8"), 8);
  assert.equal(weeks("weeks=9"), 4);
  assert.equal(weeks("weeks=0"), 4);
  assert.equal(weeks("weeks=2.5"), 4);
});

test("forecast points: holidays and days without intervals draw no band", () => {
  const day = (holiday: boolean) => ({ holiday }) as Parameters<typeof bandPoint>[0];
  const value = (hasInterval: boolean) =>
    ({ hasValue: true, value: 40, hasInterval, low80: 35, high80: 45, low95: 30, high95: 50 }) as Parameters<typeof bandPoint>[1];
  assert.deepEqual(bandPoint(day(false), value(true), "ma"), { label: "ma", value: 40, low80: 35, high80: 45, low95: 30, high95: 50 });
  assert.deepEqual(bandPoint(day(false), value(false), "ma"), { label: "ma", value: 40, low80: null, high80: null, low95: null, high95: null });
  assert.deepEqual(bandPoint(day(true), value(true), "ma"), { label: "ma", value: null, low80: null, high80: null, low95: null, high95: null });
  assert.equal(bandPoint(day(false), undefined, "ma").value, null);
});

test("HR: the distribution's categories read in each language", () => {
  const fi = makeLocale("fi").t;
  const sv = makeLocale("sv").t;
  const en = makeLocale("en").t;
  assert.equal(categoryLabel(fi, "at_home", "employees at home"), "työntekijää kotona");
  assert.equal(categoryLabel(fi, "multi_space", "in multi-space environments"), "monitilaympäristössä");
  assert.equal(categoryLabel(sv, "shared_use", "in shared-use premises"), "i samutnyttjade lokaler");
  assert.equal(categoryLabel(en, "unassigned", "at unassigned workstations"), "at unassigned workstations");
  // A category this page does not know yet: the API's label.
  assert.equal(categoryLabel(fi, "new_kind", "a new kind"), "a new kind");
});

test("floor plan: the API's area sources read in each language", () => {
  const fi = makeLocale("fi").t;
  const sv = makeLocale("sv").t;
  assert.equal(areaSourceLabel(fi, "site pro rata"), "toimipaikan ala suhteessa");
  assert.equal(areaSourceLabel(sv, "floor less zones"), "våning utan sina zoner");
  assert.equal(areaSourceLabel(fi, "floor"), "kerros");
  assert.equal(areaSourceLabel(fi, "zone"), "alue");
  assert.equal(areaSourceLabel(fi, ""), "");
  assert.equal(areaSourceLabel(fi, "something new"), "something new");
});

test("bookings: a rate over an empty denominator is no figure, not 0", () => {
  assert.equal(rate(0, 0), null);
  assert.equal(rate(0, 5), 0);
  assert.equal(rate(0.25, 8), 0.25);
  assert.equal(rate(undefined, 8), null);
});

test("heatmap colours: text keeps contrast on dark cells", () => {
  assert.equal(scaleColour(0).text, "#1f2933");
  assert.equal(scaleColour(0.99).text, "#ffffff");
  assert.equal(scaleColour(1).fill, "#003479");
});

test("portfolio early calls: the page's own requests in Connect JSON", () => {
  for (const org of ["", "ORG-01"]) {
    const c = portfolioChoices(new URLSearchParams(`from=2026-09-03&to=2026-12-01${org ? `&org=${org}` : ""}`));
    assert.deepEqual(c, { from: "2026-09-03", to: "2026-12-01", org, kind: "" });
    const usage = portfolioUsageScopes(org).map((organizations) =>
      toJson(UsageReportRequestSchema, create(UsageReportRequestSchema, { scope: { organizations }, fromDate: c.from, toDate: c.to, groupBy: Grouping.SITE })),
    );
    assert.deepEqual(portfolioCalls(c), [
      { path: "/monipaikka.v1.InventoryService/ListOrganizations", body: {} },
      { path: "/monipaikka.v1.InventoryService/ListSites", body: {} },
      ...usage.map((body) => ({ path: "/monipaikka.v1.AnalyticsService/GetUsageReport", body })),
      { path: "/monipaikka.v1.AnalyticsService/GetSpaceEfficiency", body: toJson(SpaceEfficiencyRequestSchema, create(SpaceEfficiencyRequestSchema, { asOf: c.to })) },
    ]);
  }
  // A bad day in the address: the default window, as on the page.
  assert.match(portfolioChoices(new URLSearchParams("from=x")).from, /^\d{4}-\d{2}-\d{2}$/);
});

test("early calls: sent with the kept CSRF token, each answer taken once by the very same call", () => {
  const sent: { url: string; init: RequestInit }[] = [];
  const realFetch = globalThis.fetch;
  const storage = window.sessionStorage;
  globalThis.fetch = ((url: string, init: RequestInit) => {
    sent.push({ url, init });
    return Promise.resolve(new Response("{}"));
  }) as typeof fetch;
  try {
    (window as { sessionStorage: Storage }).sessionStorage = { getItem: () => null } as unknown as Storage;
    sendEarly([{ path: "/s.S/M", body: {} }]);
    assert.equal(sent.length, 0, "no session token kept: nothing sent");

    (window as { sessionStorage: Storage }).sessionStorage = { getItem: () => "tok" } as unknown as Storage;
    sendEarly([{ path: "/s.S/M", body: { b: 1, a: { y: [1], x: "2" } } }]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].url, "/s.S/M");
    assert.equal((sent[0].init.headers as Record<string, string>)["X-CSRF-Token"], "tok");
    const bytes = (text: string) => new TextEncoder().encode(text);
    assert.equal(takeEarly("http://127.0.0.1/s.S/M", { method: "POST", body: bytes('{"a":{"x":"3","y":[1]},"b":1}') }), undefined, "other request");
    assert.equal(takeEarly("http://127.0.0.1/s.S/Other", { method: "POST", body: bytes('{"a":{"x":"2","y":[1]},"b":1}') }), undefined, "other method");
    assert.ok(takeEarly("http://127.0.0.1/s.S/M", { method: "POST", body: bytes('{"a":{"x":"2","y":[1]},"b":1}') }), "same request, keys in another order");
    assert.equal(takeEarly("http://127.0.0.1/s.S/M", { method: "POST", body: '{"b":1,"a":{"y":[1],"x":"2"}}' }), undefined, "taken once");
  } finally {
    globalThis.fetch = realFetch;
    (window as { sessionStorage: Storage }).sessionStorage = storage;
  }
});

if (failed) {
  console.log(`${failed} failed`);
  process.exit(1);
}
console.log("all passed");
