// A hold waiting to be confirmed, with the time left. When the time is up it says so and
// lets the show page refresh the map.
import { useEffect, useRef } from "react";
import type { Booking } from "../../api/types";
import { bookedSeats, capitalize } from "../../lib/format";
import { useNow } from "../../lib/hooks";
import { describeRemaining, formatRemaining, remainingMs } from "../../lib/countdown";

export interface HoldPanelProps {
  hold: Booking;
  serverOffsetMs: number;
  busy: boolean;
  onConfirm: () => void;
  onRelease: () => void;
  onExpired: () => void;
}

export function HoldPanel({ hold, serverOffsetMs, busy, onConfirm, onRelease, onExpired }: HoldPanelProps) {
  const now = useNow(250);
  const left = hold.expiresAt ? remainingMs(hold.expiresAt, now, serverOffsetMs) : 0;
  const expired = left <= 0;
  const reported = useRef(false);

  useEffect(() => {
    if (expired && !reported.current) {
      reported.current = true;
      onExpired();
    }
  }, [expired, onExpired]);

  return (
    <section className="hold" aria-label="Your hold">
      <p className="hold-title">{capitalize(bookedSeats(hold))} {hold.seats.length === 1 ? "is" : "are"} held for you</p>
      <p className="hold-timer">
        Time left to confirm{" "}
        <span role="timer" className={left < 30_000 ? "countdown countdown-urgent" : "countdown"} aria-label={describeRemaining(left)}>
          {formatRemaining(left)}
        </span>
      </p>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onConfirm} disabled={busy || expired}>Confirm</button>
        <button type="button" className="button button-secondary" onClick={onRelease} disabled={busy || expired}>Release hold</button>
      </div>
    </section>
  );
}
