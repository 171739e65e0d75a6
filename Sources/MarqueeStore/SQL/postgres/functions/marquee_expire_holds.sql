-- The hold sweeper: show by show, skipping shows whose lock is taken (a booking there frees
-- lapsed seats itself), so it never makes a booking wait.
CREATE OR REPLACE FUNCTION marquee_expire_holds(p_now timestamptz, p_limit int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    v_show uuid;
    v_count int := 0;
    v_expired int;
BEGIN
    FOR v_show IN
        SELECT DISTINCT b.show_id FROM bookings b
        WHERE b.status = 'PENDING' AND b.expires_at <= p_now LIMIT p_limit
    LOOP
        PERFORM 1 FROM shows s WHERE s.id = v_show FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        WITH expired AS (
            UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
            WHERE b.show_id = v_show AND b.status = 'PENDING' AND b.expires_at <= p_now
            RETURNING b.id
        ), freed AS (
            DELETE FROM seat_claims c USING expired WHERE c.show_id = v_show AND c.booking_id = expired.id
        )
        SELECT count(*) INTO v_expired FROM expired;
        v_count := v_count + v_expired;
    END LOOP;
    RETURN v_count;
END;
$$;
