-- The sweeper finds lapsed holds by their expiry.
CREATE INDEX bookings_pending_expiry ON bookings (expires_at) WHERE status = 'PENDING';

-- Idempotency-Key records, per user. response_status NULL: the first request is in flight.
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL REFERENCES users (id),
    key text NOT NULL,
    fingerprint text NOT NULL,
    response_status int,
    response_body text,
    booking_id uuid REFERENCES bookings (id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
