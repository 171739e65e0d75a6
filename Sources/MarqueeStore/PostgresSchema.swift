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
        )
    ]
}
