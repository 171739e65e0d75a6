#!/usr/bin/env python3
"""End-to-end tests of the web app in real Chromium, against the real `marquee` binary.

Usage: web_e2e.py BINARY [--screenshots DIR] [--until STEP] [--list]
Starts `BINARY serve` on a fresh SQLite file, drives Debian's chromium through
chromium-driver with Selenium, and walks what a buyer and an admin do: sign up, browse, pick
seats with the mouse and the keyboard, book, hold and confirm, see a hold run out, see a
seat go live while choosing, lose one at the last moment (409), cancel from My bookings, be signed out by a refused token, create a
show. It finds things the way people do, by label, role and text. Any console error fails
the run (network errors are allowed only for the 4xx answers a step provokes on purpose).
A screenshot of each screen goes to artifacts/screenshots/ (git-ignored).
"""
import argparse
import os
import tempfile

from blackbox.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Server
from blackbox.journey import HOLD_SECONDS, STEPS, Journey


def run(server, shots, until=None):
    """Runs the journey's steps in order, up to and including `until`; returns how many ran."""
    journey = Journey(server, shots)
    done, current = 0, "setup"
    try:
        for name, description, method in STEPS:
            current = name
            print(f"...  {description}", flush=True)
            method(journey)
            done += 1
            if name == until:
                break
    except Exception:
        for browser in journey.browsers():
            browser.shot(f"FAILED-{browser.name}")
        print(f"FAIL {current}", flush=True)
        raise
    finally:
        journey.close()
    return done


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--screenshots", default=os.path.join("artifacts", "screenshots"))
    parser.add_argument("--until", metavar="STEP", help="stop after this step (see --list)")
    parser.add_argument("--list", action="store_true", help="list the steps and exit")
    args = parser.parse_args()
    if args.list:
        for name, description, _ in STEPS:
            print(f"{name:26} {description}")
        return
    if not args.binary:
        parser.error("BINARY is required")
    if args.until and args.until not in [name for name, _, _ in STEPS]:
        parser.error(f"no such step: {args.until} (see --list)")
    shots = os.path.abspath(args.screenshots)
    os.makedirs(shots, exist_ok=True)
    for old in os.listdir(shots):
        if old.endswith(".png"):
            os.remove(os.path.join(shots, old))
    workdir = tempfile.mkdtemp(prefix="marquee-web-e2e-")
    env = dict(os.environ, MARQUEE_ADMIN_EMAIL=ADMIN_EMAIL, MARQUEE_ADMIN_PASSWORD=ADMIN_PASSWORD,
               MARQUEE_HOLD_SECONDS=str(HOLD_SECONDS), MARQUEE_BCRYPT_COST="4", MARQUEE_LOG_LEVEL="warning",
               MARQUEE_DATABASE_PATH=os.path.join(workdir, "web.sqlite"))
    server = Server(os.path.abspath(args.binary), env, workdir)
    try:
        done = run(server, shots, args.until)
    finally:
        server.stop()
    print(f"web e2e: {done} steps passed; screenshots in {shots}", flush=True)


if __name__ == "__main__":
    main()
