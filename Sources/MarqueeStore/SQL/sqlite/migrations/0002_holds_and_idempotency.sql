-- The sweeper finds lapsed holds by their expiry.
CREATE INDEX bookings_pending_expiry ON bookings (expires_at) WHERE status = 'PENDING';
-- Idempotency-Key records, per user. status NULL: the first request is in flight.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL REFERENCES users (id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    booking_id TEXT REFERENCES bookings (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
