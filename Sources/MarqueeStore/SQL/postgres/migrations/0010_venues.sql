-- Venues (API.md, "Seating plans"): a name and an immutable seating plan, kept as the JSON
-- text the server validated and wrote, so that every read serves the same bytes.
CREATE TABLE venues (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    total_seats int NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
    layout text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX venues_newest ON venues (created_at DESC, id DESC);
