"""What a benchmark drives: Marquee's release binary, or the Express + node-postgres
comparison (bench/express), each with its users and shows made the same way."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

from .processes import run
from blackbox.harness import admin_token, expect, free_port, signup

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class MarqueeTarget:
    """Marquee's release binary: users and shows made through the API, audited through it."""

    def __init__(self, server, workdir, uses_postgres, database=None):
        self.server, self.base, self.workdir = server, server.base, workdir
        self.database = database  # DATABASE_URL, or the SQLite file's path
        self.pid = server.process.pid
        self.uses_postgres = uses_postgres
        self.admin = admin_token(server)
        self.tokens = [signup(server, f"B{i}")[0] for i in range(64)]

    def show(self, seats, name="Bench", venue=None):
        body = {"name": name, "startTime": "2031-01-01T20:00:00Z"}
        body.update({"venueId": venue} if venue else {"totalSeats": seats})
        status, _, body = self.server.call("POST", "/api/shows", body, token=self.admin)
        expect(status == 201, f"create show {status} {body}")
        return body["id"]

    def venue(self, rows, per_row, name="Bench hall"):
        """A one-section venue of `rows` rows of `per_row` seats; returns its id."""
        layout = {"version": 1, "sections": [{"key": "hall", "label": "Hall", "rows": [
            {"label": f"R{r + 1}", "seats": [{"n": r * per_row + i, "label": str(i)} for i in range(1, per_row + 1)]}
            for r in range(rows)]}]}
        status, _, body = self.server.call("POST", "/api/venues", {"name": name, "layout": layout}, token=self.admin)
        expect(status == 201, f"create venue {status}")
        return body["id"]

    def taken(self, show):
        return self.server.call("GET", f"/api/shows/{show}")[2]["takenSeats"]

    def server_pids(self):
        return [self.pid]

    def reads(self):
        """Public reads served so far, by target (marquee_db_reads_total)."""
        import re
        import urllib.request
        with urllib.request.urlopen(self.base + "/metrics", timeout=10) as response:
            text = response.read().decode()
        return {target: float(value) for target, value in
                re.findall(r'^marquee_db_reads_total\{target="(\w+)"\} (\S+)$', text, re.MULTILINE)}

    def etag(self, path):
        return self.server.call("GET", path)[1].get("ETag")

    def settle(self, shows):
        """Requests wrk left in flight may still commit: wait until the seat maps stop changing."""
        before = None
        for _ in range(40):
            now = [self.taken(show) for show in shows]
            if now == before:
                return
            before = now
            time.sleep(0.5)

    def audit(self, shows):
        """Through the API only: no seat of these shows is in two active bookings, and each
        show's seat map matches the bookings."""
        self.settle(shows)
        by_show = {show: [] for show in shows}
        for token in self.tokens:
            status, _, body = self.server.call("GET", "/api/bookings", token=token)
            expect(status == 200, f"list {status}")
            for booking in body["items"]:
                if booking["showId"] in by_show and booking["status"] in ("CONFIRMED", "PENDING"):
                    by_show[booking["showId"]] += booking["seats"]
        for show, seats in by_show.items():
            expect(len(seats) == len(set(seats)), f"a seat of {show} was sold twice")
            missing = set(self.taken(show)) ^ set(seats)
            expect(not missing, f"bookings and seat map of {show} disagree on seats {sorted(missing)[:10]}")
        return sum(len(seats) for seats in by_show.values())

    def queue_rows(self, show):
        """(rank, join time in seconds) of every entry in the show's queue, from the database."""
        from .onsale import queue_rows_postgres, queue_rows_sqlite
        if self.uses_postgres:
            return queue_rows_postgres(self.database, show)
        return queue_rows_sqlite(self.database, show)

    def stop(self, within=20):
        self.server.stop(within)


class ExpressTarget:
    """The outside comparison (bench/express): Express + node-postgres doing the originally
    planned transaction, on its own database in the same PostgreSQL. Users and shows are
    written with SQL, tokens minted here; the audit reads the tables."""

    def __init__(self, pg, workdir):
        self.url = pg.database()
        run(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1", "-f", os.path.join(ROOT, "bench", "express", "schema.sql")])
        secret = base64.b64encode(os.urandom(32)).decode()
        users = [str(uuid.uuid4()) for _ in range(64)]
        run(["psql", self.url, "-qc", "".join(
            f"INSERT INTO users VALUES ('{u}', 'B{i}', '{u}@example.com', 'x', 'customer', now());"
            for i, u in enumerate(users))])
        self.tokens = [jwt(secret, user) for user in users]
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(workdir, "express.log"), "w+")
        self.process = subprocess.Popen(
            ["node", os.path.join(ROOT, "bench", "express", "server.js")], stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(os.environ, PORT=str(port), DATABASE_URL=self.url, BENCH_JWT_SECRET=secret,
                     NODE_PATH=node_path()))
        self.pid = None  # several worker processes: memory is not compared; CPU is, over all of them
        self.uses_postgres = True
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/health/live", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.log.seek(0)
        raise SystemExit("the Express server did not start:\n" + self.log.read()[-2000:])

    def server_pids(self):
        """The primary and its workers: the node side's CPU is theirs together."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
        return [self.process.pid] + [int(pid) for pid in children]

    def sql(self, query):
        return run(["psql", self.url, "-qAtc", query]).strip()

    def show(self, seats, name="Bench"):
        show = str(uuid.uuid4())
        self.sql(f"INSERT INTO shows VALUES ('{show}', '{name}', '2031-01-01T20:00:00Z', {seats}, now())")
        return show

    def taken(self, show):
        rows = self.sql(f"SELECT seat FROM bookings, unnest(seats) seat WHERE show_id = '{show}' "
                        "AND status = 'CONFIRMED' ORDER BY 1")
        return [int(x) for x in rows.split()] if rows else []

    def etag(self, path):
        return None

    def audit(self, shows):
        time.sleep(1)
        sold = [seat for show in shows for seat in self.taken(show)]
        for show in shows:
            seats = self.taken(show)
            expect(len(seats) == len(set(seats)), f"Express sold a seat of {show} twice")
        return len(sold)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def jwt(secret, subject):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    head = part({"alg": "HS256", "typ": "JWT"}) + "." + part({"sub": subject, "exp": int(time.time()) + 86400})
    signature = hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest()
    return head + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def node_path():
    """Express and node-postgres from Debian. Debian's node-pg depends on a native addon built
    for Debian's own Node; where another Node is installed, its pure-JavaScript files are
    unpacked from the package instead (nothing of them is used natively)."""
    if subprocess.run(["node", "-e", "require('express')"], env=dict(os.environ, NODE_PATH="/usr/share/nodejs"),
                      capture_output=True).returncode != 0:
        run(["apt-get", "install", "-y", "-q", "node-express"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    paths = ["/usr/share/nodejs"]
    if subprocess.run(["node", "-e", "require('pg')"], env=dict(os.environ, NODE_PATH="/usr/share/nodejs"),
                      capture_output=True).returncode != 0:
        unpacked = os.path.join(ROOT, ".build", "bench-node")
        if not os.path.isdir(os.path.join(unpacked, "usr", "share", "nodejs", "pg")):
            os.makedirs(unpacked, exist_ok=True)
            run(["apt-get", "download", "node-pg", "node-split2", "node-xtend"], cwd=unpacked)
            for deb in [f for f in os.listdir(unpacked) if f.endswith(".deb")]:
                run(["dpkg", "-x", os.path.join(unpacked, deb), unpacked])
        paths.insert(0, os.path.join(unpacked, "usr", "share", "nodejs"))
    return ":".join(paths)
