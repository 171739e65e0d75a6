"""The scenarios: bookings at a number of connections, filled seat maps, reads, pgbench as
the database ceiling, and one engine's whole run."""
import concurrent.futures
import json
import os
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

from .processes import cpu_times, cpu_used, peak_memory_during, postgres_pids, run, wrk
from blackbox.harness import expect


def book(target, shows, seats, connections, seconds, learn=False, best=False):
    setup = os.path.join(tempfile.mkdtemp(prefix="marquee-bench-setup-"), "setup")
    with open(setup, "w") as file:
        file.write(f"{seats}\n{','.join(shows)}\n" + "\n".join(target.tokens) + "\n")
    # Where the CPU goes: the server's process and the database's.
    server = target.server_pids()
    before = cpu_times(server), cpu_times(postgres_pids() if target.uses_postgres else [])
    result = wrk("book.lua", target.base, connections, seconds,
                 {"BENCH_SETUP": setup, "BENCH_LEARN": "1" if learn else "0", "BENCH_BEST": "1" if best else "0"})
    after = cpu_times(server), cpu_times(postgres_pids() if target.uses_postgres else [])
    for kind in ("created", "conflicts", "refused"):
        result[f"{kind}_per_second"] = result.get(kind, 0) / result["seconds"]
    if result["requests"]:
        if server:
            result["server_cpu_ms_per_request"] = cpu_used(before[0], after[0]) * 1000 / result["requests"]
        if target.uses_postgres:
            result["postgres_cpu_ms_per_request"] = cpu_used(before[1], after[1]) * 1000 / result["requests"]
    return result


SEAT_MAP_BOOKINGS = 5_000


def fill(target, show, bookings):
    """Makes `bookings` bookings of 1 to 4 seats each (2.5 on average) on `show` through its
    API, 16 at a time, none of them overlapping."""
    plans, seat = [], 1
    for k in range(bookings):
        count = 1 + k % 4
        plans.append((target.tokens[k % len(target.tokens)], list(range(seat, seat + count))))
        seat += count

    def post(plan):
        token, seats = plan
        request = urllib.request.Request(
            target.base + "/api/bookings", data=json.dumps({"showId": show, "seats": seats}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            expect(answer.status == 201, f"filling the seat map: {answer.status}")
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(post, plans))


def read(target, path, seconds, etag=None, connections=64, gzip=False):
    env = {"BENCH_PATH": path, "BENCH_GZIP": "1" if gzip else "0"}
    if etag:
        env["BENCH_ETAG"] = etag
    return wrk("read.lua", target.base, connections, seconds, env)


def repeated(times, work):
    """Runs `work` `times` times; each number is the median of the runs, and every run's
    rate and p99 are kept."""
    runs = [work() for _ in range(times)]
    result = {key: statistics.median(run[key] for run in runs)
              for key, value in runs[-1].items() if isinstance(value, (int, float)) and not isinstance(value, bool)}
    result.update({key: value for key, value in runs[-1].items() if isinstance(value, str)})
    result["runs"] = [{"per_second": round(run["per_second"], 1), "p99_ms": run.get("p99_ms")} for run in runs]
    return result


def pgbench(pg, database_url, seconds, connections, shows=1, seats=100_000):
    """The database ceiling: marquee_book called directly, one transaction per booking, with
    the same mix as the HTTP scenario (1-4 random seats of one of `shows` shows)."""
    user = str(uuid.uuid4())
    show_ids = [str(uuid.uuid4()) for _ in range(shows)]
    run(["psql", database_url, "-qc",
         f"INSERT INTO users (id, name, email, email_key, password_hash, role, created_at) VALUES "
         f"('{user}', 'pgbench', '{user}@example.com', '{user}@example.com', 'x', 'customer', now());"
         + "".join(f"INSERT INTO shows (id, name, start_time, total_seats, created_at) VALUES "
                   f"('{show}', 'pgbench', '2031-01-01T20:00:00Z', {seats}, now());" for show in show_ids)])
    script = os.path.join(tempfile.mkdtemp(prefix="marquee-pgbench-"), "book.sql")
    show_list = ",".join(f"'{show}'" for show in show_ids)
    with open(script, "w") as file:
        file.write("\\set n random(1, 4)\n" f"\\set k random(1, {shows})\n"
                   + "".join(f"\\set s{i} random(1, {seats})\n" for i in range(4)) +
                   "SELECT result_outcome FROM marquee_book(gen_random_uuid(), "
                   f"(ARRAY[{show_list}]::uuid[])[:k::int], '{user}'::uuid, 'pgbench'::text, "
                   "ARRAY(SELECT DISTINCT x FROM unnest((ARRAY[:s0::int, :s1::int, :s2::int, :s3::int])[1:(:n::int)]) "
                   "AS x ORDER BY x), now(), NULL::timestamptz, NULL::int, NULL::text, NULL::int, NULL::text, NULL::uuid);\n")
    os.chmod(os.path.dirname(script), 0o755)
    out = run([f"{pg.bin}/pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds),
               "-f", script, database_url])
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"per_second": tps, "latency_average_ms": latency, "connections": connections, "shows": shows}


def run_engine(engine, target, args, pg=None, database_url=None):
    """Every scenario `args.only` selects, each repeated `args.repeat` times."""
    results = {}
    seconds, times = args.seconds, args.repeat

    def wanted(name):
        return not args.only or any(name.startswith(prefix) for prefix in args.only.split(","))

    def say(what):
        print(f"[{engine}] {what}", flush=True)

    if wanted("health"):
        say("health")
        results["health"] = repeated(times, lambda: read(target, "/health/live", seconds))
    for connections in (1, 16, 64, 256):
        if not wanted(f"hot_{connections}"):
            continue
        say(f"hot show, {connections} connections")

        def hot():
            show = target.show(100_000, "Hot")
            if connections == 64 and target.pid:
                result, peak = peak_memory_during(target.pid, lambda: book(target, [show], 100_000, 64, seconds))
                result["peak_resident_mb"] = peak[0]
            elif connections == 256:
                # /health/live, read by a few clients beside the overload, must stay fast.
                result, probe = beside(lambda: book(target, [show], 100_000, 256, seconds),
                                       lambda: read(target, "/health/live", seconds, connections=4))
                result["health_beside_p99_ms"] = probe["p99_ms"]
                result["health_beside_per_second"] = probe["per_second"]
            else:
                result = book(target, [show], 100_000, connections, seconds)
            result["audited_seats"] = target.audit([show])
            result["show"] = show
            return result
        results[f"hot_{connections}"] = repeated(times, hot)
    if hasattr(target, "venue") and wanted("best_64"):
        say("best available, 64 connections, a 20,000-seat plan")
        hall = target.venue(100, 200)

        def best():
            show = target.show(20_000, "Best", venue=hall)
            result = book(target, [show], 20_000, 64, seconds, best=True)
            result["audited_seats"] = target.audit([show])
            return result
        results["best_64"] = repeated(times, best)
    if hasattr(target, "venue") and wanted("layout"):
        say("layout of a 20,000-seat plan")
        show = target.show(20_000, "Laid out", venue=target.venue(100, 200, "Layout hall"))
        path = f"/api/shows/{show}/layout"
        # As browsers ask for it (gzip), as a client that takes no encoding, and repeat readers.
        results["layout"] = repeated(times, lambda: read(target, path, seconds, gzip=True))
        results["layout_plain"] = repeated(times, lambda: read(target, path, seconds))
        results["layout_304"] = repeated(times, lambda: read(target, path, seconds, etag=target.etag(path)))
    if hasattr(target, "venue") and target.pid and wanted("venues_memory"):
        say("memory with ten 20,000-seat venues in use")
        before = resident_mb(target.pid)
        for k in range(10):
            show = target.show(20_000, f"Venue {k}", venue=target.venue(100, 200, f"Hall {k}"))
            target.server.call("GET", f"/api/shows/{show}/layout")
            status, _, _ = target.server.call("POST", "/api/bookings", {"showId": show, "quantity": 2},
                                              token=target.tokens[k])
            expect(status == 201, f"a best-available booking on venue {k}: {status}")
        results["venues_memory"] = {"resident_mb_before": before, "resident_mb_after": resident_mb(target.pid)}
    if wanted("spread"):
        say("spread")

        def spread():
            shows = [target.show(20_000, f"Spread {i}") for i in range(50)]
            result = book(target, shows, 20_000, 64, seconds)
            result["audited_seats"] = target.audit(shows)
            return result
        results["spread"] = repeated(times, spread)
    if wanted("seat_map"):
        say("seat map")
        # A map of the same size for every engine and run: the hot show's map grows with how
        # fast the engine books, which would make the faster engine's reads look slower.
        mapped = target.show(100_000, "Mapped")
        fill(target, mapped, SEAT_MAP_BOOKINGS)
        target.audit([mapped])
        path = f"/api/shows/{mapped}"
        results["seat_map"] = repeated(times, lambda: read(target, path, seconds))
        results["seat_map"]["taken_seats"] = len(target.taken(mapped))
        etag = target.etag(path)
        if etag:
            results["seat_map_304"] = repeated(times, lambda: read(target, path, seconds, etag=etag))
    if wanted("show_list"):
        say("show list")
        for i in range(250):
            target.show(100, f"Listed {i}")
        results["show_list"] = repeated(times, lambda: read(target, "/api/shows?limit=50", seconds))
    if wanted("sellout"):
        say("sell-out")

        def sellout():
            show = target.show(500, "Sell-out")
            sold_out_at, started, stop = [None], time.time(), threading.Event()

            def watch():  # wrk runs for its whole time: the last seat's moment is watched for
                while not stop.is_set() and sold_out_at[0] is None:
                    if len(target.taken(show)) == 500:
                        sold_out_at[0] = time.time() - started
                    time.sleep(0.02)
            watcher = threading.Thread(target=watch)
            watcher.start()
            rounds = []
            try:
                for _ in range(10):  # a slow machine may need more than one round
                    rounds.append(book(target, [show], 500, 64, seconds, learn=True))
                    if len(target.taken(show)) == 500:
                        break
            finally:
                stop.set()
                watcher.join()
            sold = target.audit([show])
            expect(sold == 500, f"the 500-seat show sold {sold} seats")
            result = rounds[0]
            result.update({"sold_seats": sold, "rounds": len(rounds),
                           "sold_out_seconds": sold_out_at[0] or time.time() - started})
            return result
        results["sellout"] = repeated(times, sellout)
    if hasattr(target, "queue_rows") and wanted("onsale"):
        from .onsale import onsale
        say("on-sale: 10,000 accounts, a queue, 5,000 join before and 5,000 after, buyers in turn")
        health = results.get("health", {}).get("per_second")
        results["onsale"] = onsale(target, seconds, health)
    if engine == "postgres" and wanted("pgbench"):
        # The pool holds 20 connections, so the database is also measured at 20 clients:
        # 64 clients on one show's lock may be slower than 20; the better figure is the ceiling.
        for connections in (20, 64):
            say(f"pgbench, hot show, {connections} connections")
            results[f"pgbench_hot_{connections}"] = repeated(
                times, lambda: pgbench(pg, database_url, seconds, connections))
        say("pgbench, spread")
        results["pgbench_spread_64"] = repeated(
            times, lambda: pgbench(pg, database_url, seconds, 64, shows=50, seats=20_000))
    return results


def resident_mb(pid):
    """The process's resident memory now, in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def beside(main, probe):
    """Runs `probe` on a thread while `main` runs; answers both results."""
    box = {}
    thread = threading.Thread(target=lambda: box.update(probe=probe()))
    thread.start()
    result = main()
    thread.join()
    return result, box["probe"]
