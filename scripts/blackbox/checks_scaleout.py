"""Scale-out (API.md, "Read replicas (v2, PostgreSQL)"): instances that start together, a
start killed mid-way, three instances behind nginx, and bookings partitioned by show. These
run on PostgreSQL directly and again through PgBouncer in transaction mode (e2e.py
--pgbouncer), where a session lock or a session setting does not hold from one transaction
to the next."""
import os
import random
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from .harness import EventStream, create_show, expect, free_port, signup
from .registry import check

MIGRATIONS = len(os.listdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                         "Sources", "MarqueeStore", "SQL", "postgres", "migrations")))


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=True).stdout.strip()


@check("three instances starting at once on an empty database migrate it once, and each books", engines=("postgres",))
def concurrent_starts(ctx):
    settings, direct = ctx.own_database()
    with ThreadPoolExecutor(3) as pool:
        servers = list(pool.map(lambda _: ctx.start(**settings), range(3)))
    applied = psql(direct, "SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations")
    expect(applied == f"{MIGRATIONS}|{MIGRATIONS}|{MIGRATIONS}", f"migrations applied (count|distinct|max): {applied}")
    show = create_show(servers[0], 30)
    for index, server in enumerate(servers):
        token, _ = signup(server, f"Starter{index}")
        status, _, body = server.call("POST", "/api/bookings", {"showId": show, "seats": [index + 1]}, token=token)
        expect(status == 201, f"instance {index} booked: {status} {body}")


@check("a start killed during its migrations leaves nothing held: the next start is ready in time",
       engines=("postgres",))
def killed_migration(ctx):
    settings, direct = ctx.own_database()
    env = dict(ctx.env, **settings)
    for delay in (0.3, 0.6):
        process = subprocess.Popen([ctx.binary, "serve", "--port", str(free_port())], cwd=ctx.workdir, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()
    started = time.time()
    server = ctx.start(MARQUEE_STARTUP_TIMEOUT_SECONDS="10", **settings)
    took = time.time() - started
    expect(took < 10, f"the next start took {took:.1f}s")
    applied = psql(direct, "SELECT count(*) FROM schema_migrations")
    expect(applied == str(MIGRATIONS), f"{applied} of {MIGRATIONS} migrations applied")
    locks = psql(direct, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    expect(locks == "0", f"{locks} advisory locks still held")
    expect(server.call("GET", "/health/ready")[0] == 200, "ready")


@check("a pooler named as the database itself: the start says to set MARQUEE_DIRECT_DATABASE_URL; "
       "without a statement timeout it serves, turning prepared statements off at the first sign",
       engines=("pgbouncer",))
def unannounced_pooler(ctx):
    settings, _ = ctx.own_database()
    env = {name: value for name, value in dict(ctx.env, **settings).items() if name != "MARQUEE_DIRECT_DATABASE_URL"}
    finished = subprocess.run([ctx.binary, "serve", "--port", str(free_port())], cwd=ctx.workdir, env=env,
                              capture_output=True, text=True, timeout=60)
    expect(finished.returncode != 0, "started through the pooler with a startup parameter it refuses")
    expect("MARQUEE_DIRECT_DATABASE_URL" in finished.stdout + finished.stderr,
           f"the error does not say what to set: {(finished.stdout + finished.stderr)[-400:]}")
    server = ctx.start(**dict(settings, MARQUEE_DB_STATEMENT_TIMEOUT_MS="0", MARQUEE_DIRECT_DATABASE_URL=""))
    show = create_show(server, 100)
    users = [signup(server, f"Pooled{i}")[0] for i in range(32)]

    def attempt(index):
        return server.call("POST", "/api/bookings", {"showId": show, "seats": [index % 100 + 1]},
                           token=users[index % 32])[0]
    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(attempt, range(200)))
    expect(set(answers) <= {201, 409} and answers.count(201) == 100, f"answers: {sorted(set(answers))}, "
           f"{answers.count(201)} booked")
    server.log.flush()
    with open(server.log.name) as log:
        expect("looks like a pooler" in log.read(), "no warning that prepared statements were turned off")


@check("three instances behind nginx: a 64-client storm over them sells no seat twice, every instance books, "
       "and a stream on one sees another's bookings within 1 s", engines=("postgres", "scaleout"))
def three_behind_nginx(ctx):
    servers = [ctx.start() for _ in range(3)]
    proxy = ctx.nginx(servers)
    show = create_show(proxy, 300)
    users = [signup(proxy, f"Storm{i}")[0] for i in range(64)]
    rng = random.Random(18)
    plans = [(users[i % 64], sorted(rng.sample(range(1, 301), rng.randint(1, 3)))) for i in range(640)]

    def attempt(plan):
        token, seats = plan
        return proxy.call("POST", "/api/bookings", {"showId": show, "seats": seats}, token=token)
    with ThreadPoolExecutor(64) as pool:
        answers = list(pool.map(attempt, plans))
    statuses = sorted({status for status, _, _ in answers})
    expect(set(statuses) <= {201, 409}, f"answers: {statuses}")
    booked = {body["id"] for status, _, body in answers if status == 201}
    stored = []
    for token in users:
        status, _, body = proxy.call("GET", "/api/bookings", token=token)
        expect(status == 200, f"list {status}")
        stored += [b for b in body["items"] if b["status"] == "CONFIRMED" and b["showId"] == show]
    seats = [seat for booking in stored for seat in booking["seats"]]
    expect(len(seats) == len(set(seats)), "a seat was sold twice")
    expect({b["id"] for b in stored} == booked, "stored bookings differ from the successes")
    for index, server in enumerate(servers):
        taken = server.call("GET", f"/api/shows/{show}")[2]["takenSeats"]
        expect(taken == sorted(seats), f"instance {index}'s seat map differs from the bookings")
        server.log.flush()
        with open(server.log.name) as log:
            served = sum(1 for line in log if '"route":"/api/bookings"' in line and '"method":"POST"' in line)
        expect(served > 0, f"instance {index} served no booking: nginx did not spread the storm")
    print(f"     {len(booked)} bookings, {len(seats)} seats over three instances", flush=True)

    token = users[0]
    free = next(seat for seat in range(1, 301) if seat not in set(seats))
    stream = EventStream(servers[0], show)
    _, kind, _ = stream.next()
    expect(kind == "snapshot", kind)
    started = time.time()
    status, _, _ = servers[2].call("POST", "/api/bookings", {"showId": show, "seats": [free]}, token=token)
    expect(status == 201, f"booking on the third instance: {status}")
    _, kind, data = stream.next(timeout=1)
    took = time.time() - started
    expect(kind == "seats" and data["taken"] == [free], f"{kind} {data}")
    print(f"     a booking on the third instance reached the first's stream after {took * 1000:.0f} ms", flush=True)
    stream.close()


@check("bookings and seat claims are hash-partitioned by show; a booking's rows are in its show's partitions, "
       "and a seat map's query reads one partition", engines=("postgres",))
def partitioned_by_show(ctx):
    server = ctx.server
    shown = psql(ctx.direct_url, """
        SELECT string_agg(c.relname || ':' || t.partstrat::text || ':' || pg_get_partkeydef(c.oid) || ':'
                          || (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid), ',' ORDER BY c.relname)
        FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid""")
    expect(shown == "bookings:h:HASH (show_id):16,seat_claims:h:HASH (show_id):16", f"partitioned tables: {shown}")
    token, _ = signup(server, "Partitioned")
    homes = set()
    for index in range(6):
        show = create_show(server, 20)
        status, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": [1, 2, 3]}, token=token)
        expect(status == 201, f"booking {status} {booking}")
        places = psql(ctx.direct_url, f"""
            SELECT (SELECT tableoid::regclass::text FROM bookings WHERE id = '{booking["id"]}') || ' '
                   || string_agg(DISTINCT tableoid::regclass::text, ',')
            FROM seat_claims WHERE booking_id = '{booking["id"]}'""")
        booking_home, claims_home = places.split(" ")
        expect(booking_home.replace("bookings_", "") == claims_home.replace("seat_claims_", ""),
               f"booking in {booking_home}, its claims in {claims_home}")
        homes.add(claims_home)
        plan = psql(ctx.direct_url, "EXPLAIN (COSTS OFF) SELECT seat FROM seat_claims "
                                    f"WHERE show_id = '{show}' AND (expires_at IS NULL OR expires_at > now())")
        scanned = set(re.findall(r"seat_claims_p\d+", plan))
        expect(scanned == {claims_home}, f"the seat map's query scans {sorted(scanned)}")
    expect(len(homes) > 1, f"six shows all in {homes}")
