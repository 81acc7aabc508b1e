// The portfolio page's choices from its address and the data calls it makes
// for them, as Connect JSON: the page's first calls may go out before the
// app has loaded (see early.ts). Small and free of the app's libraries.
import { defaultWindow, isDay } from "../dates";
import type { EarlyCall } from "../early";

export interface PortfolioChoices {
  from: string;
  to: string;
  org: string;
  kind: string;
}

export function portfolioChoices(q: URLSearchParams): PortfolioChoices {
  const from = q.get("from") ?? "";
  const to = q.get("to") ?? "";
  // The default window only when needed: its first time-zone lookup is slow.
  const win = isDay(from) && isDay(to) ? { from, to } : defaultWindow();
  return {
    from: isDay(from) ? from : win.from,
    to: isDay(to) ? to : win.to,
    org: q.get("org") ?? "",
    kind: q.get("kind") ?? "",
  };
}

// The usage reports by site the page reads: the chosen organizations' (all
// when none), the shared-use desks' ("-") and, when one organization is
// chosen, all organizations' (for the shared-use share).
export function portfolioUsageScopes(org: string): string[][] {
  return org ? [[org], ["-"], []] : [[], ["-"]];
}

// The calls as the app's transport sends them (Connect JSON leaves out
// empty fields).
export function portfolioCalls(c: PortfolioChoices): EarlyCall[] {
  const usage = (organizations: string[]): EarlyCall => ({
    path: "/monipaikka.v1.AnalyticsService/GetUsageReport",
    body: { scope: organizations.length ? { organizations } : {}, fromDate: c.from, toDate: c.to, groupBy: "GROUPING_SITE" },
  });
  return [
    { path: "/monipaikka.v1.InventoryService/ListOrganizations", body: {} },
    { path: "/monipaikka.v1.InventoryService/ListSites", body: {} },
    ...portfolioUsageScopes(c.org).map(usage),
    { path: "/monipaikka.v1.AnalyticsService/GetSpaceEfficiency", body: { asOf: c.to } },
  ];
}
