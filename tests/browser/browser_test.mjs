// Real-browser tests of the web dashboard: Debian's Chromium driven by
// playwright-core against a real monipaikka-server with sample data.
//
//   node tests/browser/browser_test.mjs --build=<cmake build dir> [--artifacts=<dir>]
//
// Screenshots of every page go to <artifacts> (default
// <build>/browser-artifacts). Exits non-zero when a check fails.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { Fixture, sleep } from "./fixture.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const root = path.resolve(new URL("../..", import.meta.url).pathname);
const build = path.resolve(args.build ?? path.join(root, "build"));
const artifacts = path.resolve(args.artifacts ?? path.join(build, "browser-artifacts"));
mkdirSync(artifacts, { recursive: true });
const require = createRequire(path.join(root, "web", "package.json"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const results = [];
let failed = 0;
async function test(name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push(`ok   ${name} (${Date.now() - start} ms)`);
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    results.push(`FAIL ${name}: ${e.stack ?? e}`);
    console.log(`FAIL ${name}: ${e.stack ?? e}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
// What the page shows for a number in Finnish: decimal comma.
const fiNumber = (v, digits) =>
  new Intl.NumberFormat("fi-FI", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v).replace(/\u2212/g, "-");
function near(a, b, eps = 1e-9) {
  return Math.abs(Number(a) - Number(b)) <= eps;
}

// Four weeks of history: enough backtest residuals for the forecast's
// prediction intervals.
const fixture = new Fixture({ root, build, days: 28 });
let browser;
try {
  await fixture.start();
  await fixture.load();
  const imported = await fixture.importBookings("HKI-PASILA-VT",
    ["HKI-PASILA-VT-2A-001", "HKI-PASILA-VT-2A-002", "HKI-PASILA-VT-2B-001", "HKI-PASILA-VT-3A-039"], "HKI-PASILA-VT-4-NEUVOTTELU");
  if (imported.csv.problems?.length || imported.calendar.problems?.length) {
    throw new Error(`booking import problems: ${JSON.stringify([imported.csv.problems, imported.calendar.problems])}`);
  }
  const rounds = await fixture.importObservationRounds("HKI-PASILA-VT");
  if (rounds.rejected?.length || !rounds.inserted) throw new Error(`observation rounds: ${JSON.stringify(rounds)}`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const { from, to } = fixture;

  // A fresh browser context (own cookie jar) signed in with `token` in `lang`.
  async function signedIn(token, lang = "fi") {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, locale: "fi-FI" });
    await context.addInitScript((l) => window.localStorage.setItem("monipaikka.lang", l), lang);
    const page = await context.newPage();
    page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
    await page.goto(fixture.base + "/");
    await page.locator("#token").fill(token);
    await page.locator("#sign-in").click();
    await page.locator("#sign-out").waitFor({ timeout: 10000 });
    return { context, page };
  }
  async function go(page, hash) {
    await page.goto(`${fixture.base}/${hash}`);
    await page.waitForFunction(() => !document.querySelector(".loading"), null, { timeout: 30000 });
  }
  async function shot(page, name) {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  }
  async function axe(page, name) {
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    writeFileSync(path.join(artifacts, `axe-${name}.json`), JSON.stringify(result.violations, null, 2));
    assert(bad.length === 0, `axe on ${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; ")}`);
  }
  const cellValues = (page, table, col) =>
    page.$$eval(`#${table} tbody tr`, (rows, c) =>
      rows.map((r) => {
        const link = r.querySelector("a");
        const cell = r.querySelector(`[data-col="${c}"]`);
        return { href: link ? link.getAttribute("href") : "", value: cell?.getAttribute("data-value") ?? null, text: cell?.textContent ?? "" };
      }), col);

  const facility = fixture.token("facility");
  const hr = fixture.token("hr");

  await test("sign-in page refuses a wrong token and keeps it out of the URL and storage", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(fixture.base + "/");
    await page.locator("#token").fill("not-a-token");
    const [refusal] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/session") && r.request().method() === "POST"),
      page.locator("#sign-in").click(),
    ]);
    assert(refusal.status() === 401, `a wrong token answered ${refusal.status()}`);
    await page.waitForTimeout(200);
    assert(await page.locator("#sign-out").count() === 0, "signed in with a wrong token");
    await shot(page, "sign-in");
    await axe(page, "sign-in");
    const { page: p2, context: c2 } = await signedIn(facility);
    assert(!p2.url().includes(facility), "token in URL");
    const stored = await p2.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
    assert(!stored.includes(facility), "token in web storage");
    const cookies = await c2.cookies();
    const session = cookies.find((c) => c.httpOnly);
    assert(session && session.sameSite === "Strict", `session cookie not HttpOnly+Strict: ${JSON.stringify(cookies)}`);
    assert(!cookies.some((c) => c.value.includes(facility)), "token in a cookie");
    await c2.close();
    await context.close();
  });

  const { context: fctx, page } = await signedIn(facility);

  await test("portfolio shows the API's numbers for the same request (fi: decimal comma)", async () => {
    await go(page, `#/portfolio?from=${from}&to=${to}`);
    const api = await fixture.call(facility, "AnalyticsService/GetUsageReport", { scope: {}, fromDate: from, toDate: to, groupBy: "GROUPING_SITE" });
    const rows = await cellValues(page, "portfolio-table", "timeUtilization");
    const p95 = await cellValues(page, "portfolio-table", "peakP95");
    assert(rows.length === api.groups.length && rows.length === 3, `sites on page ${rows.length}, API ${api.groups.length}`);
    for (const g of api.groups) {
      const i = rows.findIndex((r) => r.href.includes(`/site/${encodeURIComponent(g.key)}`));
      assert(i >= 0, `site ${g.key} missing`);
      const f = g.figures ?? {};
      assert(near(rows[i].value, f.timeUtilization ?? 0), `${g.key} utilization page ${rows[i].value} API ${f.timeUtilization}`);
      assert(Number(p95[i].value) === (f.peakOccupancyP95 ?? 0), `${g.key} P95 page ${p95[i].value} API ${f.peakOccupancyP95}`);
      const shown = `${fiNumber((f.timeUtilization ?? 0) * 100, 1)} %`;
      assert(rows[i].text === shown, `${g.key} shows "${rows[i].text}", expected "${shown}"`);
    }
    await shot(page, "portfolio");
    await axe(page, "portfolio");
  });

  await test("portfolio filters by organization and site kind, and sorts", async () => {
    await go(page, `#/portfolio?from=${from}&to=${to}&org=ELY-PIR`);
    const api = await fixture.call(facility, "AnalyticsService/GetUsageReport", { scope: { organizations: ["ELY-PIR"] }, fromDate: from, toDate: to, groupBy: "GROUPING_SITE" });
    const expected = api.groups.filter((g) => (g.workstationsInScope ?? 0) > 0);
    const rows = await cellValues(page, "portfolio-table", "timeUtilization");
    assert(rows.length === expected.length && rows.length >= 1, `ELY-PIR sites page ${rows.length} API ${expected.length}`);
    for (const g of expected) {
      const r = rows.find((x) => x.href.includes(`/site/${encodeURIComponent(g.key)}`));
      assert(r && near(r.value, g.figures?.timeUtilization ?? 0), `ELY-PIR ${g.key}: ${r?.value} vs ${g.figures?.timeUtilization}`);
    }
    await go(page, `#/portfolio?from=${from}&to=${to}&kind=C`);
    const kinds = await cellValues(page, "portfolio-table", "kind");
    assert(kinds.length === 1 && kinds[0].value === "C", `kind C rows: ${JSON.stringify(kinds)}`);
    await go(page, `#/portfolio?from=${from}&to=${to}`);
    await page.locator('button[data-sort="timeUtilization"]').click();
    await page.locator('button[data-sort="timeUtilization"]').click();
    const sorted = (await cellValues(page, "portfolio-table", "timeUtilization")).map((r) => Number(r.value));
    assert(sorted.every((v, i) => i === 0 || sorted[i - 1] >= v), `not sorted descending: ${sorted}`);
    assert((await page.locator('th[aria-sort="descending"]').count()) === 1, "aria-sort not set");
  });

  await test("portfolio table downloads as Finnish Excel CSV (BOM, ';', decimal comma)", async () => {
    await go(page, `#/portfolio?from=${from}&to=${to}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".table-block .download").first().click()]);
    const file = path.join(artifacts, "portfolio.csv");
    await download.saveAs(file);
    const text = readFileSync(file, "utf8");
    assert(text.charCodeAt(0) === 0xfeff, "no BOM");
    const lines = text.slice(1).trim().split("\r\n");
    assert(lines.length === 4, `${lines.length} lines`);
    assert(lines[0].split(";").length > 8, `header: ${lines[0]}`);
    assert(/;\d+,\d+;/.test(lines.slice(1).join("\n")), `no decimal comma: ${lines[1]}`);
  });

  const site = "HKI-PASILA-VT";
  await test("site page: floor table and heatmap cells equal the report's", async () => {
    await go(page, `#/site/${site}?from=${from}&to=${to}`);
    const floors = await fixture.call(facility, "AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_FLOOR" });
    const floorRows = await page.$$eval("#floor-table tbody tr", (rows) =>
      rows.map((r) => ({ label: r.querySelector("th")?.textContent, value: r.querySelector('[data-col="timeUtilization"]')?.getAttribute("data-value") })));
    assert(floorRows.length === floors.groups.length, `floors page ${floorRows.length} API ${floors.groups.length}`);
    for (const g of floors.groups) {
      const r = floorRows.find((x) => x.label === (g.label || g.key));
      assert(r && near(r.value, g.figures?.timeUtilization ?? 0), `floor ${g.key}: ${r?.value} vs ${g.figures?.timeUtilization}`);
    }
    const heat = await fixture.call(facility, "AnalyticsService/GetUsageReport", { scope: { site }, fromDate: from, toDate: to, groupBy: "GROUPING_WEEKDAY_HOUR" });
    const cells = await page.$$eval("#heatmap .heat-cell", (cs) =>
      cs.map((c) => ({ d: Number(c.getAttribute("data-weekday")), h: Number(c.getAttribute("data-hour")), v: c.getAttribute("data-value"), text: c.querySelector("text")?.textContent })));
    const measured = heat.groups.filter((g) => g.measured && Number(g.figures?.observedMs ?? 0) > 0);
    assert(measured.length > 10, `only ${measured.length} measured heatmap cells`);
    for (const g of measured) {
      const c = cells.find((x) => x.d === g.weekday && x.h === (g.hour ?? 0));
      assert(c, `no cell for ${g.weekday}/${g.hour}`);
      assert(near(c.v, g.figures.timeUtilization ?? 0), `cell ${g.weekday}/${g.hour}: ${c.v} vs ${g.figures.timeUtilization}`);
      assert(c.text === fiNumber((g.figures.timeUtilization ?? 0) * 100, 0), `cell ${g.weekday}/${g.hour} reads ${c.text}`);
    }
    assert((await page.locator(".scale-legend").count()) >= 1, "no legend");
    const sizing = await fixture.call(facility, "AnalyticsService/GetRightSizing", { site, fromDate: from, toDate: to });
    const needed = await page.$$eval('#sizing-table [data-col="needed"]', (cs) => cs.map((c) => c.getAttribute("data-value")));
    assert(needed.length === sizing.rows.length, `right-sizing rows ${needed.length} vs ${sizing.rows.length}`);
    await shot(page, "site");
    await axe(page, "site");
  });

  await test("floor plan draws each desk at its position over the plan, coloured by its own utilization, and live", async () => {
    const floor = "HKI-PASILA-VT-2";
    await go(page, `#/floor/${site}/${floor}?from=${from}&to=${to}`);
    await page.waitForFunction(() => document.querySelector('[data-usage-loaded="true"]') && document.querySelector("#floorplan .plan-image"), null, { timeout: 30000 });
    const ws = await fixture.call(facility, "InventoryService/ListWorkstations", { site, space: floor });
    const active = ws.workstations.filter((w) => w.status !== "inactive");
    const drawn = await page.$$eval("#floorplan .desk", (gs) =>
      gs.map((g) => {
        const r = g.querySelector("rect");
        const n = (a) => Number(r.getAttribute(a));
        return { code: g.getAttribute("data-desk"), value: g.getAttribute("data-value"), text: g.querySelector("text")?.textContent ?? "", cx: n("x") + n("width") / 2, cy: n("y") + n("height") / 2 };
      }),
    );
    assert(drawn.length === active.length, `desks ${drawn.length} vs ${active.length}`);
    // Positions: the drawing's box is metres, so its drawn width / its
    // viewBox width is the scale; a desk at (x, y) m sits at the drawing's
    // corner + (x, y) · scale.
    const plan = await fixture.call(facility, "InventoryService/GetPlanSvg", { space: floor });
    const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(plan.svg);
    assert(box, "the sample plan has no viewBox");
    const img = await page.$eval("#floorplan .plan-image", (i) => ({ x: Number(i.getAttribute("x")), y: Number(i.getAttribute("y")), w: Number(i.getAttribute("width")), h: Number(i.getAttribute("height")) }));
    const scale = img.w / Number(box[1]);
    assert(near(img.h / Number(box[2]), scale, 1e-9), `drawing not to scale: ${JSON.stringify(img)}`);
    // Each desk's own figure, as the API gives it.
    const usage = await fixture.call(facility, "AnalyticsService/GetUsageReport", { scope: { space: floor }, fromDate: from, toDate: to, groupBy: "GROUPING_WORKSTATION" });
    const byDesk = new Map(usage.groups.map((g) => [g.key, g.figures ?? {}]));
    let placed = 0, measured = 0, distinct = new Set();
    for (const w of active) {
      const d = drawn.find((x) => x.code === w.code);
      assert(d, `${w.code} not drawn`);
      if (w.xM !== undefined) {
        placed++;
        assert(near(d.cx, img.x + w.xM * scale, 1e-6) && near(d.cy, img.y + w.yM * scale, 1e-6), `${w.code} at (${d.cx}, ${d.cy}), expected (${img.x + w.xM * scale}, ${img.y + w.yM * scale})`);
      }
      const f = byDesk.get(w.code);
      assert(f, `${w.code} missing from the API's groups`);
      if ((f.workstationsMeasured ?? 0) > 0 && Number(f.observedMs ?? 0) > 0) {
        measured++;
        distinct.add(f.timeUtilization ?? 0);
        assert(near(d.value, f.timeUtilization ?? 0), `${w.code} colour value ${d.value} vs API ${f.timeUtilization}`);
        assert(d.text === fiNumber((f.timeUtilization ?? 0) * 100, 0), `${w.code} shows "${d.text}"`);
      } else {
        assert(d.value === "" && d.text === "–", `${w.code} has no data but shows ${d.value} "${d.text}"`);
      }
    }
    assert(placed === active.length, `${placed} of ${active.length} desks placed`);
    assert(measured > 0 && distinct.size > 1, `per-desk figures: ${measured} measured, ${distinct.size} distinct values`);
    // The table alternative gives the same value per desk.
    const rows = await page.$$eval("#floorplan-table tbody tr", (trs) => trs.map((r) => ({ desk: r.querySelector('[data-col="desk"]')?.getAttribute("data-value"), util: r.querySelector('[data-col="util"]')?.getAttribute("data-value") })));
    assert(rows.length === active.length, `table rows ${rows.length}`);
    for (const r of rows) assert(r.util === drawn.find((d) => d.code === r.desk)?.value, `table ${r.desk}: ${r.util}`);
    await shot(page, "floor-plan");
    await axe(page, "floor-plan");
    await go(page, `#/floor/${site}/HKI-PASILA-VT-2?mode=live`);
    await page.waitForFunction(() => document.querySelectorAll('#floorplan .desk[data-state]:not([data-state=""])').length > 0, null, { timeout: 10000 });
    await shot(page, "floor-plan-live");
  });

  await test("consolidation what-if shows the report's verdict and chart", async () => {
    await go(page, `#/consolidation?from=${from}&to=${to}&orgs=VERO,MML&candidate=${site}`);
    const api = await fixture.call(facility, "AnalyticsService/GetConsolidation", { organizations: ["VERO", "MML"], candidateSite: site, fromDate: from, toDate: to });
    const fits = await page.locator("#verdict").getAttribute("data-fits");
    assert(fits === String(!!api.fits), `fits page ${fits} API ${api.fits}`);
    assert((await page.locator("#consolidation-chart svg rect").count()) > 1, "no bars");
    await shot(page, "consolidation");
    await axe(page, "consolidation");
  });

  // Rows of a DataTable as { column key: data-value }, in the page's order.
  const tableRows = (page, table) =>
    page.$$eval(`#${table} tbody tr`, (rows) =>
      rows.map((r) => Object.fromEntries([...r.querySelectorAll("[data-col]")].map((c) => [c.getAttribute("data-col"), c.getAttribute("data-value")]))));
  // What a table cell holds for an API figure: "" for none.
  const same = (cell, value, what) => {
    if (value === null || value === undefined) assert(cell === "", `${what}: page ${cell}, API none`);
    else assert(cell !== "" && near(cell, value, 1e-9), `${what}: page ${cell}, API ${value}`);
  };

  await test("planning page: forecast values and interval ends, plan grid, estimates and observation rounds equal the API's", async () => {
    await go(page, `#/planning/${site}?from=${from}&to=${to}&weeks=3`);
    const f = await fixture.call(facility, "PlanningService/GetForecast", { site, lastDate: to, weeks: 3 });
    assert(f.days.length >= 10, `forecast days ${f.days.length}`);
    let intervals = 0;
    for (const [table, key] of [["forecast-peak-table", "peakOccupancy"], ["forecast-util-table", "timeUtilization"]]) {
      const rows = await tableRows(page, table);
      assert(rows.length === f.days.length, `${table}: ${rows.length} rows, API ${f.days.length}`);
      f.days.forEach((d, i) => {
        const v = d[key] ?? {};
        const has = !!v.hasValue && !d.holiday;
        const band = has && !!v.hasInterval;
        assert(rows[i].date === d.date, `${table} row ${i}: ${rows[i].date} vs ${d.date}`);
        same(rows[i].value, has ? v.value ?? 0 : null, `${table} ${d.date} value`);
        for (const end of ["low80", "high80", "low95", "high95"]) same(rows[i][end], band ? v[end] ?? 0 : null, `${table} ${d.date} ${end}`);
        if (band) intervals++;
      });
    }
    assert(intervals > 0, "no forecast day has an interval");
    // The peak in Finnish on screen, one decimal.
    const first = f.days.find((d) => d.peakOccupancy?.hasValue && !d.holiday);
    const shown = await page.$eval("#forecast-peak-table tbody tr [data-col=value]", (c) => c.textContent);
    assert(shown === fiNumber(first.peakOccupancy.value ?? 0, 1), `forecast reads ${shown}`);
    assert((await page.locator("#forecast-peak svg polygon.band95").count()) > 0, "no 95 % band drawn");
    assert((await page.locator("#forecast-peak svg polygon.band80").count()) > 0, "no 80 % band drawn");
    const accuracy = await tableRows(page, "accuracy-table");
    const pa = f.peakAccuracy ?? {};
    assert(accuracy.length === 2, `accuracy rows ${accuracy.length}`);
    same(accuracy[0].mae, (pa.days ?? 0) > 0 ? pa.mae ?? 0 : null, "peak MAE");
    same(accuracy[0].naiveMae, (pa.days ?? 0) > 0 ? pa.naiveMae ?? 0 : null, "peak naive MAE");
    same(accuracy[0].mape, (pa.mapeDays ?? 0) > 0 ? pa.mape ?? 0 : null, "peak MAPE");

    const plan = await fixture.call(facility, "PlanningService/GetFloorPlan", { site, fromDate: from, toDate: to });
    const cells = await page.$$eval("#plan-grid td.plan-cell", (cs) =>
      cs.map((c) => ({ unit: c.getAttribute("data-unit"), wd: Number(c.getAttribute("data-weekday")), state: c.getAttribute("data-state"), text: c.textContent })));
    assert(cells.length === plan.units.length * plan.weekdays.length && cells.length > 0, `grid cells ${cells.length}`);
    let closed = 0;
    for (const d of plan.weekdays) {
      for (const u of plan.units) {
        const c = cells.find((x) => x.unit === u.code && x.wd === d.isoWeekday);
        const isClosed = (d.closedUnits ?? []).includes(u.code);
        if (isClosed) closed++;
        assert(c && c.state === (isClosed ? "closed" : "open"), `plan ${u.code} weekday ${d.isoWeekday}: page ${c?.state}`);
        assert(c.text === (isClosed ? "✗ suljettu" : "✓ auki"), `plan cell reads "${c.text}"`);
      }
    }
    console.log(`floor plan: ${closed} closed of ${cells.length} cells, ${plan.closedM2DaysPerYear ?? 0} m²-days a year`);
    const totals = await page.$$eval("#plan-totals dd", (ds) => ds.map((d) => d.getAttribute("data-value")));
    same(totals[0], plan.closedM2DaysPerYear ?? 0, "closed m²-days");
    same(totals[1], plan.energySavedKwhPerYear ?? 0, "kWh");
    same(totals[2], plan.co2SavedKgPerYear ?? 0, "CO₂");
    // The default assumptions' sources in Finnish, not the API's English.
    const assumptions = await page.locator("#plan-assumptions").textContent();
    assert(!plan.assumptions.kwhFromRequest && !plan.assumptions.co2FromRequest, "default assumptions expected");
    assert(assumptions.includes(fiNumber(plan.assumptions.kwhPerM2ClosedDay, 2)) && assumptions.includes(fiNumber(plan.assumptions.kgCo2PerKwh, 3)), `assumptions: ${assumptions}`);
    assert(assumptions.includes("suomalaiset toimistorakennukset") && assumptions.includes("päästökerroin"), `assumptions not in Finnish: ${assumptions}`);
    assert(!assumptions.includes(plan.assumptions.kwhSource) && !assumptions.includes(plan.assumptions.co2Source), `assumptions in English: ${assumptions}`);
    const areaSources = await page.$$eval("#plan-units tbody [data-col=areaSource]", (cs) => cs.map((c) => c.textContent));
    assert(areaSources.length === plan.units.length, `area source cells ${areaSources.length}`);
    plan.units.forEach((u, i) => {
      const fi = { floor: "kerros", zone: "alue", "floor less zones": "kerros ilman alueitaan", "site pro rata": "toimipaikan ala suhteessa" }[u.areaSource ?? ""] ?? (u.areaSource ?? "");
      assert(areaSources[i] === fi, `unit ${u.code} area source "${areaSources[i]}", API "${u.areaSource}"`);
    });

    const e = await fixture.call(facility, "SamplingService/GetSampleEstimate", { scope: { site }, fromDate: from, toDate: to });
    assert(e.available && !e.exact, `the sample site should be partially measured: ${JSON.stringify({ available: e.available, exact: e.exact })}`);
    const est = await tableRows(page, "estimate-table");
    // The table's rows in the page's order: utilization, desk-day usage, peak mean, peak P95.
    const figures = [e.timeUtilization, e.deskDayUsage, e.peakOccupancyMean, e.peakOccupancyP95];
    assert(est.length === figures.length, `estimate rows ${est.length}`);
    figures.forEach((api, i) => {
      for (const end of ["value", "lower", "upper"]) same(est[i][end], api?.[end] ?? 0, `estimate row ${i} ${end}`);
    });
    const p95 = e.peakOccupancyP95 ?? {};
    assert((p95.lower ?? 0) <= (p95.value ?? 0) && (p95.value ?? 0) <= (p95.upper ?? 0), `P95 interval ${JSON.stringify(p95)}`);
    assert((await page.locator("#estimate-chart svg .whisker").count()) === 4, "no whiskers");
    const unmeasured = await page.locator("#estimate-unmeasured-workstations").textContent();
    assert((e.unmeasuredWorkstations ?? []).every((w) => unmeasured.includes(w)), `unmeasured workstations: ${unmeasured}`);
    const study = await fixture.call(facility, "SamplingService/GetObservationStudy", { scope: { site }, fromDate: from, toDate: to });
    assert((study.total?.rounds ?? 0) === 9, `observation rounds ${study.total?.rounds}`);
    same(await page.locator("#obs-mean").getAttribute("data-value"), study.total.meanUtilization ?? 0, "mean round utilization");
    const hoursOnPage = await tableRows(page, "obs-hours");
    assert(hoursOnPage.length === study.byHour.length && hoursOnPage.length === 3, `round hours ${hoursOnPage.length}`);
    study.byHour.forEach((h, i) => same(hoursOnPage[i].utilization, h.shares?.utilization ?? 0, `round hour ${h.hour}`));
    const obsEst = await tableRows(page, "obs-estimate-table");
    const se = study.estimate ?? {};
    [se.timeUtilization, se.deskDayUsage, se.peakOccupancyMean, se.peakOccupancyP95].forEach((api, i) => {
      for (const end of ["value", "lower", "upper"]) same(obsEst[i]?.[end], api?.[end] ?? 0, `round estimate row ${i} ${end}`);
    });
    await shot(page, "planning");
    await axe(page, "planning");
    await go(page, `#/planning/${site}?from=${from}&to=${to}&unit=zone`);
    const zones = await fixture.call(facility, "PlanningService/GetFloorPlan", { site, fromDate: from, toDate: to, unit: "zone" });
    assert((await page.locator("#plan-grid tbody tr").count()) === zones.units.length + 1, "zone plan rows");
  });

  await test("bookings page: desk and room figures equal the API's (imported CSV and iCalendar)", async () => {
    await go(page, `#/bookings/${site}?from=${from}&to=${to}`);
    const report = (groupBy) => fixture.call(facility, "BookingService/GetBookingReport", { scope: { site }, fromDate: from, toDate: to, groupBy });
    const total = await report("BOOKING_GROUPING_NONE");
    const weekday = await report("BOOKING_GROUPING_WEEKDAY");
    const n = (v) => Number(v ?? 0);
    const desk = (f, r, what) => {
      f = f ?? {};
      for (const k of ["bookedDeskDays", "bookedObserved", "noShows", "bookedUnmeasured", "usedDeskDays", "unbookedUsed"]) same(r[k], n(f[k]), `${what} ${k}`);
      same(r.noShowRate, n(f.bookedObserved) > 0 ? n(f.noShowRate) : null, `${what} no-show rate`);
      same(r.unbookedUseShare, n(f.usedDeskDays) > 0 ? n(f.unbookedUseShare) : null, `${what} unbooked share`);
    };
    const room = (f, r, what) => {
      f = f ?? {};
      for (const k of ["meetings", "ghosts", "ghostUnknown", "earlyReleases", "walkIns"]) same(r[k], n(f[k]), `${what} ${k}`);
      same(r.bookedH, n(f.bookedMs) / 3600000, `${what} booked h`);
      same(r.bookedUnknownH, n(f.bookedUnknownMs) / 3600000, `${what} booked unknown h`);
    };
    const d = total.desks ?? {};
    assert(n(d.bookedDeskDays) > 0 && n(d.bookedObserved) > 0 && n(d.bookedUnmeasured) > 0, `desk figures: ${JSON.stringify(d)}`);
    assert(n(total.rooms?.meetings) > 0, `room figures: ${JSON.stringify(total.rooms)}`);
    const [deskTotal] = await tableRows(page, "desk-table");
    desk(total.desks, deskTotal, "total");
    const [roomTotal] = await tableRows(page, "room-table");
    room(total.rooms, roomTotal, "total");
    const byDay = await tableRows(page, "desk-weekday-table");
    assert(byDay.length === weekday.groups.length && byDay.length >= 5, `weekday rows ${byDay.length} vs ${weekday.groups.length}`);
    weekday.groups.forEach((g, i) => desk(g.desks, byDay[i], `weekday ${g.key}`));
    const roomsByDay = await tableRows(page, "room-weekday-table");
    weekday.groups.forEach((g, i) => room(g.rooms, roomsByDay[i], `rooms weekday ${g.key}`));
    assert((await page.locator("#desk-weekday-chart svg rect title").count()) === weekday.groups.length * 3, "weekday bars");
    const hour = await report("BOOKING_GROUPING_HOUR");
    assert((await tableRows(page, "room-hour-table")).length === hour.groups.length, "hour rows");
    const sizes = total.roomSizes ?? [];
    assert((await page.locator("#room-sizes tbody tr").count()) === sizes.length, "room sizes");
    await shot(page, "bookings");
    await axe(page, "bookings");
  });

  await test("a reading sent through the real ingest path changes the live screen within 2 s", async () => {
    const sensor = fixture.sensors.find((s) => s.gateway === "gw-jkl-ypa" && s.workstation);
    const send = await fixture.lineAgent("gw-jkl-ypa");
    await go(page, "#/live/JKL-YPA");
    await page.locator("#live-total").waitFor();
    const free = async () => Number(await page.locator("#live-total").getAttribute("data-free"));
    // Each reading changes the desk's state, whatever it is now (the
    // history's last reading may have left it free, occupied or stale).
    const live = await fixture.call(facility, "LiveOccupancyService/GetLiveOccupancy", { site: "JKL-YPA" });
    const desk = (live.workstations ?? []).find((w) => w.workstation === sensor.workstation);
    assert(desk, `${sensor.workstation} is not on the live screen's site`);
    const sequence = desk.state === "OCCUPANCY_STATE_FREE" ? ["occupied", "free", "occupied"] : ["free", "occupied", "free"];
    const latencies = [];
    for (const state of sequence) {
      const before = await free();
      const t0 = Date.now();
      const answer = await send(`${sensor.id} ${state}`);
      assert(answer === "ok", `line protocol answered ${answer}`);
      const expect = state === "free" ? before + 1 : before - 1;
      await page.waitForFunction((n) => Number(document.querySelector("#live-total")?.getAttribute("data-free")) === n, expect, { timeout: 5000 });
      latencies.push(Date.now() - t0);
    }
    console.log(`live latency (reading sent to screen changed), ms: ${latencies.join(", ")}`);
    assert(latencies.every((l) => l < 2000), `latency over 2 s: ${latencies}`);
    await shot(page, "live");
    await axe(page, "live");
  });

  await test("a facility user is refused the HR page", async () => {
    await go(page, "#/hr");
    await page.locator('.error-box[data-refused="true"]').first().waitFor({ timeout: 10000 });
    await shot(page, "hr-refused-facility");
  });

  await test("keyboard: skip link, navigation, sorting and visible focus", async () => {
    // A fresh load, so that focus starts at the top of the document.
    await page.goto("about:blank");
    await go(page, `#/portfolio?from=${from}&to=${to}`);
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement?.textContent);
    assert(first === "Siirry pääsisältöön", `first Tab stop: ${first}`);
    // Tab to the "Toimipaikka" navigation link and follow it with Enter.
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(() => document.activeElement?.getAttribute("href") === "#/site");
    }
    assert(found, "navigation link not reachable by Tab");
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return `${s.outlineStyle} ${s.outlineWidth}`;
    });
    assert(/solid \d/.test(outline) && parseFloat(outline.split(" ")[1]) >= 2, `focus not visible: ${outline}`);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash === "#/site");
    await go(page, `#/portfolio?from=${from}&to=${to}`);
    await page.locator('button[data-sort="peakP95"]').focus();
    await page.keyboard.press("Enter");
    assert((await page.locator('th[aria-sort="ascending"] button[data-sort="peakP95"]').count()) === 1, "sorting by keyboard");
  });

  await test("languages: Swedish and English headings and number formats", async () => {
    const { context, page: p } = await signedIn(facility, "sv");
    await go(p, `#/portfolio?from=${from}&to=${to}`);
    assert((await p.locator("h1").textContent()) === "Fastighetsbestånd", "sv heading");
    const sv = await cellValues(p, "portfolio-table", "timeUtilization");
    assert(sv.every((r) => /^\d+,\d %$/.test(r.text)), `sv numbers: ${sv.map((r) => r.text)}`);
    await p.locator('button[lang="en"]').click();
    assert((await p.locator("h1").textContent()) === "Portfolio", "en heading");
    const en = await cellValues(p, "portfolio-table", "timeUtilization");
    assert(en.every((r) => /^\d+\.\d %$/.test(r.text)), `en numbers: ${en.map((r) => r.text)}`);
    assert((await p.evaluate(() => document.documentElement.lang)) === "en", "html lang");
    await context.close();
  });

  await test("HR page: withheld figures read 'suppressed' (fi: salattu), never 0 or blank", async () => {
    const { context, page: p } = await signedIn(hr);
    await go(p, `#/hr?asof=${fixture.hrMonthEnd}&from=${fixture.hrMonth}&to=${fixture.hrMonth}&by=unit`);
    const api = await fixture.call(hr, "WorkforceService/GetOfficeDays", { fromMonth: fixture.hrMonth, toMonth: fixture.hrMonth, groupBy: "HR_GROUPING_UNIT" });
    let withheld = 0;
    for (const r of api.rows) {
      for (const f of [r.registered, r.withDays, ...(r.officeDayBuckets ?? []), r.medianOfficeDays, r.meetingRecommendation, r.meetingRecommendationPct, r.sharedUsePct]) {
        if (f?.withheld) withheld++;
      }
    }
    const suppressed = await p.locator("#office-days-table td.suppressed").count();
    assert(withheld > 0, "the sample has no withheld figure");
    assert(suppressed === withheld, `suppressed cells ${suppressed}, withheld figures ${withheld}`);
    const texts = await p.$$eval("#office-days-table td.suppressed", (cs) => [...new Set(cs.map((c) => c.textContent))]);
    assert(texts.length === 1 && texts[0] === "salattu", `suppressed reads ${texts}`);
    const blank = await p.$$eval("#office-days-table tbody td", (cs) => cs.filter((c) => c.textContent.trim() === "").length);
    assert(blank === 0, `${blank} blank cells`);
    // The distribution's categories in the page's language, not the API's English.
    const categories = async () => p.$$eval("#distribution-table tbody th[data-col=\"category\"]", (cs) => cs.map((c) => c.textContent));
    await p.locator("#distribution-table tbody tr").first().waitFor({ timeout: 10000 });
    const fiCategories = await categories();
    assert(fiCategories.includes("työntekijää kotona") && !fiCategories.includes("employees at home"), `fi categories ${fiCategories}`);
    await shot(p, "hr");
    await axe(p, "hr");
    await p.locator('button[lang="sv"]').click();
    assert((await p.locator("#office-days-table td.suppressed").first().textContent()) === "sekretessbelagd", "sv suppressed");
    assert((await categories()).includes("anställda hemma"), `sv categories ${await categories()}`);
    await context.close();
  });

  await test("a display token sees only its live screen (kiosk), everything else is refused", async () => {
    fixture.makeToken("display", ["--role=display", "--name=lobby", "--sites=JKL-YPA"]);
    const { context, page: p } = await signedIn(fixture.token("display"));
    await p.waitForFunction(() => location.hash.startsWith("#/live/JKL-YPA"));
    await p.locator("#live-total").waitFor({ timeout: 10000 });
    assert((await p.locator(".kiosk").count()) === 1, "not the kiosk layout");
    await shot(p, "live-kiosk");
    await axe(p, "live-kiosk");
    for (const hash of ["#/portfolio", `#/site/${site}`, "#/hr", "#/live/HKI-PASILA-VT", "#/planning/JKL-YPA", "#/bookings/JKL-YPA"]) {
      await p.goto(`${fixture.base}/${hash}`);
      await p.locator('.error-box[data-refused="true"]').first().waitFor({ timeout: 10000 });
    }
    await context.close();
  });

  // Last: it adds a site, which the portfolio tests above do not expect.
  await test("the live screen shows times in the site's own time zone (Europe/Stockholm)", async () => {
    const code = "TOR-HAP";
    await fixture.call(facility, "InventoryService/ImportInventory", {
      inventory: {
        sites: [{ code, name: "Rajapalvelupiste Haaparanta", kind: "C", municipality: "Haparanda", timezone: "Europe/Stockholm" }],
        spaces: [{ code: `${code}-1`, site: code, level: "floor", name: "Bottenvåning" }],
        workstations: [{ code: `${code}-1-001`, space: `${code}-1`, kind: "shared", xM: 2, yM: 3 }],
      },
    });
    await go(page, `#/live/${code}`);
    await page.locator("#live-as-of").waitFor({ timeout: 10000 });
    const shown = await page.$eval("#live-as-of", (e) => ({ ms: Number(e.getAttribute("data-as-of-ms")), zone: e.getAttribute("data-timezone"), text: e.textContent }));
    assert(shown.zone === "Europe/Stockholm", `zone ${shown.zone}`);
    // Formatted by the browser's own Intl, as the page formats it.
    const expected = await page.evaluate((ms) => {
      const format = (zone, options) => new Intl.DateTimeFormat("fi-FI", { timeZone: zone, ...options }).format(new Date(ms));
      const full = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" };
      return {
        stockholm: format("Europe/Stockholm", full),
        helsinki: format("Europe/Helsinki", full),
        hours: [format("Europe/Stockholm", { hour: "numeric", hourCycle: "h23" }), format("Europe/Helsinki", { hour: "numeric", hourCycle: "h23" })],
      };
    }, shown.ms);
    assert(expected.hours[0] !== expected.hours[1], `Stockholm and Helsinki hours equal: ${expected.hours}`);
    assert(shown.text.startsWith(expected.stockholm), `shows "${shown.text}", expected ${expected.stockholm} (hour ${expected.hours[0]})`);
    assert(!shown.text.includes(expected.helsinki), `shows Helsinki time ${expected.helsinki}`);
    assert(shown.text.includes("Europe/Stockholm"), `zone not named: ${shown.text}`);
    console.log(`live as of: ${shown.text}`);
    // Its floor plan: the one desk at its position, without a drawing.
    await go(page, `#/floor/${code}/${code}-1`);
    await page.waitForFunction(() => document.querySelector('[data-usage-loaded="true"]'), null, { timeout: 30000 });
    const d = await page.$eval("#floorplan .desk", (g) => ({ x: g.getAttribute("data-x-m"), y: g.getAttribute("data-y-m"), value: g.getAttribute("data-value") }));
    assert(d.x === "2" && d.y === "3" && d.value === "", `desk ${JSON.stringify(d)}`);
    assert((await page.locator("#floorplan .plan-image").count()) === 0, "a drawing without a plan");
    await axe(page, "floor-plan-no-drawing");
  });

  await fctx.close();
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.stack ?? e}`);
  if (fixture.serverLog) console.log(fixture.serverLog.join("").slice(-4000));
} finally {
  if (browser) await browser.close();
  fixture.stop();
  writeFileSync(path.join(artifacts, "results.txt"), results.join("\n") + "\n");
}
console.log(failed ? `${failed} failed` : "all passed");
process.exit(failed ? 1 : 0);
