#!/usr/bin/env python3
"""Makes the upgrade fixtures: a database of each engine as the code of one commit leaves it.

Run with that commit's `marquee` binary (this made `*-v6.sql` and `sqlite-v4.sql` with the
build of 8ad8c97, the last commit whose SQL lived in Swift strings):

    make-upgrade-fixtures.py BINARY POSTGRES_ADMIN_URL OUT_DIR

It starts the binary on a fresh PostgreSQL database and on a fresh SQLite file, makes
accounts, shows, confirmed and held and cancelled bookings, an idempotent booking, a webhook
with a queued delivery, then dumps both databases as plain SQL (pg_dump --inserts, and
SQLite's .dump through Python's sqlite3). UpgradeTests loads the dumps and opens them with
today's code.
"""
import json, os, socket, sqlite3, subprocess, sys, tempfile, time, urllib.request

binary, admin_url, out = sys.argv[1], sys.argv[2], sys.argv[3]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def call(base, method, path, body=None, token=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token: request.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items(): request.add_header(k, v)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def fill(env):
    port = free_port()
    env = dict(os.environ, **env, MARQUEE_PORT=str(port), MARQUEE_ADMIN_EMAIL="boss@example.com",
               MARQUEE_ADMIN_PASSWORD="boss-password-1", MARQUEE_BCRYPT_COST="4", MARQUEE_HOLD_SECONDS="600")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health/ready"); break
            except Exception:
                time.sleep(0.1)
        admin = call(base, "POST", "/api/auth/login", {"email": "boss@example.com", "password": "boss-password-1"})["token"]
        call(base, "POST", "/api/webhooks", {"url": "http://127.0.0.1:9/hook", "secret": "fixture-secret-0123456789", "eventTypes": ["booking.confirmed"]}, admin)
        shows = [call(base, "POST", "/api/shows", {"name": name, "startTime": "2031-05-0%dT19:30:00Z" % (i + 1),
                                                     "totalSeats": seats}, admin)
                 for i, (name, seats) in enumerate([("Hamlet", 40), ("Quartet", 12)])]
        ann = call(base, "POST", "/api/auth/signup", {"name": "Ann", "email": "ann@example.com", "password": "ann-password-1"})["token"]
        bob = call(base, "POST", "/api/auth/signup", {"name": "Bob", "email": "bob@example.com", "password": "bob-password-1"})["token"]
        call(base, "POST", "/api/bookings", {"showId": shows[0]["id"], "seats": [1, 2, 3]}, ann)
        call(base, "POST", "/api/bookings", {"showId": shows[0]["id"], "seats": [10]}, bob, {"Idempotency-Key": "bob-1"})
        held = call(base, "POST", "/api/bookings", {"showId": shows[0]["id"], "seats": [20, 21], "hold": True}, bob)
        call(base, "POST", "/api/bookings", {"showId": shows[1]["id"], "seats": [5, 6], "hold": True}, ann)
        confirmed = call(base, "POST", "/api/bookings", {"showId": shows[1]["id"], "seats": [1], "hold": True}, ann)
        call(base, "POST", f"/api/bookings/{confirmed['id']}/confirm", None, ann)
        cancelled = call(base, "POST", "/api/bookings", {"showId": shows[1]["id"], "seats": [12]}, bob)
        call(base, "POST", f"/api/bookings/{cancelled['id']}/cancel", None, bob)
        time.sleep(0.5)
    finally:
        server.terminate(); server.wait(10)


with tempfile.TemporaryDirectory() as work:
    name = "marquee_fixture_%d" % os.getpid()
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        fill({"DATABASE_URL": url, "MARQUEE_JWT_KEYS": "f:" + "x" * 40})
        dump = subprocess.run(["pg_dump", "--inserts", "--no-owner", "--no-privileges", url],
                              check=True, capture_output=True, text=True).stdout
        # psql's meta-commands (\restrict) are not SQL: the test runs the dump over the wire.
        dump = "".join(line for line in dump.splitlines(True) if not line.startswith("\\"))
        with open(os.path.join(out, "postgres-v6.sql"), "w") as f: f.write(dump)
    finally:
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE {name} WITH (FORCE)"], check=True)
    path = os.path.join(work, "fixture.sqlite")
    fill({"MARQUEE_DATABASE_PATH": path})
    with open(os.path.join(out, "sqlite-v4.sql"), "w") as f:
        for line in sqlite3.connect(path).iterdump(): f.write(line + "\n")
