-- The tables and indexes of the original design, for bench/express/server.js.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE shows (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    start_time timestamptz NOT NULL,
    total_seats int NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX shows_start_time_id ON shows (start_time, id);
CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    show_id uuid NOT NULL REFERENCES shows (id),
    user_id uuid NOT NULL REFERENCES users (id),
    user_name text NOT NULL,
    seats int[] NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    idempotency_key text
);
CREATE INDEX bookings_show_status ON bookings (show_id, status);
