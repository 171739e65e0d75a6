-- One delivery per webhook subscribed to an outbox event's type, queued in the event's own
-- transaction.
CREATE OR REPLACE FUNCTION marquee_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
    FROM webhooks w WHERE NEW.type = ANY (w.event_types);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
FOR EACH ROW EXECUTE FUNCTION marquee_queue_webhooks();
