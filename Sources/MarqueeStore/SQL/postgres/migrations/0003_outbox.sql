-- The outbox: one row per change to a show's seats (and per new show), written by the
-- triggers of functions/marquee_booking_event.sql and marquee_show_event.sql in the same
-- transaction as the change, whichever code made it. Every such change holds its show's row
-- lock, so one show's events commit in id order.
CREATE TABLE booking_events (
    id bigserial PRIMARY KEY,
    type text NOT NULL,
    show_id uuid NOT NULL,
    booking_id uuid,
    seats int[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    payload jsonb NOT NULL
);
CREATE INDEX booking_events_show ON booking_events (show_id, id);
CREATE INDEX booking_events_created ON booking_events (created_at);
