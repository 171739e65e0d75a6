// Upcoming shows, soonest first, with the seats left; more on request.
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import type { Show } from "../../api/types";
import { Link } from "../../app/router";
import { useAuth } from "../../auth/AuthContext";
import { formatShowTime, seatsLeft } from "../../ui/format";
import { useTitle } from "../../ui/hooks";
import { Empty, ErrorMessage, Loading } from "../../ui/Status";

const pageSize = 24;

/** Now, as the API wants it: RFC 3339 in UTC, whole seconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function ShowsPage() {
  const { api, user } = useAuth();
  const [shows, setShows] = useState<Show[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [from] = useState(() => rfc3339(new Date()));
  useTitle("Shows");

  const load = useCallback(async (after: string | null) => {
    setError(null);
    if (after) setLoadingMore(true);
    try {
      const page = await api.listShows({ limit: pageSize, cursor: after, from });
      setShows((current) => (after && current ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "The shows could not be loaded.");
    } finally {
      setLoadingMore(false);
    }
  }, [api, from]);

  useEffect(() => { void load(null); }, [load]);

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
