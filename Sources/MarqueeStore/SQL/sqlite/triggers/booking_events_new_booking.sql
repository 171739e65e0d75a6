-- The outbox row for every new booking or hold, in its own transaction.
DROP TRIGGER IF EXISTS booking_events_new_booking;
CREATE TRIGGER booking_events_new_booking AFTER INSERT ON bookings
BEGIN
    INSERT INTO booking_events (type, show_id, booking_id, seats, created_at, payload)
    SELECT e.type, NEW.show_id, NEW.id, NEW.seats, e.at,
           json_object('type', e.type, 'showId', NEW.show_id, 'bookingId', NEW.id,
                       'userId', NEW.user_id, 'seats', json(NEW.seats), 'status', NEW.status,
                       'at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    FROM (SELECT CASE NEW.status WHEN 'PENDING' THEN 'hold.created' ELSE 'booking.confirmed' END AS type,
                 CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) AS at) AS e;
END;
