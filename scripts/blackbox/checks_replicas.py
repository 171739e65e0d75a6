"""Read replicas (API.md, "Read replicas (v2, PostgreSQL)"), against a real streaming replica
that applies each commit 1.5 s late (scripts/test starts it; e2e.py --replica): reads with a
consistency token see the write, public reads are counted on the replica, a stopped replica
fails no request and is used again once back, and the live stream and the seat map agree."""
import os
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .harness import EventStream, create_show, expect, signup, wait_until
from .registry import check

HEADER = "Marquee-Consistency"


def metrics(server):
    with urllib.request.urlopen(server.base + "/metrics", timeout=10) as response:
        return response.read().decode()


def reads(server, target):
    match = re.search(r'^marquee_db_reads_total\{target="%s"\} (\S+)$' % target, metrics(server), re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def lag(server):
    """The replica's lag gauge, in seconds; None before it is reported."""
    match = re.search(r'^marquee_replica_lag_seconds\{replica="[^"]+"\} (\S+)$', metrics(server), re.MULTILINE)
    return float(match.group(1)) if match else None


def replica_in_use(server, timeout=30):
    """Waits until a public read is served by the replica (it has the database, within the lag)."""
    show = create_show(server, 5)

    def served_by_replica():
        before = reads(server, "replica")
        server.call("GET", f"/api/shows/{show}")
        return reads(server, "replica") > before
    wait_until(served_by_replica, timeout=timeout, interval=0.3, message="a read served by the replica")


@check("with a token a read sees the write it came from, on another instance too; public reads are served "
       "by the replica", engines=("replica", "scaleout"))
def replica_read_your_writes(ctx):
    # Reads without a token may be 5 s behind, so the replica (1.5 s behind while commits
    # arrive) may serve them; with a token they need the booking itself. The writer and the
    # reader keep the read cache on, as in production; `plain` has it off, so that each of
    # its reads is one of the database's.
    settings = {"MARQUEE_REPLICA_MAX_LAG_MS": "5000"}
    writer, reader = ctx.start(**settings), ctx.start(**settings)
    plain = ctx.start(MARQUEE_READ_CACHE_MS="0", **settings)
    replica_in_use(plain)
    show = create_show(writer, 100)
    quiet = create_show(writer, 10)
    time.sleep(2)  # the replica has both shows
    token, _ = signup(writer, "Reader")
    replica_before = reads(plain, "replica")
    stale_without = 0
    for trial in range(30):
        # The reader's cache holds the map from before the booking: until its outbox reader
        # hears of the booking (a few ms), only the token tells it that map is too old.
        reader.call("GET", f"/api/shows/{show}")
        status, headers, booking = writer.call("POST", "/api/bookings", {"showId": show, "seats": [trial + 1]},
                                               token=token)
        expect(status == 201, f"booking {status} {booking}")
        consistency = headers.get(HEADER)
        expect(consistency and re.fullmatch(r"[0-9A-F]{1,8}/[0-9A-F]{1,8}", consistency),
               f"a write answers with {HEADER}: {headers}")
        for server in (reader, plain, writer):
            taken = server.call("GET", f"/api/shows/{show}", headers={HEADER: consistency})[2]["takenSeats"]
            expect(trial + 1 in taken, f"trial {trial}: a read with the token missed the booking it came from")
        reader.call("GET", f"/api/shows/{show}")
        status, _, booking = writer.call("POST", "/api/bookings", {"showId": show, "seats": [trial + 51]}, token=token)
        expect(status == 201, f"booking {status} {booking}")
        if trial + 51 not in reader.call("GET", f"/api/shows/{show}")[2]["takenSeats"]:
            stale_without += 1
        expect(plain.call("GET", f"/api/shows/{quiet}")[0] == 200, "the quiet show")
    on_replica = reads(plain, "replica") - replica_before
    expect(on_replica >= 20, f"only {on_replica:.0f} reads were served by the replica")
    print(f"     30 of 30 reads with the token saw their booking, on three instances; {on_replica:.0f} reads on the "
          f"replica; {stale_without} of 30 reads without a token on another instance were behind", flush=True)


@check("a stopped replica fails no request, and once it is back it serves reads again", engines=("replica",))
def replica_down(ctx):
    server = ctx.start(MARQUEE_REPLICA_MAX_LAG_MS="5000", MARQUEE_READ_CACHE_MS="0")
    replica_in_use(server)
    # Bookings on one show, reads of it, of a show nobody books, and of the list: the reads
    # of a show that changes need its latest change, so it is the quiet one a replica serves.
    show = create_show(server, 2000)
    quiet = create_show(server, 10)
    time.sleep(2)
    token, _ = signup(server, "Steady")
    answers, stop = [], threading.Event()

    def traffic(index):
        seat = index * 500
        while not stop.is_set():
            seat += 1
            for method, path, body in (("POST", "/api/bookings", {"showId": show, "seats": [seat]}),
                                       ("GET", f"/api/shows/{show}", None), ("GET", f"/api/shows/{quiet}", None),
                                       ("GET", "/api/shows", None)):
                status, _, answer = server.call(method, path, body, token=token if body else None)
                answers.append((status, method, path, answer if status not in (200, 201) else None))
    threads = [threading.Thread(target=traffic, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        ctx.replica("stop")
        stopped = time.time()
        wait_until(lambda: lag(server) == float("inf"), timeout=5, message="the lag gauge says the replica is away")
        primary_before = reads(server, "primary")
        time.sleep(2)
        expect(reads(server, "primary") > primary_before, "reads went to the primary while the replica was down")
        ctx.replica("start")
        replica_before = reads(server, "replica")
        wait_until(lambda: reads(server, "replica") > replica_before, timeout=20, interval=0.2,
                   message="reads on the replica again")
        print(f"     replica stopped {time.time() - stopped:.1f}s, then serving reads again", flush=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        if not _running(ctx):  # the check failed while it was down: the next checks need it
            ctx.replica("start")
    bad = [answer for answer in answers if answer[0] not in (200, 201)]
    expect(not bad, f"{len(bad)} answers other than 200/201 while the replica went away: {bad[:3]}")
    print(f"     {len(answers)} requests, none failed", flush=True)


def _running(ctx):
    return os.path.exists(os.path.join(ctx.replica_data, "postmaster.pid"))


@check("after a burst of bookings on one instance, another's seat map never shows less than its live stream has "
       "said", engines=("replica",))
def replica_stream_and_map_agree(ctx):
    settings = {"MARQUEE_REPLICA_MAX_LAG_MS": "5000"}  # the read cache on: refills must not go back
    writer, reader = ctx.start(**settings), ctx.start(**settings)
    replica_in_use(reader)
    show = create_show(writer, 200)
    time.sleep(2)
    users = [signup(writer, f"Burst{i}")[0] for i in range(32)]
    reader.call("GET", f"/api/shows/{show}")  # the reader's cache holds the empty map
    stream = EventStream(reader, show)
    expect(stream.next()[1] == "snapshot", "the stream starts with a snapshot")

    def book(index):
        return writer.call("POST", "/api/bookings", {"showId": show, "seats": [index * 2 + 1, index * 2 + 2]},
                           token=users[index])[0]
    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(book, range(32)))
    expect(statuses == [201] * 32, f"bookings: {sorted(set(statuses))}")
    said, checks = set(), 0
    while len(said) < 64:
        _, kind, data = stream.next(timeout=5)
        if kind != "seats":
            continue
        said |= set(data["taken"])
        taken = set(reader.call("GET", f"/api/shows/{show}")[2]["takenSeats"])
        checks += 1
        expect(said <= taken, f"the seat map lacks {sorted(said - taken)} that the stream said were taken")
    for _ in range(10):
        taken = set(reader.call("GET", f"/api/shows/{show}")[2]["takenSeats"])
        expect(taken == said, f"after the burst the seat map differs from the stream: {sorted(taken ^ said)}")
        time.sleep(0.1)
    stream.close()
    print(f"     {checks} seat maps read as the stream spoke, each with every seat it had said", flush=True)
