-- Webhook endpoints, and one delivery per (endpoint, event) it subscribes to, queued by the
-- trigger of functions/marquee_queue_webhooks.sql in the event's own transaction: nothing is
-- lost between the change and the queue, and instances that crash do not skip deliveries.
CREATE TABLE webhooks (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    secret text NOT NULL,
    event_types text[] NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id bigserial PRIMARY KEY,
    webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id bigint NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts int NOT NULL DEFAULT 0,
    last_status_code int,
    last_error text,
    next_attempt_at timestamptz NOT NULL,
    locked_until timestamptz,
    created_at timestamptz NOT NULL,
    delivered_at timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
