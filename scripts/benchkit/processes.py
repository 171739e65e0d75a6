"""The processes a benchmark runs and measures: commands, the machine, a throwaway durable
PostgreSQL, wrk, and the CPU time and memory of processes."""
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(command, **kwargs):
    finished = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if finished.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({finished.returncode}):\n{finished.stdout[-2000:]}\n{finished.stderr[-2000:]}")
    return finished.stdout


def binary_with_its_sql(binary):
    """Stops unless `binary` has its resources beside it. The SQL (migrations and functions)
    is read from `marquee_MarqueeStore.resources` next to the executable, and only when that
    is missing from the build folder it was built in: a copy of an older binary on its own
    would run today's SQL and measure the wrong code."""
    beside = os.path.join(os.path.dirname(os.path.abspath(binary)), "marquee_MarqueeStore.resources")
    if not os.path.isdir(beside):
        raise SystemExit(f"{binary} has no marquee_MarqueeStore.resources beside it, so it would run the SQL of the "
                         "folder it was built in. Copy the binary together with the build folder's *.resources.")
    return os.path.abspath(binary)


def machine():
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1), "cpu": model,
            "kernel": platform.release()}


class Postgres:
    """A throwaway cluster with default (durable) settings, as an unprivileged user when root."""

    def __init__(self, executable=None, settings=()):
        """`executable` replaces `postgres` (a wrapper that runs it under a tool); `settings`
        are more `-c name=value` options."""
        self.bin = sorted(d for d in (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql")))[-1]
        self.dir = tempfile.mkdtemp(prefix="marquee-bench-pg-")
        os.chmod(self.dir, 0o755)
        self.as_user = []
        if os.geteuid() == 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], capture_output=True)
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with __import__("socket").socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        run(self.as_user + [f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "marquee", "--auth=trust"])
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=400"
        options += "".join(f" -c {setting}" for setting in settings)
        run(self.as_user + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-t", "300",
                            "start", "-o", options] + (["-p", executable] if executable else []))
        self.url = f"postgres://marquee@127.0.0.1:{self.port}/postgres?sslmode=disable"

    def database(self):
        name = "bench_" + uuid.uuid4().hex[:8]
        run(["psql", self.url, "-qc", f"CREATE DATABASE {name}"])
        return urllib.parse.urlsplit(self.url)._replace(path="/" + name).geturl()

    def fsync_report(self):
        out = run(self.as_user + [f"{self.bin}/pg_test_fsync", "-s", "1", "-f", f"{self.dir}/fsync.test"])
        rates = dict(re.findall(r"^\s+(\S+)\s+([\d.]+) ops/sec", out, re.M))
        return {method: float(rate) for method, rate in rates.items()}

    def stop(self):
        subprocess.run(self.as_user + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Replica:
    """A streaming replica of `pg` (pg_basebackup -R) on a port of its own, same settings."""

    def __init__(self, pg):
        self.pg = pg
        self.dir = os.path.join(pg.dir, "replica")
        with __import__("socket").socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        run(pg.as_user + [f"{pg.bin}/pg_basebackup", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "marquee",
                          "-D", self.dir, "-R", "-X", "stream"])
        run(pg.as_user + [f"{pg.bin}/pg_ctl", "-D", self.dir, "-l", f"{pg.dir}/replica.log", "-w", "start", "-o",
                          f"-p {self.port} -k {pg.dir} -c listen_addresses=127.0.0.1 -c max_connections=400"])

    def url(self, primary):
        """The replica's URL for the database `primary` names."""
        return urllib.parse.urlsplit(primary)._replace(netloc=f"marquee@127.0.0.1:{self.port}").geturl()

    def stop(self):
        subprocess.run(self.pg.as_user + [f"{self.pg.bin}/pg_ctl", "-D", self.dir, "-m", "fast", "stop"],
                       capture_output=True)


class PgBouncer:
    """PgBouncer in transaction mode in front of `pg`, any database name, 20 server
    connections per database (its default), the statement timeout set where it connects."""

    def __init__(self, pg):
        self.pg = pg
        self.dir = os.path.join(pg.dir, "pgbouncer")
        os.makedirs(self.dir)
        with __import__("socket").socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        with open(os.path.join(self.dir, "pgbouncer.ini"), "w") as ini:
            ini.write(f"""[databases]
* = host=127.0.0.1 port={pg.port} connect_query='SET statement_timeout = 5000'
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir}/users.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
""")
        with open(os.path.join(self.dir, "users.txt"), "w") as users:
            users.write('"marquee" ""\n')
        if pg.as_user:
            for name in ("", "pgbouncer.ini", "users.txt"):
                shutil.chown(os.path.join(self.dir, name), "postgres")
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        run(pg.as_user + [binary, "-d", os.path.join(self.dir, "pgbouncer.ini")])

    def url(self, direct):
        """The pooler's URL for the database `direct` names."""
        return urllib.parse.urlsplit(direct)._replace(netloc=f"marquee@127.0.0.1:{self.port}").geturl()

    def stop(self):
        try:
            os.kill(int(open(os.path.join(self.dir, "pgbouncer.pid")).read()), 15)
        except (OSError, ValueError):
            pass


def wrk(script, url, connections, seconds, env):
    threads = max(1, min(2, connections))
    out = run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
               os.path.join(ROOT, "bench", script), url], env=dict(os.environ, **env))
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH "):])
    result["per_second"] = result["requests"] / result["seconds"]
    return result


def cpu_times(pids):
    """User plus system CPU seconds each process has used so far."""
    times = {}
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return times


def cpu_used(before, after):
    """CPU seconds used between two readings: a process that started in between counts in
    full, one that ended in between counts nothing after the first reading."""
    return sum(after.get(pid, used) - used for pid, used in before.items()) + \
        sum(used for pid, used in after.items() if pid not in before)


def postgres_pids():
    """PostgreSQL's processes, and PgBouncer's when it runs: the database side's CPU."""
    return [int(pid) for pid in subprocess.run(["pgrep", "-x", "postgres|pgbouncer"], capture_output=True,
                                               text=True).stdout.split()]


def resident_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_memory_during(pid, work):
    peak, done = [0.0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], resident_mb(pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        return work(), peak
    finally:
        done.set()
        sampler.join()
