-- Compare-and-set of a booking's state under its show's lock (see BookingStore.transition).
-- The rules of which move to ask for live in Swift (MarqueeCore/Settlement.swift).
CREATE OR REPLACE FUNCTION marquee_transition(p_booking uuid, p_from text, p_to text, p_now timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_show uuid;
BEGIN
    -- The one read without the show: a probe of each partition's key. The rest names the show.
    SELECT b.show_id INTO v_show FROM bookings b WHERE b.id = p_booking;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM 1 FROM shows s WHERE s.id = v_show FOR UPDATE;
    UPDATE bookings b SET status = p_to, expires_at = NULL
    WHERE b.show_id = v_show AND b.id = p_booking AND b.status = p_from
      AND (b.status <> 'PENDING' OR (p_to = 'EXPIRED') = (b.expires_at <= p_now));
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF p_to = 'CONFIRMED' THEN
        UPDATE seat_claims c SET expires_at = NULL WHERE c.show_id = v_show AND c.booking_id = p_booking;
    ELSE
        DELETE FROM seat_claims c WHERE c.show_id = v_show AND c.booking_id = p_booking;
    END IF;
    RETURN true;
END;
$$;
