"""Sessions and logins across instances: a logout is refused on every instance within 2 s
(API.md, "Sessions (v2)") and stays refused across a restart; failed logins share one budget."""
import os
import time
import uuid

from .harness import expect, signup, wait_until
from .registry import check


def login(server, email):
    status, _, body = server.call("POST", "/api/auth/login", {"email": email, "password": "password-1"})
    expect(status == 200, f"login {status} {body}")
    return body["token"]


def me(server, token):
    return server.call("GET", "/api/auth/me", token=token)[0]


def refused_within(server, token, limit):
    """Seconds until `server` refuses `token`; fails past `limit`."""
    started = time.time()
    wait_until(lambda: me(server, token) == 401, timeout=limit, interval=0.02,
               message=f"the token refused within {limit} s")
    return time.time() - started


@check("logout and logout-all on one instance are refused on another within 2 s", engines=("postgres",))
def logout_across_instances(ctx):
    a, b = ctx.pair()
    first, _ = signup(a, "Leaver")
    email = a.call("GET", "/api/auth/me", token=first)[2]["email"]
    second = login(b, email)
    third = login(a, email)
    expect(me(b, first) == 200 and me(a, second) == 200, "both instances take every session at first")

    expect(a.call("POST", "/api/auth/logout", token=first)[0] == 204, "logout on A")
    expect(me(a, first) == 401, "A refuses the token at once")
    took = refused_within(b, first, 2)
    expect(me(b, second) == 200, "B still takes the account's other session")
    print(f"     a logout on A was refused on B after {took * 1000:.0f} ms", flush=True)

    expect(b.call("POST", "/api/auth/logout-all", token=second)[0] == 204, "logout-all on B")
    expect(me(b, third) == 401, "B refuses the session A issued, at once")
    took = refused_within(a, third, 2)
    print(f"     a logout-all on B was refused on A after {took * 1000:.0f} ms", flush=True)
    fresh = login(a, email)
    expect(me(b, fresh) == 200, "a login after logout-all is good everywhere")


@check("a logged-out token stays refused after a restart")
def logout_survives_restart(ctx):
    settings = {}
    if ctx.engine == "sqlite":
        settings["MARQUEE_DATABASE_PATH"] = os.path.join(ctx.workdir, "sessions.sqlite")
    server = ctx.start(**settings)
    token, _ = signup(server, "Restart")
    expect(server.call("POST", "/api/auth/logout", token=token)[0] == 204, "logout")
    server.stop()
    again = ctx.start(**settings)
    expect(me(again, token) == 401, "the restarted server refuses the logged-out token")


@check("failed logins are counted in the database: two instances share one budget", engines=("postgres",))
def shared_login_throttle(ctx):
    a = ctx.start(MARQUEE_LOGIN_FAILURES_PER_EMAIL="3")
    b = ctx.start(MARQUEE_LOGIN_FAILURES_PER_EMAIL="3")
    email = f"target-{uuid.uuid4().hex[:8]}@example.com"
    wrong = {"email": email, "password": "wrong-password"}
    statuses = [a.call("POST", "/api/auth/login", wrong)[0], b.call("POST", "/api/auth/login", wrong)[0],
                a.call("POST", "/api/auth/login", wrong)[0]]
    expect(statuses == [401, 401, 401], f"three failures over two instances: {statuses}")
    status, headers, _ = b.call("POST", "/api/auth/login", wrong)
    expect(status == 429 and headers.get("Retry-After"), f"the fourth, on the other instance, is throttled: {status}")
    expect(a.call("POST", "/api/auth/login", wrong)[0] == 429, "and on the first")
