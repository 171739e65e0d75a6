-- The outbox row for every change of a booking's state, in the change's own transaction.
CREATE OR REPLACE FUNCTION marquee_booking_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_type := CASE NEW.status WHEN 'PENDING' THEN 'hold.created' ELSE 'booking.confirmed' END;
    ELSIF NEW.status = OLD.status THEN
        RETURN NULL;
    ELSE
        v_type := CASE NEW.status WHEN 'CONFIRMED' THEN 'hold.confirmed'
                                  WHEN 'CANCELLED' THEN 'booking.cancelled'
                                  ELSE 'hold.expired' END;
    END IF;
    INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
    VALUES (v_type, NEW.show_id, NEW.id, NEW.seats,
            jsonb_build_object('type', v_type, 'showId', NEW.show_id, 'bookingId', NEW.id,
                               'userId', NEW.user_id, 'seats', to_jsonb(NEW.seats), 'status', NEW.status,
                               'at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER booking_events AFTER INSERT OR UPDATE OF status ON bookings
FOR EACH ROW EXECUTE FUNCTION marquee_booking_event();
