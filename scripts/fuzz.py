#!/usr/bin/env python3
"""Fuzzes the real server against its own contract, Sources/MarqueeAPI/openapi.yaml, with
schemathesis: as an admin, as a customer, and the logout routes with tokens of their own.

    scripts/fuzz.py BINARY [--seconds N] [--random]

Checks every answer for: no server error; a status, content type, headers and body as the
document says; auth never ignored (a route that needs a token refuses a request without
one); 405 with a correct Allow for a method a path does not take. Any failure fails the run,
and so does an error line in the server's log. The seed is fixed, so that a run can be
repeated; --random picks a new one. scripts/bootstrap installs schemathesis in its own
virtual environment (SCHEMATHESIS names another).

The live stream (`GET /api/shows/{id}/events`) is left out: it never ends, and the
black-box checks cover it.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackbox.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTRACT = os.path.join(ROOT, "Sources", "MarqueeAPI", "openapi.yaml")
CACHE = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
DEFAULT_TOOL = os.path.join(CACHE, "marquee", "fuzz-venv", "bin", "schemathesis")
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "ignored_auth", "missing_required_header", "unsupported_method",
    "allow_header_conformance",
])
SEED = 20261201


def post(server, path, body):
    request = urllib.request.Request(server.base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def customer_token(server):
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    return post(server, "/api/auth/signup", {"name": "Fuzz", "email": email, "password": "password-1"})["token"]


def admin_token(server):
    return post(server, "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})["token"]


def schemathesis(tool, server, token, seconds, seed, only=None, exclude=()):
    command = [tool, "run", CONTRACT, "--url", server.base, "--header", f"Authorization: Bearer {token}",
               "--checks", CHECKS, "--max-time", str(seconds), "--workers", "2", "--request-timeout", "10",
               "--exclude-operation-id", "showEvents", "--warnings", "off"]
    if seed is not None:
        command += ["--seed", str(seed)]
    for operation in only or []:
        command += ["--include-operation-id", operation]
    for operation in exclude:
        command += ["--exclude-operation-id", operation]
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True)
    summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line[-40:]]
    return result.returncode, result.stdout, summary[-1].strip() if summary else "", time.time() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=int, default=45, help="time for each of the two main passes")
    parser.add_argument("--random", action="store_true", help="a new seed instead of the fixed one")
    arguments = parser.parse_args()
    tool = os.environ.get("SCHEMATHESIS", DEFAULT_TOOL)
    if not os.path.exists(tool):
        sys.exit(f"fuzz: {tool} is missing; scripts/bootstrap installs it")
    seed = None if arguments.random else SEED
    workdir = tempfile.mkdtemp(prefix="marquee-fuzz-")
    env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
               MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning",
               MARQUEE_DATABASE_PATH=os.path.join(workdir, "fuzz.sqlite"),
               # Generated logins fail by the thousand; the throttle is tested elsewhere.
               MARQUEE_LOGIN_FAILURES_PER_EMAIL="1000000", MARQUEE_LOGIN_FAILURES_PER_ADDRESS="1000000")
    server = Server(os.path.abspath(arguments.binary), env, workdir)
    failures = 0
    try:
        passes = [
            ("admin", admin_token(server), arguments.seconds, None, ("logout", "logoutAll")),
            ("customer", customer_token(server), arguments.seconds, None, ("logout", "logoutAll")),
            ("logout", customer_token(server), 8, ["logout"], ()),
            ("logout-all", customer_token(server), 8, ["logoutAll"], ()),
        ]
        for name, token, seconds, only, exclude in passes:
            code, output, summary, took = schemathesis(tool, server, token, seconds, seed, only, exclude)
            if code != 0:
                failures += 1
                print(output[-6000:], flush=True)
            print(f"{'ok  ' if code == 0 else 'FAIL'} fuzz as {name}: {summary} ({took:.0f}s)", flush=True)
        with urllib.request.urlopen(server.base + "/health/live", timeout=5) as response:
            if response.status != 200:
                failures += 1
                print("FAIL the server is not live after the fuzzing")
        server.log.flush()
        with open(server.log.name) as log:
            errors = [line for line in log if '"level":"error"' in line or '"level":"critical"' in line]
        if errors:
            failures += 1
            print("FAIL the server logged errors:\n" + "".join(errors[:5]))
    finally:
        server.stop()
    print(f"fuzz: {'clean' if not failures else f'{failures} failing'} (seed {seed if seed is not None else 'random'})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
