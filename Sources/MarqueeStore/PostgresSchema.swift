/// The PostgreSQL schema, one versioned step at a time; each step is a list of statements
/// (the extended protocol runs one statement per query). Never edit a step that has shipped.
enum PostgresSchema {
    struct Migration {
        var version: Int
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1,
            statements: [
                """
                CREATE TABLE users (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    email text NOT NULL,
                    email_key text NOT NULL UNIQUE,
                    password_hash text NOT NULL,
                    role text NOT NULL CHECK (role IN ('customer', 'admin')),
                    created_at timestamptz NOT NULL
                )
                """,
                """
                CREATE TABLE shows (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    start_time timestamptz NOT NULL,
                    total_seats int NOT NULL CHECK (total_seats BETWEEN 1 AND 100000),
                    created_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX shows_start_time_id ON shows (start_time, id)",
                """
                CREATE TABLE bookings (
                    id uuid PRIMARY KEY,
                    show_id uuid NOT NULL REFERENCES shows (id),
                    user_id uuid NOT NULL REFERENCES users (id),
                    user_name text NOT NULL,
                    seats int[] NOT NULL,
                    status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz,
                    idempotency_key text
                )
                """,
                "CREATE INDEX bookings_show_status ON bookings (show_id, status)",
                "CREATE INDEX bookings_user_created ON bookings (user_id, created_at DESC)",
                // One row per seat held by a CONFIRMED or PENDING booking. The primary key is the
                // database's own refusal of a double sale, whatever the code above it does.
                """
                CREATE TABLE seat_claims (
                    show_id uuid NOT NULL REFERENCES shows (id),
                    seat int NOT NULL,
                    booking_id uuid NOT NULL REFERENCES bookings (id),
                    expires_at timestamptz,
                    PRIMARY KEY (show_id, seat)
                )
                """,
                "CREATE INDEX seat_claims_booking ON seat_claims (booking_id)",
                // The booking transaction of DESIGN.md in one round trip. Outcomes: 'booked',
                // 'show_not_found', 'out_of_range' (seats = {total_seats}), 'conflict' (seats =
                // the taken ones).
                """
                CREATE FUNCTION marquee_book(
                    p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats int[],
                    p_now timestamptz, p_expires timestamptz
                ) RETURNS TABLE (result_outcome text, result_seats int[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_total int;
                    v_taken int[];
                BEGIN
                    -- 1. Lock the show row: bookings of one show queue here.
                    SELECT s.total_seats INTO v_total FROM shows s WHERE s.id = p_show FOR UPDATE;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'show_not_found'::text, NULL::int[];
                        RETURN;
                    END IF;
                    -- 2. Every seat must exist.
                    IF EXISTS (SELECT 1 FROM unnest(p_seats) AS n WHERE n < 1 OR n > v_total) THEN
                        RETURN QUERY SELECT 'out_of_range'::text, ARRAY[v_total];
                        RETURN;
                    END IF;
                    -- 3. Active claims on these seats refuse the booking.
                    SELECT coalesce(array_agg(a.seat ORDER BY a.seat), '{}') INTO v_taken
                    FROM (SELECT c.seat FROM seat_claims c
                          WHERE c.show_id = p_show AND c.seat = ANY (p_seats)
                            AND (c.expires_at IS NULL OR c.expires_at > p_now)
                          FOR SHARE) AS a;
                    IF cardinality(v_taken) > 0 THEN
                        RETURN QUERY SELECT 'conflict'::text, v_taken;
                        RETURN;
                    END IF;
                    -- Lapsed holds on these seats give way: they expire and free all of their seats.
                    WITH lapsed AS (
                        SELECT DISTINCT c.booking_id FROM seat_claims c
                        WHERE c.show_id = p_show AND c.seat = ANY (p_seats) AND c.expires_at <= p_now
                    ), expired AS (
                        UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
                        FROM lapsed WHERE b.id = lapsed.booking_id AND b.status = 'PENDING'
                    )
                    DELETE FROM seat_claims c USING lapsed WHERE c.booking_id = lapsed.booking_id;
                    -- 4. The booking and its claims.
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at)
                    VALUES (p_booking, p_show, p_user, p_user_name, p_seats,
                            CASE WHEN p_expires IS NULL THEN 'CONFIRMED' ELSE 'PENDING' END, p_now, p_expires);
                    INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
                    SELECT p_show, n, p_booking, p_expires FROM unnest(p_seats) AS n;
                    RETURN QUERY SELECT 'booked'::text, NULL::int[];
                END;
                $$
                """,
            ]
        ),
        Migration(
            version: 2,
            statements: [
                "CREATE INDEX bookings_pending_expiry ON bookings (expires_at) WHERE status = 'PENDING'",
                // Idempotency-Key records, per user. response_status NULL: the first request is in flight.
                """
                CREATE TABLE idempotency_keys (
                    user_id uuid NOT NULL REFERENCES users (id),
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    response_status int,
                    response_body text,
                    booking_id uuid REFERENCES bookings (id),
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (user_id, key)
                )
                """,
                "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
                "DROP FUNCTION marquee_book(uuid, uuid, uuid, text, int[], timestamptz, timestamptz)",
                // The booking transaction, now with the hold cap and the idempotency answer.
                // Outcomes as before, plus 'too_many_holds'.
                """
                CREATE FUNCTION marquee_book(
                    p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats int[],
                    p_now timestamptz, p_expires timestamptz, p_max_holds int,
                    p_idem_key text, p_idem_status int, p_idem_body text
                ) RETURNS TABLE (result_outcome text, result_seats int[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_total int;
                    v_taken int[];
                    v_holds int;
                BEGIN
                    -- 1. Lock the show row: every change to this show's seats queues here.
                    SELECT s.total_seats INTO v_total FROM shows s WHERE s.id = p_show FOR UPDATE;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'show_not_found'::text, NULL::int[];
                        RETURN;
                    END IF;
                    -- 2. Every seat must exist.
                    IF EXISTS (SELECT 1 FROM unnest(p_seats) AS n WHERE n < 1 OR n > v_total) THEN
                        RETURN QUERY SELECT 'out_of_range'::text, ARRAY[v_total];
                        RETURN;
                    END IF;
                    -- A hold counts against the user's cap; the user row lock serialises their holds.
                    IF p_expires IS NOT NULL AND p_max_holds IS NOT NULL THEN
                        PERFORM 1 FROM users u WHERE u.id = p_user FOR UPDATE;
                        SELECT count(*) INTO v_holds FROM bookings b
                        WHERE b.user_id = p_user AND b.status = 'PENDING' AND b.expires_at > p_now;
                        IF v_holds >= p_max_holds THEN
                            RETURN QUERY SELECT 'too_many_holds'::text, ARRAY[p_max_holds];
                            RETURN;
                        END IF;
                    END IF;
                    -- 3. Active claims on these seats refuse the booking.
                    SELECT coalesce(array_agg(a.seat ORDER BY a.seat), '{}') INTO v_taken
                    FROM (SELECT c.seat FROM seat_claims c
                          WHERE c.show_id = p_show AND c.seat = ANY (p_seats)
                            AND (c.expires_at IS NULL OR c.expires_at > p_now)
                          FOR SHARE) AS a;
                    IF cardinality(v_taken) > 0 THEN
                        RETURN QUERY SELECT 'conflict'::text, v_taken;
                        RETURN;
                    END IF;
                    -- Lapsed holds on these seats give way: they expire and free all of their seats.
                    -- Only claims still lapsed are deleted, whatever changed while this waited.
                    WITH lapsed AS (
                        SELECT DISTINCT c.booking_id FROM seat_claims c
                        WHERE c.show_id = p_show AND c.seat = ANY (p_seats) AND c.expires_at <= p_now
                    ), expired AS (
                        UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
                        FROM lapsed WHERE b.id = lapsed.booking_id AND b.status = 'PENDING'
                    )
                    DELETE FROM seat_claims c USING lapsed
                    WHERE c.booking_id = lapsed.booking_id AND c.expires_at <= p_now;
                    -- 4. The booking and its claims.
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                                          idempotency_key)
                    VALUES (p_booking, p_show, p_user, p_user_name, p_seats,
                            CASE WHEN p_expires IS NULL THEN 'CONFIRMED' ELSE 'PENDING' END, p_now, p_expires,
                            p_idem_key);
                    INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
                    SELECT p_show, n, p_booking, p_expires FROM unnest(p_seats) AS n;
                    -- 5. The answer under its idempotency key, in the same transaction as the booking.
                    IF p_idem_key IS NOT NULL THEN
                        UPDATE idempotency_keys k
                        SET response_status = p_idem_status, response_body = p_idem_body, booking_id = p_booking
                        WHERE k.user_id = p_user AND k.key = p_idem_key;
                    END IF;
                    RETURN QUERY SELECT 'booked'::text, NULL::int[];
                END;
                $$
                """,
                // Compare-and-set of a booking's state under its show's lock (see
                // BookingStore.transition). The rules of which move to ask for live in Swift.
                """
                CREATE FUNCTION marquee_transition(p_booking uuid, p_from text, p_to text, p_now timestamptz)
                RETURNS boolean LANGUAGE plpgsql AS $$
                DECLARE
                    v_show uuid;
                BEGIN
                    SELECT b.show_id INTO v_show FROM bookings b WHERE b.id = p_booking;
                    IF NOT FOUND THEN
                        RETURN false;
                    END IF;
                    PERFORM 1 FROM shows s WHERE s.id = v_show FOR UPDATE;
                    UPDATE bookings b SET status = p_to, expires_at = NULL
                    WHERE b.id = p_booking AND b.status = p_from
                      AND (b.status <> 'PENDING' OR (p_to = 'EXPIRED') = (b.expires_at <= p_now));
                    IF NOT FOUND THEN
                        RETURN false;
                    END IF;
                    IF p_to = 'CONFIRMED' THEN
                        UPDATE seat_claims c SET expires_at = NULL WHERE c.booking_id = p_booking;
                    ELSE
                        DELETE FROM seat_claims c WHERE c.booking_id = p_booking;
                    END IF;
                    RETURN true;
                END;
                $$
                """,
                // The sweeper: show by show, skipping shows whose lock is taken (a booking there
                // frees lapsed seats itself), so it never makes a booking wait.
                """
                CREATE FUNCTION marquee_expire_holds(p_now timestamptz, p_limit int)
                RETURNS int LANGUAGE plpgsql AS $$
                DECLARE
                    v_show uuid;
                    v_count int := 0;
                    v_expired int;
                BEGIN
                    FOR v_show IN
                        SELECT DISTINCT b.show_id FROM bookings b
                        WHERE b.status = 'PENDING' AND b.expires_at <= p_now LIMIT p_limit
                    LOOP
                        PERFORM 1 FROM shows s WHERE s.id = v_show FOR UPDATE SKIP LOCKED;
                        CONTINUE WHEN NOT FOUND;
                        WITH expired AS (
                            UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
                            WHERE b.show_id = v_show AND b.status = 'PENDING' AND b.expires_at <= p_now
                            RETURNING b.id
                        ), freed AS (
                            DELETE FROM seat_claims c USING expired WHERE c.booking_id = expired.id
                        )
                        SELECT count(*) INTO v_expired FROM expired;
                        v_count := v_count + v_expired;
                    END LOOP;
                    RETURN v_count;
                END;
                $$
                """,
            ]
        ),
        Migration(
            version: 3,
            statements: [
                // The outbox: one row per change to a show's seats (and per new show), written by
                // triggers in the same transaction as the change, whichever code made it. Every
                // such change holds its show's row lock, so one show's events commit in id order.
                """
                CREATE TABLE booking_events (
                    id bigserial PRIMARY KEY,
                    type text NOT NULL,
                    show_id uuid NOT NULL,
                    booking_id uuid,
                    seats int[] NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    payload jsonb NOT NULL
                )
                """,
                "CREATE INDEX booking_events_show ON booking_events (show_id, id)",
                "CREATE INDEX booking_events_created ON booking_events (created_at)",
                """
                CREATE FUNCTION marquee_booking_event() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    v_type text;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        v_type := CASE NEW.status WHEN 'PENDING' THEN 'hold.created' ELSE 'booking.confirmed' END;
                    ELSIF NEW.status = OLD.status THEN
                        RETURN NULL;
                    ELSE
                        v_type := CASE NEW.status WHEN 'CONFIRMED' THEN 'hold.confirmed'
                                                  WHEN 'CANCELLED' THEN 'booking.cancelled'
                                                  ELSE 'hold.expired' END;
                    END IF;
                    INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
                    VALUES (v_type, NEW.show_id, NEW.id, NEW.seats,
                            jsonb_build_object('type', v_type, 'showId', NEW.show_id, 'bookingId', NEW.id,
                                               'userId', NEW.user_id, 'seats', to_jsonb(NEW.seats), 'status', NEW.status,
                                               'at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
                    RETURN NULL;
                END;
                $$
                """,
                """
                CREATE TRIGGER booking_events AFTER INSERT OR UPDATE OF status ON bookings
                FOR EACH ROW EXECUTE FUNCTION marquee_booking_event()
                """,
                """
                CREATE FUNCTION marquee_show_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO booking_events (type, show_id, booking_id, seats, payload)
                    VALUES ('show.created', NEW.id, NULL, '{}',
                            jsonb_build_object('type', 'show.created', 'showId', NEW.id, 'name', NEW.name,
                                               'startTime', to_char(NEW.start_time AT TIME ZONE 'UTC',
                                                                    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                               'totalSeats', NEW.total_seats,
                                               'at', to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                                             'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
                    RETURN NULL;
                END;
                $$
                """,
                """
                CREATE TRIGGER show_events AFTER INSERT ON shows
                FOR EACH ROW EXECUTE FUNCTION marquee_show_event()
                """,
            ]
        ),
        Migration(
            version: 4,
            statements: [
                // Webhook endpoints, and one delivery per (endpoint, event) it subscribes to,
                // queued by a trigger in the event's own transaction: nothing is lost between the
                // change and the queue, and instances that crash do not skip deliveries.
                """
                CREATE TABLE webhooks (
                    id uuid PRIMARY KEY,
                    url text NOT NULL,
                    secret text NOT NULL,
                    event_types text[] NOT NULL,
                    created_at timestamptz NOT NULL
                )
                """,
                """
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
                )
                """,
                "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id)",
                """
                CREATE FUNCTION marquee_queue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
                    FROM webhooks w WHERE NEW.type = ANY (w.event_types);
                    RETURN NULL;
                END;
                $$
                """,
                """
                CREATE TRIGGER webhook_deliveries_queue AFTER INSERT ON booking_events
                FOR EACH ROW EXECUTE FUNCTION marquee_queue_webhooks()
                """,
            ]
        ),
        Migration(
            version: 5,
            statements: [
                // Several bookings of one show in one transaction and one commit, each decided
                // by marquee_book exactly as it would be alone, in order: a refusal writes
                // nothing (every refusal comes before the first write), and a later request
                // sees an earlier one's seats as taken. p_requests is a JSON array of
                // {id, user_id, user_name, seats, now_us, expires_us, max_holds, idem_key,
                // idem_status, idem_body}, times in microseconds since 1970. One row per
                // request: its 1-based position, then marquee_book's outcome and seats.
                """
                CREATE FUNCTION marquee_book_many(p_show uuid, p_requests jsonb)
                RETURNS TABLE (result_index int, result_outcome text, result_seats int[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    r record;
                BEGIN
                    -- The show first, then every user whose hold counts against a cap, in id
                    -- order: any two transactions take these locks in the same order.
                    PERFORM 1 FROM shows s WHERE s.id = p_show FOR UPDATE;
                    PERFORM 1 FROM users u
                    WHERE u.id IN (SELECT (e ->> 'user_id')::uuid FROM jsonb_array_elements(p_requests) AS e
                                   WHERE e ->> 'expires_us' IS NOT NULL AND e ->> 'max_holds' IS NOT NULL)
                    ORDER BY u.id FOR UPDATE;
                    FOR r IN
                        SELECT e.position::int AS position, q.*
                        FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(request, position),
                             jsonb_to_record(e.request) AS q(
                                 id uuid, user_id uuid, user_name text, seats int[], now_us bigint, expires_us bigint,
                                 max_holds int, idem_key text, idem_status int, idem_body text)
                        ORDER BY e.position
                    LOOP
                        RETURN QUERY
                        SELECT r.position, b.result_outcome, b.result_seats
                        FROM marquee_book(
                            r.id, p_show, r.user_id, r.user_name, r.seats,
                            'epoch'::timestamptz + r.now_us * interval '1 microsecond',
                            'epoch'::timestamptz + r.expires_us * interval '1 microsecond',
                            r.max_holds, r.idem_key, r.idem_status, r.idem_body) AS b;
                    END LOOP;
                END;
                $$
                """,
            ]
        ),
        Migration(
            version: 6,
            statements: [
                // The booking transaction as before, with each seat's claim found by its full
                // primary key. Migration 2's `c.seat = ANY (p_seats)` let PostgreSQL's cached
                // plan walk every claim of the show and filter, so a booking cost more the more
                // of the show was sold (16,000 claims read for a 2-seat booking, measured).
                // The hold cap's user lock is FOR NO KEY UPDATE: it still serialises one user's
                // holds, but no longer blocks the foreign-key checks of other transactions'
                // bookings for that user, which could deadlock two batches.
                """
                CREATE OR REPLACE FUNCTION marquee_book(
                    p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats int[],
                    p_now timestamptz, p_expires timestamptz, p_max_holds int,
                    p_idem_key text, p_idem_status int, p_idem_body text
                ) RETURNS TABLE (result_outcome text, result_seats int[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    v_total int;
                    v_holds int;
                    v_seat int;
                    v_claim record;
                    v_taken int[] := '{}';
                    v_lapsed uuid[] := '{}';
                BEGIN
                    -- 1. Lock the show row: every change to this show's seats queues here.
                    SELECT s.total_seats INTO v_total FROM shows s WHERE s.id = p_show FOR UPDATE;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'show_not_found'::text, NULL::int[];
                        RETURN;
                    END IF;
                    -- 2. Every seat must exist.
                    IF EXISTS (SELECT 1 FROM unnest(p_seats) AS n WHERE n < 1 OR n > v_total) THEN
                        RETURN QUERY SELECT 'out_of_range'::text, ARRAY[v_total];
                        RETURN;
                    END IF;
                    -- A hold counts against the user's cap; the user row lock serialises their holds.
                    IF p_expires IS NOT NULL AND p_max_holds IS NOT NULL THEN
                        PERFORM 1 FROM users u WHERE u.id = p_user FOR NO KEY UPDATE;
                        SELECT count(*) INTO v_holds FROM bookings b
                        WHERE b.user_id = p_user AND b.status = 'PENDING' AND b.expires_at > p_now;
                        IF v_holds >= p_max_holds THEN
                            RETURN QUERY SELECT 'too_many_holds'::text, ARRAY[p_max_holds];
                            RETURN;
                        END IF;
                    END IF;
                    -- 3. Each seat's claim, read FOR SHARE: an active one refuses the booking, a
                    -- lapsed hold gives way.
                    FOREACH v_seat IN ARRAY p_seats LOOP
                        SELECT c.booking_id, c.expires_at INTO v_claim
                        FROM seat_claims c WHERE c.show_id = p_show AND c.seat = v_seat FOR SHARE;
                        CONTINUE WHEN NOT FOUND;
                        IF v_claim.expires_at IS NULL OR v_claim.expires_at > p_now THEN
                            v_taken := v_taken || v_seat;
                        ELSE
                            v_lapsed := v_lapsed || v_claim.booking_id;
                        END IF;
                    END LOOP;
                    IF cardinality(v_taken) > 0 THEN
                        RETURN QUERY SELECT 'conflict'::text, ARRAY(SELECT t FROM unnest(v_taken) AS t ORDER BY t);
                        RETURN;
                    END IF;
                    -- Lapsed holds on these seats expire and free all of their seats. Only claims
                    -- still lapsed are deleted, whatever changed while this waited.
                    IF cardinality(v_lapsed) > 0 THEN
                        UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
                        WHERE b.id = ANY (v_lapsed) AND b.status = 'PENDING';
                        DELETE FROM seat_claims c WHERE c.booking_id = ANY (v_lapsed) AND c.expires_at <= p_now;
                    END IF;
                    -- 4. The booking and its claims.
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                                          idempotency_key)
                    VALUES (p_booking, p_show, p_user, p_user_name, p_seats,
                            CASE WHEN p_expires IS NULL THEN 'CONFIRMED' ELSE 'PENDING' END, p_now, p_expires,
                            p_idem_key);
                    INSERT INTO seat_claims (show_id, seat, booking_id, expires_at)
                    SELECT p_show, n, p_booking, p_expires FROM unnest(p_seats) AS n;
                    -- 5. The answer under its idempotency key, in the same transaction as the booking.
                    IF p_idem_key IS NOT NULL THEN
                        UPDATE idempotency_keys k
                        SET response_status = p_idem_status, response_body = p_idem_body, booking_id = p_booking
                        WHERE k.user_id = p_user AND k.key = p_idem_key;
                    END IF;
                    RETURN QUERY SELECT 'booked'::text, NULL::int[];
                END;
                $$
                """,
                // Bookings of any shows in one transaction and one commit, each decided by
                // marquee_book exactly as it would be alone, in order. Migration 5's version took
                // one show's requests; this one takes each request's show from the request, so
                // an instance can commit requests for many shows together. Every show is locked
                // first, then every user whose hold counts against a cap, each in id order: any
                // two transactions take these locks in the same order. p_requests is a JSON
                // array of {id, show_id, user_id, user_name, seats, now_us, expires_us,
                // max_holds, idem_key, idem_status, idem_body}, times in microseconds since 1970.
                // One row per request: its 1-based position, then marquee_book's outcome and seats.
                """
                CREATE FUNCTION marquee_book_many(p_requests jsonb)
                RETURNS TABLE (result_index int, result_outcome text, result_seats int[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    r record;
                BEGIN
                    PERFORM 1 FROM shows s
                    WHERE s.id IN (SELECT (e ->> 'show_id')::uuid FROM jsonb_array_elements(p_requests) AS e)
                    ORDER BY s.id FOR UPDATE;
                    PERFORM 1 FROM users u
                    WHERE u.id IN (SELECT (e ->> 'user_id')::uuid FROM jsonb_array_elements(p_requests) AS e
                                   WHERE e ->> 'expires_us' IS NOT NULL AND e ->> 'max_holds' IS NOT NULL)
                    ORDER BY u.id FOR NO KEY UPDATE;
                    FOR r IN
                        SELECT e.position::int AS position, q.*
                        FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(request, position),
                             jsonb_to_record(e.request) AS q(
                                 id uuid, show_id uuid, user_id uuid, user_name text, seats int[], now_us bigint,
                                 expires_us bigint, max_holds int, idem_key text, idem_status int, idem_body text)
                        ORDER BY e.position
                    LOOP
                        RETURN QUERY
                        SELECT r.position, b.result_outcome, b.result_seats
                        FROM marquee_book(
                            r.id, r.show_id, r.user_id, r.user_name, r.seats,
                            'epoch'::timestamptz + r.now_us * interval '1 microsecond',
                            'epoch'::timestamptz + r.expires_us * interval '1 microsecond',
                            r.max_holds, r.idem_key, r.idem_status, r.idem_body) AS b;
                    END LOOP;
                END;
                $$
                """,
            ]
        ),
    ]
}
