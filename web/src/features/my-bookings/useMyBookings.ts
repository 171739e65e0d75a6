// The visitor's bookings with their shows, and Cancel and Confirm with what to say after.
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import type { Booking, Show } from "../../api/types";
import { useAuth } from "../../lib/AuthContext";
import { seatsSentence } from "../../lib/format";

export function useMyBookings() {
  const { api, user } = useAuth();
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  const [shows, setShows] = useState<Record<string, Show | null>>({});
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const items = await api.listBookings();
      setBookings(items);
      const ids = [...new Set(items.map((booking) => booking.showId))];
      const found = await Promise.all(ids.map((id) => api.getShow(id).then((show) => show as Show, () => null)));
      setShows(Object.fromEntries(ids.map((id, index) => [id, found[index]])));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Your bookings could not be loaded.");
    }
  }, [api]);

  useEffect(() => { if (user) void load(); }, [user, load]);

  const act = async (booking: Booking, action: "cancel" | "confirm") => {
    setBusy(booking.id);
    setMessage(null);
    try {
      const updated = action === "cancel" ? await api.cancelBooking(booking.id) : await api.confirmBooking(booking.id);
      setBookings((current) => current?.map((item) => (item.id === updated.id ? updated : item)) ?? null);
      setMessage({
        kind: "success",
        text: action === "cancel"
          ? `Booking cancelled. ${seatsSentence(updated.seats, "is", "are")} free again.`
          : `Confirmed! ${seatsSentence(updated.seats, "is", "are")} yours.`,
      });
    } catch (failure) {
      setMessage({ kind: "error", text: failure instanceof ApiError ? failure.message : "That did not work. Please try again." });
      void load();
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };


  return { user, serverOffsetMs: api.serverOffsetMs, bookings, shows, error, message, confirming, setConfirming, busy, load, act };
}
