"""Checks register here with `@check`, and `run` runs those chosen, one engine at a time,
each against what it asks of its `Context`. Results stay with the run that made them."""
import os
import time
import traceback
from dataclasses import dataclass, field

from .harness import Nginx, Receiver, Server, admin_token

ENGINES = ("sqlite", "postgres")
# The same PostgreSQL through PgBouncer in transaction mode (e2e.py --pgbouncer): every check
# that runs on "postgres" runs there too.
POOLED = "pgbouncer"


def runs_on(item, engine):
    return engine in item.engines or (engine == POOLED and "postgres" in item.engines)


@dataclass
class Check:
    name: str  # the function's name: what --check takes
    description: str
    engines: tuple
    function: object


CHECKS = []


def check(description, engines=ENGINES):
    """Registers the decorated function as a check that runs on each of `engines`."""
    def register(function):
        CHECKS.append(Check(function.__name__, description, tuple(engines), function))
        return function
    return register


@dataclass
class Context:
    """What one engine's checks may ask for. The shared server, the second instance and the
    webhook receiver start on first use and stop when the engine's checks are done."""
    engine: str
    binary: str
    workdir: str
    env: dict
    replica_data: str = None  # the streaming replica's data directory (engine "replica")
    _server: object = None
    _pair: object = None
    _receiver: object = None
    _cleanups: list = field(default_factory=list)

    @property
    def database_url(self):
        """The URL the servers are given: a pooler's on the pgbouncer engine."""
        return self.env.get("DATABASE_URL")

    @property
    def direct_url(self):
        """The database itself, for psql: past the pooler when there is one."""
        return self.env.get("MARQUEE_DIRECT_DATABASE_URL") or self.env.get("DATABASE_URL")

    @property
    def postgres(self):
        """True on PostgreSQL, directly or through the pooler."""
        return self.engine in ("postgres", POOLED)

    @property
    def server(self):
        """The engine's shared server (admin account, 2 s holds, fast webhook retries)."""
        if self._server is None:
            self._server = Server(self.binary, self.env, self.workdir)
        return self._server

    def start(self, ca=None, **settings):
        """A server of the check's own with extra settings; stopped after the engine's checks."""
        server = Server(self.binary, dict(self.env, **settings), self.workdir, ca=ca)
        self._cleanups.append(server.stop)
        return server

    def own_database(self):
        """A new empty database beside the engine's, dropped after the engine's checks: for a
        check that must know every instance that uses its database. Returns the settings
        that point a server at it (`ctx.start(**settings)`) and its direct URL, for psql."""
        import subprocess
        import urllib.parse
        import uuid
        name = "marquee_own_" + uuid.uuid4().hex[:8]

        def on(url):
            return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()
        subprocess.run(["psql", self.direct_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        self._cleanups.append(lambda: subprocess.run(
            ["psql", self.direct_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True))
        settings = {"DATABASE_URL": on(self.database_url)}
        if "MARQUEE_DIRECT_DATABASE_URL" in self.env:
            settings["MARQUEE_DIRECT_DATABASE_URL"] = on(self.env["MARQUEE_DIRECT_DATABASE_URL"])
        return settings, on(self.direct_url)

    def replica(self, action):
        """pg_ctl start or stop (fast) on the streaming replica, as the user it runs as."""
        import subprocess
        owner = os.stat(self.replica_data).st_uid
        log = os.path.join(os.path.dirname(self.replica_data), "replica.log")
        command = ["pg_ctl", "-D", self.replica_data, "-w"] + (
            ["-m", "fast", "stop"] if action == "stop" else ["-l", log, "start"])
        if os.geteuid() == 0 and owner != 0:
            import pwd
            command = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"] + command
        subprocess.run(command, check=True, capture_output=True)

    def nginx(self, servers):
        """nginx round-robin over `servers`, stopped after the engine's checks."""
        proxy = Nginx(servers, self.workdir)
        self._cleanups.append(proxy.stop)
        return proxy

    def pair(self):
        """Two more instances on the engine's database, whose outbox is read only every 5 s
        without a notification: what reaches one from the other came through LISTEN/NOTIFY."""
        if self._pair is None:
            self._pair = (self.start(MARQUEE_EVENT_POLL_MS="5000"), self.start(MARQUEE_EVENT_POLL_MS="5000"))
        return self._pair

    @property
    def receiver(self):
        if self._receiver is None:
            self._receiver = Receiver()
            self._cleanups.append(self._receiver.close)
        return self._receiver

    def register_webhook(self, path, types, secret="a-webhook-secret-1234"):
        """A webhook on the shared server to the receiver's `path`, deleted after the checks."""
        admin = admin_token(self.server)
        status, _, body = self.server.call(
            "POST", "/api/webhooks", {"url": self.receiver.base + path, "secret": secret, "eventTypes": types},
            token=admin)
        if status != 201:
            raise AssertionError(f"register {status} {body}")
        self._cleanups.insert(0, lambda: self.server.call("DELETE", f"/api/webhooks/{body['id']}", token=admin))
        return body["id"]

    def close(self):
        for cleanup in self._cleanups:
            try:
                cleanup()
            except Exception:  # noqa: BLE001 - one failed cleanup must not hide the others
                traceback.print_exc()
        if self._server is not None:
            self._server.stop()


def run(chosen, engines, make_context, report=print):
    """Runs each chosen check on each of `engines` it supports; returns (engine, name, error)
    for every check run, error None when it passed."""
    results = []
    for engine in engines:
        selected = [c for c in chosen if runs_on(c, engine)]
        if not selected:
            continue
        context = make_context(engine)
        try:
            for item in selected:
                started = time.time()
                try:
                    item.function(context)
                    results.append((engine, item.name, None))
                    report(f"ok   {engine:8} {item.description} ({time.time() - started:.1f}s)")
                except Exception as error:  # a failed check is reported, and the rest still run
                    results.append((engine, item.name, error))
                    report(f"FAIL {engine:8} {item.description} [{item.name}]: {error!r}")
                    if os.environ.get("MARQUEE_E2E_TRACEBACK"):
                        traceback.print_exc()
        finally:
            context.close()
    return results
