-- The outbox row for every new show, in its own transaction.
CREATE OR REPLACE FUNCTION marquee_show_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
    VALUES ('show.created', NEW.id, NULL, '{}',
            jsonb_build_object('type', 'show.created', 'showId', NEW.id, 'name', NEW.name,
                               'startTime', to_char(NEW.start_time AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                               'totalSeats', NEW.total_seats,
                               'at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER show_events AFTER INSERT ON shows
FOR EACH ROW EXECUTE FUNCTION marquee_show_event();
