-- Joins a show's queue in one round trip (API.md, "Queues"). Outcomes: 'joined' (a new
-- entry), 'existing' (the account's entry, as it was), 'no_queue', 'show_not_found', and
-- 'unranked': the show is on sale but its pre-queue has no ranks yet; the caller ranks it
-- (PostgresStore+Queues.swift) and asks again, so that whoever joins after on_sale_at comes
-- after the whole pre-queue. The queue row's lock orders joins: ranks are unique and leave
-- no gaps, and `entries` counts every entry.
CREATE OR REPLACE FUNCTION marquee_queue_join(p_entry uuid, p_show uuid, p_user uuid, p_now timestamptz)
RETURNS TABLE (result_outcome text, entry_id uuid, entry_rank int, entry_joined_at timestamptz,
               entry_admitted_at timestamptz, entry_used boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_queue record;
    v_rank int;
    v_joined timestamptz;
BEGIN
    RETURN QUERY
    SELECT 'existing'::text, e.id, e.rank, e.joined_at, e.admitted_at,
           EXISTS (SELECT 1 FROM bookings b WHERE b.show_id = p_show AND b.queue_entry_id = e.id)
    FROM queue_entries e WHERE e.show_id = p_show AND e.user_id = p_user;
    IF FOUND THEN RETURN; END IF;
    SELECT q.ranked, q.entries, q.last_joined_at, s.on_sale_at INTO v_queue
    FROM show_queues q JOIN shows s ON s.id = q.show_id WHERE q.show_id = p_show FOR UPDATE OF q;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM shows s WHERE s.id = p_show) THEN
            RETURN QUERY SELECT 'no_queue'::text, NULL::uuid, NULL::int, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
        ELSE
            RETURN QUERY SELECT 'show_not_found'::text, NULL::uuid, NULL::int, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
        END IF;
        RETURN;
    END IF;
    IF NOT v_queue.ranked AND p_now >= v_queue.on_sale_at THEN
        RETURN QUERY SELECT 'unranked'::text, NULL::uuid, NULL::int, NULL::timestamptz, NULL::timestamptz, NULL::boolean;
        RETURN;
    END IF;
    -- The same account joining twice at once: the second waited on the lock and finds the first.
    RETURN QUERY
    SELECT 'existing'::text, e.id, e.rank, e.joined_at, e.admitted_at, false
    FROM queue_entries e WHERE e.show_id = p_show AND e.user_id = p_user;
    IF FOUND THEN RETURN; END IF;
    v_rank := CASE WHEN v_queue.ranked THEN v_queue.entries + 1 END;
    -- Join times rise with the order of the lock, a microsecond apart at least: a request's
    -- clock was read before it waited here, so it could be earlier than one let in before it.
    v_joined := greatest(p_now, v_queue.last_joined_at + interval '1 microsecond');
    INSERT INTO queue_entries (id, show_id, user_id, joined_at, rank)
    VALUES (p_entry, p_show, p_user, v_joined, v_rank);
    UPDATE show_queues q SET entries = q.entries + 1, last_joined_at = v_joined, updated_at = p_now
    WHERE q.show_id = p_show;
    RETURN QUERY SELECT 'joined'::text, p_entry, v_rank, v_joined, NULL::timestamptz, false;
END;
$$;
