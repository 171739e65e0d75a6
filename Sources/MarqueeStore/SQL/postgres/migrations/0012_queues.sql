-- On-sale times and queues (API.md, "Queues"). A show may go on sale at `on_sale_at`; with a
-- row in show_queues it also has a waiting room. Everything a queue is lives here, so any
-- instance answers for it and nothing is lost on a restart:
-- - show_queues: the settings, the seed (revealed at on_sale_at) and its commitment, the
--   serving watermark (every rank up to it is admitted), when the next rank is due, which
--   instance keeps the watermark and until when (a lease, taken over once it lapses), and
--   the counts positions and estimates are made from (`drawn`: how many the pre-queue's
--   draw ranked, so ranks 1..drawn are the pre-queue; `last_joined_at`, so that join times
--   rise with ranks: join order and rank order are one order);
-- - queue_entries: one per account per show; `rank` is null until the pre-queue is ranked at
--   on_sale_at, and set at once for those who join later;
-- - bookings.queue_entry_id: the pass a booking was made with. Its unique index is what
--   makes a pass good for one booking only, in the booking's own transaction.
ALTER TABLE shows ADD COLUMN on_sale_at timestamptz;
CREATE TABLE show_queues (
    show_id uuid PRIMARY KEY REFERENCES shows (id),
    admit_per_minute int NOT NULL CHECK (admit_per_minute BETWEEN 1 AND 100000),
    pass_seconds int NOT NULL CHECK (pass_seconds BETWEEN 60 AND 3600),
    seed text NOT NULL,
    commitment text NOT NULL,
    paused boolean NOT NULL DEFAULT false,
    closed boolean NOT NULL DEFAULT false,
    ranked boolean NOT NULL DEFAULT false,
    entries int NOT NULL DEFAULT 0,
    last_joined_at timestamptz,
    drawn int NOT NULL DEFAULT 0,
    serving int NOT NULL DEFAULT 0,
    next_admit_at timestamptz,
    keeper text,
    keeper_until timestamptz,
    seats_left int NOT NULL,
    pass_bookings int NOT NULL DEFAULT 0,
    pass_seats int NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL
);
CREATE TABLE queue_entries (
    id uuid PRIMARY KEY,
    show_id uuid NOT NULL REFERENCES show_queues (show_id),
    user_id uuid NOT NULL REFERENCES users (id),
    joined_at timestamptz NOT NULL,
    rank int,
    admitted_at timestamptz,
    UNIQUE (show_id, user_id),
    UNIQUE (show_id, rank)
);
ALTER TABLE bookings ADD COLUMN queue_entry_id uuid;
CREATE UNIQUE INDEX bookings_queue_entry ON bookings (queue_entry_id) WHERE queue_entry_id IS NOT NULL;
-- The keeper counts a show's pass bookings (for likelySoldOut) from these, not from a counter
-- every booking would update: that would queue bookings behind joins on the queue's row.
CREATE INDEX bookings_queue_show ON bookings (show_id) WHERE queue_entry_id IS NOT NULL;
-- marquee_book takes the pass's entry now.
DROP FUNCTION IF EXISTS marquee_book(uuid, uuid, uuid, text, int[], timestamptz, timestamptz, int, text, int, text);
