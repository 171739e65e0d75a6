"""Queues (API.md, "Queues"): an on-sale through the real binary, the committed draw checked
as an outsider would, 2,000 joins over two instances, and the watermark's keeper killed."""
import datetime
import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .harness import EventStream, admin_token, expect, signup, wait_until
from .registry import check


def rfc3339(moment):
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def queued_show(server, seats, on_sale_in, per_minute, pass_seconds=600):
    """A show going on sale `on_sale_in` seconds from now (to the whole second), with a queue."""
    on_sale = int(time.time() + on_sale_in) + 1
    status, _, show = server.call("POST", "/api/shows", {
        "name": "On sale", "startTime": "2031-06-01T20:00:00Z", "totalSeats": seats, "onSaleAt": rfc3339(on_sale),
        "queue": {"admitPerMinute": per_minute, "passSeconds": pass_seconds}}, token=admin_token(server))
    expect(status == 201 and show["queue"]["state"] == "scheduled", f"queued show {status} {show}")
    return show["id"], on_sale


def audit(server, show):
    """What anyone can check after onSaleAt: the seed against the commitment published before,
    and the pre-queue's order against the seed. Returns the order."""
    _, _, status = server.call("GET", f"/api/shows/{show}/queue")
    code, _, order = server.call("GET", f"/api/shows/{show}/queue/order")
    expect(code == 200 and order["seed"] == status["seed"], f"order {code} {order}")
    expect(hashlib.sha256(order["seed"].encode()).hexdigest() == status["shuffleCommitment"],
           "the revealed seed hashes to the commitment")
    keys = [hashlib.sha256(f"{order['seed']}:{entry}".encode()).hexdigest() for entry in order["entries"]]
    expect(keys == sorted(keys), "the pre-queue is in the order of SHA-256(seed:id)")
    return order["entries"]


@check("an on-sale: not before onSaleAt, a live status stream, the audited draw, passes that book once")
def queue_on_sale(ctx):
    server = ctx.server
    buyers = [signup(server, f"Q{i}")[0] for i in range(12)]
    show, on_sale = queued_show(server, seats=30, on_sale_in=4, per_minute=1200)
    status, _, problem = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=buyers[0])
    expect(status == 403 and problem["type"] == "/problems/not-on-sale" and problem["onSaleAt"] == rfc3339(on_sale),
           f"before onSaleAt: {status} {problem}")
    stream = EventStream(server, show, path="queue/events")
    expect(stream.status == 200 and stream.content_type.startswith("text/event-stream"), f"stream {stream.status}")
    _, kind, first = stream.next()
    expect(kind == "queue" and first["state"] == "scheduled" and first["seed"] is None, f"{kind} {first}")
    with ThreadPoolExecutor(max_workers=12) as pool:
        joins = list(pool.map(lambda token: server.call("POST", f"/api/shows/{show}/queue", token=token), buyers))
    expect(all(code == 201 and entry["rank"] is None for code, _, entry in joins), "12 joins, unranked before the draw")
    expect(time.time() < on_sale, "the joins were made before onSaleAt (a slow machine: raise on_sale_in)")

    # The stream tells of the opening: the seed revealed, the ranks admitted.
    deadline = time.time() + 15
    seen = first
    while not (seen["state"] == "open" and seen["serving"] == 12):
        expect(time.time() < deadline, f"the stream did not show all 12 admitted: {seen}")
        _, kind, seen = stream.next(timeout=6)
    stream.close()
    order = audit(server, show)
    expect(sorted(order) == sorted(entry["id"] for _, _, entry in joins), "the order lists every pre-queue entry")
    import subprocess
    audited = subprocess.run([ctx.binary, "queue-audit", "--url", server.base, "--show", show],
                             capture_output=True, text=True, timeout=30)
    expect(audited.returncode == 0 and "OK" in audited.stdout, f"marquee queue-audit: {audited.returncode} {audited.stdout}")

    entries = [server.call("GET", f"/api/shows/{show}/queue/me", token=token)[2] for token in buyers]
    expect([e["rank"] for e in entries] == [order.index(e["id"]) + 1 for e in entries], "each rank is its place in the draw")
    expect(all(e["state"] == "admitted" and e["pass"] for e in entries), f"all admitted: {[e['state'] for e in entries]}")
    status, _, problem = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=buyers[0])
    expect(status == 403 and problem["type"] == "/problems/queue-pass-required", f"no pass: {status} {problem}")

    def book(index):
        seats = [index * 2 + 1, index * 2 + 2]
        return server.call("POST", "/api/bookings", {"showId": show, "seats": seats}, token=buyers[index],
                           headers={"Queue-Pass": entries[index]["pass"]})
    with ThreadPoolExecutor(max_workers=12) as pool:
        booked = list(pool.map(book, range(12)))
    expect(all(code == 201 for code, _, _ in booked), f"every pass books: {[code for code, _, _ in booked]}")
    status, _, problem = server.call("POST", "/api/bookings", {"showId": show, "seats": [29]}, token=buyers[0],
                                     headers={"Queue-Pass": entries[0]["pass"]})
    expect(status == 403 and problem["type"] == "/problems/queue-pass-invalid", f"a pass books once: {status}")
    status, _, problem = server.call("POST", "/api/bookings", {"showId": show, "seats": [29]}, token=buyers[1],
                                     headers={"Queue-Pass": entries[0]["pass"]})
    expect(status == 403 and problem["type"] == "/problems/queue-pass-invalid", f"another's pass: {status}")
    expect(server.call("GET", f"/api/shows/{show}/queue/me", token=buyers[0])[2]["state"] == "done", "done")
    taken = server.call("GET", f"/api/shows/{show}")[2]["takenSeats"]
    expect(taken == list(range(1, 25)), f"24 seats sold once each: {taken}")


@check("2,000 joins from 64 clients over two instances: unique gap-free ranks, the draw as committed, then join order",
       engines=("postgres",))
def queue_joins_two_instances(ctx):
    a, b = ctx.pair()
    instances = (a, b)
    started = time.time()
    with ThreadPoolExecutor(max_workers=16) as pool:
        tokens = list(pool.map(lambda i: signup(instances[i % 2], f"J{i}")[0], range(2000)))
    print(f"     2,000 accounts in {time.time() - started:.1f}s", flush=True)
    # Paused from the start (admitting 1 a minute), so ranks are all that moves.
    show, on_sale = queued_show(a, seats=100, on_sale_in=8, per_minute=1)

    def join(i):
        return i, instances[i % 2].call("POST", f"/api/shows/{show}/queue", token=tokens[i])

    started = time.time()
    with ThreadPoolExecutor(max_workers=64) as pool:
        early = list(pool.map(join, range(1000)))
    took = time.time() - started
    expect(time.time() < on_sale, f"1,000 joins took {took:.1f}s and ran past onSaleAt")
    print(f"     1,000 joins before onSaleAt in {took:.1f}s ({1000 / took:.0f}/s)", flush=True)
    expect(all(r[0] == 201 and r[2]["rank"] is None for _, r in early), "pre-queue joins: 201, no rank yet")
    wait_until(lambda: time.time() >= on_sale + 0.3, timeout=15, message="onSaleAt")

    # After onSaleAt each of 64 clients joins its share one after another: its ranks must rise.
    late_ranks = {}
    lock = threading.Lock()

    def client(worker):
        mine = []
        for i in range(1000 + worker, 2000, 64):
            code, _, entry = instances[i % 2].call("POST", f"/api/shows/{show}/queue", token=tokens[i])
            expect(code == 201 and entry["rank"] is not None, f"late join {code} {entry}")
            mine.append(entry["rank"])
        with lock:
            late_ranks[worker] = mine
    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(client, range(64)))
    for worker, ranks in late_ranks.items():
        expect(ranks == sorted(ranks), f"client {worker}'s joins were ranked out of order: {ranks}")
    late = sorted(rank for ranks in late_ranks.values() for rank in ranks)
    expect(late == list(range(1001, 2001)), f"later joiners take ranks 1001..2000 exactly: {late[:3]}…{late[-3:]}")

    order = audit(b, show)
    expect(sorted(order) == sorted(r[2]["id"] for _, r in early), "the order lists exactly the pre-queue")
    with ThreadPoolExecutor(max_workers=32) as pool:
        mine = list(pool.map(lambda i: instances[i % 2].call("GET", f"/api/shows/{show}/queue/me", token=tokens[i])[2],
                             range(1000)))
    expect(sorted(e["rank"] for e in mine) == list(range(1, 1001)), "pre-queue ranks are 1..1000")
    expect(all(order[e["rank"] - 1] == e["id"] for e in mine), "each pre-queue rank is its place in the draw")
    # Kendall's tau between join order and rank, for the pre-queue: near 0 (a fair draw).
    joined = sorted(mine, key=lambda e: (e["joinedAt"], e["id"]))
    ranks = [e["rank"] for e in joined]
    sample = ranks[::5]
    pairs = concordant = 0
    for x in range(len(sample)):
        for y in range(x + 1, len(sample)):
            pairs += 1
            concordant += 1 if sample[y] > sample[x] else -1
    tau = concordant / pairs
    print(f"     Kendall's tau, join order against rank: pre-queue {tau:+.3f} (sampled), later joiners +1 per client",
          flush=True)
    expect(abs(tau) < 0.2, f"the pre-queue's ranks follow its join order: tau {tau:.3f}")


@check("killing the instance that keeps the watermark: another takes over, admission resumes within 5 s",
       engines=("postgres",))
def queue_keeper_failover(ctx):
    import subprocess
    # A database of their own, so the first instance is the only one that can keep the queue
    # until the second starts.
    settings, database = ctx.own_database()
    first = ctx.start(**settings)
    show, on_sale = queued_show(first, seats=1000, on_sale_in=2, per_minute=600)
    tokens = [signup(first, f"F{i}")[0] for i in range(150)]
    for token in tokens:
        first.call("POST", f"/api/shows/{show}/queue", token=token)

    def row():
        out = subprocess.run(
            ["psql", database, "-Atc", f"SELECT keeper, serving FROM show_queues WHERE show_id = '{show}'"],
            capture_output=True, text=True, check=True)
        keeper, serving = out.stdout.strip().split("|")
        return keeper, int(serving)
    # The first instance takes the lease at the on-sale, alone; only then does the second start.
    wait_until(lambda: row()[1] >= 5, timeout=20, message="admission under the first instance")
    second = ctx.start(**settings)
    wait_until(lambda: row()[1] >= 20, timeout=20, message="admission under the first instance")
    before, _ = row()
    first.process.kill()
    first.process.wait()
    killed = time.time()
    _, at_kill = row()
    try:
        wait_until(lambda: row()[0] != before and row()[1] > at_kill, timeout=10, interval=0.05,
                   message="another instance admitting after the kill")
    except AssertionError:
        activity = subprocess.run(
            ["psql", database, "-Atc", "SELECT pid, state, wait_event_type, wait_event, left(query, 80) FROM pg_stat_activity "
             "WHERE datname = current_database()"], capture_output=True, text=True).stdout
        raise AssertionError(f"no admission after the kill; the database's sessions:\n{activity}") from None
    took = time.time() - killed
    print(f"     admission resumed {took:.2f}s after the keeper was killed (serving {at_kill} -> {row()[1]})", flush=True)
    expect(took < 5, f"took {took:.2f}s")
    status = second.call("GET", f"/api/shows/{show}/queue")[2]
    expect(status["state"] == "open", f"the survivor serves the queue: {status}")
    # Afterwards the pace is the configured one (10 a second), not a burst for the time lost.
    mark, at = row()[1], time.time()
    time.sleep(2)
    rate = (row()[1] - mark) / (time.time() - at)
    expect(6 <= rate <= 14, f"admitting {rate:.1f} a second, set to 10")
