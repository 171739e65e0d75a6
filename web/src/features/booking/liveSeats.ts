// Keeps a seat map current from the show's event stream (GET /api/shows/{id}/events).
import { useEffect, useRef, useState } from "react";
import type { ShowDetail } from "../../api/types";

export interface SeatChange {
  taken: number[];
  freed: number[];
}

/**
 * The show with a change applied: seats taken or freed, and the count of free seats to match.
 * The stream reports a seat blocked as taken and unblocked as freed, so a freed seat leaves
 * the blocked ones too (a blocked one stays blocked until the next read says otherwise).
 */
export function applySeatChange(show: ShowDetail, change: SeatChange): ShowDetail {
  const taken = new Set(show.takenSeats);
  const blocked = new Set(show.blockedSeats ?? []);
  for (const seat of change.freed) { taken.delete(seat); blocked.delete(seat); }
  for (const seat of change.taken) if (!blocked.has(seat)) taken.add(seat);
  return withTakenSeats({ ...show, blockedSeats: [...blocked].sort((a, b) => a - b) }, [...taken]);
}

/** The show with exactly these seats unavailable (a snapshot lists blocked seats among them). */
export function withTakenSeats(show: ShowDetail, seats: number[]): ShowDetail {
  const blocked = show.blockedSeats ?? [];
  const blockedSet = new Set(blocked);
  const takenSeats = [...seats].filter((seat) => !blockedSet.has(seat)).sort((a, b) => a - b);
  return { ...show, takenSeats, availableSeats: Math.max(0, show.totalSeats - takenSeats.length - blocked.length) };
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

const isSeatList = (value: unknown): value is number[] => Array.isArray(value) && value.every(Number.isInteger);

/**
 * Subscribes to the show's live events while `active`, and passes each change to `update`.
 * Returns whether the stream is connected; while it is not, the caller keeps polling.
 * EventSource reconnects by itself and resumes with Last-Event-ID.
 */
export function useLiveSeats(showId: string, active: boolean, update: (change: (show: ShowDetail) => ShowDetail) => void): boolean {
  const [connected, setConnected] = useState(false);
  const latest = useRef(update);
  latest.current = update;

  useEffect(() => {
    if (!active || typeof EventSource === "undefined") return undefined;
    const source = new EventSource(`/api/shows/${encodeURIComponent(showId)}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("snapshot", (event) => {
      const data = parse((event as MessageEvent<string>).data) as { takenSeats?: unknown } | null;
      if (data && isSeatList(data.takenSeats)) {
        const seats = data.takenSeats;
        latest.current((show) => withTakenSeats(show, seats));
      }
    });
    source.addEventListener("seats", (event) => {
      const data = parse((event as MessageEvent<string>).data) as { taken?: unknown; freed?: unknown } | null;
      if (data && isSeatList(data.taken) && isSeatList(data.freed)) {
        const change = { taken: data.taken, freed: data.freed };
        latest.current((show) => applySeatChange(show, change));
      }
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [showId, active]);

  return connected;
}
