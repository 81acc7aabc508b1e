// Early data calls: the page the address names has its data calls sent as
// soon as the document is read, by a small script of its own (earlyStart.ts),
// while the app's code is still loading and starting. The app's transport
// then takes each early answer instead of sending the same call again: only
// for the very same call (method and request body), once, and only until
// the address changes. The calls only read, and go out only when the tab
// holds its session's CSRF token (kept at sign-in or at a session check);
// without a session they fail as the app's own calls would.

// Where the tab keeps its session's CSRF token (sessionStorage: this origin
// and tab only).
export const CSRF_KEY = "monipaikka.csrf";

// A Connect unary call: its path ("/monipaikka.v1.Service/Method") and
// request message as Connect JSON.
export interface EarlyCall {
  path: string;
  body: unknown;
}

const early = new Map<string, Promise<Response>>();

// JSON with the keys of every object sorted: one text for equal messages.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function keyOf(path: string, body: unknown): string {
  return `${path}\n${canonical(body)}`;
}

export function sendEarly(calls: EarlyCall[]): void {
  const csrf = window.sessionStorage.getItem(CSRF_KEY);
  if (!csrf) return;
  window.addEventListener("hashchange", () => early.clear(), { once: true });
  for (const call of calls) {
    const key = keyOf(call.path, call.body);
    if (early.has(key)) continue;
    const response = fetch(call.path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1", "X-CSRF-Token": csrf },
      body: JSON.stringify(call.body),
    });
    // An unused answer's failure is nobody's concern.
    response.catch(() => undefined);
    early.set(key, response);
  }
}

// The early answer to a call the app is about to send (its URL and fetch
// options), once; undefined when there is none.
export function takeEarly(input: RequestInfo | URL, init?: RequestInit): Promise<Response> | undefined {
  if (early.size === 0 || init?.method !== "POST") return undefined;
  const body = init.body;
  const text = typeof body === "string" ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : undefined;
  if (text === undefined) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  const url = new URL(input instanceof Request ? input.url : String(input), window.location.origin);
  const key = keyOf(url.pathname, message);
  const response = early.get(key);
  early.delete(key);
  return response;
}
