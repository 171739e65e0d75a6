"""Booking through the API: no seat sold twice under a storm, holds, races, idempotency,
tokens, bad input, and admission when the line is full."""
import base64
import json
import os
import random
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from .harness import create_show, expect, signup, wait_until
from .registry import check


@check("64 concurrent clients never get one seat twice")
def concurrent_booking(ctx):
    server = ctx.server
    show = create_show(server, 200)
    users = [signup(server, f"C{i}") for i in range(64)]
    rng = random.Random(7)
    plans = [(users[i % 64], sorted(rng.sample(range(1, 201), rng.randint(1, 4)))) for i in range(640)]

    def attempt(plan):
        (token, _), seats = plan
        return seats, server.call("POST", "/api/bookings", {"showId": show, "seats": seats}, token=token)

    with ThreadPoolExecutor(max_workers=64) as pool:
        outcomes = list(pool.map(attempt, plans))
    booked = [body for _, (status, _, body) in outcomes if status == 201]
    refused = [(seats, body) for seats, (status, _, body) in outcomes if status == 409]
    expect(len(booked) + len(refused) == len(plans),
           f"unexpected answers: {[o[1][0] for o in outcomes if o[1][0] not in (201, 409)][:5]}")
    # The audit, through the API only: every user's bookings.
    stored = []
    for token, _ in users:
        status, _, body = server.call("GET", "/api/bookings", token=token)
        expect(status == 200, f"list {status}")
        stored += [b for b in body["items"] if b["status"] == "CONFIRMED"]
    seats = [seat for booking in stored for seat in booking["seats"]]
    expect(len(seats) == len(set(seats)), "a seat was sold twice")
    expect({b["id"] for b in stored} == {b["id"] for b in booked}, "stored bookings differ from the successes")
    status, _, detail = server.call("GET", f"/api/shows/{show}")
    expect(detail["takenSeats"] == sorted(seats), "the seat map differs from the bookings")
    expect(detail["availableSeats"] == 200 - len(seats), "availableSeats is wrong")
    for requested, problem in refused:
        conflicting = problem.get("conflictingSeats", [])
        expect(conflicting and set(conflicting) <= set(requested) & set(seats), f"bad conflict {problem}")


@check("a hold expires on time and its seat can be rebooked")
def hold_expiry(ctx):
    server = ctx.server
    show = create_show(server, 10)
    ann, _ = signup(server, "Ann")
    bob, _ = signup(server, "Bob")
    status, _, hold = server.call("POST", "/api/bookings", {"showId": show, "seats": [1], "hold": True}, token=ann)
    expect(status == 201 and hold["status"] == "PENDING" and hold["expiresAt"], f"hold {status} {hold}")
    status, _, _ = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=bob)
    expect(status == 409, f"held seat booked: {status}")
    # A lapsed hold frees its seat at once for every read: wait for that, not for a fixed time.
    wait_until(lambda: 1 not in server.call("GET", f"/api/shows/{show}")[2]["takenSeats"], timeout=10,
               message="the hold did not lapse")
    status, _, _ = server.call("POST", f"/api/bookings/{hold['id']}/confirm", token=ann)
    expect(status == 410, f"late confirm gave {status}")
    status, _, _ = server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=bob)
    expect(status == 201, f"freed seat not bookable: {status}")


@check("confirm and cancel racing on one hold: one wins")
def confirm_cancel_race(ctx):
    server = ctx.server
    show = create_show(server, 10)
    ann, _ = signup(server, "Ann")
    for seat in range(1, 6):
        _, _, hold = server.call("POST", "/api/bookings", {"showId": show, "seats": [seat], "hold": True}, token=ann)
        with ThreadPoolExecutor(max_workers=2) as pool:
            confirm = pool.submit(server.call, "POST", f"/api/bookings/{hold['id']}/confirm", None, ann)
            cancel = pool.submit(server.call, "POST", f"/api/bookings/{hold['id']}/cancel", None, ann)
            statuses = (confirm.result()[0], cancel.result()[0])
        _, _, final = server.call("GET", f"/api/bookings/{hold['id']}", token=ann)
        expect(statuses in ((200, 409), (409, 200), (200, 200)), f"statuses {statuses}")
        expected = "CONFIRMED" if statuses == (200, 409) else "CANCELLED"
        expect(final["status"] == expected, f"{statuses} left {final['status']}")


@check("an idempotent repeat replays and creates nothing")
def idempotency(ctx):
    server = ctx.server
    show = create_show(server, 10)
    ann, _ = signup(server, "Ann")
    body = {"showId": show, "seats": [2, 3]}
    first = server.call("POST", "/api/bookings", body, token=ann, headers={"Idempotency-Key": "e2e-1"})
    again = server.call("POST", "/api/bookings", body, token=ann, headers={"Idempotency-Key": "e2e-1"})
    expect(first[0] == again[0] == 201 and first[2] == again[2], f"{first[0]} {again[0]}")
    other = server.call("POST", "/api/bookings", {"showId": show, "seats": [4]}, token=ann,
                        headers={"Idempotency-Key": "e2e-1"})
    expect(other[0] == 422, f"reused key gave {other[0]}")
    _, _, mine = server.call("GET", "/api/bookings", token=ann)
    expect(len(mine["items"]) == 1, "the repeat created a booking")


@check("forged, unsigned and garbage tokens get 401")
def forged_tokens(ctx):
    server = ctx.server
    token, _ = signup(server, "Fay")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    for bad in (f"{header}.{forged}.{signature}", f"{unsigned}.{payload}.", "garbage"):
        status, headers, body = server.call("GET", "/api/auth/me", token=bad)
        expect(status == 401 and body.get("status") == 401, f"{status} for a bad token")
    expect(server.call("GET", "/api/auth/me", token=token)[0] == 200, "the real token was refused")


@check("bad input gets 4xx problem details, never 5xx")
def bad_input(ctx):
    server = ctx.server
    token, _ = signup(server, "Gus")
    show = create_show(server, 5)
    cases = [
        ("POST", "/api/bookings", b"{not json", {}, 400),
        ("POST", "/api/bookings", b"seats=1", {"Content-Type": "text/plain"}, 415),
        ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [0]}).encode(), {}, 422),
        ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [1, 1]}).encode(), {}, 422),
        ("POST", "/api/bookings", json.dumps({"showId": show, "seats": "x"}).encode(), {}, 422),
        ("POST", "/api/bookings", json.dumps({"showId": show, "seats": [1] * 100000}).encode(), {}, 413),
        ("GET", "/api/shows?limit=0", None, {}, 422),
        ("GET", "/api/shows/%00", None, {}, 404),
    ]
    for method, path, raw, headers, expected in cases:
        status, response_headers, body = server.call(method, path, token=token, raw=raw, headers=headers)
        expect(status == expected, f"{method} {path} {raw[:30] if raw else ''}: {status}, wanted {expected}")
        expect(response_headers.get("Content-Type", "").startswith("application/problem+json"),
               f"{path}: not problem details")
        expect(body.get("status") == status, f"{path}: status member {body.get('status')}")


@check("a full booking line answers 503 with Retry-After at once", engines=("sqlite",))
def full_line(ctx):
    """While the database is held up, a show's line fills to its limit and further bookings get 503
    with Retry-After at once; /health/live stays fast; the requests in line are booked after."""
    path = os.path.join(ctx.workdir, "overload.sqlite")
    server = ctx.start(MARQUEE_DATABASE_PATH=path, MARQUEE_BOOKING_QUEUE_PER_SHOW="2")
    show = create_show(server, 20)
    token, _ = signup(server, "Rush")
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # the write lock every booking needs
    try:
        def attempt(seat):
            started = time.time()
            answer = server.call("POST", "/api/bookings", {"showId": show, "seats": [seat]}, token=token)
            return answer, time.time() - started
        with ThreadPoolExecutor(max_workers=8) as pool:
            first = pool.submit(attempt, 1)  # its transaction waits for the lock
            time.sleep(0.3)
            queued = [pool.submit(attempt, seat) for seat in (2, 3)]  # the line is now full
            time.sleep(0.3)
            refused = [attempt(seat) for seat in (4, 5, 6)]
            started = time.time()
            live = server.call("GET", "/health/live")[0]
            live_took = time.time() - started
            blocker.execute("ROLLBACK")
            admitted = [first.result(timeout=15)] + [f.result(timeout=15) for f in queued]
    finally:
        blocker.close()
    for (status, headers, body), took in refused:
        expect(status == 503, f"a booking past the line's limit got {status}")
        expect(headers.get("Retry-After") == "1", f"Retry-After {headers.get('Retry-After')}")
        expect(body.get("type", "").endswith("/overloaded"), f"problem type {body.get('type')}")
        expect(took < 0.5, f"the refusal took {took:.2f}s")
    expect(live == 200 and live_took < 0.5, f"/health/live answered {live} in {live_took:.2f}s")
    expect([a[0][0] for a in admitted] == [201, 201, 201], f"the line got {[a[0][0] for a in admitted]}")
    _, _, detail = server.call("GET", f"/api/shows/{show}")
    expect(detail["takenSeats"] == [1, 2, 3], f"taken {detail['takenSeats']}")


@check("a NUL in a text member is a 422 on that field; answers with a token are not cached")
def nul_and_tokens(ctx):
    server = ctx.server
    email = f"nul-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = server.call("POST", "/api/auth/signup",
                                  {"name": "Nul", "email": email, "password": "pass\u0000word-1"})
    expect(status == 422 and [e["field"] for e in body["errors"]] == ["password"], f"NUL password: {status} {body}")
    status, headers, _ = server.call("POST", "/api/auth/signup", {"name": "Nul", "email": email, "password": "password-1"})
    expect(status == 201 and headers.get("Cache-Control") == "no-store", f"signup: {status} {headers.get('Cache-Control')}")
    status, _, body = server.call("POST", "/api/auth/login", {"email": email, "password": "password-1\u0000x"})
    expect(status == 422, f"a password cut at a NUL must not log in: {status} {body}")
    status, headers, _ = server.call("POST", "/api/auth/login", {"email": email, "password": "password-1"})
    expect(status == 200 and headers.get("Cache-Control") == "no-store", f"login: {status} {headers.get('Cache-Control')}")
