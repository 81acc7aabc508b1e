// Hash routes: #/portfolio, #/site/<code>, #/floor/<code>[/<floor>],
// #/live/<code>[?kiosk=1], #/consolidation, #/hr. Query parameters after
// "?" carry a page's choices (dates, filters) so a view can be bookmarked.
import { useEffect, useState } from "react";

export interface Route {
  page: string;
  args: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, "");
  const [path, q] = h.split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || "", args: parts.slice(1), query: new URLSearchParams(q || "") };
}

export function href(page: string, args: string[] = [], query?: Record<string, string>): string {
  const path = [page, ...args.map(encodeURIComponent)].join("/");
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "")).toString() : "";
  return `#/${path}${q ? "?" + q : ""}`;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parseRoute(hash);
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, "");
}
