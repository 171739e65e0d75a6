// What the waiting room says, worked out from the show, the queue's public status and the
// visitor's entry, without React: a countdown before the on-sale, then the visitor's place,
// the people ahead, the estimate as a range and a progress bar, then their turn with the
// pass's time left, or a closed or expired state. Tested in queueView.test.ts.
import type { QueueEntry, QueueStatus, ShowDetail } from "../../api/types";
import { formatRemaining, remainingMs } from "../../lib/countdown";

export type QueuePhase =
  /** Not on sale yet, and no queue: booking opens at onSaleAt. */
  | { kind: "not-on-sale"; opensInMs: number }
  /** A queue the visitor has not joined (yet). */
  | { kind: "join"; opensInMs: number; closed: boolean }
  /** In line: before the draw (`rank` null) or ranked. */
  | {
    kind: "waiting"; rank: number | null; aheadOfYou: number; estimate: string | null; progress: number | null;
    likelySoldOut: boolean; paused: boolean; opensInMs: number;
  }
  /** Your turn: book with the pass before it runs out. */
  | { kind: "admitted"; pass: string; leftMs: number }
  | { kind: "done" }
  | { kind: "expired" }
  | { kind: "closed" }
  /** Booking is open to this visitor: no queue, on sale. */
  | { kind: "open" };

/** The phase at `nowMs` (this browser's clock; `offsetMs` is the server's minus it). */
export function queuePhase(
  show: Pick<ShowDetail, "onSaleAt" | "queue">, status: QueueStatus | null, entry: QueueEntry | null, nowMs: number, offsetMs = 0,
): QueuePhase {
  const opensInMs = show.onSaleAt ? remainingMs(show.onSaleAt, nowMs, offsetMs) : 0;
  if (!show.queue) return opensInMs > 0 ? { kind: "not-on-sale", opensInMs } : { kind: "open" };
  const state = status?.state ?? show.queue.state;
  if (!entry) return { kind: "join", opensInMs, closed: state === "closed" };
  switch (entry.state) {
    case "admitted": {
      const leftMs = entry.passExpiresAt ? remainingMs(entry.passExpiresAt, nowMs, offsetMs) : 0;
      return entry.pass && leftMs > 0 ? { kind: "admitted", pass: entry.pass, leftMs } : { kind: "expired" };
    }
    case "done": return { kind: "done" };
    case "expired": return { kind: "expired" };
    case "closed": return { kind: "closed" };
    case "waiting": {
      if (state === "closed") return { kind: "closed" };
      // The status stream moves more often than the entry is read: the place follows it.
      const serving = status?.serving ?? 0;
      const aheadOfYou = entry.rank !== null ? Math.max(0, entry.rank - serving - 1) : entry.aheadOfYou;
      const progress = entry.rank !== null && entry.rank > 0 ? Math.min(1, serving / entry.rank) : null;
      return {
        kind: "waiting", rank: entry.rank, aheadOfYou, estimate: describeWait(entry.estimatedWaitSeconds),
        progress, likelySoldOut: entry.likelySoldOut, paused: state === "paused", opensInMs,
      };
    }
  }
}

/** "about 2 to 3 minutes", "under a minute", "1 to 2 hours"; null when unknown. */
export function describeWait(estimate: { low: number; high: number } | null): string | null {
  if (!estimate) return null;
  const { low, high } = estimate;
  if (high < 60) return "under a minute";
  if (high < 3600) {
    const lo = Math.max(1, Math.floor(low / 60));
    const hi = Math.max(lo, Math.ceil(high / 60));
    return lo === hi ? `about ${plural(lo, "minute")}` : `about ${lo} to ${plural(hi, "minute")}`;
  }
  const lo = Math.max(1, Math.floor(low / 3600));
  const hi = Math.max(lo, Math.ceil(high / 3600));
  return lo === hi ? `about ${plural(lo, "hour")}` : `about ${lo} to ${plural(hi, "hour")}`;
}

/** "2:05" to a moment: minutes and seconds, or "1 h 02 min" past an hour. */
export function formatCountdown(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  if (seconds < 3600) return formatRemaining(ms);
  const hours = Math.floor(seconds / 3600);
  return `${hours} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")} min`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
