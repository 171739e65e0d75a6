--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: marquee_book(uuid, uuid, uuid, text, integer[], timestamp with time zone, timestamp with time zone, integer, text, integer, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_book(p_booking uuid, p_show uuid, p_user uuid, p_user_name text, p_seats integer[], p_now timestamp with time zone, p_expires timestamp with time zone, p_max_holds integer, p_idem_key text, p_idem_status integer, p_idem_body text) RETURNS TABLE(result_outcome text, result_seats integer[])
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_book_many(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_book_many(p_requests jsonb) RETURNS TABLE(result_index integer, result_outcome text, result_seats integer[])
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_book_many(uuid, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_book_many(p_show uuid, p_requests jsonb) RETURNS TABLE(result_index integer, result_outcome text, result_seats integer[])
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_booking_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_booking_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_expire_holds(timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_expire_holds(p_now timestamp with time zone, p_limit integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_queue_webhooks(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_queue_webhooks() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
    SELECT w.id, NEW.id, NEW.type, NEW.payload, 'pending', NEW.created_at, NEW.created_at
    FROM webhooks w WHERE NEW.type = ANY (w.event_types);
    RETURN NULL;
END;
$$;


--
-- Name: marquee_show_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_show_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
$$;


--
-- Name: marquee_transition(uuid, text, text, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.marquee_transition(p_booking uuid, p_from text, p_to text, p_now timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
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
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: booking_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.booking_events (
    id bigint NOT NULL,
    type text NOT NULL,
    show_id uuid NOT NULL,
    booking_id uuid,
    seats integer[] NOT NULL,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    payload jsonb NOT NULL
);


--
-- Name: booking_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.booking_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: booking_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.booking_events_id_seq OWNED BY public.booking_events.id;


--
-- Name: bookings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bookings (
    id uuid NOT NULL,
    show_id uuid NOT NULL,
    user_id uuid NOT NULL,
    user_name text NOT NULL,
    seats integer[] NOT NULL,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    idempotency_key text,
    CONSTRAINT bookings_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'CONFIRMED'::text, 'CANCELLED'::text, 'EXPIRED'::text])))
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    user_id uuid NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    response_status integer,
    response_body text,
    booking_id uuid,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: seat_claims; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.seat_claims (
    show_id uuid NOT NULL,
    seat integer NOT NULL,
    booking_id uuid NOT NULL,
    expires_at timestamp with time zone
);


--
-- Name: shows; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.shows (
    id uuid NOT NULL,
    name text NOT NULL,
    start_time timestamp with time zone NOT NULL,
    total_seats integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT shows_total_seats_check CHECK (((total_seats >= 1) AND (total_seats <= 100000)))
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id uuid NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    email_key text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['customer'::text, 'admin'::text])))
);


--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id bigint NOT NULL,
    webhook_id uuid NOT NULL,
    event_id bigint NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_status_code integer,
    last_error text,
    next_attempt_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text])))
);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.webhook_deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.webhook_deliveries_id_seq OWNED BY public.webhook_deliveries.id;


--
-- Name: webhooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks (
    id uuid NOT NULL,
    url text NOT NULL,
    secret text NOT NULL,
    event_types text[] NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: booking_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.booking_events ALTER COLUMN id SET DEFAULT nextval('public.booking_events_id_seq'::regclass);


--
-- Name: webhook_deliveries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries ALTER COLUMN id SET DEFAULT nextval('public.webhook_deliveries_id_seq'::regclass);


--
-- Data for Name: booking_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.booking_events VALUES (1, 'show.created', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', NULL, '{}', '2026-12-01 11:02:57.582127+00', '{"at": "2026-12-01T11:02:57.582Z", "name": "Hamlet", "type": "show.created", "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "startTime": "2031-05-01T19:30:00Z", "totalSeats": 40}');
INSERT INTO public.booking_events VALUES (2, 'show.created', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', NULL, '{}', '2026-12-01 11:02:57.587739+00', '{"at": "2026-12-01T11:02:57.587Z", "name": "Quartet", "type": "show.created", "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "startTime": "2031-05-02T19:30:00Z", "totalSeats": 12}');
INSERT INTO public.booking_events VALUES (3, 'booking.confirmed', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', '1e29a4a8-0416-42aa-9a76-437dfada4c93', '{1,2,3}', '2026-12-01 11:02:57.60178+00', '{"at": "2026-12-01T11:02:57.601Z", "type": "booking.confirmed", "seats": [1, 2, 3], "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "status": "CONFIRMED", "userId": "6cec881e-4bad-4ddb-b6fc-a9367c7299df", "bookingId": "1e29a4a8-0416-42aa-9a76-437dfada4c93"}');
INSERT INTO public.booking_events VALUES (4, 'booking.confirmed', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', '6c36671f-1dff-4e8e-86ba-528430399186', '{10}', '2026-12-01 11:02:57.609393+00', '{"at": "2026-12-01T11:02:57.609Z", "type": "booking.confirmed", "seats": [10], "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "status": "CONFIRMED", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "6c36671f-1dff-4e8e-86ba-528430399186"}');
INSERT INTO public.booking_events VALUES (5, 'hold.created', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 'ef3f15e7-0517-4994-b369-817929e8b4a1', '{20,21}', '2026-12-01 11:02:57.61391+00', '{"at": "2026-12-01T11:02:57.613Z", "type": "hold.created", "seats": [20, 21], "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "status": "PENDING", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "ef3f15e7-0517-4994-b369-817929e8b4a1"}');
INSERT INTO public.booking_events VALUES (6, 'hold.created', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'bd683e83-4916-4d4c-8e54-52933052963d', '{5,6}', '2026-12-01 11:02:57.6174+00', '{"at": "2026-12-01T11:02:57.617Z", "type": "hold.created", "seats": [5, 6], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "PENDING", "userId": "6cec881e-4bad-4ddb-b6fc-a9367c7299df", "bookingId": "bd683e83-4916-4d4c-8e54-52933052963d"}');
INSERT INTO public.booking_events VALUES (7, 'hold.created', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42', '{1}', '2026-12-01 11:02:57.620456+00', '{"at": "2026-12-01T11:02:57.620Z", "type": "hold.created", "seats": [1], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "PENDING", "userId": "6cec881e-4bad-4ddb-b6fc-a9367c7299df", "bookingId": "c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42"}');
INSERT INTO public.booking_events VALUES (8, 'hold.confirmed', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42', '{1}', '2026-12-01 11:02:57.624623+00', '{"at": "2026-12-01T11:02:57.624Z", "type": "hold.confirmed", "seats": [1], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "CONFIRMED", "userId": "6cec881e-4bad-4ddb-b6fc-a9367c7299df", "bookingId": "c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42"}');
INSERT INTO public.booking_events VALUES (9, 'booking.confirmed', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'af2f9b8a-b6ba-44dd-8601-f1054f692b26', '{12}', '2026-12-01 11:02:57.627734+00', '{"at": "2026-12-01T11:02:57.627Z", "type": "booking.confirmed", "seats": [12], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "CONFIRMED", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "af2f9b8a-b6ba-44dd-8601-f1054f692b26"}');
INSERT INTO public.booking_events VALUES (10, 'booking.cancelled', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'af2f9b8a-b6ba-44dd-8601-f1054f692b26', '{12}', '2026-12-01 11:02:57.631962+00', '{"at": "2026-12-01T11:02:57.631Z", "type": "booking.cancelled", "seats": [12], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "CANCELLED", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "af2f9b8a-b6ba-44dd-8601-f1054f692b26"}');


--
-- Data for Name: bookings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.bookings VALUES ('1e29a4a8-0416-42aa-9a76-437dfada4c93', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', '6cec881e-4bad-4ddb-b6fc-a9367c7299df', 'Ann', '{1,2,3}', 'CONFIRMED', '2026-12-01 11:02:57.599577+00', NULL, NULL);
INSERT INTO public.bookings VALUES ('6c36671f-1dff-4e8e-86ba-528430399186', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', '853425d7-ca38-4f78-a873-2f260bdf53eb', 'Bob', '{10}', 'CONFIRMED', '2026-12-01 11:02:57.60872+00', NULL, 'bob-1');
INSERT INTO public.bookings VALUES ('ef3f15e7-0517-4994-b369-817929e8b4a1', '93ef3190-4735-4b56-b6f5-4fc1abfbcea4', '853425d7-ca38-4f78-a873-2f260bdf53eb', 'Bob', '{20,21}', 'PENDING', '2026-12-01 11:02:57.61306+00', '2026-12-01 11:12:57.61306+00', NULL);
INSERT INTO public.bookings VALUES ('bd683e83-4916-4d4c-8e54-52933052963d', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', '6cec881e-4bad-4ddb-b6fc-a9367c7299df', 'Ann', '{5,6}', 'PENDING', '2026-12-01 11:02:57.61678+00', '2026-12-01 11:12:57.61678+00', NULL);
INSERT INTO public.bookings VALUES ('c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', '6cec881e-4bad-4ddb-b6fc-a9367c7299df', 'Ann', '{1}', 'CONFIRMED', '2026-12-01 11:02:57.619875+00', NULL, NULL);
INSERT INTO public.bookings VALUES ('af2f9b8a-b6ba-44dd-8601-f1054f692b26', 'cf2e0852-f4ff-4825-98b8-6fb4615e4547', '853425d7-ca38-4f78-a873-2f260bdf53eb', 'Bob', '{12}', 'CANCELLED', '2026-12-01 11:02:57.627138+00', NULL, NULL);


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.idempotency_keys VALUES ('853425d7-ca38-4f78-a873-2f260bdf53eb', 'bob-1', '82794345a70fed85d736e82eb1c25fd20e03eba3bac59d5a87ea6e7a7e2c4e8c', 201, '{"createdAt":"2026-12-01T11:02:57Z","expiresAt":null,"id":"6c36671f-1dff-4e8e-86ba-528430399186","seats":[10],"showId":"93ef3190-4735-4b56-b6f5-4fc1abfbcea4","status":"CONFIRMED","userId":"853425d7-ca38-4f78-a873-2f260bdf53eb","userName":"Bob"}', '6c36671f-1dff-4e8e-86ba-528430399186', '2026-12-01 11:02:57.607854+00');


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migrations VALUES (1, '2026-12-01 11:02:57.510261+00');
INSERT INTO public.schema_migrations VALUES (2, '2026-12-01 11:02:57.523064+00');
INSERT INTO public.schema_migrations VALUES (3, '2026-12-01 11:02:57.529+00');
INSERT INTO public.schema_migrations VALUES (4, '2026-12-01 11:02:57.534632+00');
INSERT INTO public.schema_migrations VALUES (5, '2026-12-01 11:02:57.541097+00');
INSERT INTO public.schema_migrations VALUES (6, '2026-12-01 11:02:57.542892+00');


--
-- Data for Name: seat_claims; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 1, '1e29a4a8-0416-42aa-9a76-437dfada4c93', NULL);
INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 2, '1e29a4a8-0416-42aa-9a76-437dfada4c93', NULL);
INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 3, '1e29a4a8-0416-42aa-9a76-437dfada4c93', NULL);
INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 10, '6c36671f-1dff-4e8e-86ba-528430399186', NULL);
INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 20, 'ef3f15e7-0517-4994-b369-817929e8b4a1', '2026-12-01 11:12:57.61306+00');
INSERT INTO public.seat_claims VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 21, 'ef3f15e7-0517-4994-b369-817929e8b4a1', '2026-12-01 11:12:57.61306+00');
INSERT INTO public.seat_claims VALUES ('cf2e0852-f4ff-4825-98b8-6fb4615e4547', 5, 'bd683e83-4916-4d4c-8e54-52933052963d', '2026-12-01 11:12:57.61678+00');
INSERT INTO public.seat_claims VALUES ('cf2e0852-f4ff-4825-98b8-6fb4615e4547', 6, 'bd683e83-4916-4d4c-8e54-52933052963d', '2026-12-01 11:12:57.61678+00');
INSERT INTO public.seat_claims VALUES ('cf2e0852-f4ff-4825-98b8-6fb4615e4547', 1, 'c5c7bfcf-93f3-462f-8ec2-d6ac9a587f42', NULL);


--
-- Data for Name: shows; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.shows VALUES ('93ef3190-4735-4b56-b6f5-4fc1abfbcea4', 'Hamlet', '2031-05-01 19:30:00+00', 40, '2026-12-01 11:02:57.580383+00');
INSERT INTO public.shows VALUES ('cf2e0852-f4ff-4825-98b8-6fb4615e4547', 'Quartet', '2031-05-02 19:30:00+00', 12, '2026-12-01 11:02:57.587295+00');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES ('82e8c926-35b5-49b8-84a8-8b6da97ef966', 'Administrator', 'boss@example.com', 'boss@example.com', '$2b$04$X2Xmpby2jLiKqVv1s5jAiOti0VN8nsXmPQIf0T1BPVbIPP7..XsQG', 'admin', '2026-12-01 11:02:57.548999+00');
INSERT INTO public.users VALUES ('6cec881e-4bad-4ddb-b6fc-a9367c7299df', 'Ann', 'ann@example.com', 'ann@example.com', '$2b$04$yclXHFeplGtddwIk8v1WC.nX8Gapi/iUpLhAwh2/Nlyeosqyv./u6', 'customer', '2026-12-01 11:02:57.592034+00');
INSERT INTO public.users VALUES ('853425d7-ca38-4f78-a873-2f260bdf53eb', 'Bob', 'bob@example.com', 'bob@example.com', '$2b$04$SIpVFGPDqII8MiTBT0ocx.NTfbcDNlJRdCbYjEcEaS15ty8QqxS2.', 'customer', '2026-12-01 11:02:57.59611+00');


--
-- Data for Name: webhook_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webhook_deliveries VALUES (1, '407185da-b97e-4989-abd0-d93611cd9de9', 3, 'booking.confirmed', '{"at": "2026-12-01T11:02:57.601Z", "type": "booking.confirmed", "seats": [1, 2, 3], "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "status": "CONFIRMED", "userId": "6cec881e-4bad-4ddb-b6fc-a9367c7299df", "bookingId": "1e29a4a8-0416-42aa-9a76-437dfada4c93"}', 'pending', 1, NULL, NULL, '2026-12-01 11:02:57.60178+00', '2026-12-01 11:03:27.60358+00', '2026-12-01 11:02:57.60178+00', NULL);
INSERT INTO public.webhook_deliveries VALUES (2, '407185da-b97e-4989-abd0-d93611cd9de9', 4, 'booking.confirmed', '{"at": "2026-12-01T11:02:57.609Z", "type": "booking.confirmed", "seats": [10], "showId": "93ef3190-4735-4b56-b6f5-4fc1abfbcea4", "status": "CONFIRMED", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "6c36671f-1dff-4e8e-86ba-528430399186"}', 'pending', 0, NULL, NULL, '2026-12-01 11:02:57.609393+00', NULL, '2026-12-01 11:02:57.609393+00', NULL);
INSERT INTO public.webhook_deliveries VALUES (3, '407185da-b97e-4989-abd0-d93611cd9de9', 9, 'booking.confirmed', '{"at": "2026-12-01T11:02:57.627Z", "type": "booking.confirmed", "seats": [12], "showId": "cf2e0852-f4ff-4825-98b8-6fb4615e4547", "status": "CONFIRMED", "userId": "853425d7-ca38-4f78-a873-2f260bdf53eb", "bookingId": "af2f9b8a-b6ba-44dd-8601-f1054f692b26"}', 'pending', 0, NULL, NULL, '2026-12-01 11:02:57.627734+00', NULL, '2026-12-01 11:02:57.627734+00', NULL);


--
-- Data for Name: webhooks; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webhooks VALUES ('407185da-b97e-4989-abd0-d93611cd9de9', 'http://127.0.0.1:9/hook', 'fixture-secret-0123456789', '{booking.confirmed}', '2026-12-01 11:02:57.577126+00');


--
-- Name: booking_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.booking_events_id_seq', 10, true);


--
-- Name: webhook_deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.webhook_deliveries_id_seq', 3, true);


--
-- Name: booking_events booking_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.booking_events
    ADD CONSTRAINT booking_events_pkey PRIMARY KEY (id);


--
-- Name: bookings bookings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_pkey PRIMARY KEY (id);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: seat_claims seat_claims_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seat_claims
    ADD CONSTRAINT seat_claims_pkey PRIMARY KEY (show_id, seat);


--
-- Name: shows shows_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.shows
    ADD CONSTRAINT shows_pkey PRIMARY KEY (id);


--
-- Name: users users_email_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key_key UNIQUE (email_key);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_webhook_id_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_event_id_key UNIQUE (webhook_id, event_id);


--
-- Name: webhooks webhooks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);


--
-- Name: booking_events_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX booking_events_created ON public.booking_events USING btree (created_at);


--
-- Name: booking_events_show; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX booking_events_show ON public.booking_events USING btree (show_id, id);


--
-- Name: bookings_pending_expiry; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bookings_pending_expiry ON public.bookings USING btree (expires_at) WHERE (status = 'PENDING'::text);


--
-- Name: bookings_show_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bookings_show_status ON public.bookings USING btree (show_id, status);


--
-- Name: bookings_user_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bookings_user_created ON public.bookings USING btree (user_id, created_at DESC);


--
-- Name: idempotency_keys_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idempotency_keys_created ON public.idempotency_keys USING btree (created_at);


--
-- Name: seat_claims_booking; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX seat_claims_booking ON public.seat_claims USING btree (booking_id);


--
-- Name: shows_start_time_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX shows_start_time_id ON public.shows USING btree (start_time, id);


--
-- Name: webhook_deliveries_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_due ON public.webhook_deliveries USING btree (next_attempt_at) WHERE (status = 'pending'::text);


--
-- Name: webhook_deliveries_webhook; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_webhook ON public.webhook_deliveries USING btree (webhook_id, id);


--
-- Name: bookings booking_events; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER booking_events AFTER INSERT OR UPDATE OF status ON public.bookings FOR EACH ROW EXECUTE FUNCTION public.marquee_booking_event();


--
-- Name: shows show_events; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER show_events AFTER INSERT ON public.shows FOR EACH ROW EXECUTE FUNCTION public.marquee_show_event();


--
-- Name: booking_events webhook_deliveries_queue; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER webhook_deliveries_queue AFTER INSERT ON public.booking_events FOR EACH ROW EXECUTE FUNCTION public.marquee_queue_webhooks();


--
-- Name: bookings bookings_show_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_show_id_fkey FOREIGN KEY (show_id) REFERENCES public.shows(id);


--
-- Name: bookings bookings_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bookings
    ADD CONSTRAINT bookings_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: idempotency_keys idempotency_keys_booking_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_booking_id_fkey FOREIGN KEY (booking_id) REFERENCES public.bookings(id);


--
-- Name: idempotency_keys idempotency_keys_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: seat_claims seat_claims_booking_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seat_claims
    ADD CONSTRAINT seat_claims_booking_id_fkey FOREIGN KEY (booking_id) REFERENCES public.bookings(id);


--
-- Name: seat_claims seat_claims_show_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seat_claims
    ADD CONSTRAINT seat_claims_show_id_fkey FOREIGN KEY (show_id) REFERENCES public.shows(id);


--
-- Name: webhook_deliveries webhook_deliveries_webhook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES public.webhooks(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


