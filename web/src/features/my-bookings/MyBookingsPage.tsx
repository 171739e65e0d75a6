// The visitor's bookings, newest first, with a confirmation step before a cancel.
import { useEffect, useRef } from "react";
import type { Booking } from "../../api/types";
import { Link } from "../../app/router";
import { formatRemaining, remainingMs } from "../../lib/countdown";
import { bookedSeats, capitalize, formatClock, formatShowTime } from "../../lib/format";
import { useNow, useTitle } from "../../lib/hooks";
import { Callout, Empty, ErrorMessage, Loading } from "../../components/Status";
import { useMyBookings } from "./useMyBookings";

/** What a booking's state is called on screen; a lapsed hold reads as expired at once. */
export function statusLabel(booking: Booking, leftMs: number): { text: string; tone: string } {
  switch (booking.status) {
    case "CONFIRMED": return { text: "Confirmed", tone: "ok" };
    case "CANCELLED": return { text: "Cancelled", tone: "off" };
    case "EXPIRED": return { text: "Expired", tone: "off" };
    case "PENDING": return leftMs > 0 ? { text: "Held", tone: "wait" } : { text: "Expired", tone: "off" };
  }
}

export function MyBookingsPage() {
  const { user, bookings, shows, error, message, confirming, setConfirming, busy, load, act, serverOffsetMs } = useMyBookings();
  const now = useNow(1000);
  useTitle("My bookings");

  if (!user) {
    return (
      <Empty title="Log in to see your bookings">
        <p><Link to="/login?next=%2Fbookings">Log in</Link> or <Link to="/signup?next=%2Fbookings">sign up</Link>.</p>
      </Empty>
    );
  }

  return (
    <section>
      <header className="page-header">
        <h1>My bookings</h1>
        <p className="muted">Newest first.</p>
      </header>
      {message && <Callout kind={message.kind}>{message.text}</Callout>}
      {bookings === null && !error && <Loading label="Loading your bookings…" />}
      {error && <ErrorMessage message={error} onRetry={() => { void load(); }} />}
      {bookings !== null && bookings.length === 0 && (
        <Empty title="No bookings yet">
          <p><Link to="/">Find a show</Link> and pick your seats.</p>
        </Empty>
      )}
      {bookings !== null && bookings.length > 0 && (
        <ul className="booking-list">
          {bookings.map((booking) => {
            const show = shows[booking.showId];
            const left = booking.expiresAt ? remainingMs(booking.expiresAt, now, serverOffsetMs) : 0;
            const status = statusLabel(booking, left);
            const active = booking.status === "CONFIRMED" || (booking.status === "PENDING" && left > 0);
            return (
              <li key={booking.id} className="booking-card">
                <div className="booking-main">
                  <h2>
                    {show ? <Link to={`/shows/${encodeURIComponent(show.id)}`}>{show.name}</Link> : show === null ? "Show no longer listed" : "Loading show…"}
                  </h2>
                  {show && <p className="muted"><time dateTime={show.startTime}>{formatShowTime(show.startTime)}</time></p>}
                  <p>{capitalize(bookedSeats(booking))}</p>
                  {booking.status === "PENDING" && booking.expiresAt && left > 0 && (
                    <p className="hint">Hold ends at {formatClock(booking.expiresAt)} ({formatRemaining(left)} left). Confirm it to keep the seats.</p>
                  )}
                </div>
                <div className="booking-side">
                  <span className={`status status-${status.tone}`}>{status.text}</span>
                  {active && confirming !== booking.id && (
                    <div className="actions">
                      {booking.status === "PENDING" && (
                        <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => { void act(booking, "confirm"); }}>Confirm</button>
                      )}
                      <button type="button" className="button button-danger-outline" disabled={busy !== null} onClick={() => setConfirming(booking.id)}>Cancel booking</button>
                    </div>
                  )}
                </div>
                {active && confirming === booking.id && (
                  <CancelConfirmation
                    booking={booking}
                    showName={show?.name ?? "this show"}
                    busy={busy === booking.id}
                    onCancel={() => { void act(booking, "cancel"); }}
                    onKeep={() => setConfirming(null)}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function CancelConfirmation({ booking, showName, busy, onCancel, onKeep }: {
  booking: Booking; showName: string; busy: boolean; onCancel: () => void; onKeep: () => void;
}) {
  const keep = useRef<HTMLButtonElement>(null);
  // The safe choice takes the focus, so a second Enter does not cancel by accident.
  useEffect(() => { keep.current?.focus(); }, []);
  const titleId = `cancel-${booking.id}`;
  return (
    <div className="confirm-box" role="alertdialog" aria-labelledby={titleId}>
      <p id={titleId}><strong>Cancel {bookedSeats(booking)} for {showName}?</strong> The seats go back on sale at once.</p>
      <div className="actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={onCancel}>{busy ? "Cancelling…" : "Cancel booking"}</button>
        <button type="button" ref={keep} className="button button-secondary" disabled={busy} onClick={onKeep}>Keep booking</button>
      </div>
    </div>
  );
}
