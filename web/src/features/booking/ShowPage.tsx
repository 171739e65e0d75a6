// One show: its seat map, the visitor's selection, Book and Hold, and any hold waiting to
// be confirmed. The state and the calls are in useShowBooking; this is the layout.
import { useRef } from "react";
import { Link } from "../../app/router";
import { Callout, ErrorMessage, Loading } from "../../components/Status";
import { countSeats, formatShowTime, seatsLeft } from "../../lib/format";
import { BestAvailableForm } from "./BestAvailableForm";
import { BlockedSeatsPanel } from "./BlockedSeatsPanel";
import { HoldPanel } from "./HoldPanel";
import { SeatMap } from "./SeatMap";
import { useShowBooking } from "./useShowBooking";
import { VenueSeatMap } from "../../components/VenueSeatMap";
import { useNow } from "../../lib/hooks";
import { QueueAdminPanel } from "./QueueAdminPanel";
import { QueuePanel } from "./QueuePanel";
import { queuePhase } from "./queueView";
import { useQueue } from "./useQueue";

/** The most seats best available offers to pick at once (the server's default limit is 10). */
const bestAvailableMax = 10;

export function ShowPage({ showId }: { showId: string }) {
  // The queue's pass and its news reach the booking calls through refs: the queue's state
  // needs the show, which the booking state loads.
  const passRef = useRef<string | null>(null);
  const bookedRef = useRef<() => void>(() => {});
  const {
    user, serverOffsetMs, show, hall, hallError, loadError, refreshShow, taken, blocked, unavailable, mySeats, holds, selected,
    selectedNames, conflicts, message, busy, book, bookBest, settle, onHoldExpired, toggle, clearSelection,
    setBlockedSeats, names,
  } = useShowBooking(showId, { queuePass: () => passRef.current, onBooked: () => bookedRef.current() });
  const queue = useQueue(showId, show, user);
  const now = useNow(1000, show?.onSaleAt != null || queue.hasQueue);
  const phase = show ? queuePhase(show, queue.status, queue.entry, now, serverOffsetMs) : { kind: "open" as const };
  passRef.current = phase.kind === "admitted" ? phase.pass : null;
  bookedRef.current = () => { void queue.refreshEntry(); };
  /** Open to this visitor: on sale, and their turn when the show has a queue. */
  const canBook = phase.kind === "open" || phase.kind === "admitted";

  if (!show) {
    if (loadError) {
      return loadError.status === 404
        ? <NotFoundShow />
        : <ErrorMessage message={loadError.message} onRetry={() => { void refreshShow(); }} />;
    }
    return <Loading label="Loading the seat map…" />;
  }

  return (
    <article className="show-page">
      <header className="page-header">
        <p className="breadcrumb"><Link to="/">All shows</Link></p>
        <h1>{show.name}</h1>
        <p className="meta">
          <time dateTime={show.startTime}>{formatShowTime(show.startTime)}</time>
          <span className={show.availableSeats > 0 ? "badge" : "badge badge-soldout"}>{seatsLeft(show.availableSeats)}</span>
        </p>
      </header>
      {loadError && <Callout kind="warning">The seat map could not be refreshed. It may be out of date.</Callout>}
      <div className="show-layout">
        <section className="panel map-panel" aria-label="Seats">
          {show.venueId === null
            ? (
              <SeatMap
                totalSeats={show.totalSeats}
                taken={unavailable}
                mine={mySeats}
                conflicts={conflicts}
                selected={selected}
                onToggle={toggle}
              />
            )
            : hall
              ? (
                <VenueSeatMap
                  hall={hall}
                  taken={taken}
                  blocked={blocked}
                  mine={mySeats}
                  conflicts={conflicts}
                  selected={selected}
                  onToggle={toggle}
                />
              )
              : hallError
                ? <ErrorMessage message="The seating plan could not be loaded." onRetry={() => { void refreshShow(); }} />
                : <Loading label="Loading the seating plan…" />}
        </section>
        <aside className="panel side-panel" aria-label="Your booking">
          <QueuePanel
            phase={phase}
            signedIn={user !== null}
            showId={show.id}
            joining={queue.joining}
            failure={queue.failure}
            onJoin={() => { void queue.join(); }}
          />
          {message && <Callout kind={message.kind}>{message.text}</Callout>}
          {holds.map((hold) => (
            <HoldPanel
              key={hold.id}
              hold={hold}
              serverOffsetMs={serverOffsetMs}
              busy={busy !== null}
              onConfirm={() => { void settle(hold, "confirm"); }}
              onRelease={() => { void settle(hold, "release"); }}
              onExpired={() => onHoldExpired(hold)}
            />
          ))}
          {canBook && <>
          <h2>Your selection</h2>
          {selected.length === 0
            ? <p className="muted">{show.availableSeats > 0 ? "No seats selected. Pick free seats on the map." : "This show is sold out."}</p>
            : (
              <p className="selection">
                <strong>{countSeats(selected.length)}</strong>: {selectedNames ? selectedNames.join("; ") : selected.join(", ")}{" "}
                <button type="button" className="link-button" onClick={clearSelection}>Clear</button>
              </p>
            )}
          {user ? (
            <div className="actions">
              <button type="button" className="button button-primary" disabled={selected.length === 0 || busy !== null} onClick={() => { void book(false); }}>
                {busy === "book" ? "Booking…" : "Book"}
              </button>
              <button type="button" className="button button-secondary" disabled={selected.length === 0 || busy !== null} onClick={() => { void book(true); }}>
                {busy === "hold" ? "Holding…" : "Hold"}
              </button>
            </div>
          ) : (
            <p className="muted">
              <Link to={`/login?next=${encodeURIComponent(`/shows/${show.id}`)}`}>Log in</Link> or{" "}
              <Link to={`/signup?next=${encodeURIComponent(`/shows/${show.id}`)}`}>sign up</Link> to book seats.
            </p>
          )}
          <p className="hint">Book takes the seats at once. Hold keeps them for you for a few minutes while you decide.</p>
          </>}
          {canBook && hall && show.availableSeats > 0 && (
            <BestAvailableForm
              hall={hall}
              sections={show.sections}
              maxSeats={bestAvailableMax}
              busy={busy !== null}
              signedIn={user !== null}
              onRequest={(request) => { void bookBest(request); }}
            />
          )}
          {user?.role === "admin" && queue.status && <QueueAdminPanel status={queue.status} onChange={queue.control} />}
          {user?.role === "admin" && (
            <BlockedSeatsPanel
              blocked={show.blockedSeats}
              names={names}
              selected={selected}
              busy={busy !== null}
              onChange={(seats) => { void setBlockedSeats(seats); }}
            />
          )}
        </aside>
      </div>
    </article>
  );
}

function NotFoundShow() {
  return (
    <div className="state state-empty">
      <p className="state-title">This show does not exist</p>
      <p>It may have been removed, or the link is wrong.</p>
      <p><Link to="/">See all shows</Link></p>
    </div>
  );
}
