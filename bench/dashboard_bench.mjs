// Dashboard benchmark: a generated portfolio loaded through the real server
// (edge agents backfilling through gRPC ingest), then
//   - the portfolio page's first full render in headless Chromium (navigation
//     start to every site's row drawn): first (cold) and p50/p95 of --runs;
//   - p50/p95 of each page's API calls (Connect over HTTP, bearer token);
//   - --screens concurrent live screens (WatchLiveOccupancy streams over
//     HTTP): p95 of reading-sent-to-screen-updated latency over --readings
//     readings sent through an edge agent's line input, and the server's
//     memory (VmRSS) with them open.
//
//   node bench/dashboard_bench.mjs --build=build [--desks=5000] [--days=14]
//     [--runs=10] [--screens=200] [--readings=20]
//   --full: the size, 50 000 desks and 90 days (hours of loading on
//   two cores).
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Fixture, helsinkiDay, sleep } from "../tests/browser/fixture.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, "").split("="); return [k, v ?? "1"]; }));
const root = path.resolve(new URL("..", import.meta.url).pathname);
const build = path.resolve(args.build ?? path.join(root, "build"));
const full = args.full === "1";
const desks = Number(args.desks ?? (full ? 50000 : 5000));
const days = Number(args.days ?? (full ? 90 : 14));
const runs = Number(args.runs ?? 10);
const screens = Number(args.screens ?? 200);
const readings = Number(args.readings ?? 20);
const require = createRequire(path.join(root, "web", "package.json"));
const { chromium } = require("playwright-core");

const DESKS_PER_SITE = 500, DESKS_PER_ZONE = 50, ZONES_PER_FLOOR = 4;
const ORGS = Array.from({ length: 20 }, (_, i) => ({ code: `ORG-${String(i + 1).padStart(2, "0")}`, name: `Virasto ${i + 1}` }));

function inventory() {
  const inv = { organizations: ORGS, sites: [], spaces: [], workstations: [], sensors: [] };
  const nSites = Math.ceil(desks / DESKS_PER_SITE);
  let d = 0;
  for (let s = 0; s < nSites; s++) {
    const site = `SITE-${String(s + 1).padStart(3, "0")}`;
    inv.sites.push({ code: site, name: `Toimipaikka ${s + 1}`, kind: "ABCDEFG"[s % 7 === 0 ? 3 : 1 + (s % 3)], municipality: "Helsinki",
      timezone: "Europe/Helsinki", office_area_m2: 6000, annual_rent_eur: 1800000 });
    const here = Math.min(DESKS_PER_SITE, desks - d);
    for (let z = 0; z * DESKS_PER_ZONE < here; z++) {
      const floor = `${site}-${Math.floor(z / ZONES_PER_FLOOR) + 1}`;
      if (z % ZONES_PER_FLOOR === 0) inv.spaces.push({ code: floor, site, level: "floor", name: `${Math.floor(z / ZONES_PER_FLOOR) + 1}. kerros` });
      const zone = `${floor}-${String.fromCharCode(65 + (z % ZONES_PER_FLOOR))}`;
      inv.spaces.push({ code: zone, site, parent: floor, level: "zone", kind: "open_workspace", name: `Vyöhyke ${zone.slice(-1)}` });
      for (let i = 0; i < DESKS_PER_ZONE && z * DESKS_PER_ZONE + i < here; i++, d++) {
        const ws = `${zone}-${String(i + 1).padStart(3, "0")}`;
        const shared = i % 4 === 0;
        inv.workstations.push({ code: ws, space: zone, kind: shared ? "shared" : "multi-space", ...(shared ? {} : { organization: ORGS[(s * 3 + z) % ORGS.length].code }) });
        inv.sensors.push({ external_id: `B${String(d).padStart(15, "0")}`, kind: "desk_presence", workstation: ws, gateway: `gw-${site.toLowerCase()}` });
      }
    }
  }
  return inv;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const fmt = (xs) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms (n=${xs.length})`;

const fixture = new Fixture({ root, build, days });
let browser;
try {
  await fixture.start();
  fixture.makeToken("facility", ["--role=facility", "--name=bench facility"]);
  const invFile = path.join(fixture.dir, "inventory.json");
  const inv = inventory();
  writeFileSync(invFile, JSON.stringify(inv));
  fixture.cli(fixture.tokenFile("facility"), ["inventory", "import", invFile]);
  fixture.sensors = inv.sensors.map((s) => ({ id: s.external_id, gateway: s.gateway, workstation: s.workstation }));
  const gateways = [...new Set(inv.sensors.map((s) => s.gateway))];
  fixture.to = helsinkiDay(-1);
  fixture.from = helsinkiDay(-days);
  const t0 = Date.now();
  for (let i = 0; i < gateways.length; i += 2) {
    await Promise.all(gateways.slice(i, i + 2).map((g) => {
      fixture.makeToken(`edge-${g}`, ["--role=device", `--name=edge ${g}`, `--gateway=${g}`]);
      return fixture.runEdge(g, [`--backfill_from=${fixture.from}`, `--backfill_to=${fixture.to}`, "--exit_when_drained"]);
    }));
  }
  console.log(`loaded ${inv.sites.length} sites, ${desks} desks, ${days} days (${fixture.from} .. ${fixture.to}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const facility = fixture.token("facility");
  const { from, to } = fixture;

  // API calls of each page.
  const site = inv.sites[0].code;
  const floor = inv.spaces.find((s) => s.site === site && s.level === "floor").code;
  const calls = {
    portfolio: [
      ["AnalyticsService/GetUsageReport", { scope: {}, fromDate: from, toDate: to, groupBy: "GROUPING_SITE" }],
      ["AnalyticsService/GetUsageReport", { scope: { organizations: ["-"] }, fromDate: from, toDate: to, groupBy: "GROUPING_SITE" }],
      ["AnalyticsService/GetSpaceEfficiency", { asOf: to }],
      ["InventoryService/ListSites", {}],
    ],
    site: [
      ["AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_DAY" }],
      ["AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_WEEKDAY_HOUR" }],
      ["AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_FLOOR" }],
      ["AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_ZONE" }],
      ["AnalyticsService/GetRightSizing", { site, fromDate: from, toDate: to }],
    ],
    floor: [
      ["InventoryService/ListWorkstations", { site }],
      ["AnalyticsService/GetUsageReport", { scope: { space: floor }, fromDate: from, toDate: to, groupBy: "GROUPING_ZONE" }],
    ],
    live: [["LiveOccupancyService/GetLiveOccupancy", { site }]],
    consolidation: [["AnalyticsService/GetConsolidation", { organizations: [ORGS[0].code, ORGS[1].code, ORGS[2].code], candidateSite: site, fromDate: from, toDate: to }]],
  };
  for (const [page, list] of Object.entries(calls)) {
    for (const [method, body] of list) {
      const times = [];
      for (let r = 0; r < runs; r++) {
        const s = performance.now();
        await fixture.call(facility, method, body);
        times.push(performance.now() - s);
      }
      console.log(`API ${page.padEnd(13)} ${method.padEnd(40)} ${JSON.stringify(body.groupBy ?? "")} ${fmt(times)}`);
    }
  }

  // The portfolio page's first full render.
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(fixture.base + "/");
  await page.locator("#token").fill(facility);
  await page.locator("#sign-in").click();
  await page.locator("#sign-out").waitFor();
  const renders = [];
  for (let r = 0; r <= runs; r++) {
    await page.goto("about:blank");
    const s = Date.now();
    await page.goto(`${fixture.base}/#/portfolio?from=${from}&to=${to}`);
    await page.waitForFunction((n) => document.querySelectorAll("#portfolio-table tbody tr").length === n, inv.sites.length, { timeout: 120000, polling: 10 });
    renders.push(Date.now() - s);
  }
  console.log(`portfolio first full render (${inv.sites.length} sites): first ${renders[0]} ms; ${fmt(renders.slice(1))}; target < 1000 ms`);
  await browser.close();
  browser = null;

  // Concurrent live screens.
  const liveSite = inv.sites[inv.sites.length - 1].code;
  const gw = `gw-${liveSite.toLowerCase()}`;
  const sensor = inv.sensors.find((s) => s.gateway === gw);
  const streams = [];
  const abort = new AbortController();
  const envelope = (obj) => {
    const b = Buffer.from(JSON.stringify(obj));
    const h = Buffer.alloc(5);
    h.writeUInt32BE(b.length, 1);
    return Buffer.concat([h, b]);
  };
  for (let i = 0; i < screens; i++) {
    const screen = { seen: new Map(), ready: false };
    streams.push(screen);
    (async () => {
      const response = await fetch(`${fixture.base}/monipaikka.v1.LiveOccupancyService/WatchLiveOccupancy`, {
        method: "POST",
        headers: { "Content-Type": "application/connect+json", Authorization: `Bearer ${facility}` },
        body: envelope({ site: liveSite }),
        signal: abort.signal,
      });
      let buf = Buffer.alloc(0);
      for await (const chunk of response.body) {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 5 && buf.length >= 5 + buf.readUInt32BE(1)) {
          const n = buf.readUInt32BE(1);
          const msg = JSON.parse(buf.subarray(5, 5 + n).toString());
          buf = buf.subarray(5 + n);
          screen.ready = true;
          for (const w of msg.occupancy?.workstations ?? []) {
            if (w.workstation === sensor.workstation) screen.seen.set(w.state, Date.now());
          }
        }
      }
    })().catch(() => {});
  }
  while (streams.some((s) => !s.ready)) await sleep(50);
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${fixture.server.pid}/status`, "utf8"))[1]) / 1024;
  console.log(`${screens} live screens open; server VmRSS ${rss().toFixed(0)} MiB`);
  const send = await fixture.lineAgent(gw);
  const latencies = [];
  for (let r = 0; r < readings; r++) {
    const state = r % 2 === 0 ? "OCCUPANCY_STATE_OCCUPIED" : "OCCUPANCY_STATE_FREE";
    for (const s of streams) s.seen.delete(state);
    const s0 = Date.now();
    await send(`${sensor.id} ${r % 2 === 0 ? "occupied" : "free"}`);
    const deadline = s0 + 10000;
    while (Date.now() < deadline && streams.some((s) => !s.seen.has(state))) await sleep(5);
    for (const s of streams) latencies.push(s.seen.has(state) ? s.seen.get(state) - s0 : 10000);
    await sleep(200);
  }
  console.log(`live: ${screens} screens × ${readings} readings: reading sent → screen updated ${fmt(latencies)}; max ${Math.max(...latencies)} ms; target p95 < 2000 ms`);
  console.log(`server VmRSS with ${screens} screens open: ${rss().toFixed(0)} MiB`);
  abort.abort();
} finally {
  if (browser) await browser.close();
  fixture.stop();
}
process.exit(0);
