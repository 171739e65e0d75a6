-- Bookings of any shows in one transaction and one commit, each decided by marquee_book
-- exactly as it would be alone, in order. Every show is locked first, then every user whose
-- hold counts against a cap, each in id order: any two transactions take these locks in the
-- same order. p_requests is a JSON array of {id, show_id, user_id, user_name, seats, now_us,
-- expires_us, max_holds, idem_key, idem_status, idem_body, queue_entry}, times in microseconds since
-- 1970. One row per request: its 1-based position, then marquee_book's outcome and seats.
CREATE OR REPLACE FUNCTION marquee_book_many(p_requests jsonb)
RETURNS TABLE (result_index int, result_outcome text, result_seats int[])
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    PERFORM 1 FROM shows s
    WHERE s.id IN (SELECT (e ->> 'show_id')::uuid FROM jsonb_array_elements(p_requests) AS e)
    ORDER BY s.id FOR UPDATE;
    PERFORM 1 FROM users u
    WHERE u.id IN (SELECT (e ->> 'user_id')::uuid FROM jsonb_array_elements(p_requests) AS e
                   WHERE e ->> 'expires_us' IS NOT NULL AND e ->> 'max_holds' IS NOT NULL)
    ORDER BY u.id FOR NO KEY UPDATE;
    FOR r IN
        SELECT e.position::int AS position, q.*
        FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(request, position),
             jsonb_to_record(e.request) AS q(
                 id uuid, show_id uuid, user_id uuid, user_name text, seats int[], now_us bigint,
                 expires_us bigint, max_holds int, idem_key text, idem_status int, idem_body text,
                 queue_entry uuid)
        ORDER BY e.position
    LOOP
        RETURN QUERY
        SELECT r.position, b.result_outcome, b.result_seats
        FROM marquee_book(
            r.id, r.show_id, r.user_id, r.user_name, r.seats,
            'epoch'::timestamptz + r.now_us * interval '1 microsecond',
            'epoch'::timestamptz + r.expires_us * interval '1 microsecond',
            r.max_holds, r.idem_key, r.idem_status, r.idem_body, r.queue_entry) AS b;
    END LOOP;
END;
$$;
