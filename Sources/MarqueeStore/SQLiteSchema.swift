/// The SQLite schema, one versioned step at a time. Never edit a step that has shipped;
/// add the next one.
enum SQLiteSchema {
    struct Migration {
        var version: Int
        var sql: String
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    email TEXT NOT NULL,
                    email_key TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE shows (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    start_time INTEGER NOT NULL,
                    total_seats INTEGER NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX shows_start_time_id ON shows (start_time, id);
                CREATE TABLE bookings (
                    id TEXT PRIMARY KEY,
                    show_id TEXT NOT NULL REFERENCES shows (id),
                    user_id TEXT NOT NULL REFERENCES users (id),
                    user_name TEXT NOT NULL,
                    seats TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    idempotency_key TEXT
                );
                CREATE INDEX bookings_show_status ON bookings (show_id, status);
                CREATE INDEX bookings_user_created ON bookings (user_id, created_at);
                -- One row per seat held by a CONFIRMED or PENDING booking. The primary key is
                -- the database's own refusal of a double sale, whatever the code above does.
                CREATE TABLE seat_claims (
                    show_id TEXT NOT NULL REFERENCES shows (id),
                    seat INTEGER NOT NULL,
                    booking_id TEXT NOT NULL REFERENCES bookings (id),
                    expires_at INTEGER,
                    PRIMARY KEY (show_id, seat)
                ) WITHOUT ROWID;
                CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
                """
        ),
        Migration(
            version: 2,
            sql: """
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
                """
        ),
        Migration(
            version: 3,
            sql: """
                -- The outbox: one row per change to a show's seats (and per new show), written by
                -- these triggers in the same transaction as the change, whichever code made it.
                CREATE TABLE booking_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    type TEXT NOT NULL,
                    show_id TEXT NOT NULL,
                    booking_id TEXT,
                    seats TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    payload TEXT NOT NULL
                );
                CREATE INDEX booking_events_show ON booking_events (show_id, id);
                CREATE INDEX booking_events_created ON booking_events (created_at);
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
                CREATE TRIGGER booking_events_status AFTER UPDATE OF status ON bookings
                WHEN OLD.status <> NEW.status
                BEGIN
                    INSERT INTO booking_events (type, show_id, booking_id, seats, created_at, payload)
                    SELECT e.type, NEW.show_id, NEW.id, NEW.seats, e.at,
                           json_object('type', e.type, 'showId', NEW.show_id, 'bookingId', NEW.id,
                                       'userId', NEW.user_id, 'seats', json(NEW.seats), 'status', NEW.status,
                                       'at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    FROM (SELECT CASE NEW.status WHEN 'CONFIRMED' THEN 'hold.confirmed'
                                                 WHEN 'CANCELLED' THEN 'booking.cancelled'
                                                 ELSE 'hold.expired' END AS type,
                                 CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) AS at) AS e;
                END;
                CREATE TRIGGER booking_events_new_show AFTER INSERT ON shows
                BEGIN
                    INSERT INTO booking_events (type, show_id, booking_id, seats, created_at, payload)
                    VALUES ('show.created', NEW.id, NULL, '[]', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER),
                            json_object('type', 'show.created', 'showId', NEW.id, 'name', NEW.name,
                                        'startTime', strftime('%Y-%m-%dT%H:%M:%SZ', NEW.start_time / 1000000, 'unixepoch'),
                                        'totalSeats', NEW.total_seats, 'at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
                END;
                """
        ),
        Migration(
            version: 4,
            sql: """
                -- Webhook endpoints, and one delivery per (endpoint, event) it subscribes to, queued
                -- by a trigger in the event's own transaction: nothing is lost between the change
                -- and the queue, and instances that crash do not skip deliveries.
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    secret TEXT NOT NULL,
                    event_types TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE webhook_deliveries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
                    event_id INTEGER NOT NULL,
                    event_type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_status_code INTEGER,
                    last_error TEXT,
                    next_attempt_at INTEGER NOT NULL,
                    locked_until INTEGER,
                    created_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    UNIQUE (webhook_id, event_id)
                );
                CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
                CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
                CREATE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
                BEGIN
                    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
                    FROM webhooks w
                    WHERE EXISTS (SELECT 1 FROM json_each(w.event_types) t WHERE t.value = NEW.type);
                END;
                """
        ),
    ]
}
