// Upcoming shows, soonest first, with the seats left; more on request.
import { Link } from "../../app/router";
import { useAuth } from "../../lib/AuthContext";
import { formatShowTime, seatsLeft } from "../../lib/format";
import { useTitle } from "../../lib/hooks";
import { Empty, ErrorMessage, Loading } from "../../components/Status";
import { useShowList } from "./useShowList";

export function ShowsPage() {
  const { user } = useAuth();
  const { shows, cursor, error, loadingMore, load } = useShowList();
  useTitle("Shows");

  return (
    <section>
      <header className="page-header page-header-row">
        <div>
          <h1>Upcoming shows</h1>
          <p className="muted">Pick a show to see its seat map.</p>
        </div>
        {user?.role === "admin" && <Link className="button button-secondary" to="/admin/shows/new">New show</Link>}
      </header>
      {shows === null && !error && <Loading label="Loading shows…" />}
      {shows === null && error && <ErrorMessage message={error} onRetry={() => { void load(null); }} />}
      {shows !== null && shows.length === 0 && (
        <Empty title="No upcoming shows yet">
          <p>{user?.role === "admin" ? "Create the first one with New show." : "Check back soon."}</p>
        </Empty>
      )}
      {shows !== null && shows.length > 0 && (
        <ul className="show-list">
          {shows.map((show) => (
            <li key={show.id} className="show-card">
              <h2><Link to={`/shows/${encodeURIComponent(show.id)}`}>{show.name}</Link></h2>
              <p><time dateTime={show.startTime}>{formatShowTime(show.startTime)}</time></p>
              <p className={show.availableSeats > 0 ? "badge" : "badge badge-soldout"}>{seatsLeft(show.availableSeats)}</p>
            </li>
          ))}
        </ul>
      )}
      {shows !== null && error && <ErrorMessage message={error} onRetry={() => { void load(cursor); }} />}
      {shows !== null && cursor && (
        <div className="load-more">
          <button type="button" className="button button-secondary" disabled={loadingMore} onClick={() => { void load(cursor); }}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </section>
  );
}
