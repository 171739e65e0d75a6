-- Replaces a show's blocked seats (API.md, PUT /api/shows/{id}/blocked-seats) under the
-- show's lock, as marquee_book takes it. A block is a seat claim without a booking, so the
-- claims' primary key keeps blocked and sold seats apart. Outcomes: 'blocked' (seats = the
-- blocked seats now, sorted), 'show_not_found', 'out_of_range' (seats = {total_seats}),
-- 'conflict' (seats = the wanted seats that are taken, in order). Every refusal comes before
-- the first write. Seats newly blocked and unblocked each get one outbox event.
CREATE OR REPLACE FUNCTION marquee_block_seats(p_show uuid, p_seats int[], p_now timestamptz)
RETURNS TABLE (result_outcome text, result_seats int[])
LANGUAGE plpgsql AS $$
DECLARE
    v_total int;
    v_taken int[];
    v_lapsed uuid[];
    v_added int[];
    v_freed int[];
BEGIN
    SELECT s.total_seats INTO v_total FROM shows s WHERE s.id = p_show FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'show_not_found'::text, NULL::int[];
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_seats) AS n WHERE n < 1 OR n > v_total) THEN
        RETURN QUERY SELECT 'out_of_range'::text, ARRAY[v_total];
        RETURN;
    END IF;
    SELECT coalesce(array_agg(c.seat ORDER BY c.seat), '{}') INTO v_taken
    FROM seat_claims c
    WHERE c.show_id = p_show AND c.seat = ANY (p_seats) AND c.booking_id IS NOT NULL
      AND (c.expires_at IS NULL OR c.expires_at > p_now);
    IF cardinality(v_taken) > 0 THEN
        RETURN QUERY SELECT 'conflict'::text, v_taken;
        RETURN;
    END IF;
    -- Lapsed holds on wanted seats expire and free all of their seats, as for a booking.
    SELECT coalesce(array_agg(DISTINCT c.booking_id), '{}') INTO v_lapsed
    FROM seat_claims c
    WHERE c.show_id = p_show AND c.seat = ANY (p_seats) AND c.booking_id IS NOT NULL AND c.expires_at <= p_now;
    IF cardinality(v_lapsed) > 0 THEN
        UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
        WHERE b.show_id = p_show AND b.id = ANY (v_lapsed) AND b.status = 'PENDING';
        DELETE FROM seat_claims c
        WHERE c.show_id = p_show AND c.booking_id = ANY (v_lapsed) AND c.expires_at <= p_now;
    END IF;
    WITH gone AS (
        DELETE FROM seat_claims c
        WHERE c.show_id = p_show AND c.booking_id IS NULL AND NOT (c.seat = ANY (p_seats))
        RETURNING c.seat
    )
    SELECT coalesce(array_agg(seat ORDER BY seat), '{}') INTO v_freed FROM gone;
    WITH made AS (
        INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
        SELECT DISTINCT p_show, n, NULL::uuid, NULL::timestamptz FROM unnest(p_seats) AS n
        ON CONFLICT (show_id, seat) DO NOTHING
        RETURNING seat
    )
    SELECT coalesce(array_agg(seat ORDER BY seat), '{}') INTO v_added FROM made;
    IF cardinality(v_freed) > 0 THEN
        INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
        VALUES ('seats.unblocked', p_show, NULL, v_freed, marquee_blocking_payload('seats.unblocked', p_show, v_freed));
    END IF;
    IF cardinality(v_added) > 0 THEN
        INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
        VALUES ('seats.blocked', p_show, NULL, v_added, marquee_blocking_payload('seats.blocked', p_show, v_added));
    END IF;
    RETURN QUERY SELECT 'blocked'::text,
        ARRAY(SELECT DISTINCT n FROM unnest(p_seats) AS n ORDER BY n);
END;
$$;

CREATE OR REPLACE FUNCTION marquee_blocking_payload(p_type text, p_show uuid, p_seats int[]) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object('type', p_type, 'showId', p_show, 'seats', to_jsonb(p_seats),
                              'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
$$;
