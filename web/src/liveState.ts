// Keeps the live occupancy of a site current from WatchLiveOccupancy: the
// first message is a snapshot, later ones carry only what changed.
import { useEffect, useState } from "react";
import { live } from "./api";
import type { LiveOccupancy, LiveOccupancyUpdate } from "./gen/monipaikka/v1/live_pb";

export function applyUpdate(current: LiveOccupancy | null, update: LiveOccupancyUpdate): LiveOccupancy | null {
  const next = update.occupancy;
  if (!next) return current;
  if (update.snapshot || !current) return next;
  const merge = <T,>(old: T[], changed: T[], key: (x: T) => string) => {
    const m = new Map(old.map((x) => [key(x), x]));
    for (const c of changed) m.set(key(c), c);
    return [...m.values()];
  };
  return {
    ...current,
    asOfMs: next.asOfMs,
    workstations: merge(current.workstations, next.workstations, (w) => w.workstation),
    rooms: merge(current.rooms, next.rooms, (r) => r.space),
    spaces: merge(current.spaces, next.spaces, (s) => s.space),
    workstationsTotal: next.workstationsTotal,
    free: next.free,
    occupied: next.occupied,
    unknown: next.unknown,
  };
}

export function useLiveOccupancy(site: string): { occupancy: LiveOccupancy | null; connected: boolean; error: unknown } {
  const [occupancy, setOccupancy] = useState<LiveOccupancy | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!site) return;
    const abort = new AbortController();
    let delay = 500;
    (async () => {
      while (!abort.signal.aborted) {
        try {
          let state: LiveOccupancy | null = null;
          for await (const update of live.watchLiveOccupancy({ site }, { signal: abort.signal })) {
            state = applyUpdate(state, update);
            setOccupancy(state);
            setConnected(true);
            setError(null);
            delay = 500;
          }
        } catch (e) {
          if (abort.signal.aborted) return;
          const code = (e as { code?: number }).code;
          setError(e);
          // Refused or unknown: retrying will not help.
          if (code === 5 || code === 7 || code === 16) {
            setConnected(false);
            return;
          }
        }
        setConnected(false);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10000);
      }
    })();
    return () => abort.abort();
  }, [site]);
  return { occupancy, connected, error };
}
