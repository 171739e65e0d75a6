"""The on-sale scenario (issue 17): 10,000 accounts; a 2,000-seat show with a queue; 5,000 join
before onSaleAt and 5,000 just after; each admitted buyer reads their entry (for the pass) and
the seat map, and books 1 to 4 seats with the pass. Joins and position polls are driven by
wrk (bench/queue.lua); the buyers by threads here. Fairness is read from the database, where
join times have microseconds."""
import concurrent.futures
import datetime
import os
import random
import sqlite3
import subprocess
import tempfile
import threading
import time

from .processes import wrk
from blackbox.harness import expect, signup

ACCOUNTS = 10_000
SEATS = 2_000
ADMIT_PER_MINUTE = 6_000  # 100 a second: the show sells out in about ten seconds of admission
JOIN_SECONDS = 15  # long enough for 5,000 joins at 350 a second


def kendall_tau(pairs):
    """Kendall's tau-a of (x, y) pairs without ties in x, by counting inversions of y in x
    order with a merge sort: O(n log n)."""
    ys = [y for _, y in sorted(pairs)]
    n = len(ys)

    def count(values):
        if len(values) < 2:
            return values, 0
        middle = len(values) // 2
        left, a = count(values[:middle])
        right, b = count(values[middle:])
        merged, inversions, i, j = [], a + b, 0, 0
        while i < len(left) and j < len(right):
            if left[i] <= right[j]:
                merged.append(left[i]); i += 1
            else:
                merged.append(right[j]); j += 1
                inversions += len(left) - i
        merged += left[i:] + right[j:]
        return merged, inversions
    _, inversions = count(ys)
    total = n * (n - 1) // 2
    return (total - 2 * inversions) / total if total else None


def rfc3339(moment):
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def onsale(target, seconds, health_per_second=None):
    server = target.server
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        tokens = list(pool.map(lambda i: signup(server, f"O{i}")[0], range(ACCOUNTS)))
    accounts_seconds = time.time() - started
    # Time for the 5,000 joins, the polls and the re-joins that say whose entry is whose, all
    # before the on-sale.
    on_sale = int(time.time()) + JOIN_SECONDS + 30 + seconds
    status, _, show = server.call("POST", "/api/shows", {
        "name": "On-sale", "startTime": "2031-06-01T20:00:00Z", "totalSeats": SEATS, "onSaleAt": rfc3339(on_sale),
        "queue": {"admitPerMinute": ADMIT_PER_MINUTE, "passSeconds": 600}}, token=target.admin)
    expect(status == 201, f"the on-sale show: {status} {show}")
    show = show["id"]
    early, late = tokens[:5_000], tokens[5_000:]

    def setup(chosen):
        path = os.path.join(tempfile.mkdtemp(prefix="marquee-bench-onsale-"), "setup")
        with open(path, "w") as file:
            file.write(show + "\n" + "\n".join(chosen) + "\n")
        return path

    def joins(chosen, ranked):
        """Every token in `chosen` joins, 64 at a time; the rate is the entries' span of join
        times in the database (wrk goes on joining again after the first round: see queue.lua)."""
        result = wrk("queue.lua", target.base, 64, JOIN_SECONDS,
                     {"BENCH_SETUP": setup(chosen), "BENCH_MODE": "join", "BENCH_THREADS": "2"})
        times = sorted(joined for rank, joined in target.queue_rows(show) if (rank is not None and rank > len(early)) == ranked)
        result["joins_per_second"] = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else None
        result["entries"] = len(times)
        return result

    pre = joins(early, ranked=False)
    print(f"  pre-queue joins: {pre['joins_per_second']:.0f}/s, p99 {pre['p99_ms']:.1f} ms", flush=True)
    expect(pre["entries"] == len(early) and pre["other"] == 0,
           f"pre-queue joins: {pre['entries']} entries, {pre['other']} refused, of {len(early)}")
    expect(time.time() < on_sale - seconds - 1, "the pre-queue joins ran too close to onSaleAt: raise the lead")
    polls = wrk("queue.lua", target.base, 64, seconds, {"BENCH_SETUP": setup(early), "BENCH_MODE": "poll", "BENCH_THREADS": "2"})
    polls["polls_per_second"] = polls["ok"] / polls["seconds"]
    expect(polls["other"] == 0, f"position polls answered {polls['other']} times with neither 200 nor 201")
    # Which entry is whose: joining again answers with the same entry (and its id).
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        entry_of = dict(zip(pool.map(lambda token: server.call("POST", f"/api/shows/{show}/queue", token=token)[2]["id"], early), early))
    expect(time.time() < on_sale, "the setup ran past onSaleAt: raise the lead")
    time.sleep(max(0, on_sale - time.time()))

    # From here: the post-open joins (wrk), the status watched, and the buyers in rank order.
    state = {"serving": 0, "closed_at": None, "samples": []}
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            code, _, body = server.call("GET", f"/api/shows/{show}/queue")
            if code == 200:
                state["serving"] = body["serving"]
                state["samples"].append((time.time(), body["serving"]))
                if body["state"] == "closed" and state["closed_at"] is None:
                    state["closed_at"] = time.time()
            time.sleep(0.05)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    late_box = {}
    late_thread = threading.Thread(target=lambda: late_box.update(result=joins(late, ranked=True)))
    late_thread.start()
    code, _, order = server.call("GET", f"/api/shows/{show}/queue/order")
    expect(code == 200 and len(order["entries"]) == len(early), f"the order: {code}")
    by_rank = [entry_of[entry] for entry in order["entries"]]
    outcomes, booked, lock, next_rank = [], [], threading.Lock(), [0]

    def buyer():
        while state["closed_at"] is None:
            with lock:
                if next_rank[0] >= len(by_rank):
                    return
                rank = next_rank[0] + 1
                next_rank[0] += 1
            while state["serving"] < rank and state["closed_at"] is None:
                time.sleep(0.02)
            if state["closed_at"] is not None:
                return
            token = by_rank[rank - 1]
            code, _, entry = server.call("GET", f"/api/shows/{show}/queue/me", token=token)
            outcomes.append(code)
            if code != 200 or entry["state"] != "admitted":
                continue
            for _ in range(5):
                code, _, seat_map = server.call("GET", f"/api/shows/{show}")
                outcomes.append(code)
                free = sorted(set(range(1, SEATS + 1)) - set(seat_map["takenSeats"]))
                if not free:
                    return
                seats = random.sample(free, min(len(free), 1 + rank % 4))
                code, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": seats}, token=token,
                                               headers={"Queue-Pass": entry["pass"]})
                outcomes.append(code)
                if code == 201:
                    with lock:
                        booked.append(booking["seats"])
                    break
                if code != 409:
                    break
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda _: buyer(), range(32)))
    deadline = time.time() + 30
    while state["closed_at"] is None and time.time() < deadline:
        time.sleep(0.1)
    stop.set()
    watcher.join()
    late_thread.join()
    post = late_box["result"]
    taken = server.call("GET", f"/api/shows/{show}")[2]["takenSeats"]
    # Sold exactly once, by the server's own account: every buyer's bookings of the show.
    buyers = by_rank[:next_rank[0]]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        lists = list(pool.map(lambda token: server.call("GET", "/api/bookings", token=token)[2]["items"], buyers))
    sold = [seat for items in lists for booking in items
            if booking["showId"] == show and booking["status"] in ("CONFIRMED", "PENDING") for seat in booking["seats"]]
    expect(len(sold) == len(set(sold)), "a seat was sold twice")
    expect(sorted(sold) == taken, "the seat map and the buyers' bookings disagree")
    acknowledged = sum(len(seats) for seats in booked)
    # The pace while admitting: the watermark's slope from the first admission to the close.
    moving = [(t, s) for t, s in state["samples"] if s > 0 and (state["closed_at"] is None or t <= state["closed_at"])]
    pace = (moving[-1][1] - moving[0][1]) / (moving[-1][0] - moving[0][0]) * 60 if len(moving) > 1 else None
    rows = target.queue_rows(show)
    drawn = len(early)
    pre_tau = kendall_tau([(joined, rank) for rank, joined in rows if rank <= drawn])
    post_tau = kendall_tau([(joined, rank) for rank, joined in rows if rank > drawn])
    return {
        "per_second": pre["joins_per_second"], "p50_ms": pre["p50_ms"], "p99_ms": pre["p99_ms"],
        "accounts_seconds": accounts_seconds,
        "joins_before_per_second": pre["joins_per_second"], "joins_before_p99_ms": pre["p99_ms"],
        "joins_after_per_second": post["joins_per_second"], "joins_after_p99_ms": post["p99_ms"],
        "polls_per_second": polls["polls_per_second"], "polls_p99_ms": polls["p99_ms"],
        "polls_vs_health": polls["polls_per_second"] / health_per_second if health_per_second else None,
        "admitted_per_minute": pace, "configured_per_minute": ADMIT_PER_MINUTE,
        "tau_pre_queue": pre_tau, "tau_after_open": post_tau,
        "sold_out_seconds": (state["closed_at"] - on_sale) if state["closed_at"] else None,
        "sold_seats": len(sold), "seats": SEATS, "buyers_booked": len(booked),
        "seats_booked_without_a_201": len(sold) - acknowledged,
        "buyer_503s": sum(1 for code in outcomes if code == 503),
        "buyer_other_errors": sum(1 for code in outcomes if code not in (200, 201, 409, 503)),
    }


def queue_rows_postgres(database_url, show):
    out = subprocess.run(["psql", database_url, "-Atc",
                          f"SELECT rank, extract(epoch FROM joined_at) FROM queue_entries WHERE show_id = '{show}'"],
                         capture_output=True, text=True, check=True).stdout
    return [(int(rank) if rank else None, float(joined))
            for rank, joined in (line.split("|") for line in out.splitlines() if line)]


def queue_rows_sqlite(path, show):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return [(rank, joined / 1_000_000) for rank, joined in
                connection.execute("SELECT rank, joined_at FROM queue_entries WHERE show_id = ?", (show,))]
