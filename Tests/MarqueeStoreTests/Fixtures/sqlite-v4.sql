BEGIN TRANSACTION;
CREATE TABLE booking_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    show_id TEXT NOT NULL,
    booking_id TEXT,
    seats TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    payload TEXT NOT NULL
);
INSERT INTO "booking_events" VALUES(1,'show.created','e75c649a-3c49-44b6-9c65-a36acf68cf4d',NULL,'[]',1796122978510008,'{"type":"show.created","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","name":"Hamlet","startTime":"2031-05-01T19:30:00Z","totalSeats":40,"at":"2026-12-01T11:02:58.510Z"}');
INSERT INTO "booking_events" VALUES(2,'show.created','c1dc796b-72f5-4410-8e94-da2f825809cc',NULL,'[]',1796122978513991,'{"type":"show.created","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","name":"Quartet","startTime":"2031-05-02T19:30:00Z","totalSeats":12,"at":"2026-12-01T11:02:58.514Z"}');
INSERT INTO "booking_events" VALUES(3,'booking.confirmed','e75c649a-3c49-44b6-9c65-a36acf68cf4d','f320e5ea-7e72-4a1d-ba2a-112f2066bf67','[1,2,3]',1796122978525981,'{"type":"booking.confirmed","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","bookingId":"f320e5ea-7e72-4a1d-ba2a-112f2066bf67","userId":"d3d16274-ee8f-4685-a096-34cf35c2cae9","seats":[1,2,3],"status":"CONFIRMED","at":"2026-12-01T11:02:58.526Z"}');
INSERT INTO "booking_events" VALUES(4,'booking.confirmed','e75c649a-3c49-44b6-9c65-a36acf68cf4d','e0ebedc4-3000-4591-bbae-caac14560891','[10]',1796122978531010,'{"type":"booking.confirmed","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","bookingId":"e0ebedc4-3000-4591-bbae-caac14560891","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[10],"status":"CONFIRMED","at":"2026-12-01T11:02:58.531Z"}');
INSERT INTO "booking_events" VALUES(5,'hold.created','e75c649a-3c49-44b6-9c65-a36acf68cf4d','362ddbfb-4cb8-443e-af26-2a511e4d7de2','[20,21]',1796122978533987,'{"type":"hold.created","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","bookingId":"362ddbfb-4cb8-443e-af26-2a511e4d7de2","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[20,21],"status":"PENDING","at":"2026-12-01T11:02:58.534Z"}');
INSERT INTO "booking_events" VALUES(6,'hold.created','c1dc796b-72f5-4410-8e94-da2f825809cc','4b5c5a62-d355-4a09-844f-23b4c43a2f18','[5,6]',1796122978537005,'{"type":"hold.created","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"4b5c5a62-d355-4a09-844f-23b4c43a2f18","userId":"d3d16274-ee8f-4685-a096-34cf35c2cae9","seats":[5,6],"status":"PENDING","at":"2026-12-01T11:02:58.537Z"}');
INSERT INTO "booking_events" VALUES(7,'hold.created','c1dc796b-72f5-4410-8e94-da2f825809cc','aae1bb9a-786c-43d7-b9b7-23ee7d70f507','[1]',1796122978539982,'{"type":"hold.created","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"aae1bb9a-786c-43d7-b9b7-23ee7d70f507","userId":"d3d16274-ee8f-4685-a096-34cf35c2cae9","seats":[1],"status":"PENDING","at":"2026-12-01T11:02:58.540Z"}');
INSERT INTO "booking_events" VALUES(8,'hold.confirmed','c1dc796b-72f5-4410-8e94-da2f825809cc','aae1bb9a-786c-43d7-b9b7-23ee7d70f507','[1]',1796122978541994,'{"type":"hold.confirmed","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"aae1bb9a-786c-43d7-b9b7-23ee7d70f507","userId":"d3d16274-ee8f-4685-a096-34cf35c2cae9","seats":[1],"status":"CONFIRMED","at":"2026-12-01T11:02:58.542Z"}');
INSERT INTO "booking_events" VALUES(9,'booking.confirmed','c1dc796b-72f5-4410-8e94-da2f825809cc','2a0c4516-b135-401b-9900-21bb401dd33f','[12]',1796122978545011,'{"type":"booking.confirmed","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"2a0c4516-b135-401b-9900-21bb401dd33f","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[12],"status":"CONFIRMED","at":"2026-12-01T11:02:58.545Z"}');
INSERT INTO "booking_events" VALUES(10,'booking.cancelled','c1dc796b-72f5-4410-8e94-da2f825809cc','2a0c4516-b135-401b-9900-21bb401dd33f','[12]',1796122978546983,'{"type":"booking.cancelled","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"2a0c4516-b135-401b-9900-21bb401dd33f","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[12],"status":"CANCELLED","at":"2026-12-01T11:02:58.547Z"}');
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
INSERT INTO "bookings" VALUES('f320e5ea-7e72-4a1d-ba2a-112f2066bf67','e75c649a-3c49-44b6-9c65-a36acf68cf4d','d3d16274-ee8f-4685-a096-34cf35c2cae9','Ann','[1,2,3]','CONFIRMED',1796122978525342,NULL,NULL);
INSERT INTO "bookings" VALUES('e0ebedc4-3000-4591-bbae-caac14560891','e75c649a-3c49-44b6-9c65-a36acf68cf4d','3d7a90af-d807-4d0e-bdb6-9153317a0b97','Bob','[10]','CONFIRMED',1796122978530537,NULL,'bob-1');
INSERT INTO "bookings" VALUES('362ddbfb-4cb8-443e-af26-2a511e4d7de2','e75c649a-3c49-44b6-9c65-a36acf68cf4d','3d7a90af-d807-4d0e-bdb6-9153317a0b97','Bob','[20,21]','PENDING',1796122978533974,1796123578533974,NULL);
INSERT INTO "bookings" VALUES('4b5c5a62-d355-4a09-844f-23b4c43a2f18','c1dc796b-72f5-4410-8e94-da2f825809cc','d3d16274-ee8f-4685-a096-34cf35c2cae9','Ann','[5,6]','PENDING',1796122978536510,1796123578536510,NULL);
INSERT INTO "bookings" VALUES('aae1bb9a-786c-43d7-b9b7-23ee7d70f507','c1dc796b-72f5-4410-8e94-da2f825809cc','d3d16274-ee8f-4685-a096-34cf35c2cae9','Ann','[1]','CONFIRMED',1796122978539486,NULL,NULL);
INSERT INTO "bookings" VALUES('2a0c4516-b135-401b-9900-21bb401dd33f','c1dc796b-72f5-4410-8e94-da2f825809cc','3d7a90af-d807-4d0e-bdb6-9153317a0b97','Bob','[12]','CANCELLED',1796122978544608,NULL,NULL);
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
INSERT INTO "idempotency_keys" VALUES('3d7a90af-d807-4d0e-bdb6-9153317a0b97','bob-1','3ac94fb3adce92f76cb2f0270b0b204feac4cddd3611fcd71de08db5ed903499',201,'{"createdAt":"2026-12-01T11:02:58Z","expiresAt":null,"id":"e0ebedc4-3000-4591-bbae-caac14560891","seats":[10],"showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","status":"CONFIRMED","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","userName":"Bob"}','e0ebedc4-3000-4591-bbae-caac14560891',1796122978530077);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
INSERT INTO "schema_migrations" VALUES(1,1796122978410703);
INSERT INTO "schema_migrations" VALUES(2,1796122978411010);
INSERT INTO "schema_migrations" VALUES(3,1796122978411450);
INSERT INTO "schema_migrations" VALUES(4,1796122978411863);
CREATE TABLE seat_claims (
    show_id TEXT NOT NULL REFERENCES shows (id),
    seat INTEGER NOT NULL,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    expires_at INTEGER,
    PRIMARY KEY (show_id, seat)
) WITHOUT ROWID;
INSERT INTO "seat_claims" VALUES('c1dc796b-72f5-4410-8e94-da2f825809cc',1,'aae1bb9a-786c-43d7-b9b7-23ee7d70f507',NULL);
INSERT INTO "seat_claims" VALUES('c1dc796b-72f5-4410-8e94-da2f825809cc',5,'4b5c5a62-d355-4a09-844f-23b4c43a2f18',1796123578536510);
INSERT INTO "seat_claims" VALUES('c1dc796b-72f5-4410-8e94-da2f825809cc',6,'4b5c5a62-d355-4a09-844f-23b4c43a2f18',1796123578536510);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',1,'f320e5ea-7e72-4a1d-ba2a-112f2066bf67',NULL);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',2,'f320e5ea-7e72-4a1d-ba2a-112f2066bf67',NULL);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',3,'f320e5ea-7e72-4a1d-ba2a-112f2066bf67',NULL);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',10,'e0ebedc4-3000-4591-bbae-caac14560891',NULL);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',20,'362ddbfb-4cb8-443e-af26-2a511e4d7de2',1796123578533974);
INSERT INTO "seat_claims" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d',21,'362ddbfb-4cb8-443e-af26-2a511e4d7de2',1796123578533974);
CREATE TABLE shows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    total_seats INTEGER NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
    created_at INTEGER NOT NULL
);
INSERT INTO "shows" VALUES('e75c649a-3c49-44b6-9c65-a36acf68cf4d','Hamlet',1935430200000000,40,1796122978509704);
INSERT INTO "shows" VALUES('c1dc796b-72f5-4410-8e94-da2f825809cc','Quartet',1935516600000000,12,1796122978514191);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
    created_at INTEGER NOT NULL
);
INSERT INTO "users" VALUES('72d8e071-0197-46a0-b73a-e370c199dff1','Administrator','boss@example.com','boss@example.com','$2b$04$5yanXAxm45jS7B/1kYR.1uyYz2smFPNZ6R2I417yzfYwxcTXNAIlO','admin',1796122978415345);
INSERT INTO "users" VALUES('d3d16274-ee8f-4685-a096-34cf35c2cae9','Ann','ann@example.com','ann@example.com','$2b$04$1Mt7t6ZzzNBPAKtkvd/9jukAsewJyzy2x2syoBogvKAZhMSQvfHp.','customer',1796122978518289);
INSERT INTO "users" VALUES('3d7a90af-d807-4d0e-bdb6-9153317a0b97','Bob','bob@example.com','bob@example.com','$2b$04$/3b5XRnFXq/rDdVqr1U43OHSMQQtdSroq3fJtv03UdeRbafCDVgoq','customer',1796122978522085);
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
INSERT INTO "webhook_deliveries" VALUES(1,'efa90629-db51-4761-8686-4ac62c4a4f0e',3,'booking.confirmed','{"type":"booking.confirmed","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","bookingId":"f320e5ea-7e72-4a1d-ba2a-112f2066bf67","userId":"d3d16274-ee8f-4685-a096-34cf35c2cae9","seats":[1,2,3],"status":"CONFIRMED","at":"2026-12-01T11:02:58.526Z"}','pending',1,NULL,NULL,1796122978525981,1796123008526671,1796122978525981,NULL);
INSERT INTO "webhook_deliveries" VALUES(2,'efa90629-db51-4761-8686-4ac62c4a4f0e',4,'booking.confirmed','{"type":"booking.confirmed","showId":"e75c649a-3c49-44b6-9c65-a36acf68cf4d","bookingId":"e0ebedc4-3000-4591-bbae-caac14560891","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[10],"status":"CONFIRMED","at":"2026-12-01T11:02:58.531Z"}','pending',0,NULL,NULL,1796122978531010,NULL,1796122978531010,NULL);
INSERT INTO "webhook_deliveries" VALUES(3,'efa90629-db51-4761-8686-4ac62c4a4f0e',9,'booking.confirmed','{"type":"booking.confirmed","showId":"c1dc796b-72f5-4410-8e94-da2f825809cc","bookingId":"2a0c4516-b135-401b-9900-21bb401dd33f","userId":"3d7a90af-d807-4d0e-bdb6-9153317a0b97","seats":[12],"status":"CONFIRMED","at":"2026-12-01T11:02:58.545Z"}','pending',0,NULL,NULL,1796122978545011,NULL,1796122978545011,NULL);
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    event_types TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO "webhooks" VALUES('efa90629-db51-4761-8686-4ac62c4a4f0e','http://127.0.0.1:9/hook','fixture-secret-0123456789','["booking.confirmed"]',1796122978507413);
CREATE INDEX shows_start_time_id ON shows (start_time, id);
CREATE INDEX bookings_show_status ON bookings (show_id, status);
CREATE INDEX bookings_user_created ON bookings (user_id, created_at);
CREATE INDEX seat_claims_booking ON seat_claims (booking_id);
CREATE INDEX bookings_pending_expiry ON bookings (expires_at) WHERE status = 'PENDING';
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
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
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
    FROM webhooks w
    WHERE EXISTS (SELECT 1 FROM json_each(w.event_types) t WHERE t.value = NEW.type);
END;
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('webhook_deliveries',3);
INSERT INTO "sqlite_sequence" VALUES('booking_events',10);
COMMIT;
