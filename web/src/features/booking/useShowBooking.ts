// The booking state of one show's page: the show and its live seat map, the visitor's own
// bookings of it, the selection, and Book, Hold, Confirm and Release with what to tell the
// visitor after each. The map follows the show's live event stream (and is read again after
// every action); while the stream is down it is read every few seconds instead.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import type { Booking, ShowDetail } from "../../api/types";
import { useAuth } from "../../lib/AuthContext";
import { remainingMs } from "../../lib/countdown";
import { bookedSeats, capitalize, listNames } from "../../lib/format";
import { usePolling, useTitle } from "../../lib/hooks";
import { newIdempotencyKey } from "./idempotency";
import { applySeatChange, useLiveSeats } from "./liveSeats";
import { keepFree, toggleSeat } from "./seatGrid";
import type { BestAvailableRequest } from "./BestAvailableForm";
import type { Hall } from "../../lib/venuePlan";
import { hallOf, seatNames } from "../../lib/venuePlan";

/** How often the map asks for changes while it is on screen and the live stream is down. */
const refreshEveryMs = 4000;
/** With the live stream up, an occasional full read still corrects anything missed. */
const refreshWhileLiveMs = 30_000;

export type Message = { kind: "success" | "info" | "warning" | "error"; text: string };
export type Busy = "book" | "hold" | "confirm" | "release" | "block" | null;

/** For a show with a queue: the pass to book with, and what to do once a booking is made. */
export interface QueueHooks {
  queuePass: () => string | null;
  onBooked: () => void;
}

export function useShowBooking(showId: string, queue?: QueueHooks) {
  const { api, user } = useAuth();
  const [show, setShow] = useState<ShowDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [mine, setMine] = useState<Booking[]>([]);
  const [selected, setSelected] = useState<number[]>([]);
  const [conflicts, setConflicts] = useState<ReadonlySet<number>>(new Set());
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [hall, setHall] = useState<Hall | null>(null);
  const [hallError, setHallError] = useState(false);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useTitle(show?.name ?? "Show");

  const refreshShow = useCallback(async () => {
    try {
      setShow(await api.getShow(showId));
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof ApiError ? error : new ApiError(0, "The show could not be loaded."));
    }
  }, [api, showId]);

  const refreshMine = useCallback(async () => {
    if (!user) { setMine([]); return; }
    try {
      const bookings = await api.listBookings();
      setMine(bookings.filter((booking) => booking.showId === showId));
    } catch {
      // The map still works without the visitor's own bookings; the next refresh retries.
    }
  }, [api, user, showId]);

  useEffect(() => {
    setShow(null); setHall(null); setHallError(false); setSelected([]); setConflicts(new Set()); setMessage(null);
    void refreshShow();
  }, [refreshShow]);
  // The plan of the show's venue, once: it never changes.
  const venueId = show?.venueId ?? null;
  useEffect(() => {
    if (venueId === null) return undefined;
    let current = true;
    api.getShowLayout(showId)
      .then((layout) => { if (current) setHall(hallOf(layout)); })
      .catch(() => { if (current) setHallError(true); });
    return () => { current = false; };
  }, [api, showId, venueId]);
  useEffect(() => { void refreshMine(); }, [refreshMine]);
  const live = useLiveSeats(showId, show !== null, (change) => setShow((current) => (current ? change(current) : current)));
  usePolling(() => { void refreshShow(); }, live ? refreshWhileLiveMs : refreshEveryMs, show !== null);

  const taken = useMemo(() => new Set(show?.takenSeats ?? []), [show]);
  const blocked = useMemo(() => new Set(show?.blockedSeats ?? []), [show]);
  /** Taken or blocked: what a map without a plan shows as not to be had. */
  const unavailable = useMemo(() => new Set([...taken, ...blocked]), [taken, blocked]);
  /** Seats for a sentence: "Stalls, Row A, Seat 3 and …" on a venue, "seats 3 and 4" otherwise. */
  const named = (seats: readonly number[]) => (hall ? listNames(seatNames(seats, hall)) : bookedSeats({ seats }));
  const now = Date.now();
  const active = mine.filter((booking) =>
    booking.status === "CONFIRMED"
    || (booking.status === "PENDING" && booking.expiresAt !== null && remainingMs(booking.expiresAt, now, api.serverOffsetMs) > 0));
  const mySeats = new Set(active.flatMap((booking) => booking.seats).filter((seat) => taken.has(seat)));
  // A hold stays on screen until its own countdown reports the end, so the visitor is
  // always told that it expired rather than seeing it vanish on the next refresh.
  const holds = mine.filter((booking) => booking.status === "PENDING");

  // When a refresh shows that someone else took a selected seat, say so and drop it.
  useEffect(() => {
    const gone = (seat: number) => taken.has(seat) || blocked.has(seat);
    const lost = selectedRef.current.filter(gone);
    // A seat stays "just taken" while it is taken; a blocked one shows as not for sale.
    setConflicts((previous) => new Set([...previous, ...lost].filter((seat) => taken.has(seat))));
    if (lost.length === 0) return;
    setSelected((current) => keepFree(current, (seat) => !gone(seat)));
    setMessage({ kind: "warning", text: `${capitalize(named(lost))} ${lost.length === 1 ? "was" : "were"} just taken by someone else.` });
  }, [taken, blocked]);

  const afterAction = () => { void refreshShow(); void refreshMine(); };

  const book = async (hold: boolean) => {
    const seats = selectedRef.current;
    if (seats.length === 0) return;
    setBusy(hold ? "hold" : "book");
    setMessage(null);
    try {
      const booking = await api.createBooking({ showId, seats, hold }, newIdempotencyKey(), queue?.queuePass());
      queue?.onBooked();
      // The ref too, at once: the live stream may already have marked these seats taken, and
      // the effect above, run before the next render, would call them taken by someone else.
      selectedRef.current = [];
      setSelected([]);
      setMine((current) => [booking, ...current]);
      // A hold speaks for itself in its panel, with the time left.
      setMessage(hold ? null : { kind: "success", text: `Booked! ${capitalize(bookedSeats(booking))} ${isAre(booking.seats)} yours.` });
    } catch (error) {
      setMessage(bookingFailure(error, named, (lost) => {
        setConflicts((previous) => new Set([...previous, ...lost]));
        setSelected((current) => current.filter((seat) => !lost.includes(seat)));
      }));
    } finally {
      setBusy(null);
      afterAction();
    }
  };

  /** For admins: replaces the blocked seats; the seats picked to block leave the selection. */
  const setBlockedSeats = async (seats: number[]) => {
    setBusy("block");
    setMessage(null);
    // Cleared first: the live stream may report the seats taken before this call answers,
    // and they are not "taken by someone else".
    const picked = selectedRef.current;
    selectedRef.current = [];
    setSelected([]);
    try {
      const answer = await api.setBlockedSeats(showId, seats);
      setShow((current) => (current ? { ...current, blockedSeats: answer.seats } : current));
      setMessage({ kind: "info", text: answer.seats.length === 0 ? "Every seat is on sale." : `${answer.seats.length === 1 ? "1 seat is" : `${answer.seats.length} seats are`} not for sale.` });
    } catch (error) {
      setSelected(picked);
      setMessage(bookingFailure(error, named, (lost) => {
        setSelected((current) => current.filter((seat) => !lost.includes(seat)));
      }));
    } finally {
      setBusy(null);
      afterAction();
    }
  };

  /** Best available: the server picks the seats, books or holds them, and says which. */
  const bookBest = async (request: BestAvailableRequest) => {
    setBusy(request.hold ? "hold" : "book");
    setMessage(null);
    try {
      const booking = await api.createBooking({ showId, ...request }, newIdempotencyKey(), queue?.queuePass());
      queue?.onBooked();
      setMine((current) => [booking, ...current]);
      const seats = capitalize(bookedSeats(booking));
      setMessage(request.hold
        ? { kind: "success", text: `Held for you: ${seats}. Confirm the hold to keep them.` }
        : { kind: "success", text: `Booked! You got ${seats}.` });
    } catch (error) {
      setMessage(bestAvailableFailure(error, request));
    } finally {
      setBusy(null);
      afterAction();
    }
  };

  const settle = async (hold: Booking, action: "confirm" | "release") => {
    setBusy(action);
    setMessage(null);
    try {
      const updated = action === "confirm" ? await api.confirmBooking(hold.id) : await api.cancelBooking(hold.id);
      setMine((current) => current.map((booking) => (booking.id === updated.id ? updated : booking)));
      const seats = capitalize(bookedSeats(updated));
      setMessage(action === "confirm"
        ? { kind: "success", text: `Confirmed! ${seats} ${isAre(updated.seats)} yours.` }
        : { kind: "info", text: `Hold released. ${seats} ${isAre(updated.seats)} free again.` });
    } catch (error) {
      const text = error instanceof ApiError && error.status === 410
        ? "Your hold expired before it was confirmed, so the seats were released."
        : error instanceof ApiError ? error.message : "That did not work. Please try again.";
      setMessage({ kind: "error", text });
    } finally {
      setBusy(null);
      afterAction();
    }
  };

  const onHoldExpired = useCallback((hold: Booking) => {
    setMine((current) => current.map((booking) => (booking.id === hold.id ? { ...booking, status: "EXPIRED", expiresAt: null } : booking)));
    setMessage({ kind: "warning", text: `Your hold on ${bookedSeats(hold)} has expired and the seats were released. Pick seats again to book.` });
    // The server counts a lapsed hold's seats as free at once; the map need not wait to hear it.
    setShow((current) => (current ? applySeatChange(current, { taken: [], freed: hold.seats }) : current));
  }, []);

  return {
    user, serverOffsetMs: api.serverOffsetMs, show, hall, hallError, loadError, refreshShow, taken, blocked, unavailable, mySeats,
    holds, selected, selectedNames: hall ? seatNames(selected, hall) : null, conflicts, message, busy, book, bookBest,
    settle, onHoldExpired, setBlockedSeats, names: (seats: readonly number[]) => seatNames(seats, hall),
    toggle: (seat: number) => { setSelected((current) => toggleSeat(current, seat)); },
    clearSelection: () => setSelected([]),
  };
}

const isAre = (seats: readonly number[]) => (seats.length === 1 ? "is" : "are");

/** What to tell the visitor when a booking fails; `markTaken` gets the seats someone else took. */
function bookingFailure(error: unknown, named: (seats: readonly number[]) => string, markTaken: (seats: number[]) => void): Message {
  if (!(error instanceof ApiError)) return { kind: "error", text: "That did not work. Please try again." };
  if (error.status === 409 && error.conflictingSeats.length > 0) {
    markTaken(error.conflictingSeats);
    const lost = error.conflictingSeats;
    return {
      kind: "error",
      text: `${capitalize(named(lost))} ${lost.length === 1 ? "was" : "were"} just taken by someone else. `
        + "Your other seats are still selected.",
    };
  }
  if (error.status === 403 && error.type?.startsWith("/problems/queue-pass")) {
    return { kind: "error", text: "Your turn in the queue has ended or was used, so this booking was not made." };
  }
  return { kind: "error", text: error.fieldMessage("seats") ?? error.message };
}

/** What to tell the visitor when best available finds nothing, or fails. */
export function bestAvailableFailure(error: unknown, request: { quantity: number }): Message {
  if (!(error instanceof ApiError)) return { kind: "error", text: "That did not work. Please try again." };
  if (error.type === "/problems/no-adjacent-seats") {
    const largest = error.largestBlock ?? 0;
    return {
      kind: "warning",
      text: largest === 0
        ? "No free seats match what you asked for. Try another section or category."
        : `No ${request.quantity} seats side by side are free; the most together now is ${largest}. `
          + "Ask for fewer, or pick seats on the map.",
    };
  }
  return { kind: "error", text: error.fieldMessage("quantity") ?? error.fieldMessage("section") ?? error.message };
}
