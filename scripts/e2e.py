#!/usr/bin/env python3
"""Black-box checks of the real `marquee` binary, over HTTP only, as an outside suite sees it.

Usage: e2e.py BINARY [--postgres ADMIN_URL]
Starts `BINARY serve` on a free port, on a fresh SQLite file (and, with --postgres, on a
fresh database of that server), runs every check, stops it with SIGTERM, and prints
"N passed, N failed". Standard library only.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import queue
import random
import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"
results = []  # (engine, name, error or None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, env, workdir, ca=None):
        self.port = free_port()
        self.context = ssl.create_default_context(cafile=ca) if ca else None
        self.base = f"{'https' if ca else 'http'}://127.0.0.1:{self.port}"
        self.log = open(os.path.join(workdir, f"server-{self.port}.log"), "w+")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port)], cwd=workdir, env=env,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.call("GET", "/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.log.seek(0)
        raise RuntimeError("server did not become ready:\n" + self.log.read()[-3000:])

    def call(self, method, path, body=None, token=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context) as response:
                return response.status, dict(response.headers), json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                parsed = json.loads(payload) if payload else None
            except ValueError:
                parsed = payload.decode(errors="replace")
            return error.code, dict(error.headers), parsed

    def stop(self):
        """SIGTERM, then how long the process took to exit and its exit code."""
        started = time.time()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = None
        return time.time() - started, code


class EventStream:
    """A Server-Sent Events client on a thread: the events arrive in a queue as
    (id, event, data) tuples, parsed as the WHATWG format says."""

    def __init__(self, server, show, last_event_id=None):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.connection.request("GET", f"/api/shows/{show}/events", headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.content_type = self.response.getheader("Content-Type")
        self.events = queue.Queue()
        self.comments = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        fields = {}
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode().rstrip("\r\n")
                if line == "":
                    if "event" in fields or "data" in fields:
                        self.events.put((fields.get("id"), fields.get("event", "message"),
                                         json.loads(fields.get("data", "null"))))
                    fields = {}
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    name, _, value = line.partition(":")
                    fields[name] = value[1:] if value.startswith(" ") else value
        except Exception:  # noqa: BLE001 - close() pulls the socket from under the reader; the stream just ends
            pass
        self.events.put(None)

    def next(self, timeout=5):
        """The next event, waiting up to `timeout` seconds."""
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout}s") from None
        expect(event is not None, "the stream ended")
        return event

    def close(self):
        self.connection.close()


def check(engine, name):
    """Runs the decorated check at once and records its result."""
    def run(function):
        try:
            function()
            results.append((engine, name, None))
            print(f"ok   {engine:8} {name}", flush=True)
        except Exception as error:  # a failed check is reported, and the rest still run
            results.append((engine, name, error))
            print(f"FAIL {engine:8} {name}: {error!r}", flush=True)
        return function
    return run


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def signup(server, name):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = server.call("POST", "/api/auth/signup", {"name": name, "email": email, "password": "password-1"})
    expect(status == 201, f"signup {status} {body}")
    return body["token"], body["user"]["id"]


def admin_token(server):
    status, _, body = server.call("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    expect(status == 200, f"admin login {status} {body}")
    return body["token"]


def create_show(server, seats):
    status, _, body = server.call(
        "POST", "/api/shows", {"name": "E2E", "startTime": "2031-01-01T20:00:00Z", "totalSeats": seats},
        token=admin_token(server))
    expect(status == 201, f"create show {status} {body}")
    return body["id"]


def run_checks(engine, server):
    @check(engine, "64 concurrent clients never get one seat twice")
    def concurrent_booking():
        show = create_show(server, 200)
        users = [signup(server, f"C{i}") for i in range(64)]
        rng = random.Random(7)
        plans = [(users[i % 64], sorted(rng.sample(range(1, 201), rng.randint(1, 4)))) for i in range(640)]

        def attempt(plan):
            (token, _), seats = plan
            return seats, server.call("POST", "/api/bookings", {"showId": show, "seats": seats}, token=token)

        with ThreadPoolExecutor(max_workers=64) as pool:
            outcomes = list(pool.map(attempt, plans))
        booked = [body for _, (status, _, body) in outcomes if status == 201]
        refused = [(seats, body) for seats, (status, _, body) in outcomes if status == 409]
        expect(len(booked) + len(refused) == len(plans),
               f"unexpected answers: {[o[1][0] for o in outcomes if o[1][0] not in (201, 409)][:5]}")
        # The audit, through the API only: every user's bookings.
        stored = []
        for token, _ in users:
            status, _, body = server.call("GET", "/api/bookings", token=token)
            expect(status == 200, f"list {status}")
            stored += [b for b in body["items"] if b["status"] == "CONFIRMED"]
        seats = [seat for booking in stored for seat in booking["seats"]]
        expect(len(seats) == len(set(seats)), "a seat was sold twice")
        expect({b["id"] for b in stored} == {b["id"] for b in booked}, "stored bookings differ from the successes")
        status, _, detail = server.call("GET", f"/api/shows/{show}")
        expect(detail["takenSeats"] == sorted(seats), "the seat map differs from the bookings")
        expect(detail["availableSeats"] == 200 - len(seats), "availableSeats is wrong")
        for requested, problem in refused:
            conflicting = problem.get("conflictingSeats", [])
            expect(conflicting and set(conflicting) <= set(requested) & set(seats), f"bad conflict {problem}")

    @check(engine, "a hold expires on time and its seat can be rebooked")
    def hold_expiry():
        show = create_show(server, 10)
        ann, _ = signup(server, "Ann")
        bob, _ = signup(server, "Bob")
        status, _, hold = server.call("POST", "/api/bookings", {"showId": show, "seats": [1], "hold": True}, token=ann)
        expect(status == 201 and hold["status"] == "PENDING" and hold["expiresAt"], f"hold {status} {hold}")
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=bob)
        expect(status == 409, f"held seat booked: {status}")
        time.sleep(3)
        status, _, _ = server.call("POST", f"/api/bookings/{hold['id']}/confirm", token=ann)
        expect(status == 410, f"late confirm gave {status}")
        status, _, _ = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=bob)
        expect(status == 201, f"freed seat not bookable: {status}")

    @check(engine, "confirm and cancel racing on one hold: one wins")
    def confirm_cancel_race():
        show = create_show(server, 10)
        ann, _ = signup(server, "Ann")
        for seat in range(1, 6):
            _, _, hold = server.call("POST", "/api/bookings", {"showId": show, "seats": [seat], "hold": True}, token=ann)
            with ThreadPoolExecutor(max_workers=2) as pool:
                confirm = pool.submit(server.call, "POST", f"/api/bookings/{hold['id']}/confirm", None, ann)
                cancel = pool.submit(server.call, "POST", f"/api/bookings/{hold['id']}/cancel", None, ann)
                statuses = (confirm.result()[0], cancel.result()[0])
            _, _, final = server.call("GET", f"/api/bookings/{hold['id']}", token=ann)
            expect(statuses in ((200, 409), (409, 200), (200, 200)), f"statuses {statuses}")
            expected = "CONFIRMED" if statuses == (200, 409) else "CANCELLED"
            expect(final["status"] == expected, f"{statuses} left {final['status']}")

    @check(engine, "an idempotent repeat replays and creates nothing")
    def idempotency():
        show = create_show(server, 10)
        ann, _ = signup(server, "Ann")
        body = {"showId": show, "seats": [2, 3]}
        first = server.call("POST", "/api/bookings", body, token=ann, headers={"Idempotency-Key": "e2e-1"})
        again = server.call("POST", "/api/bookings", body, token=ann, headers={"Idempotency-Key": "e2e-1"})
        expect(first[0] == again[0] == 201 and first[2] == again[2], f"{first[0]} {again[0]}")
        other = server.call("POST", "/api/bookings", {"showId": show, "seats": [4]}, token=ann,
                            headers={"Idempotency-Key": "e2e-1"})
        expect(other[0] == 422, f"reused key gave {other[0]}")
        _, _, mine = server.call("GET", "/api/bookings", token=ann)
        expect(len(mine["items"]) == 1, "the repeat created a booking")

    @check(engine, "forged, unsigned and garbage tokens get 401")
    def forged_tokens():
        token, _ = signup(server, "Fay")
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = str(uuid.uuid4())
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
        for bad in (f"{header}.{forged}.{signature}", f"{unsigned}.{payload}.", "garbage"):
            status, headers, body = server.call("GET", "/api/auth/me", token=bad)
            expect(status == 401 and body.get("status") == 401, f"{status} for a bad token")
        expect(server.call("GET", "/api/auth/me", token=token)[0] == 200, "the real token was refused")

    @check(engine, "bad input gets 4xx problem details, never 5xx")
    def bad_input():
        token, _ = signup(server, "Gus")
        show = create_show(server, 5)
        cases = [
            ("POST", "/api/bookings", b"{not json", {}, 400),
            ("POST", "/api/bookings", b"seats=1", {"Content-Type": "text/plain"}, 415),
            ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [0]}).encode(), {}, 422),
            ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [1, 1]}).encode(), {}, 422),
            ("POST", "/api/bookings", json.dumps({"showId": show, "seats": "x"}).encode(), {}, 422),
            ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [1] * 100000}).encode(), {}, 413),
            ("GET", "/api/shows?limit=0", None, {}, 422),
            ("GET", "/api/shows/%00", None, {}, 404),
        ]
        for method, path, raw, headers, expected in cases:
            status, response_headers, body = server.call(method, path, token=token, raw=raw, headers=headers)
            expect(status == expected, f"{method} {path} {raw[:30] if raw else ''}: {status}, wanted {expected}")
            expect(response_headers.get("Content-Type", "").startswith("application/problem+json"),
                   f"{path}: not problem details")
            expect(body.get("status") == status, f"{path}: status member {body.get('status')}")

    @check(engine, "/metrics names every Marquee metric, with bounded labels")
    def metrics():
        request = urllib.request.Request(server.base + "/metrics")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        for name in ("http_requests_total", "http_request_duration_seconds_bucket",
                     "marquee_booking_duration_seconds_bucket", "marquee_seat_conflicts_total",
                     "marquee_holds_expired_total", "marquee_login_failures_total"):
            expect(name in text, f"{name} missing")
        expect('route="/api/shows/{id}"' in text, "route templates missing")
        expect("/api/bookings/" not in text.replace('/api/bookings/{id}', ''), "a raw path leaked into labels")
        if engine == "postgres":
            expect('marquee_db_pool_connections{state="in_use"}' in text, "pool gauge missing")
            # Every metric the alert rules and the dashboard use is one this server exports.
            deploy = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy")
            used = set()
            for path in ("prometheus/alerts.yml", "grafana/marquee-dashboard.json"):
                with open(os.path.join(deploy, path)) as source:
                    used |= set(re.findall(r"\b((?:http|marquee)_[a-z_]+)", source.read()))
            exported = set(re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE))
            missing = {name for name in used
                       if re.sub(r"_(bucket|count|sum)$", "", name) not in exported}
            expect(not missing, f"deploy/ uses metrics the server does not export: {sorted(missing)}")

    @check(engine, "every log line is JSON; access lines carry the request id sent")
    def json_logs():
        status, headers, _ = server.call("GET", "/api/shows", headers={"X-Request-ID": "e2e-trace-1"})
        expect(status == 200 and headers.get("X-Request-ID") == "e2e-trace-1", "request id not echoed")
        time.sleep(0.2)
        server.log.flush()
        with open(server.log.name) as log:
            lines = [line for line in log.read().splitlines() if line.strip()]
        objects = []
        for line in lines:
            try:
                objects.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"not JSON: {line[:120]}")
        expect(any(o.get("url") == server.base for o in objects), "no start-up line naming the URL")
        access = [o for o in objects if o.get("msg") == "request" and o.get("request_id") == "e2e-trace-1"]
        expect(len(access) == 1 and access[0].get("route") == "/api/shows" and access[0].get("status") == "200",
               f"access line: {access}")


def live_checks(engine, server):
    @check(engine, "a live stream sends a snapshot, then each booking and cancel as it commits, and resumes")
    def live_stream():
        show = create_show(server, 30)
        token, _ = signup(server, "Live")
        server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
        stream = EventStream(server, show)
        expect(stream.status == 200 and (stream.content_type or "").startswith("text/event-stream"),
               f"{stream.status} {stream.content_type}")
        first, kind, data = stream.next()
        expect(kind == "snapshot" and data == {"takenSeats": [1]}, f"snapshot: {kind} {data}")
        status, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": [5, 6]}, token=token)
        expect(status == 201, f"booking {status}")
        second, kind, data = stream.next(timeout=2)
        expect(kind == "seats" and data == {"taken": [5, 6], "freed": []}, f"booking event: {kind} {data}")
        server.call("POST", f"/api/bookings/{booking['id']}/cancel", token=token)
        third, kind, data = stream.next(timeout=2)
        expect(kind == "seats" and data == {"taken": [], "freed": [5, 6]}, f"cancel event: {kind} {data}")
        expect(int(first) < int(second) < int(third), f"ids {first} {second} {third}")
        stream.close()
        resumed = EventStream(server, show, last_event_id=first)
        replay = [resumed.next() for _ in range(2)]
        expect([event[1:] for event in replay] == [("seats", {"taken": [5, 6], "freed": []}),
                                                   ("seats", {"taken": [], "freed": [5, 6]})], f"replay {replay}")
        resumed.close()
        stale = EventStream(server, show, last_event_id="999999999")
        _, kind, data = stale.next()
        expect(kind == "snapshot" and data == {"takenSeats": [1]}, f"an unknown id gets a snapshot: {kind} {data}")
        stale.close()
        missing = EventStream(server, str(uuid.uuid4()))
        expect(missing.status == 404, f"unknown show: {missing.status}")
        missing.close()

    @check(engine, "seat maps and lists carry ETags, repeat readers get 304, and a booking shows at once")
    def cached_reads():
        show = create_show(server, 10)
        token, _ = signup(server, "Reader")
        status, headers, _ = server.call("GET", f"/api/shows/{show}")
        etag = headers.get("ETag")
        expect(status == 200 and etag, f"{status} {headers}")
        expect("s-maxage" in headers.get("Cache-Control", ""), f"cache-control {headers.get('Cache-Control')}")
        status, _, _ = server.call("GET", f"/api/shows/{show}", headers={"If-None-Match": etag})
        expect(status == 304, f"a repeat with the ETag: {status}")
        status, _, _ = server.call("GET", "/api/shows?limit=200")
        server.call("POST", "/api/bookings", {"showId": show, "seats": [2]}, token=token)
        status, headers, body = server.call("GET", f"/api/shows/{show}", headers={"If-None-Match": etag})
        expect(status == 200 and body["takenSeats"] == [2], f"after a booking: {status} {body}")
        expect(headers.get("ETag") != etag, "the ETag changed with the seats")
        listed = [item for item in server.call("GET", "/api/shows?limit=200")[2]["items"] if item["id"] == show]
        expect(listed and listed[0]["availableSeats"] == 9, f"the list counts the booking at once: {listed}")


class Receiver:
    """A webhook receiver on loopback: records every request by path; a path listed in
    `failures` answers 500 that many times first."""

    def __init__(self):
        import http.server
        receiver = self
        self.requests = []
        self.failures = {}
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers), body))
                    failing = receiver.failures.get(self.path, 0)
                    if failing:
                        receiver.failures[self.path] = failing - 1
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, path):
        with self.lock:
            return [(headers, body) for p, headers, body in self.requests if p == path]

    def wait_for(self, path, count, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.received(path)) < count:
            time.sleep(0.05)
        return self.received(path)

    def close(self):
        self.server.shutdown()


def webhook_checks(engine, server):
    receiver = Receiver()
    admin = admin_token(server)
    hooks = []

    def register(path, types, secret="a-webhook-secret-1234"):
        status, _, body = server.call("POST", "/api/webhooks",
                                      {"url": receiver.base + path, "secret": secret, "eventTypes": types}, token=admin)
        expect(status == 201, f"register {status} {body}")
        hooks.append(body["id"])
        return body["id"]

    try:
        @check(engine, "webhooks: admins only, and a bad URL, secret or type is a 422 naming the fields")
        def registration():
            customer, _ = signup(server, "Hooky")
            status, _, _ = server.call("POST", "/api/webhooks", {"url": receiver.base, "secret": "x" * 20,
                                                                  "eventTypes": ["show.created"]}, token=customer)
            expect(status == 403, f"customer: {status}")
            status, _, _ = server.call("GET", "/api/webhooks")
            expect(status == 401, f"anonymous: {status}")
            status, _, body = server.call("POST", "/api/webhooks", {"url": "ftp://x", "secret": "short",
                                                                     "eventTypes": ["nope"]}, token=admin)
            expect(status == 422 and sorted(e["field"] for e in body["errors"]) == ["eventTypes", "secret", "url"],
                   f"{status} {body}")

        @check(engine, "webhooks: a booking is delivered with a signature over the timestamp and body")
        def signed_delivery():
            secret = "the-signing-secret-" + uuid.uuid4().hex
            hook = register("/signed", ["booking.confirmed"], secret)
            show = create_show(server, 10)
            token, _ = signup(server, "Signed")
            _, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": [4]}, token=token)
            got = receiver.wait_for("/signed", 1)
            expect(len(got) == 1, f"deliveries: {len(got)}")
            headers, body = got[0]
            timestamp = headers["Marquee-Timestamp"]
            expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
            expect(hmac.compare_digest(headers["Marquee-Signature"], expected), "the signature verifies")
            expect(abs(int(timestamp) - time.time()) < 60, "a current timestamp")
            payload = json.loads(body)
            expect(payload["type"] == "booking.confirmed" and payload["bookingId"] == booking["id"]
                   and payload["seats"] == [4], f"payload {payload}")
            expect(headers["Marquee-Event-Type"] == "booking.confirmed", str(headers))
            _, _, log = server.call("GET", f"/api/webhooks/{hook}/deliveries", token=admin)
            deadline = time.time() + 5
            while time.time() < deadline and log["items"][0]["status"] != "delivered":
                time.sleep(0.1)
                _, _, log = server.call("GET", f"/api/webhooks/{hook}/deliveries", token=admin)
            expect(log["items"][0]["status"] == "delivered" and log["items"][0]["lastStatusCode"] == 204, f"log {log}")

        @check(engine, "webhooks: a 500 from the receiver is retried with backoff until delivered")
        def retried():
            receiver.failures["/flaky"] = 2
            hook = register("/flaky", ["booking.confirmed"])
            show = create_show(server, 10)
            token, _ = signup(server, "Flaky")
            server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
            got = receiver.wait_for("/flaky", 3, timeout=15)
            expect(len(got) == 3, f"attempts: {len(got)}")
            expect(len({h["Marquee-Delivery-Id"] for h, _ in got}) == 1, "the same delivery, retried")
            deadline = time.time() + 5
            while time.time() < deadline:
                log = server.call("GET", f"/api/webhooks/{hook}/deliveries", token=admin)[2]["items"]
                if log and log[0]["status"] == "delivered":
                    break
                time.sleep(0.1)
            expect(log[0]["status"] == "delivered" and log[0]["attempts"] == 3, f"log {log}")

        @check(engine, "webhooks: nothing is sent for event types a webhook did not choose")
        def unsubscribed():
            register("/holds-only", ["hold.created"])
            show = create_show(server, 10)
            token, _ = signup(server, "Picky")
            server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
            server.call("POST", "/api/bookings", {"showId": show, "seats": [2], "hold": True}, token=token)
            got = receiver.wait_for("/holds-only", 1)
            time.sleep(1.5)  # anything else would have arrived by now
            got = receiver.received("/holds-only")
            expect([json.loads(body)["type"] for _, body in got] == ["hold.created"], f"{[b for _, b in got]}")
    finally:
        for hook in hooks:
            server.call("DELETE", f"/api/webhooks/{hook}", token=admin)
        receiver.close()


def two_instances(binary, workdir, env, database_url):
    """Two servers on one PostgreSQL database: changes on one reach the other's live
    streams and caches through the outbox and LISTEN/NOTIFY. The fallback read of the
    outbox is slowed to 5 s, so only a working LISTEN can deliver within a second."""
    env = dict(env, MARQUEE_EVENT_POLL_MS="5000")
    a, b = Server(binary, env, workdir), Server(binary, env, workdir)
    try:
        show = create_show(a, 40)
        token, _ = signup(a, "Twin")
        booking = {}

        @check("postgres", "a booking on instance A reaches a stream on B within a second, and B's seat map")
        def across():
            b.call("GET", f"/api/shows/{show}")  # B's cache now holds the empty map
            stream = EventStream(b, show)
            _, kind, _ = stream.next()
            expect(kind == "snapshot", kind)
            started = time.time()
            status, _, body = a.call("POST", "/api/bookings", {"showId": show, "seats": [7, 8]}, token=token)
            expect(status == 201, f"booking on A: {status}")
            booking.update(body)
            _, kind, data = stream.next(timeout=1)
            took = time.time() - started
            expect(kind == "seats" and data["taken"] == [7, 8], f"{kind} {data}")
            expect(took < 1, f"took {took:.2f}s")
            print(f"     a booking on A reached B's stream after {took * 1000:.0f} ms", flush=True)
            expect(b.call("GET", f"/api/shows/{show}")[2]["takenSeats"] == [7, 8], "B's seat map is current")
            a.call("POST", f"/api/bookings/{booking['id']}/cancel", token=token)
            _, kind, data = stream.next(timeout=1)
            expect(kind == "seats" and data["freed"] == [7, 8], f"cancel on A, freed on B: {kind} {data}")
            expect(b.call("GET", f"/api/shows/{show}")[2]["takenSeats"] == [], "B's seat map is free again")
            stream.close()

        @check("postgres", "the change listener reconnects after its connection is killed")
        def reconnect():
            def listeners():
                out = subprocess.run(["psql", database_url, "-Atc",
                                      "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' "
                                      "AND datname = current_database()"], capture_output=True, text=True, check=True)
                return int(out.stdout.strip())
            expect(listeners() == 2, f"one listener per instance: {listeners()}")
            stream = EventStream(b, show)
            stream.next()
            subprocess.run(["psql", database_url, "-qAtc",
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' "
                            "AND datname = current_database()"], capture_output=True, check=True)
            deadline = time.time() + 10
            while time.time() < deadline and listeners() < 2:
                time.sleep(0.1)
            expect(listeners() == 2, "both listeners came back")
            a.call("POST", "/api/bookings", {"showId": show, "seats": [20]}, token=token)
            _, kind, data = stream.next(timeout=1)
            expect(data["taken"] == [20], f"after the reconnect: {kind} {data}")
            stream.close()
    finally:
        a.stop()
        b.stop()


def drain_on_sigterm(engine, server):
    """SIGTERM with a request in flight: the server stops accepting, finishes that request,
    and exits 0 within seconds."""
    @check(engine, "SIGTERM stops accepting, finishes the request in flight, exits 0")
    def drain():
        body = json.dumps({"name": "Late", "email": f"late-{uuid.uuid4().hex[:8]}@example.com",
                           "password": "password-1"}).encode()
        slow = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        slow.sendall(b"POST /api/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body[:10])
        time.sleep(0.3)  # the request is now in flight, waiting for the rest of its body
        signalled = time.time()
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        refused = False
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        except OSError:
            refused = True
        slow.sendall(body[10:])
        answer = b""
        while True:
            chunk = slow.recv(65536)
            if not chunk:
                break
            answer += chunk
        slow.close()
        code = server.process.wait(timeout=20)
        took = time.time() - signalled
        expect(answer.startswith(b"HTTP/1.1 201"), f"the request in flight got {answer[:40]!r}")
        expect(refused, "a new connection was accepted after SIGTERM")
        expect(code == 0, f"exit code {code}")
        expect(took < 10, f"took {took:.1f}s to exit")


def overload(binary, workdir, env):
    """Bounded admission: while the database is held up, a show's line fills to its limit and
    further bookings get 503 with Retry-After at once; /health/live stays fast; the requests
    in line are booked once the database is free."""
    @check("sqlite", "a full booking line answers 503 with Retry-After at once")
    def full_line():
        path = os.path.join(workdir, "overload.sqlite")
        server = Server(binary, dict(env, MARQUEE_DATABASE_PATH=path, MARQUEE_BOOKING_QUEUE_PER_SHOW="2"), workdir)
        try:
            show = create_show(server, 20)
            token, _ = signup(server, "Rush")
            blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            blocker.execute("BEGIN IMMEDIATE")  # the write lock every booking needs
            try:
                def attempt(seat):
                    started = time.time()
                    answer = server.call("POST", "/api/bookings", {"showId": show, "seats": [seat]}, token=token)
                    return answer, time.time() - started
                with ThreadPoolExecutor(max_workers=8) as pool:
                    first = pool.submit(attempt, 1)  # its transaction waits for the lock
                    time.sleep(0.3)
                    queued = [pool.submit(attempt, seat) for seat in (2, 3)]  # the line is now full
                    time.sleep(0.3)
                    refused = [attempt(seat) for seat in (4, 5, 6)]
                    started = time.time()
                    live = server.call("GET", "/health/live")[0]
                    live_took = time.time() - started
                    blocker.execute("ROLLBACK")
                    admitted = [first.result(timeout=15)] + [f.result(timeout=15) for f in queued]
            finally:
                blocker.close()
            for (status, headers, body), took in refused:
                expect(status == 503, f"a booking past the line's limit got {status}")
                expect(headers.get("Retry-After") == "1", f"Retry-After {headers.get('Retry-After')}")
                expect(body.get("type", "").endswith("/overloaded"), f"problem type {body.get('type')}")
                expect(took < 0.5, f"the refusal took {took:.2f}s")
            expect(live == 200 and live_took < 0.5, f"/health/live answered {live} in {live_took:.2f}s")
            expect([a[0][0] for a in admitted] == [201, 201, 201], f"the line got {[a[0][0] for a in admitted]}")
            _, _, detail = server.call("GET", f"/api/shows/{show}")
            expect(detail["takenSeats"] == [1, 2, 3], f"taken {detail['takenSeats']}")
        finally:
            server.stop()


def tls_in_process(binary, workdir, env):
    """With a certificate and key configured, the server speaks HTTPS itself."""
    @check("tls", "with MARQUEE_TLS_CERTIFICATE and _KEY it serves verified HTTPS only")
    def tls():
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        server = Server(binary, dict(env, MARQUEE_TLS_CERTIFICATE=cert, MARQUEE_TLS_KEY=key,
                                     MARQUEE_DATABASE_PATH=os.path.join(workdir, "tls.sqlite")), workdir, ca=cert)
        try:
            status, _, body = server.call("GET", "/health/live")
            expect(status == 200 and body == {"status": "ok"}, f"https answered {status}")
            plain_refused = False
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health/live", timeout=5)
            except (OSError, http.client.HTTPException):
                plain_refused = True
            expect(plain_refused, "plain HTTP was served on the TLS port")
            server.log.flush()
            with open(server.log.name) as log:
                expect(f'"url":"{server.base}"' in log.read(), "the start-up line does not say https")
        finally:
            server.stop()


def unreachable_database(binary, workdir, env):
    """A database that does not answer fails the start promptly, naming what to check."""
    @check("startup", "an unreachable database fails the start within the timeout, saying what to check")
    def unreachable():
        env_ = dict(env, DATABASE_URL=f"postgres://marquee@127.0.0.1:{free_port()}/none?sslmode=disable",
                    MARQUEE_JWT_KEYS="k:" + "x" * 40, MARQUEE_STARTUP_TIMEOUT_SECONDS="3")
        started = time.time()
        finished = subprocess.run([binary, "serve", "--port", str(free_port())], cwd=workdir, env=env_,
                                  capture_output=True, text=True, timeout=60)
        took = time.time() - started
        expect(finished.returncode != 0, "the server started without its database")
        expect(took < 15, f"took {took:.1f}s to give up")
        expect("DATABASE_URL" in finished.stderr + finished.stdout, f"unclear error: {finished.stderr[-300:]}")


def main():
    binary = os.path.abspath(sys.argv[1])
    postgres = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--postgres" else None
    workdir = tempfile.mkdtemp(prefix="marquee-e2e-")
    base_env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                    MARQUEE_HOLD_SECONDS="2", MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="info",
                    MARQUEE_WEBHOOK_RETRY_BASE_MS="300")
    engines = [("sqlite", dict(base_env, MARQUEE_DATABASE_PATH=os.path.join(workdir, "e2e.sqlite")))]
    if postgres:
        name = "marquee_e2e_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", postgres, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = urllib.parse.urlsplit(postgres)._replace(path="/" + name).geturl()
        engines.append(("postgres", dict(base_env, DATABASE_URL=url,
                                         MARQUEE_JWT_KEYS="e2e:" + base64.b64encode(os.urandom(32)).decode())))
    for engine, env in engines:
        try:
            server = Server(binary, env, workdir)
        except Exception as error:
            results.append((engine, "server starts", error))
            print(f"FAIL {engine:8} server starts: {error}", flush=True)
            continue
        run_checks(engine, server)
        live_checks(engine, server)
        webhook_checks(engine, server)
        drain_on_sigterm(engine, server)
        if engine == "postgres":
            two_instances(binary, workdir, env, env["DATABASE_URL"])
    overload(binary, workdir, engines[0][1])
    tls_in_process(binary, workdir, engines[0][1])
    unreachable_database(binary, workdir, base_env)
    failed = sum(1 for _, _, error in results if error)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
