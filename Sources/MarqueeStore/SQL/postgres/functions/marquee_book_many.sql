-- Bookings of any shows in one transaction and one commit, each decided by
-- marquee_book_locked exactly as marquee_book decides it alone, in order. Every show is
-- locked first, then every user whose hold counts against a cap, each in id order: any two
-- transactions take these locks in the same order. The requests come as one array per
-- argument of marquee_book, the i-th element of each being the i-th request's (NULL where
-- marquee_book takes NULL), except the seats: p_seats holds every request's seats one
-- after another, and p_seat_counts how many of them are each request's. Arrays, not a JSON
-- document: building and parsing the JSON was about 4 % of a booking's instructions,
-- server and database together (docs/PERFORMANCE.md, "The batch as arrays"). One row per
-- request: its 1-based position, then marquee_book's outcome and seats.
CREATE OR REPLACE FUNCTION marquee_book_many(
    p_bookings uuid[], p_shows uuid[], p_users uuid[], p_user_names text[],
    p_seat_counts int[], p_seats int[], p_nows timestamptz[], p_expires timestamptz[], p_max_holds int[],
    p_idem_keys text[], p_idem_statuses int[], p_idem_bodies text[], p_queue_entries uuid[]
) RETURNS TABLE (result_index int, result_outcome text, result_seats int[])
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    v_answer record;
    v_next int := 1;
    v_show_ids uuid[];
    v_totals int[];
BEGIN
    SELECT array_agg(s.id), array_agg(s.total_seats) INTO v_show_ids, v_totals
    FROM (SELECT s.id, s.total_seats FROM shows s WHERE s.id = ANY (p_shows) ORDER BY s.id FOR UPDATE) AS s;
    PERFORM 1 FROM users u
    WHERE u.id IN (SELECT q.user_id FROM unnest(p_users, p_expires, p_max_holds) AS q(user_id, expires, max_holds)
                   WHERE q.expires IS NOT NULL AND q.max_holds IS NOT NULL)
    ORDER BY u.id FOR NO KEY UPDATE;
    SET CONSTRAINTS ALL DEFERRED;
    FOR r IN
        SELECT q.*
        FROM unnest(p_bookings, p_shows, p_users, p_user_names, p_seat_counts, p_nows, p_expires, p_max_holds,
                    p_idem_keys, p_idem_statuses, p_idem_bodies, p_queue_entries)
             WITH ORDINALITY AS q(id, show_id, user_id, user_name, seat_count, now_at, expires, max_holds,
                                  idem_key, idem_status, idem_body, queue_entry, position)
        ORDER BY q.position
    LOOP
        -- A show that was not found has no total: marquee_book_locked answers show_not_found.
        v_answer := marquee_book_locked(
            v_totals[array_position(v_show_ids, r.show_id)], r.id, r.show_id, r.user_id, r.user_name,
            p_seats[v_next : v_next + r.seat_count - 1], r.now_at, r.expires, r.max_holds,
            r.idem_key, r.idem_status, r.idem_body, r.queue_entry);
        result_index := r.position;
        result_outcome := v_answer.result_outcome;
        result_seats := v_answer.result_seats;
        RETURN NEXT;
        v_next := v_next + r.seat_count;
    END LOOP;
    -- The server fills every array in one loop, so they line up. The seats are checked all
    -- the same, since a miscount would give each request another's seats: nothing is written.
    IF v_next <> cardinality(p_seats) + 1 THEN
        RAISE EXCEPTION 'marquee_book_many: % seats counted, % sent', v_next - 1, cardinality(p_seats);
    END IF;
    -- Every claim's key to its booking, checked before the call returns (marquee_book.sql).
    SET CONSTRAINTS ALL IMMEDIATE;
END;
$$;
