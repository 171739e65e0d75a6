-- One delivery per webhook subscribed to an outbox event's type, queued in the event's own
-- transaction by the trigger webhook_deliveries_queue.
--
-- That trigger is on the outbox only while a webhook exists: without one, every event would
-- still pay a trigger call and a query that finds nothing, a ninth of PostgreSQL's
-- instructions per booking (docs/PERFORMANCE.md, "Counted again"). marquee_sync_webhook_trigger
-- puts it on or takes it off, and runs after every change to `webhooks` (webhooks_changed,
-- below) and when this file is applied. It locks the outbox against inserts first, so changes to webhooks take turns, and
-- its check, a statement after the lock, sees every change committed before it. No event is
-- missed: an outbox insert waits while a registration holds the lock, and once that commits
-- it finds the trigger in place (a new lock on the table reads the table's new triggers)
-- and the webhook (each trigger statement reads a new snapshot). An event committed before
-- the registration committed is not the webhook's, as before.
CREATE OR REPLACE FUNCTION marquee_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
    FROM webhooks w WHERE NEW.type = ANY (w.event_types);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION marquee_sync_webhook_trigger() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE booking_events IN SHARE ROW EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM webhooks) THEN
        CREATE OR REPLACE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
        FOR EACH ROW EXECUTE FUNCTION marquee_queue_webhooks();
    ELSE
        DROP TRIGGER IF EXISTS webhook_deliveries_queue ON booking_events;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION marquee_webhooks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM marquee_sync_webhook_trigger();
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER webhooks_changed AFTER INSERT OR DELETE OR TRUNCATE ON webhooks
FOR EACH STATEMENT EXECUTE FUNCTION marquee_webhooks_changed();

SELECT marquee_sync_webhook_trigger();
