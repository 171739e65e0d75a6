#!/usr/bin/env python3
"""Faults injected into real processes under a booking load, and what happened (API.md,
"Failure behaviour and hardening (v2)"; docs/RELIABILITY.md has the table from a run).

    scripts/chaos.py BINARY [--only NAME ...] [--table]

Each fault runs against a server of its own: PostgreSQL ones on a PostgreSQL cluster of
their own (initdb'd here, so stopping it disturbs nothing else), SQLite ones on a fresh file.
While the fault lasts and after it, clients book without pause; every acknowledged (201)
booking is then read back through the API, and must be there, CONFIRMED, with its seats.

- postgres-stopped: PostgreSQL shut down (fast) for 5 s, then started again.
- postgres-frozen:  PostgreSQL's processes stopped with SIGSTOP for 5 s (a database that
                    takes connections and statements and answers nothing), then SIGCONT.
- sqlite-disk-full: SQLite's tmpfs filled up under load, then room made again (needs root
                    to mount the tmpfs; said as SKIP otherwise).
- sqlite-read-only: a SQLite file booked into, then its tmpfs remounted read-only and the
                    server started on it: reads are served (every acknowledged booking
                    among them), writes get 503, and the file is intact (needs root too).
- kill-9:           the Marquee process killed with SIGKILL mid-storm (64 clients), on
                    each engine, then started again on the same database. Just before the
                    kill it takes a hold and queues webhook deliveries that the receiver
                    refuses: the new process must expire the hold and send the deliveries.

Checked, and a failure exits non-zero: no 500 ever; during an outage every request is
answered within 3.5 s (the contract's 3 s, plus this 2-core machine's scheduling) by 201
or 503 `database-unavailable` with Retry-After; /health/ready says 503 within about a
second and /health/live stays 200; bookings succeed again within 5 s of the database's
return; and no acknowledged booking is lost. Standard library only.
"""
import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Receiver, Server, free_port  # noqa: E402

ANSWER_LIMIT = 3.5
RECOVERY_LIMIT = 5.0


class Failed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)


class Cluster:
    """A throwaway PostgreSQL cluster, run as `postgres` when this runs as root."""

    def __init__(self, workdir):
        self.bin = sorted(os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql"))[-1]
        self.dir = tempfile.mkdtemp(prefix="pg-", dir=workdir)
        os.chmod(self.dir, 0o755)
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres")
        self.port = free_port()
        self.run("initdb", "-D", self.data, "-U", "marquee", "--auth=trust", "--encoding=UTF8")
        self.start()
        self.url = f"postgres://marquee@127.0.0.1:{self.port}/postgres?sslmode=disable"

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    def run(self, tool, *arguments):
        command = [os.path.join(self.bin, tool), *arguments]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w", "start", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def pids(self):
        with open(os.path.join(self.data, "postmaster.pid")) as file:
            postmaster = int(file.readline())
        children = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as file:
                    # pid (comm) state ppid …: comm may hold spaces, so split after it.
                    parent = int(file.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == postmaster:
                children.append(int(entry))
        return [postmaster, *children]

    def signal(self, signum):
        for pid in self.pids():
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def close(self):
        try:
            self.signal(signal.SIGCONT)
            self.stop("immediate")
        except Exception:  # noqa: BLE001 - already down
            pass


def call(port, method, path, body=None, token=None, timeout=10):
    """(status, headers, parsed body, seconds); status 0 when no answer came."""
    started = time.time()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return response.status, dict(response.getheaders()), parsed, time.time() - started
    except (OSError, http.client.HTTPException):
        return 0, {}, None, time.time() - started
    finally:
        connection.close()


def token_for(server, name):
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body, _ = call(server.port, "POST", "/api/auth/signup",
                              {"name": name, "email": email, "password": "password-1"})
    expect(status == 201, f"signup {status} {body}")
    return body["token"]


def admin_token(server):
    status, _, body, _ = call(server.port, "POST", "/api/auth/login",
                              {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    expect(status == 200, f"admin login {status} {body}")
    return body["token"]


class Load:
    """`clients` threads booking without pause, each its own seats of one big show, so that
    every refusal is the fault's and not a conflict. `port` may change (a restart)."""

    def __init__(self, server, clients, admin):
        self.port = server.port
        status, _, show, _ = call(server.port, "POST", "/api/shows",
                                  {"name": "Chaos", "startTime": "2031-01-01T20:00:00Z", "totalSeats": 100000},
                                  token=admin)
        expect(status == 201, f"create show {status} {show}")
        self.show = show["id"]
        self.tokens = [token_for(server, f"load{k}") for k in range(clients)]
        self.results = []  # (started, finished, status, problem type, retry-after, booking id, seats)
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.client, args=(k,), daemon=True) for k in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def client(self, k):
        seat = k * 1000
        while self.running:
            seat += 1
            started = time.time()
            status, headers, body, _ = call(self.port, "POST", "/api/bookings",
                                            {"showId": self.show, "seats": [seat]}, token=self.tokens[k])
            finished = time.time()
            problem = body.get("type") if isinstance(body, dict) and status >= 400 else None
            booking = body.get("id") if status == 201 and isinstance(body, dict) else None
            with self.lock:
                self.results.append((started, finished, status, problem, headers.get("Retry-After"), booking, [seat]))
            if status in (0, 503):
                time.sleep(0.05)

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=15)

    def between(self, start, end):
        with self.lock:
            return [r for r in self.results if start <= r[0] < end]


def audit(server, load, admin):
    """Reads back every acknowledged booking; returns (checked, lost)."""
    acknowledged = [r for r in load.results if r[2] == 201]
    lost = []
    for _, _, _, _, _, booking, seats in acknowledged:
        status, _, body, _ = call(server.port, "GET", f"/api/bookings/{booking}", token=admin)
        if status != 200 or body.get("status") != "CONFIRMED" or body.get("seats") != seats:
            lost.append((booking, status, body))
    status, _, show, _ = call(server.port, "GET", f"/api/shows/{load.show}")
    expect(status == 200, f"read the show back: {status}")
    taken = set(show["takenSeats"])
    missing = [r for r in acknowledged if not set(r[6]) <= taken]
    expect(not missing, f"acknowledged seats not taken on the seat map: {missing[:3]}")
    expect(len(show["takenSeats"]) == len(taken), "a seat listed twice")
    return len(acknowledged), lost


def statuses(rows):
    counts = {}
    for row in rows:
        key = {0: "no process to answer", 503: f"503 {(row[3] or '').rsplit('/', 1)[-1]}"}.get(row[2], str(row[2]))
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items())) or "none"


def probe(port, path, seconds, every=0.2):
    """(status, seconds) of `path`, every `every` s for `seconds`."""
    answers = []
    end = time.time() + seconds
    while time.time() < end:
        status, _, _, took = call(port, "GET", path, timeout=5)
        answers.append((status, took))
        time.sleep(every)
    return answers


def database_outage(binary, workdir, freeze):
    """PostgreSQL away for 5 s under 16 clients: stopped, or frozen with SIGSTOP."""
    cluster = Cluster(workdir)
    try:
        env = dict(os.environ, DATABASE_URL=cluster.url, MARQUEE_JWT_KEYS="chaos:" + "k" * 43,
                   MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                   MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning")
        server = Server(binary, env, workdir)
        try:
            admin = admin_token(server)
            load = Load(server, 16, admin).start()
            time.sleep(2)
            expect(any(r[2] == 201 for r in load.results), "bookings succeed before the fault")
            fault_start = time.time()
            if freeze:
                cluster.signal(signal.SIGSTOP)
            else:
                cluster.stop("fast")
            ready, live = {}, {}
            probes = [threading.Thread(target=lambda: ready.setdefault("a", probe(server.port, "/health/ready", 4.5))),
                      threading.Thread(target=lambda: live.setdefault("a", probe(server.port, "/health/live", 4.5)))]
            for thread in probes:
                thread.start()
            time.sleep(5)
            for thread in probes:
                thread.join()
            fault_end = time.time()
            if freeze:
                cluster.signal(signal.SIGCONT)
            else:
                cluster.start()
            back = time.time()
            time.sleep(8)
            load.stop()

            during = load.between(fault_start + 0.1, fault_end)
            after = [r for r in load.results if r[0] >= back]
            first_ok = min((r[1] for r in after if r[2] == 201), default=None)
            recovery = None if first_ok is None else first_ok - back
            longest = max((r[1] - r[0] for r in load.between(fault_start, fault_end)), default=0)
            errors = [r for r in load.results if r[2] >= 500 and r[2] != 503]
            expect(not errors, f"{len(errors)} answers were a 5xx other than 503: {errors[:2]}")
            silent = [r for r in load.results if r[2] == 0]
            expect(not silent, f"{len(silent)} requests got no answer, the first after "
                               f"{silent[0][1] - silent[0][0]:.2f} s at +{silent[0][0] - fault_start:.2f} s" if silent else "")
            bad = [r for r in during if r[2] not in (201, 503)]
            expect(not bad, f"during the outage only 201 or 503: {statuses(bad)}")
            wrong = [r for r in during if r[2] == 503 and (not (r[3] or "").endswith("/database-unavailable") or not r[4])]
            expect(not wrong, f"a 503 without database-unavailable and Retry-After: {wrong[:2]}")
            expect(any(r[2] == 503 for r in during), f"the outage was seen (some 503): {statuses(during)}")
            expect(longest <= ANSWER_LIMIT, f"a request waited {longest:.2f}s during the outage")
            late_ready = [s for s, took in ready["a"][3:] if s != 503]
            expect(not late_ready, f"/health/ready said {late_ready} a second into the outage")
            expect(all(took < 1.5 for _, took in ready["a"]), f"/health/ready was slow: {ready['a']}")
            expect(all(s == 200 for s, _ in live["a"]), f"/health/live during the outage: {live['a']}")
            expect(recovery is not None and recovery <= RECOVERY_LIMIT, f"bookings back after {recovery}")
            failing_late = [r for r in after if r[0] > back + RECOVERY_LIMIT and r[2] != 201]
            expect(not failing_late, f"still failing after recovery: {statuses(failing_late)}")
            checked, lost = audit(server, load, admin)
            expect(not lost, f"acknowledged bookings lost: {lost[:3]}")
            return {"during": statuses(during), "longest": longest, "recovery": recovery,
                    "checked": checked, "lost": len(lost)}
        finally:
            server.stop()
    finally:
        cluster.close()


def kill_9(binary, workdir, engine):
    """SIGKILL of Marquee mid-storm (64 clients), then a restart on the same database. Just
    before the kill, a hold is taken and webhook deliveries are queued that the receiver
    refuses: the restarted process must expire the one and send the others."""
    cluster = Cluster(workdir) if engine == "postgres" else None
    receiver = Receiver()
    try:
        env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                   MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning", MARQUEE_HOLD_SECONDS="2",
                   MARQUEE_SWEEP_SECONDS="1", MARQUEE_WEBHOOK_RETRY_BASE_MS="200")
        if cluster:
            env.update(DATABASE_URL=cluster.url, MARQUEE_JWT_KEYS="chaos:" + "k" * 43)
        else:
            env["MARQUEE_DATABASE_PATH"] = os.path.join(workdir, f"kill9-{uuid.uuid4().hex[:6]}.sqlite")
        server = Server(binary, env, workdir)
        admin = admin_token(server)
        receiver.failures["/hook"] = 10**9
        status, _, hook, _ = call(server.port, "POST", "/api/webhooks",
                                  {"url": receiver.base + "/hook", "secret": "a-webhook-secret-1234",
                                   "eventTypes": ["show.created"]}, token=admin)
        expect(status == 201, f"register a webhook: {status} {hook}")
        load = Load(server, 64, admin).start()
        time.sleep(2.5)
        holder = token_for(server, "holder")
        status, _, hold, _ = call(server.port, "POST", "/api/bookings",
                                  {"showId": load.show, "seats": [99999], "hold": True}, token=holder)
        expect(status == 201 and hold["status"] == "PENDING", f"a hold before the kill: {status} {hold}")
        markers = []
        for n in range(3):
            status, _, show, _ = call(server.port, "POST", "/api/shows", {
                "name": f"Marker {n}", "startTime": "2031-01-01T20:00:00Z", "totalSeats": 1}, token=admin)
            expect(status == 201, f"marker show {status}")
            markers.append(show["id"])
        killed = time.time()
        server.process.kill()
        server.process.wait()
        receiver.failures["/hook"] = 0
        restarted = Server(binary, env, workdir)
        ready_after = time.time() - killed
        load.port = restarted.port
        time.sleep(3)
        load.stop()
        try:
            errors = [r for r in load.results if r[2] >= 500 and r[2] != 503]
            expect(not errors, f"a 5xx other than 503: {errors[:2]}")
            after = [r for r in load.results if r[0] >= killed + ready_after]
            expect(any(r[2] == 201 for r in after), "bookings succeed after the restart")
            checked, lost = audit(restarted, load, admin)
            expect(not lost, f"acknowledged bookings lost: {lost[:3]}")
            deadline = time.time() + 15
            while time.time() < deadline:
                status, _, seen, _ = call(restarted.port, "GET", f"/api/bookings/{hold['id']}", token=admin)
                if seen.get("status") == "EXPIRED":
                    break
                time.sleep(0.2)
            expect(seen.get("status") == "EXPIRED", f"the dead process's hold lapsed and was swept: {seen}")
            expect(99999 not in call(restarted.port, "GET", f"/api/shows/{load.show}")[2]["takenSeats"],
                   "the lapsed hold's seat is free")
            # A delivery the dead process had claimed is sent again once its lease (three
            # request timeouts: 30 s) runs out; the others at their next retry.
            deadline = time.time() + 40
            delivered = set()
            while time.time() < deadline and len(delivered) < len(markers):
                with receiver.lock:
                    bodies = [body.decode() for path, _, body in receiver.requests if path == "/hook"]
                delivered = {marker for marker in markers if any(marker in body for body in bodies)}
                time.sleep(0.2)
            expect(len(delivered) == len(markers), f"queued deliveries sent after the restart: {len(delivered)} of 3")
            around = [r for r in load.results if r[0] <= killed <= r[1] or killed <= r[0] < killed + ready_after]
            return {"during": statuses(around), "longest": None,
                    "recovery": ready_after, "checked": checked, "lost": len(lost)}
        finally:
            restarted.stop()
    finally:
        receiver.close()
        if cluster:
            cluster.close()


@contextlib.contextmanager
def sqlite_on_tmpfs(workdir, size):
    """A SQLite path on a tmpfs of its own, mounted here and unmounted after: (mount, path, env)."""
    mount = tempfile.mkdtemp(prefix="tmpfs-", dir=workdir)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount], check=True)
    try:
        path = os.path.join(mount, "marquee.sqlite")
        env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                   MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning", MARQUEE_DATABASE_PATH=path)
        yield mount, path, env
    finally:
        subprocess.run(["umount", "-l", mount], check=False)


def expect_intact(path):
    """The SQLite file passes its own integrity check."""
    import sqlite3
    with sqlite3.connect(path) as database:
        verdict = database.execute("PRAGMA integrity_check").fetchone()[0]
    expect(verdict == "ok", f"integrity check: {verdict}")


def sqlite_disk_full(binary, workdir):
    """SQLite on a small tmpfs that fills up while 8 clients book: writes get 503, reads are
    still served, and once there is room again bookings succeed, nothing acknowledged is
    lost, and the file passes SQLite's integrity check. (A read-only remount is refused while
    the server holds the file open for writing, so a read-only disk is sqlite_read_only's.)"""
    with sqlite_on_tmpfs(workdir, "8m") as (mount, path, env):
        server = Server(binary, env, workdir)
        try:
            admin = admin_token(server)
            load = Load(server, 8, admin).start()
            time.sleep(1.5)
            filler = os.path.join(mount, "filler")
            fault_start = time.time()
            # Unbuffered: a buffered file could still hold bytes when the disk fills, and closing
            # it would then raise ENOSPC outside this loop (it did, once in CI).
            with open(filler, "wb", buffering=0) as file:
                try:
                    while True:
                        file.write(b"\0" * 65536)
                except OSError:
                    pass
            reads = []
            end = time.time() + 4
            while time.time() < end:
                reads.append(call(server.port, "GET", f"/api/shows/{load.show}")[0])
                reads.append(call(server.port, "GET", "/api/shows")[0])
                time.sleep(0.1)
            fault_end = time.time()
            os.remove(filler)
            back = time.time()
            time.sleep(4)
            load.stop()

            during = load.between(fault_start + 0.2, fault_end)
            after = [r for r in load.results if r[0] >= back]
            errors = [r for r in load.results if r[2] >= 500 and r[2] != 503]
            expect(not errors, f"{len(errors)} answers were a 5xx other than 503: {errors[:2]}")
            expect(any(r[2] == 503 for r in during), f"writes were refused while the disk was away: {statuses(during)}")
            expect(all(r[2] in (201, 503) for r in during), f"during the fault only 201 or 503: {statuses(during)}")
            expect(all(status == 200 for status in reads), f"reads during the fault: {sorted(set(reads))}")
            first_ok = min((r[1] for r in after if r[2] == 201), default=None)
            recovery = None if first_ok is None else first_ok - back
            expect(recovery is not None and recovery <= RECOVERY_LIMIT, f"bookings back after {recovery}")
            checked, lost = audit(server, load, admin)
            expect(not lost, f"acknowledged bookings lost: {lost[:3]}")
            longest = max((r[1] - r[0] for r in load.between(fault_start, fault_end)), default=0)
        finally:
            server.stop()
        expect_intact(path)
        return {"during": statuses(during) + f"; reads: {len(reads)} × 200", "longest": longest,
                "recovery": recovery, "checked": checked, "lost": len(lost)}


def sqlite_read_only(binary, workdir):
    """SQLite on a disk that became read-only between two runs (a tmpfs remounted `ro`, as
    the kernel does to a failing disk): the server starts on it, serves reads, including
    every booking acknowledged before, and answers each write 503 with Retry-After."""
    with sqlite_on_tmpfs(workdir, "32m") as (mount, path, env):
        server = Server(binary, env, workdir)
        try:
            admin = admin_token(server)
            load = Load(server, 8, admin).start()
            time.sleep(1.5)
            load.stop()
        finally:
            server.stop()
        subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
        fault_start = time.time()
        server = Server(binary, env, workdir)
        try:
            started = time.time() - fault_start
            expect(call(server.port, "GET", "/health/ready")[0] == 200, "ready on a read-only disk (reads are served)")
            reads = [call(server.port, "GET", f"/api/shows/{load.show}")[0], call(server.port, "GET", "/api/shows")[0],
                     call(server.port, "GET", "/api/bookings", token=load.tokens[0])[0]]
            expect(all(status == 200 for status in reads), f"reads on a read-only disk: {reads}")
            writes = []
            for k in range(20):
                began = time.time()
                status, headers, body, _ = call(server.port, "POST", "/api/bookings",
                                                {"showId": load.show, "seats": [99000 + k]}, token=load.tokens[k % 8])
                writes.append((began, time.time(), status, body.get("type") if isinstance(body, dict) else None,
                               headers.get("Retry-After"), None, []))
            status, _, body, _ = call(server.port, "POST", "/api/auth/signup",
                                      {"name": "Late", "email": f"late-{uuid.uuid4().hex[:8]}@example.com",
                                       "password": "a-long-password"})
            writes.append((0, 0, status, body.get("type") if isinstance(body, dict) else None, None, None, []))
            refused = [w for w in writes if w[2] == 503 and (w[3] or "").endswith("/database-unavailable")]
            expect(len(refused) == len(writes), f"every write refused with 503 database-unavailable: {statuses(writes)}")
            expect(all(w[4] for w in refused[:-1]), "each refused booking says Retry-After")
            checked, lost = audit(server, load, admin)
            expect(checked > 0, "bookings were acknowledged before the disk became read-only")
            expect(not lost, f"acknowledged bookings lost: {lost[:3]}")
            longest = max(w[1] - w[0] for w in writes[:-1])
        finally:
            server.stop()
        subprocess.run(["mount", "-o", "remount,rw", mount], check=True)
        expect_intact(path)
        return {"during": statuses(writes) + f" (writes); reads: {len(reads)} × 200", "longest": longest,
                "recovery": started, "checked": checked, "lost": len(lost)}


def can_mount():
    """Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0:
        return False
    probe = tempfile.mkdtemp(prefix="tmpfs-probe-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], capture_output=True).returncode == 0
    if mounted:
        subprocess.run(["umount", probe], check=False)
    os.rmdir(probe)
    return mounted


FAULTS = {
    "postgres-stopped": ("PostgreSQL stopped (fast shutdown) for 5 s, 16 clients booking",
                         lambda b, w: database_outage(b, w, freeze=False)),
    "postgres-frozen": ("PostgreSQL frozen (SIGSTOP) for 5 s, 16 clients booking",
                        lambda b, w: database_outage(b, w, freeze=True)),
    "kill-9-sqlite": ("Marquee killed (SIGKILL) mid-storm, 64 clients, SQLite", lambda b, w: kill_9(b, w, "sqlite")),
    "kill-9-postgres": ("Marquee killed (SIGKILL) mid-storm, 64 clients, PostgreSQL",
                        lambda b, w: kill_9(b, w, "postgres")),
    "sqlite-disk-full": ("SQLite's disk full (an 8 MiB tmpfs filled) for 4 s, 8 clients booking",
                         sqlite_disk_full),
    "sqlite-read-only": ("SQLite's disk read-only (a tmpfs remounted ro) when the server starts",
                         sqlite_read_only),
}
NEEDS_MOUNT = {"sqlite-disk-full", "sqlite-read-only"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--only", action="append", choices=sorted(FAULTS), default=[])
    parser.add_argument("--table", action="store_true", help="print the results as docs/RELIABILITY.md's table")
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    workdir = tempfile.mkdtemp(prefix="marquee-chaos-")
    os.chmod(workdir, 0o755)
    rows, failures = [], 0
    mounting = can_mount()
    for name in arguments.only or list(FAULTS):
        description, run = FAULTS[name]
        if name in NEEDS_MOUNT and not mounting:
            print(f"SKIP {name}: mounting a tmpfs needs root with CAP_SYS_ADMIN, which this run lacks", flush=True)
            continue
        started = time.time()
        try:
            result = run(binary, workdir)
            rows.append((description, result))
            longest = "" if result["longest"] is None else f", longest wait {result['longest']:.2f} s"
            print(f"ok   {name}: {result['during']}{longest}, recovered in {result['recovery']:.2f} s, "
                  f"{result['checked']} acknowledged checked, {result['lost']} lost ({time.time() - started:.0f}s)",
                  flush=True)
        except Exception as error:  # noqa: BLE001 - report, and run the other faults
            failures += 1
            print(f"FAIL {name}: {error!r}", flush=True)
    if arguments.table:
        print("\n| fault | answers during the fault, by status | longest wait | recovery | acknowledged checked | lost |")
        print("|---|---|---|---|---|---|")
        for description, r in rows:
            longest = "n/a" if r["longest"] is None else f"{r['longest']:.2f} s"
            print(f"| {description} | {r['during']} | {longest} | {r['recovery']:.2f} s | {r['checked']} | {r['lost']} |")
    if failures:
        print(f"chaos: the servers' logs are in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"chaos: {len(rows)} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
