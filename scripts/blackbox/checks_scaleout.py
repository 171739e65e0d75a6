"""Scale-out (API.md, "Read replicas (v2, PostgreSQL)"): instances that start together, and a
start killed mid-way. These run on PostgreSQL directly and again through PgBouncer in
transaction mode (e2e.py --pgbouncer), where a session lock or a session setting does not
hold from one transaction to the next."""
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from .harness import create_show, expect, free_port, signup
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
