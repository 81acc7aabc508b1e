// The dashboard's one way to the server: Connect calls generated from the
// protos in proto/, over the session cookie the server set at sign-in. The
// token itself is sent once (POST /session) and never kept by the page.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AnalyticsService } from "./gen/monipaikka/v1/analytics_pb";
import { InventoryService } from "./gen/monipaikka/v1/inventory_pb";
import { LiveOccupancyService } from "./gen/monipaikka/v1/live_pb";
import { SensorHealthService } from "./gen/monipaikka/v1/sensor_health_pb";
import { WorkforceService } from "./gen/monipaikka/v1/workforce_pb";
import { BookingService } from "./gen/monipaikka/v1/bookings_pb";
import { PlanningService } from "./gen/monipaikka/v1/planning_pb";
import { SamplingService } from "./gen/monipaikka/v1/sampling_pb";
import { CSRF_KEY, takeEarly } from "./early";

export interface SessionInfo {
  role: string;
  sites: string[];
  tokenName: string;
  csrf: string;
}

// The session's CSRF token, which every call with the session cookie
// carries. The tab keeps it (sessionStorage: this origin and tab only) so
// that a reloaded page's calls go out at once, alongside the session check,
// instead of after it.
let csrfToken = window.sessionStorage.getItem(CSRF_KEY) ?? "";
let sessionCheck: Promise<SessionInfo | null> | null = null;

function keepCsrf(token: string) {
  csrfToken = token;
  if (token) window.sessionStorage.setItem(CSRF_KEY, token);
  else window.sessionStorage.removeItem(CSRF_KEY);
}

function readSession(json: Record<string, unknown>): SessionInfo {
  const pick = (...keys: string[]) => {
    for (const k of keys) if (json[k] !== undefined) return json[k];
    return undefined;
  };
  const info: SessionInfo = {
    role: String(pick("role") ?? ""),
    sites: (pick("sites") as string[] | undefined) ?? [],
    tokenName: String(pick("token_name", "tokenName", "name") ?? ""),
    csrf: String(pick("csrf_token", "csrfToken", "csrf") ?? ""),
  };
  keepCsrf(info.csrf);
  return info;
}

export class SignInError extends Error {}

async function errorText(response: Response): Promise<string> {
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") return body.message;
  } catch {
    /* not JSON */
  }
  return `HTTP ${response.status}`;
}

export async function signIn(token: string): Promise<SessionInfo> {
  const response = await fetch("/session", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw new SignInError(await errorText(response));
  return readSession(await response.json());
}

// The session the cookie stands for, or null when there is none.
export function currentSession(): Promise<SessionInfo | null> {
  const check = (async () => {
    const response = await fetch("/session", { credentials: "same-origin" });
    if (!response.ok) {
      keepCsrf("");
      return null;
    }
    return readSession(await response.json());
  })();
  sessionCheck = check;
  return check;
}

export async function signOut(): Promise<void> {
  await fetch("/session/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrfToken },
  });
  keepCsrf("");
}

// A refusal for a missing or wrong CSRF header (see the HTTP gateway).
const isCsrfRefusal = (err: unknown) =>
  err instanceof ConnectError && err.code === Code.PermissionDenied && /X-CSRF-Token/.test(err.rawMessage);

const csrf: Interceptor = (next) => async (req) => {
  // No token yet: the session check under way brings it.
  if (!csrfToken && sessionCheck) await sessionCheck.catch(() => null);
  const sent = csrfToken;
  if (sent) req.header.set("X-CSRF-Token", sent);
  try {
    return await next(req);
  } catch (err) {
    // The kept token was an earlier session's: again with the current
    // session's, once the check has it (a unary request can be sent twice).
    if (!req.stream && sent && isCsrfRefusal(err) && sessionCheck) {
      await sessionCheck.catch(() => null);
      if (csrfToken && csrfToken !== sent) {
        req.header.set("X-CSRF-Token", csrfToken);
        return next(req);
      }
    }
    throw err;
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  interceptors: [csrf],
  // A call the page sent before the app had loaded is not sent again.
  fetch: (input, init) => takeEarly(input, init) ?? fetch(input, { ...init, credentials: "same-origin" }),
});

export const analytics: Client<typeof AnalyticsService> = createClient(AnalyticsService, transport);
export const inventory: Client<typeof InventoryService> = createClient(InventoryService, transport);
export const live: Client<typeof LiveOccupancyService> = createClient(LiveOccupancyService, transport);
export const sensorHealth: Client<typeof SensorHealthService> = createClient(SensorHealthService, transport);
export const workforce: Client<typeof WorkforceService> = createClient(WorkforceService, transport);
export const planning: Client<typeof PlanningService> = createClient(PlanningService, transport);
export const sampling: Client<typeof SamplingService> = createClient(SamplingService, transport);
export const bookings: Client<typeof BookingService> = createClient(BookingService, transport);
