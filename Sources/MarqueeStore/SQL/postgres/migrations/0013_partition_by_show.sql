-- bookings and seat_claims hash-partitioned by show_id (docs/SCALING.md, "Partitions"), in
-- place: new partitioned tables, the rows copied, the old tables dropped, then the keys,
-- indexes and foreign keys built and checked on the full tables (about 2.5 times as fast
-- as keeping them up row by row). Every key and foreign key names show_id, so each partition
-- enforces its own, and one booking's rows all live in the partitions of its show.
-- Constraints keep their old names (those are unique per table; index names are not).
-- The partition count is `marquee.partitions` when the migrating transaction sets it
-- (MARQUEE_DB_PARTITIONS), else 16; 0 keeps the tables whole. The step is one transaction:
-- it commits converted or not at all, and bookings wait for it (SCALING.md has the time it
-- took for a million claims).
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_booking_id_fkey;
ALTER TABLE seat_claims DROP CONSTRAINT seat_claims_booking_id_fkey;
ALTER TABLE bookings RENAME TO bookings_unpartitioned;
ALTER TABLE seat_claims RENAME TO seat_claims_unpartitioned;

-- With MARQUEE_DB_PARTITIONS=0 the tables are made the same but not partitioned (what that
-- saves a booking: docs/SCALING.md, "Partitions").
DO $$
DECLARE
    v_count int := coalesce(nullif(current_setting('marquee.partitions', true), ''), '16')::int;
    v_by text := CASE WHEN v_count > 0 THEN ' PARTITION BY HASH (show_id)' ELSE '' END;
BEGIN
    IF v_count < 0 OR v_count > 1024 THEN
        RAISE EXCEPTION 'marquee.partitions is %, not 0 to 1024', v_count;
    END IF;
    EXECUTE $sql$
        CREATE TABLE bookings (
            id uuid NOT NULL,
            show_id uuid NOT NULL,
            user_id uuid NOT NULL,
            user_name text NOT NULL,
            seats int[] NOT NULL,
            status text NOT NULL
                CONSTRAINT bookings_status_check CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
            created_at timestamptz NOT NULL,
            expires_at timestamptz,
            idempotency_key text,
            queue_entry_id uuid
        )$sql$ || v_by;
    -- A claim without a booking is a blocked seat, which never lapses.
    EXECUTE $sql$
        CREATE TABLE seat_claims (
            show_id uuid NOT NULL,
            seat int NOT NULL,
            booking_id uuid,
            expires_at timestamptz,
            CONSTRAINT seat_claims_block_never_lapses CHECK (booking_id IS NOT NULL OR expires_at IS NULL)
        )$sql$ || v_by;
    FOR i IN 0 .. v_count - 1 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF bookings FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                       'bookings_p' || i, v_count, i);
        EXECUTE format('CREATE TABLE %I PARTITION OF seat_claims FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                       'seat_claims_p' || i, v_count, i);
    END LOOP;
END;
$$;

INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                      idempotency_key, queue_entry_id)
SELECT id, show_id, user_id, user_name, seats, status, created_at, expires_at, idempotency_key, queue_entry_id
FROM bookings_unpartitioned;
INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
SELECT show_id, seat, booking_id, expires_at FROM seat_claims_unpartitioned;
DROP TABLE seat_claims_unpartitioned;
DROP TABLE bookings_unpartitioned;

-- A booking is found by its id alone (GET /api/bookings/{id}) through this key's first
-- column, one probe per partition; everything else names the show and reads one partition.
ALTER TABLE bookings ADD CONSTRAINT bookings_pkey PRIMARY KEY (id, show_id);
ALTER TABLE bookings ADD CONSTRAINT bookings_show_id_fkey FOREIGN KEY (show_id) REFERENCES shows (id);
ALTER TABLE bookings ADD CONSTRAINT bookings_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
CREATE INDEX bookings_show_status ON bookings (show_id, status);
CREATE INDEX bookings_user_created ON bookings (user_id, created_at DESC);
CREATE INDEX bookings_pending_expiry ON bookings (expires_at) WHERE status = 'PENDING';
-- A pass books once (its entry belongs to one show), and the keeper counts a show's pass
-- bookings from the same index.
CREATE UNIQUE INDEX bookings_queue_entry ON bookings (show_id, queue_entry_id) WHERE queue_entry_id IS NOT NULL;

ALTER TABLE seat_claims ADD CONSTRAINT seat_claims_pkey PRIMARY KEY (show_id, seat);
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
ALTER TABLE seat_claims ADD CONSTRAINT seat_claims_show_id_fkey FOREIGN KEY (show_id) REFERENCES shows (id);
-- A claim's booking, partition to partition: claims of a show are in seat_claims_pN and its
-- bookings in bookings_pN (the same hash, the same count), so each partition's key refers to
-- its twin. Referring to the partitioned bookings instead would make PostgreSQL plan the
-- check again for every claim and lock every partition it might find the booking in.
DO $$
DECLARE
    v_count int := (SELECT count(*) FROM pg_inherits WHERE inhparent = 'bookings'::regclass);
BEGIN
    IF v_count = 0 THEN
        ALTER TABLE seat_claims ADD CONSTRAINT seat_claims_booking_id_fkey
            FOREIGN KEY (booking_id, show_id) REFERENCES bookings (id, show_id);
    END IF;
    FOR i IN 0 .. v_count - 1 LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (booking_id, show_id) REFERENCES %I (id, show_id)',
                       'seat_claims_p' || i, 'seat_claims_p' || i || '_booking_id_fkey', 'bookings_p' || i);
    END LOOP;
END;
$$;

-- The answer's booking, by the booking's whole key.
ALTER TABLE idempotency_keys ADD COLUMN show_id uuid;
UPDATE idempotency_keys k SET show_id = b.show_id FROM bookings b WHERE b.id = k.booking_id;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_booking_id_fkey
    FOREIGN KEY (booking_id, show_id) REFERENCES bookings (id, show_id);

-- The outbox trigger went with the old table. On a database being upgraded it is back in
-- this same transaction, so no booking commits without its event; on a new database the
-- definitions (functions/marquee_booking_event.sql) create it after the migrations.
DO $$
BEGIN
    IF to_regproc('marquee_booking_event') IS NOT NULL THEN
        CREATE TRIGGER booking_events AFTER INSERT OR UPDATE OF status ON bookings
        FOR EACH ROW EXECUTE FUNCTION marquee_booking_event();
    END IF;
END;
$$;
