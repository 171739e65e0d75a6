-- On-sale times and queues (see postgres/migrations/0012_queues.sql). Times are microseconds.
ALTER TABLE shows ADD COLUMN on_sale_at INTEGER;
CREATE TABLE show_queues (
    show_id TEXT PRIMARY KEY REFERENCES shows (id),
    admit_per_minute INTEGER NOT NULL CHECK (admit_per_minute BETWEEN 1 AND 100000),
    pass_seconds INTEGER NOT NULL CHECK (pass_seconds BETWEEN 60 AND 3600),
    seed TEXT NOT NULL,
    commitment TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    ranked INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    last_joined_at INTEGER,
    drawn INTEGER NOT NULL DEFAULT 0,
    serving INTEGER NOT NULL DEFAULT 0,
    next_admit_at INTEGER,
    keeper TEXT,
    keeper_until INTEGER,
    seats_left INTEGER NOT NULL,
    pass_bookings INTEGER NOT NULL DEFAULT 0,
    pass_seats INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
CREATE TABLE queue_entries (
    id TEXT PRIMARY KEY,
    show_id TEXT NOT NULL REFERENCES show_queues (show_id),
    user_id TEXT NOT NULL REFERENCES users (id),
    joined_at INTEGER NOT NULL,
    rank INTEGER,
    admitted_at INTEGER,
    UNIQUE (show_id, user_id),
    UNIQUE (show_id, rank)
);
ALTER TABLE bookings ADD COLUMN queue_entry_id TEXT;
CREATE UNIQUE INDEX bookings_queue_entry ON bookings (queue_entry_id) WHERE queue_entry_id IS NOT NULL;
-- The keeper counts a show's pass bookings (for likelySoldOut) from these, not from a counter
-- every booking would update: that would queue bookings behind joins on the queue's row.
CREATE INDEX bookings_queue_show ON bookings (show_id) WHERE queue_entry_id IS NOT NULL;
