-- Accounts, shows, bookings, and the claims that refuse a double sale.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    email_key text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL CHECK (role IN ('customer', 'admin')),
    created_at timestamptz NOT NULL
);

CREATE TABLE shows (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    start_time timestamptz NOT NULL,
    total_seats int NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
    created_at timestamptz NOT NULL
);
CREATE INDEX shows_start_time_id ON shows (start_time, id);

CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    show_id uuid NOT NULL REFERENCES shows (id),
    user_id uuid NOT NULL REFERENCES users (id),
    user_name text NOT NULL,
    seats int[] NOT NULL,
    status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    idempotency_key text
);
CREATE INDEX bookings_show_status ON bookings (show_id, status);
CREATE INDEX bookings_user_created ON bookings (user_id, created_at DESC);

-- One row per seat held by a CONFIRMED or PENDING booking. The primary key is the
-- database's own refusal of a double sale, whatever the code above it does.
CREATE TABLE seat_claims (
    show_id uuid NOT NULL REFERENCES shows (id),
    seat int NOT NULL,
    booking_id uuid NOT NULL REFERENCES bookings (id),
    expires_at timestamptz,
    PRIMARY KEY (show_id, seat)
);
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
