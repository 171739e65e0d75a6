-- One delivery per webhook subscribed to an outbox event's type, in the event's own transaction.
DROP TRIGGER IF EXISTS webhook_deliveries_queue;
CREATE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE EXISTS (SELECT 1 FROM json_each(w.event_types) t WHERE t.value = NEW.type);
END;
