// The waiting room on a show's page: a countdown to the on-sale with Join the queue, then
// "You are in line" with the place, the people ahead, the estimate and a progress bar
// (live), a plain warning when the seats will likely be gone first, the visitor's turn with
// the pass's time left, and closed or expired states. No state is told by colour alone.
import type { QueuePhase } from "./queueView";
import { formatCountdown } from "./queueView";
import { Link } from "../../app/router";
import { describeRemaining } from "../../lib/countdown";

export function QueuePanel({ phase, signedIn, showId, joining, failure, onJoin }: {
  phase: QueuePhase; signedIn: boolean; showId: string; joining: boolean; failure: string | null; onJoin: () => void;
}) {
  switch (phase.kind) {
    case "open":
      return null;
    case "not-on-sale":
      return (
        <div className="queue-panel" role="status">
          <h2>On sale soon</h2>
          <p>Booking opens in <strong className="countdown">{formatCountdown(phase.opensInMs)}</strong>.</p>
        </div>
      );
    case "join":
      return (
        <div className="queue-panel">
          <h2>{phase.closed ? "Sold out" : phase.opensInMs > 0 ? "Queue for the on-sale" : "Queue to book"}</h2>
          {phase.closed
            ? <p>Every seat has been sold. The queue is closed.</p>
            : (
              <>
                {phase.opensInMs > 0
                  ? <p>Sales open in <strong className="countdown">{formatCountdown(phase.opensInMs)}</strong>. Everyone who joins before then gets a place drawn at random at opening time, so there is no need to rush.</p>
                  : <p>This show sells through a queue. Join it, and you can book when your turn comes.</p>}
                {failure && <p className="field-error" role="alert">{failure}</p>}
                {signedIn
                  ? <button type="button" className="button button-primary" disabled={joining} onClick={onJoin}>{joining ? "Joining…" : "Join the queue"}</button>
                  : <p className="muted"><Link to={`/login?next=${encodeURIComponent(`/shows/${showId}`)}`}>Log in</Link> to join the queue.</p>}
              </>
            )}
        </div>
      );
    case "waiting":
      return (
        <div className="queue-panel" role="status" aria-live="polite">
          <h2>You are in line</h2>
          {phase.rank === null
            ? <p>Places are drawn when sales open{phase.opensInMs > 0 ? <> in <strong className="countdown">{formatCountdown(phase.opensInMs)}</strong></> : ""}. Keep this page open, or come back: your place is kept.</p>
            : (
              <>
                <p className="queue-place">Your place: <strong>{phase.rank.toLocaleString()}</strong></p>
                <p>{phase.aheadOfYou === 0 ? "You are next." : `${phase.aheadOfYou.toLocaleString()} ${phase.aheadOfYou === 1 ? "person is" : "people are"} ahead of you.`}</p>
                {phase.progress !== null && (
                  <progress className="queue-progress" max={1} value={phase.progress} aria-label="Your progress in the queue">{Math.round(phase.progress * 100)}%</progress>
                )}
              </>
            )}
          {phase.paused
            ? <p className="muted">The queue is paused for the moment; your place is kept.</p>
            : phase.estimate && <p>Estimated wait: {phase.estimate}.</p>}
          {phase.likelySoldOut && (
            <p className="queue-warning"><strong>Heads up:</strong> the people ahead of you will probably take the seats that are left.</p>
          )}
          <p className="hint">You can refresh, close this tab or come back on another device: your place stays the same.</p>
        </div>
      );
    case "admitted":
      return (
        <div className="queue-panel queue-turn" role="alert">
          <h2>It is your turn</h2>
          <p>Pick your seats and book within <strong className="countdown" aria-label={describeRemaining(phase.leftMs)}>{formatCountdown(phase.leftMs)}</strong>.</p>
        </div>
      );
    case "done":
      return (
        <div className="queue-panel" role="status">
          <h2>You have booked</h2>
          <p>Your queue pass has been used. See <Link to="/bookings">My bookings</Link>.</p>
        </div>
      );
    case "expired":
      return (
        <div className="queue-panel" role="status">
          <h2>Your turn has passed</h2>
          <p>Your time to book ran out before a booking was made.</p>
        </div>
      );
    case "closed":
      return (
        <div className="queue-panel" role="status">
          <h2>Sold out</h2>
          <p>Every seat was sold before your turn came. We are sorry.</p>
        </div>
      );
  }
}
