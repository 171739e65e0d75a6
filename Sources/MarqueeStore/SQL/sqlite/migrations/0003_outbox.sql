-- The outbox: one row per change to a show's seats (and per new show), written by the
-- triggers in triggers/booking_events_*.sql in the same transaction as the change,
-- whichever code made it.
CREATE TABLE booking_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    show_id TEXT NOT NULL,
    booking_id TEXT,
    seats TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX booking_events_show ON booking_events (show_id, id);
CREATE INDEX booking_events_created ON booking_events (created_at);
