-- The outbox row for every new show, in its own transaction.
DROP TRIGGER IF EXISTS booking_events_new_show;
CREATE TRIGGER booking_events_new_show AFTER INSERT ON shows
BEGIN
    INSERT INTO booking_events (type, show_id, booking_id, seats, created_at, payload)
    VALUES ('show.created', NEW.id, NULL, '[]', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER),
            json_object('type', 'show.created', 'showId', NEW.id, 'name', NEW.name,
                        'startTime', strftime('%Y-%m-%dT%H:%M:%SZ', NEW.start_time / 1000000, 'unixepoch'),
                        'totalSeats', NEW.total_seats, 'at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
END;
