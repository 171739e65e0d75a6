// The waiting room's state for one show: the queue's public status, live from its event
// stream (read every few seconds while the stream is down), and the visitor's own entry,
// read on arrival (so a refresh, a closed tab or a second device comes back to the same
// place), every few seconds while waiting, and at once when the status says their rank is
// served. Nothing here for a show without a queue.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import type { QueueEntry, QueueStatus, ShowDetail, User } from "../../api/types";
import { useAuth } from "../../lib/AuthContext";
import { usePolling } from "../../lib/hooks";

const entryEveryMs = 3000;
const statusEveryMs = 5000;

export function useQueue(showId: string, show: ShowDetail | null, user: User | null) {
  const { api } = useAuth();
  const hasQueue = show?.queue != null;
  const [status, setStatus] = useState<QueueStatus | null>(null);
  const [entry, setEntry] = useState<QueueEntry | null>(null);
  const [live, setLive] = useState(false);
  const [joining, setJoining] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const readStatus = useCallback(async () => {
    try { setStatus(await api.getQueueStatus(showId)); } catch { /* the stream or the next poll corrects it */ }
  }, [api, showId]);

  const readEntry = useCallback(async () => {
    if (!user) { setEntry(null); return; }
    try {
      setEntry(await api.getQueueEntry(showId));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setEntry(null);
    }
  }, [api, showId, user]);

  useEffect(() => {
    setStatus(null); setEntry(null);
    if (!hasQueue) return;
    void readStatus(); void readEntry();
  }, [hasQueue, readStatus, readEntry]);

  useEffect(() => {
    if (!hasQueue || typeof EventSource === "undefined") return undefined;
    const source = new EventSource(`/api/shows/${encodeURIComponent(showId)}/queue/events`);
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener("queue", (event) => {
      try { setStatus(JSON.parse((event as MessageEvent<string>).data) as QueueStatus); } catch { /* ignored */ }
    });
    return () => { source.close(); setLive(false); };
  }, [showId, hasQueue]);

  usePolling(() => { void readStatus(); }, statusEveryMs, hasQueue && !live);
  const waiting = entry?.state === "waiting";
  usePolling(() => { void readEntry(); }, entryEveryMs, hasQueue && waiting);

  // The status says this rank is served, or the queue closed: the entry has news.
  const served = waiting && entry.rank !== null && status !== null && status.serving >= entry.rank;
  const closed = waiting && status?.state === "closed";
  const ranked = waiting && entry.rank === null && status?.seed != null;
  const readEntryRef = useRef(readEntry);
  readEntryRef.current = readEntry;
  useEffect(() => { if (served || closed || ranked) void readEntryRef.current(); }, [served, closed, ranked]);

  const join = async () => {
    setJoining(true);
    setFailure(null);
    try {
      setEntry(await api.joinQueue(showId));
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : "You could not join the queue. Please try again.");
    } finally {
      setJoining(false);
    }
  };

  /** Admins: pause, resume or re-pace; answers with a sentence for the panel. */
  const control = async (change: { state?: "open" | "paused"; admitPerMinute?: number }): Promise<string | null> => {
    try {
      setStatus(await api.updateQueue(showId, change));
      return null;
    } catch (error) {
      return error instanceof ApiError ? (error.fieldMessage("admitPerMinute") ?? error.message) : "That did not work.";
    }
  };

  /** After a booking: a show with a queue has news of the entry (its pass is used). */
  const refreshEntry = async () => { if (hasQueue) await readEntry(); };

  return { hasQueue, status, entry, live, joining, failure, join, refreshEntry, control };
}
