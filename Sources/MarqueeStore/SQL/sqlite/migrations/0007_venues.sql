-- Venues (see postgres/migrations/0010_venues.sql).
CREATE TABLE venues (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    total_seats INTEGER NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
    layout TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX venues_newest ON venues (created_at DESC, id DESC);
