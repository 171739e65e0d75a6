-- A claim's key to its booking becomes DEFERRABLE (still INITIALLY IMMEDIATE), so that
-- marquee_book can write a booking's claims before the booking itself: writing them is how
-- it checks the seats (functions/marquee_book.sql, step 3). It defers the check with SET
-- CONSTRAINTS ALL DEFERRED and makes it again with SET CONSTRAINTS ALL IMMEDIATE before it
-- returns, so a broken key is an error of the booking's own statement. It is never left
-- for COMMIT: an error at an implicit commit comes after PostgresNIO has taken the
-- statement as done, and would be lost. These are the only deferrable constraints, which
-- is what lets the function say ALL. Whole tables have one such key, partitioned ones one
-- per partition (migrations/0013).
DO $$
DECLARE
    v_key record;
BEGIN
    FOR v_key IN
        SELECT c.conrelid::regclass AS claims, c.conname AS name
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.conrelid IN (SELECT 'seat_claims'::regclass
                             UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'seat_claims'::regclass)
          AND c.confrelid IN (SELECT 'bookings'::regclass
                              UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'bookings'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', v_key.claims, v_key.name);
    END LOOP;
END;
$$;
