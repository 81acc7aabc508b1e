// Local calendar days ("YYYY-MM-DD") in Europe/Helsinki, the default site
// time zone, for the default report windows.
export function helsinkiToday(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(new Date());
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

export function defaultWindow(): { from: string; to: string } {
  const to = addDays(helsinkiToday(), -1);
  return { from: addDays(to, -27), to };
}

export function lastMonthEnd(): string {
  const today = helsinkiToday();
  return addDays(today.slice(0, 8) + "01", -1);
}

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
}
