#!/usr/bin/env python3
"""Checks deploy/Dockerfile and deploy/compose.yaml as far as can be done without Docker.

The Dockerfile must build the package's executable product and copy that very binary (the
path `swift build --show-bin-path` gives, and the product name in Package.swift), link the
Swift runtime statically, run as a non-root user and check /health/live. compose.yaml must
parse, and every file it mounts must exist. Prints "N passed, N failed".
"""
import configparser
import json
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEPLOY = os.path.join(ROOT, "deploy")
results = []


def check(name, condition, detail=""):
    results.append(condition)
    print(f"{'ok  ' if condition else 'FAIL'} {name}{'' if condition else ': ' + detail}")


def instructions(dockerfile):
    """(instruction, arguments) pairs, with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(l for l in dockerfile.splitlines() if not l.lstrip().startswith("#")))
    return [tuple(line.strip().split(None, 1)) for line in joined.splitlines() if line.strip()]


package = open(os.path.join(ROOT, "Package.swift")).read()
products = re.findall(r'\.executable\(name:\s*"([^"]+)"', package)
check("Package.swift has one executable product", len(products) == 1, str(products))
product = products[0] if products else "?"

steps = instructions(open(os.path.join(DEPLOY, "Dockerfile")).read())
stages = [args for op, args in steps if op.upper() == "FROM"]
check("the Dockerfile has a build stage and a runtime stage", len(stages) == 2 and " AS build" in stages[0], str(stages))
check("the runtime image is not a Swift toolchain image", len(stages) == 2 and not stages[1].startswith("swift"), stages[-1])
runs = " ".join(args for op, args in steps if op.upper() == "RUN")
check("it builds the executable product in release", f"swift build -c release --product {product}" in runs)
check("it links the Swift runtime statically", "--static-swift-stdlib" in runs)
check("it copies the binary from the path swift build reports",
      f'"$(swift build -c release --show-bin-path)/{product}"' in runs)
check("it copies the resource bundles (the web app) beside the binary, and a failed copy fails the build",
      '"$(swift build -c release --show-bin-path)"/*.resources /out/' in runs and "|| true" not in runs)
# SwiftPM refuses a manifest whose targets' folders are missing, test targets included, so the
# build stage needs every top-level folder a target lives in (Sources/, Tests/).
copied = [args.split()[0].rstrip("/") for op, args in steps if op.upper() == "COPY" and "--from=" not in args]
paths = re.findall(r'path:\s*"([^"/]+)', package)
folders = {"Sources"} | ({"Tests"} if ".testTarget(" in package else set()) | set(paths)
check("the build stage copies every folder the package's targets live in",
      folders <= set(copied), f"copied {copied}, needs {sorted(folders)}")
copies = [args for op, args in steps if op.upper() == "COPY" and "--from=build" in args]
entry = [args for op, args in steps if op.upper() == "ENTRYPOINT"]
check("the runtime stage takes the build's output into its PATH",
      copies == ["--from=build /out/ /usr/local/bin/"], str(copies))
check("the entry point is that binary", entry == [f'["/usr/local/bin/{product}"]'], str(entry))
users = [args for op, args in steps if op.upper() == "USER"]
check("it runs as a non-root user", bool(users) and users[-1] not in ("root", "0"), str(users))
health = [args for op, args in steps if op.upper() == "HEALTHCHECK"]
check("its HEALTHCHECK asks /health/live", any("/health/live" in h for h in health), str(health))

compose = yaml.safe_load(open(os.path.join(DEPLOY, "compose.yaml")))
services = compose.get("services", {})
for name in ("marquee-1", "marquee-2", "proxy", "pgbouncer", "postgres", "postgres-replica", "prometheus", "grafana"):
    check(f"compose runs {name}", name in services)
# Through the pooler, every instance must also have the primary itself (migrations, LISTEN),
# and the pooler must pool by transaction with the statement timeout set where it connects.
environment = services.get("marquee-1", {}).get("environment", {})
check("the instances reach PostgreSQL through PgBouncer, with a direct URL beside it",
      "@pgbouncer:" in environment.get("DATABASE_URL", "")
      and "@postgres:" in environment.get("MARQUEE_DIRECT_DATABASE_URL", ""), str(environment))
check("the instances read from the replica", "@postgres-replica:" in environment.get("DATABASE_REPLICA_URLS", ""))
replica = " ".join(services.get("postgres-replica", {}).get("command", []))
check("the replica is made by pg_basebackup -R from the primary", "pg_basebackup -h postgres" in replica and " -R " in replica)
pgbouncer = configparser.ConfigParser(inline_comment_prefixes=None, comment_prefixes=(";", "#"))
pgbouncer.read(os.path.join(DEPLOY, "pgbouncer", "pgbouncer.ini"))
check("PgBouncer pools by transaction", pgbouncer.get("pgbouncer", "pool_mode", fallback="") == "transaction")
check("PgBouncer sets the statement timeout on its server connections",
      "statement_timeout" in pgbouncer.get("databases", "marquee", fallback=""))
mounts = [v.split(":")[0] for s in services.values() for v in s.get("volumes", []) if v.startswith("./")]
missing = [m for m in mounts if not os.path.exists(os.path.join(DEPLOY, m))]
check("every file compose mounts exists", not missing, str(missing))
build = services.get("marquee-1", {}).get("build", {})
check("compose builds with deploy/Dockerfile",
      os.path.exists(os.path.join(DEPLOY, build.get("context", "?"), build.get("dockerfile", "?"))), str(build))
try:
    dashboard = json.load(open(os.path.join(DEPLOY, "grafana", "marquee-dashboard.json")))
    check("the Grafana dashboard has panels", bool(dashboard.get("panels")))
except ValueError as error:
    check("the Grafana dashboard is valid JSON", False, str(error))

failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
