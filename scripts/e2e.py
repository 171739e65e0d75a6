#!/usr/bin/env python3
"""Black-box checks of the real `marquee` binary, over HTTP only, as an outside suite sees it.

Usage: e2e.py BINARY [--postgres ADMIN_URL [--pgbouncer POOLER_URL] [--replica URL --replica-data DIR]]
              [--engine E ...] [--check NAME ...] [--list]

Each check (in scripts/blackbox/checks_*.py) runs on the engines it names: SQLite (a fresh
file) and, with --postgres, a fresh database on that server. With --pgbouncer (a PgBouncer
in transaction mode in front of that server, one that routes any database name) every
PostgreSQL check runs once more on another fresh database, through the pooler, with
MARQUEE_DIRECT_DATABASE_URL naming the server itself. With --replica (a streaming replica of
that server, and its data directory, which the checks stop and start with pg_ctl) the
checks for the "replica" engine run on a fresh database with DATABASE_REPLICA_URLS, and with
--pgbouncer too, those for "scaleout" with the pooler, the direct URL and the replica at once.
A check asks its context for what it needs (the engine's shared server, a server of its
own, two instances, a webhook receiver), and all of it stops when the engine's checks are
done. --check runs only the
checks of those names (see --list). Prints one line per check, then "N passed, N failed".
Standard library only; set MARQUEE_E2E_TRACEBACK=1 for a failed check's traceback.
"""
import argparse
import base64
import os
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

from blackbox import (  # noqa: F401 - they register
    checks_booking, checks_live, checks_operations, checks_queues, checks_replicas, checks_scaleout, checks_sessions,
    checks_venues, checks_webhooks)
from blackbox.harness import ADMIN_EMAIL, ADMIN_PASSWORD
from blackbox.registry import CHECKS, Context, run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--postgres", metavar="ADMIN_URL")
    parser.add_argument("--pgbouncer", metavar="POOLER_URL", help="also run the PostgreSQL checks through this pooler")
    parser.add_argument("--check", action="append", default=[], metavar="NAME", help="run only this check (repeatable)")
    parser.add_argument("--replica", metavar="URL", help="a streaming replica of the --postgres server")
    parser.add_argument("--replica-data", metavar="DIR", help="the replica's data directory, for pg_ctl")
    parser.add_argument("--engine", action="append", default=[], metavar="ENGINE",
                        help="run only on this engine: sqlite, postgres, pgbouncer, replica or scaleout (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    arguments = parser.parse_args()
    if arguments.list:
        for item in CHECKS:
            print(f"{item.name:22} {'/'.join(item.engines):16} {item.description}")
        return
    if not arguments.binary:
        parser.error("BINARY is required")
    unknown = set(arguments.check) - {item.name for item in CHECKS}
    if unknown:
        parser.error(f"no such check: {', '.join(sorted(unknown))} (see --list)")
    chosen = [item for item in CHECKS if not arguments.check or item.name in arguments.check]

    binary = os.path.abspath(arguments.binary)
    workdir = tempfile.mkdtemp(prefix="marquee-e2e-")
    base_env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                    MARQUEE_HOLD_SECONDS="2", MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="info",
                    MARQUEE_WEBHOOK_RETRY_BASE_MS="300")
    environments = {"sqlite": dict(base_env, MARQUEE_DATABASE_PATH=os.path.join(workdir, "e2e.sqlite"))}
    databases = []

    def fresh_database():
        name = "marquee_e2e_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", arguments.postgres, "-qc", f"CREATE DATABASE {name}"], check=True)
        databases.append(name)
        return name

    def on(url, name):
        return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()
    keys = "e2e:" + base64.b64encode(os.urandom(32)).decode()
    if arguments.postgres:
        environments["postgres"] = dict(base_env, DATABASE_URL=on(arguments.postgres, fresh_database()),
                                        MARQUEE_JWT_KEYS=keys)
    if arguments.pgbouncer:
        if not arguments.postgres:
            parser.error("--pgbouncer needs --postgres (the server behind the pooler)")
        name = fresh_database()
        environments["pgbouncer"] = dict(base_env, DATABASE_URL=on(arguments.pgbouncer, name),
                                         MARQUEE_DIRECT_DATABASE_URL=on(arguments.postgres, name),
                                         MARQUEE_JWT_KEYS=keys)
    if arguments.replica:
        if not (arguments.postgres and arguments.replica_data):
            parser.error("--replica needs --postgres (its primary) and --replica-data")
        name = fresh_database()
        environments["replica"] = dict(base_env, DATABASE_URL=on(arguments.postgres, name),
                                       DATABASE_REPLICA_URLS=on(arguments.replica, name), MARQUEE_JWT_KEYS=keys)
        if arguments.pgbouncer:
            # All of it at once: statements through the pooler, LISTEN and migrations on the
            # primary, public reads on the replica.
            name = fresh_database()
            environments["scaleout"] = dict(base_env, DATABASE_URL=on(arguments.pgbouncer, name),
                                            MARQUEE_DIRECT_DATABASE_URL=on(arguments.postgres, name),
                                            DATABASE_REPLICA_URLS=on(arguments.replica, name), MARQUEE_JWT_KEYS=keys)
    try:
        engines = [engine for engine in environments if not arguments.engine or engine in arguments.engine]
        results = run(chosen, engines, lambda engine: Context(engine, binary, workdir, environments[engine],
                                                       replica_data=arguments.replica_data),
                      report=lambda line: print(line, flush=True))
    finally:
        for name in databases:
            subprocess.run(["psql", arguments.postgres, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
    failed = sum(1 for _, _, error in results if error)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
