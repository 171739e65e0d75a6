-- The booking transaction of DESIGN.md in one round trip: lock the show, check the seats,
-- the hold cap and each seat's claim, then write the booking, its claims and its
-- idempotency answer. Outcomes (BookingFunctionOutcome in PostgresStore+Bookings.swift):
-- 'booked', 'show_not_found', 'out_of_range' (seats = {total_seats}), 'too_many_holds'
-- (seats = {cap}), 'conflict' (seats = the taken ones, in order), 'pass_used' (the queue
-- pass p_queue_entry names has booked before). A refusal leaves nothing written.
--
-- The claims are checked by writing them (step 3): when every seat is free, which is most
-- bookings, that is the only statement on seat_claims, and it keeps one generic plan. On
-- partitioned tables PostgreSQL plans a statement that reads by show afresh for each call
-- (docs/SCALING.md, "Partitions"); the read of step 3 cost a fifth of a booking's
-- instructions that way (docs/PERFORMANCE.md, "Less CPU per booking"), and now runs only
-- when a seat has a claim. It reads the claims in one statement, each by its full primary
-- key: the LATERAL subquery with OFFSET 0 cannot be flattened into a join, so whatever the
-- statistics say (a show put on sale after the last ANALYZE looks empty), the plan is one
-- key lookup per seat. As a join or with `seat = ANY (p_seats)` the planner could walk
-- every claim of the show instead (16,000 claims read for a 2-seat booking, measured,
-- PostgresBookingCostTests). The hold cap's user lock is FOR NO KEY UPDATE: it serialises
-- one user's holds without blocking other transactions' foreign-key checks for that user,
-- which could deadlock two batches.
--
-- It is two functions. marquee_book_locked decides and writes one booking of a show its
-- caller has locked, whose claims' key to their booking its caller has deferred (SET
-- CONSTRAINTS ALL DEFERRED, then IMMEDIATE once the booking is written: migrations/0014
-- says why never at COMMIT). Called without that, its first claim is refused at once by the
-- key: an error, never a booking without its check. marquee_book is one booking alone: it
-- locks the show, defers, calls it and checks. marquee_book_many does the same for a batch,
-- with one lock statement and one deferral for all of it. The statements a booking runs
-- are few on purpose: each is an executor start and end, tens of thousands of
-- instructions, so the range check is an expression, the answer is set rather than
-- selected, and marquee_book_locked is called as an expression, not read as a table
-- (docs/PERFORMANCE.md, "Fewer statements per booking").
CREATE OR REPLACE FUNCTION marquee_book_locked(
    p_total int, p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats int[],
    p_now timestamptz, p_expires timestamptz, p_max_holds int,
    p_idem_key text, p_idem_status int, p_idem_body text, p_queue_entry uuid,
    OUT result_outcome text, OUT result_seats int[]
)
LANGUAGE plpgsql AS $$
DECLARE
    v_holds int;
    v_taken int[];
    v_lapsed uuid[];
    v_claimed int;
    v_mine int[];
    v_mine_rows tid[];
BEGIN
    -- 1. The caller has locked the show row (every change to this show's seats queues
    -- there) and passes its total_seats: NULL when there is no such show.
    IF p_total IS NULL THEN
        result_outcome := 'show_not_found';
        RETURN;
    END IF;
    -- 2. Every seat must exist. ALL over the array is an expression, not a query.
    IF NOT (1 <= ALL (p_seats) AND p_total >= ALL (p_seats)) THEN
        result_outcome := 'out_of_range';
        result_seats := ARRAY[p_total];
        RETURN;
    END IF;
    -- A hold counts against the user's cap; the user row lock serialises their holds.
    IF p_expires IS NOT NULL AND p_max_holds IS NOT NULL THEN
        PERFORM 1 FROM users u WHERE u.id = p_user FOR NO KEY UPDATE;
        SELECT count(*) INTO v_holds FROM bookings b
        WHERE b.user_id = p_user AND b.status = 'PENDING' AND b.expires_at > p_now;
        IF v_holds >= p_max_holds THEN
            result_outcome := 'too_many_holds';
            result_seats := ARRAY[p_max_holds];
            RETURN;
        END IF;
    END IF;
    -- A queue pass books once: under the show's lock, so two bookings with one pass cannot
    -- both pass this (and the unique index on bookings (show_id, queue_entry_id) backs it).
    -- Two IFs, not one AND: PL/pgSQL plans a condition as a whole, and on partitioned tables
    -- it plans this one afresh on every call, so a booking without a pass would pay for it.
    IF p_queue_entry IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM bookings b WHERE b.show_id = p_show AND b.queue_entry_id = p_queue_entry) THEN
            result_outcome := 'pass_used';
            RETURN;
        END IF;
    END IF;
    -- 3. The seats' claims. Mostly every seat is free, and then writing the claims is the
    -- whole check: the primary key (show_id, seat) has room for one claim per seat, and ON
    -- CONFLICT DO NOTHING makes a seat that has one a shortfall in the count instead of an
    -- error. This statement keeps one generic plan; the read below is planned afresh on
    -- every call on partitioned tables, which was a fifth of a booking's instructions.
    -- Their key to the booking is checked once the booking is written, by the caller.
    INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
    SELECT p_show, n, p_booking, p_expires FROM unnest(p_seats) AS n
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_claimed = ROW_COUNT;
    IF v_claimed < cardinality(p_seats) THEN
        -- Some seat has another claim. The seats' claims, ours among them, are read FOR SHARE
        -- in one statement: an active one refuses the booking, a lapsed hold gives way.
        SELECT coalesce(array_agg(c.seat ORDER BY c.seat) FILTER (
                   WHERE c.booking_id IS DISTINCT FROM p_booking AND (c.expires_at IS NULL OR c.expires_at > p_now)), '{}'),
               coalesce(array_agg(DISTINCT c.booking_id) FILTER (
                   WHERE c.booking_id IS DISTINCT FROM p_booking AND c.expires_at <= p_now), '{}'),
               coalesce(array_agg(c.seat) FILTER (WHERE c.booking_id = p_booking), '{}'),
               coalesce(array_agg(c.ctid) FILTER (WHERE c.booking_id = p_booking), '{}')
        INTO v_taken, v_lapsed, v_mine, v_mine_rows
        FROM unnest(p_seats) AS n,
             LATERAL (SELECT c.seat, c.booking_id, c.expires_at, c.ctid FROM seat_claims c
                      WHERE c.show_id = p_show AND c.seat = n OFFSET 0 FOR SHARE) AS c;
        IF cardinality(v_taken) > 0 THEN
            -- A refusal leaves nothing behind: our claims go, by the row addresses just read
            -- (one statement, one plan; under the show's lock nothing else moves them).
            DELETE FROM seat_claims c WHERE c.show_id = p_show AND c.ctid = ANY (v_mine_rows);
            result_outcome := 'conflict';
            result_seats := v_taken;  -- in seat order (the aggregate's ORDER BY)
            RETURN;
        END IF;
        IF cardinality(v_lapsed) = 0 THEN
            -- No other claim, yet a shortfall: p_seats names a seat twice (the server never
            -- sends that; SeatSet refuses it). Refused as the plain insert always did.
            RAISE EXCEPTION 'the seats % name a seat twice', p_seats USING ERRCODE = 'unique_violation';
        END IF;
        -- Lapsed holds on these seats expire and free all of their seats. Only claims
        -- still lapsed are deleted, whatever changed while this waited. Then the seats
        -- they held are ours too.
        UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
        WHERE b.show_id = p_show AND b.id = ANY (v_lapsed) AND b.status = 'PENDING';
        DELETE FROM seat_claims c
        WHERE c.show_id = p_show AND c.booking_id = ANY (v_lapsed) AND c.expires_at <= p_now;
        INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
        SELECT p_show, n, p_booking, p_expires FROM unnest(p_seats) AS n WHERE n <> ALL (v_mine);
    END IF;
    -- 4. The booking. Its claims, written above, refer to it.
    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                          idempotency_key, queue_entry_id)
    VALUES (p_booking, p_show, p_user, p_user_name, p_seats,
            CASE WHEN p_expires IS NULL THEN 'CONFIRMED' ELSE 'PENDING' END, p_now, p_expires,
            p_idem_key, p_queue_entry);
    -- 5. The answer under its idempotency key, in the same transaction as the booking.
    IF p_idem_key IS NOT NULL THEN
        UPDATE idempotency_keys k
        SET response_status = p_idem_status, response_body = p_idem_body, booking_id = p_booking, show_id = p_show
        WHERE k.user_id = p_user AND k.key = p_idem_key;
    END IF;
    result_outcome := 'booked';
END;
$$;

CREATE OR REPLACE FUNCTION marquee_book(
    p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats int[],
    p_now timestamptz, p_expires timestamptz, p_max_holds int,
    p_idem_key text, p_idem_status int, p_idem_body text, p_queue_entry uuid
) RETURNS TABLE (result_outcome text, result_seats int[])
LANGUAGE plpgsql AS $$
DECLARE
    v_total int;
    v_answer record;
BEGIN
    SELECT s.total_seats INTO v_total FROM shows s WHERE s.id = p_show FOR UPDATE;
    SET CONSTRAINTS ALL DEFERRED;
    v_answer := marquee_book_locked(v_total, p_booking, p_show, p_user, p_user_name, p_seats, p_now, p_expires,
                                    p_max_holds, p_idem_key, p_idem_status, p_idem_body, p_queue_entry);
    SET CONSTRAINTS ALL IMMEDIATE;
    result_outcome := v_answer.result_outcome;
    result_seats := v_answer.result_seats;
    RETURN NEXT;
END;
$$;
