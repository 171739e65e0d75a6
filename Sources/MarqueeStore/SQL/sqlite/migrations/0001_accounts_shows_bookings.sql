CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
    created_at INTEGER NOT NULL
);
CREATE TABLE shows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    total_seats INTEGER NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
    created_at INTEGER NOT NULL
);
CREATE INDEX shows_start_time_id ON shows (start_time, id);
CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    show_id TEXT NOT NULL REFERENCES shows (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    user_name TEXT NOT NULL,
    seats TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    idempotency_key TEXT
);
CREATE INDEX bookings_show_status ON bookings (show_id, status);
CREATE INDEX bookings_user_created ON bookings (user_id, created_at);
-- One row per seat held by a CONFIRMED or PENDING booking. The primary key is
-- the database's own refusal of a double sale, whatever the code above does.
CREATE TABLE seat_claims (
    show_id TEXT NOT NULL REFERENCES shows (id),
    seat INTEGER NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    expires_at INTEGER,
    PRIMARY KEY (show_id, seat)
) WITHOUT ROWID;
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
