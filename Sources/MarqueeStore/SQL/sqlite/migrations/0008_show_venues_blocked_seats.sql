-- Shows on a venue, and blocked seats (see postgres/migrations/0011_show_venues_blocked_seats.sql).
-- SQLite cannot drop a NOT NULL, so seat_claims is built again with its rows.
ALTER TABLE shows ADD COLUMN venue_id TEXT REFERENCES venues (id);
CREATE TABLE seat_claims_new (
    show_id TEXT NOT NULL REFERENCES shows (id),
    seat INTEGER NOT NULL,
    booking_id TEXT REFERENCES bookings (id),
    expires_at INTEGER,
    PRIMARY KEY (show_id, seat),
    CHECK (booking_id IS NOT NULL OR expires_at IS NULL)
) WITHOUT ROWID;
INSERT INTO seat_claims_new (show_id, seat, booking_id, expires_at)
    SELECT show_id, seat, booking_id, expires_at FROM seat_claims;
DROP TABLE seat_claims;
ALTER TABLE seat_claims_new RENAME TO seat_claims;
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
