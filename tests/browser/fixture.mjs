// Starts a real monipaikka-server (gRPC and HTTP on free loopback ports, a
// temporary database), loads the sample inventory, backfills sensor
// readings through real edge agents, imports a generated HR registry and
// creates one token per role. Used by the browser tests and the dashboard
// benchmark.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForFile(file, proc, what, timeoutMs = 30000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (existsSync(file) && readFileSync(file, "utf8").trim()) return readFileSync(file, "utf8").trim();
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    await sleep(50);
  }
  throw new Error(`${what} did not write ${file} in ${timeoutMs} ms`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// YYYY-MM-DD of the Helsinki day `offset` days from today.
export function helsinkiDay(offset = 0) {
  const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(new Date());
  const [y, m, d] = today.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
}

function lastMonthEnd() {
  const today = helsinkiDay(0);
  const [y, m] = today.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
}

// A small deterministic generator (mulberry32), so every run has the same
// registry.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hrRegistry(dir) {
  const orgs = ["VERO", "MML", "DVV", "ELY-PIR", "KELA", "MIGRI", "POLIISI-KS"];
  const r = rng(7);
  const lines = ["employee_id,organization,unit,fte,home_workstation,office_workstation,multi_space,shared_use,valid_from,valid_to,site"];
  for (let i = 0; i < 420; i++) {
    const o = orgs[i % orgs.length];
    const kind = i % 5 === 0 ? "none" : r() < 0.3 ? "unassigned" : "assigned";
    const pasila = ["VERO", "MML", "DVV"].includes(o);
    lines.push(
      [`E${String(i).padStart(5, "0")}`, o, `${o}-${Math.floor(i / orgs.length) % 3}`, i % 10 === 0 ? "0.8" : "1",
        r() < 0.55 ? "yes" : "no", kind, r() < 0.45 ? "yes" : "no", pasila ? "yes" : "no", "2024-01-01", "",
        pasila ? "HKI-PASILA-VT" : ""].join(","),
    );
  }
  writeFileSync(path.join(dir, "employees.csv"), lines.join("\n") + "\n");
  const end = lastMonthEnd();
  const month = end.slice(0, 7);
  const days = ["employee_id,date,location_kind,source"];
  for (let d = 1; d <= Number(end.slice(8)); d++) {
    const date = `${month}-${String(d).padStart(2, "0")}`;
    const wd = new Date(date + "T12:00:00Z").getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const rd = rng(d);
    for (let i = 0; i < 420; i++) {
      const x = rd();
      const k = x < 0.55 ? "A" : x < 0.85 ? "B" : x < 0.95 ? "D" : "G";
      days.push(`E${String(i).padStart(5, "0")},${date},${k},badge`);
    }
  }
  writeFileSync(path.join(dir, "work-days.csv"), days.join("\n") + "\n");
  return { month, monthEnd: end };
}

export class Fixture {
  constructor(opts) {
    this.root = opts.root; // repository root
    this.build = opts.build; // CMake build directory
    this.webRoot = opts.webRoot ?? path.join(opts.root, "web", "dist");
    this.days = opts.days ?? 14;
    this.dir = mkdtempSync(path.join(os.tmpdir(), "monipaikka-browser-"));
    this.procs = [];
  }

  bin(name) {
    const p = { server: "server/monipaikka-server", client: "client/monipaikka", edge: "edge/monipaikka-edge" }[name];
    return path.join(this.build, p);
  }

  cli(tokenFile, args, input) {
    return execFileSync(this.bin("client"), [`--server=127.0.0.1:${this.grpcPort}`, `--token_file=${tokenFile}`, ...args], {
      encoding: "utf8",
      input,
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  tokenFile(name) {
    return path.join(this.dir, `${name}.token`);
  }

  token(name) {
    return readFileSync(this.tokenFile(name), "utf8").trim();
  }

  makeToken(name, args) {
    const out = this.cli(this.tokenFile("admin"), ["tokens", "create", ...args]);
    writeFileSync(this.tokenFile(name), out.trim() + "\n", { mode: 0o600 });
    return out.trim();
  }

  async start() {
    const key = path.join(this.dir, "key");
    mkdirSync(key, { mode: 0o700 });
    writeFileSync(path.join(key, "pseudonym.key"), "7".repeat(64) + "\n", { mode: 0o600 });
    const data = path.join(this.dir, "data");
    mkdirSync(data);
    const args = [
      "--listen=127.0.0.1:0", "--plaintext", `--db=${data}/monipaikka.db`, `--port_file=${data}/grpc.port`,
      "--http_listen=127.0.0.1:0", `--http_port_file=${data}/http.port`, `--web_root=${this.webRoot}`,
      "--metrics_listen=127.0.0.1:0",
      `--pseudonym_key_file=${key}/pseudonym.key`, `--bootstrap_admin_token_file=${this.tokenFile("admin")}`,
    ];
    const log = path.join(this.dir, "server.log");
    const server = spawn(this.bin("server"), args, { stdio: ["ignore", "ignore", "pipe"] });
    this.serverLog = [];
    server.stderr.on("data", (d) => this.serverLog.push(d.toString()));
    this.server = server;
    this.procs.push(server);
    this.grpcPort = Number(await waitForFile(`${data}/grpc.port`, server, "monipaikka-server"));
    this.httpPort = Number(await waitForFile(`${data}/http.port`, server, "monipaikka-server (HTTP)"));
    this.base = `http://127.0.0.1:${this.httpPort}`;
    await waitForFile(this.tokenFile("admin"), server, "monipaikka-server (admin token)");
    this.logFile = log;
  }

  async load() {
    this.makeToken("facility", ["--role=facility", "--name=browser facility"]);
    this.makeToken("hr", ["--role=hr", "--name=browser HR"]);
    this.cli(this.tokenFile("facility"), ["inventory", "import", path.join(this.root, "deploy/sample/inventory.json")]);
    const sensors = this.cli(this.tokenFile("facility"), ["--output=csv", "sensors", "list"]).trim().split("\n");
    const header = sensors[0].split(",");
    const gi = header.indexOf("gateway");
    const ei = header.indexOf("external_id");
    const wi = header.indexOf("workstation");
    this.sensors = sensors.slice(1).map((l) => {
      const c = l.split(",");
      return { id: c[ei], gateway: c[gi], workstation: c[wi] };
    });
    const gateways = [...new Set(this.sensors.map((s) => s.gateway))].sort();
    this.to = helsinkiDay(-1);
    this.from = helsinkiDay(-this.days);
    await Promise.all(
      gateways.map((g) => {
        this.makeToken(`edge-${g}`, ["--role=device", `--name=edge ${g}`, `--gateway=${g}`]);
        return this.runEdge(g, ["--backfill_from=" + this.from, "--backfill_to=" + this.to, "--exit_when_drained"]);
      }),
    );
    const { month, monthEnd } = hrRegistry(this.dir);
    this.hrMonth = month;
    this.hrMonthEnd = monthEnd;
    this.cli(this.tokenFile("hr"), ["employees", "import", path.join(this.dir, "employees.csv")]);
    this.cli(this.tokenFile("hr"), ["work-days", "import", path.join(this.dir, "work-days.csv")]);
  }

  // Imports a small desk-booking CSV and a room mailbox's iCalendar export
  // of `site` through the real API (BookingService.ImportBookings): every
  // working day of the window, desks booked 08:00–16:00 (one of them without
  // a sensor) and two meetings a day in `room`. Returns the two responses.
  async importBookings(site, desks, room) {
    const facility = this.token("facility");
    const days = [];
    for (let i = this.days; i >= 1; i--) {
      const day = helsinkiDay(-i);
      const wd = new Date(day + "T12:00:00Z").getUTCDay();
      if (wd !== 0 && wd !== 6) days.push(day);
    }
    const rows = [];
    days.forEach((day, i) =>
      desks.forEach((desk, j) => {
        // Each desk skips every third day: booked and unbooked days alike.
        if ((i + j) % 3 === 2) return;
        rows.push({ line: String(rows.length + 2), workstation: desk, start: `${day} 08:00`, end: `${day} 16:00`, booker: `booker-${j}` });
      }),
    );
    const csv = await this.call(facility, "BookingService/ImportBookings", { source: `desks-${site}`, rows });
    const stamp = (day, time) => `${day.replace(/-/g, "")}T${time}`;
    const ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Monipaikka browser test//EN"];
    days.forEach((day, i) => {
      for (const [k, start, end] of [[0, "090000", "100000"], [1, "130000", "143000"]]) {
        ics.push("BEGIN:VEVENT", `UID:${site}-${i}-${k}@test`, `DTSTAMP:${stamp(day, "070000Z")}`,
          `DTSTART;TZID=Europe/Helsinki:${stamp(day, start)}`, `DTEND;TZID=Europe/Helsinki:${stamp(day, end)}`,
          "SUMMARY:Meeting", "ATTENDEE;CN=A:mailto:a@example.org", "ATTENDEE;CN=B:mailto:b@example.org", "END:VEVENT");
      }
    });
    ics.push("END:VCALENDAR");
    const calendar = await this.call(facility, "BookingService/ImportBookings", { source: `room-${room}`, ics: ics.join("\r\n") + "\r\n", space: room });
    return { csv, calendar };
  }

  // Imports an observation-round study of `site` through the real API
  // (SamplingService.ImportObservationRounds): on three working days of the
  // window, rounds at 09, 11 and 14 over the first `perZone` workstations
  // of each of the site's zones. Returns the response.
  async importObservationRounds(site, perZone = 5) {
    const inventory = JSON.parse(readFileSync(path.join(this.root, "deploy/sample/inventory.json"), "utf8"));
    const zones = inventory.spaces.filter((s) => s.level === "zone" && s.code.startsWith(`${site}-`)).map((s) => s.code);
    const desks = zones.flatMap((z) => inventory.workstations.filter((w) => w.space === z).slice(0, perZone).map((w) => w.code));
    const days = [];
    for (let i = this.days; i >= 1 && days.length < 3; i--) {
      const day = helsinkiDay(-i);
      const wd = new Date(day + "T12:00:00Z").getUTCDay();
      if (wd !== 0 && wd !== 6) days.push(day);
    }
    const states = ["occupied", "vacant", "signs_of_life", "vacant", "occupied", "vacant", "vacant"];
    const rows = [];
    days.forEach((day, i) =>
      ["09:00", "11:00", "14:00"].forEach((time, j) =>
        desks.forEach((desk, k) =>
          rows.push({ line: rows.length + 2, roundTime: `${day} ${time}`, workstation: desk, state: states[(i + j + k) % states.length], observer: "A" }),
        ),
      ),
    );
    return this.call(this.token("facility"), "SamplingService/ImportObservationRounds", { rows });
  }

  runEdge(gateway, extra) {
    return new Promise((resolve, reject) => {
      const p = spawn(
        this.bin("edge"),
        [`--server=127.0.0.1:${this.grpcPort}`, `--gateway=${gateway}`, `--token_file=${this.tokenFile(`edge-${gateway}`)}`,
          `--outbox=${path.join(this.dir, `outbox-${gateway}.db`)}`, "--status_interval_s=0", ...extra],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let err = "";
      p.stderr.on("data", (d) => (err += d.toString()));
      p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`edge ${gateway} exited ${code}: ${err.slice(-2000)}`))));
    });
  }

  // A running edge agent of `gateway` with a line protocol TCP input; returns
  // a function that sends one line and resolves with the agent's answer
  // (after the reading is committed to its outbox).
  async lineAgent(gateway) {
    const port = await freePort();
    const inputs = path.join(this.dir, `inputs-${gateway}.json`);
    writeFileSync(inputs, JSON.stringify({ line: { tcp: `127.0.0.1:${port}` } }));
    const p = spawn(
      this.bin("edge"),
      [`--server=127.0.0.1:${this.grpcPort}`, `--gateway=${gateway}`, `--token_file=${this.tokenFile(`edge-${gateway}`)}`,
        `--outbox=${path.join(this.dir, `outbox-${gateway}.db`)}`, `--inputs=${inputs}`, "--status_interval_s=0"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.procs.push(p);
    let socket;
    for (let i = 0; i < 200 && !socket; i++) {
      socket = await new Promise((resolve) => {
        const s = net.connect(port, "127.0.0.1");
        s.once("connect", () => resolve(s));
        s.once("error", () => resolve(null));
      });
      if (!socket) await sleep(50);
    }
    if (!socket) throw new Error("the edge agent's line input did not open");
    let buffer = "";
    const waiters = [];
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      buffer += d;
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        waiters.shift()?.(line);
      }
    });
    this.procs.push({ kill: () => socket.destroy() });
    return (line) =>
      new Promise((resolve) => {
        waiters.push(resolve);
        socket.write(line + "\n");
      });
  }

  // A Connect call with a bearer token, as curl or a script would make it.
  async call(token, method, body) {
    const response = await fetch(`${this.base}/monipaikka.v1.${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) {
      const e = new Error(`${method}: HTTP ${response.status} ${json.code}: ${json.message}`);
      e.status = response.status;
      e.code = json.code;
      throw e;
    }
    return json;
  }

  stop() {
    for (const p of this.procs.reverse()) {
      try {
        p.kill("SIGTERM");
      } catch {
        /* gone */
      }
    }
    if (process.env.KEEP_TMP !== "1") rmSync(this.dir, { recursive: true, force: true });
  }
}
