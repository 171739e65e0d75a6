// For admins on a show's page: the seats not for sale (house seats, broken seats), blocked
// from the seats picked on the map and unblocked one by one or all at once.
export function BlockedSeatsPanel({ blocked, names, selected, busy, onChange }: {
  blocked: readonly number[];
  /** How each seat is called: "Stalls, Row A, Seat 3", or "Seat 12". */
  names: (seats: readonly number[]) => string[];
  selected: readonly number[];
  busy: boolean;
  onChange: (seats: number[]) => void;
}) {
  const labels = names(blocked);
  return (
    <section className="blocked-panel" aria-labelledby="blocked-title">
      <h2 id="blocked-title">Seats not for sale</h2>
      <p className="hint">Admins only. Pick seats on the map, then block them: no one can book a blocked seat.</p>
      {blocked.length === 0
        ? <p className="muted">No seats are blocked.</p>
        : (
          <ul className="blocked-list">
            {blocked.map((seat, index) => (
              <li key={seat}>
                {labels[index]}{" "}
                <button type="button" className="link-button" disabled={busy} aria-label={`Unblock ${labels[index]}`}
                  onClick={() => onChange(blocked.filter((other) => other !== seat))}>Unblock</button>
              </li>
            ))}
          </ul>
        )}
      <div className="actions">
        <button type="button" className="button button-secondary" disabled={busy || selected.length === 0}
          onClick={() => onChange([...new Set([...blocked, ...selected])].sort((a, b) => a - b))}>
          Block selected seats
        </button>
        {blocked.length > 0 && (
          <button type="button" className="button button-ghost" disabled={busy} onClick={() => onChange([])}>Unblock all</button>
        )}
      </div>
    </section>
  );
}
