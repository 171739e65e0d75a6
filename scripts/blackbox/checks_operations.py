"""Operating the server: metrics, JSON logs, draining on SIGTERM, TLS in the process, and a
start that fails clearly when the database does not answer."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
import uuid

from .harness import EventStream, create_show, expect, free_port, signup, wait_until
from .registry import check


# Exported only by a server with DATABASE_REPLICA_URLS (the "replica" engine checks them).
REPLICA_METRICS = {"marquee_replica_lag_seconds", "marquee_db_reads_total"}


@check("/metrics names every Marquee metric, with bounded labels", engines=("sqlite", "postgres", "replica"))
def metrics(ctx):
    server = ctx.server
    replicated = ctx.engine == "replica"

    def scrape():
        with urllib.request.urlopen(urllib.request.Request(server.base + "/metrics"), timeout=10) as response:
            return response.read().decode()
    # A seat map read, so that its route template is counted whatever ran before.
    server.call("GET", f"/api/shows/{create_show(server, 5)}")
    if replicated:
        server.call("GET", "/api/shows")  # a routed read, so the counter exists
        wait_until(lambda: "marquee_replica_lag_seconds{" in scrape(), timeout=10, message="the replica lag gauge")
    text = scrape()
    for name in ("http_requests_total", "http_request_duration_seconds_bucket",
                 "marquee_booking_duration_seconds_bucket", "marquee_seat_conflicts_total",
                 "marquee_holds_expired_total", "marquee_login_failures_total"):
        expect(name in text, f"{name} missing")
    expect('route="/api/shows/{id}"' in text, "route templates missing")
    expect("/api/bookings/" not in text.replace('/api/bookings/{id}', ''), "a raw path leaked into labels")
    if ctx.postgres or replicated:
        expect('marquee_db_pool_connections{state="in_use"}' in text, "pool gauge missing")
        # Every metric the alert rules and the dashboard use is one this server exports.
        deploy = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy")
        used = set()
        for path in ("prometheus/alerts.yml", "grafana/marquee-dashboard.json"):
            with open(os.path.join(deploy, path)) as source:
                used |= set(re.findall(r"\b((?:http|marquee)_[a-z_]+)", source.read()))
        exported = set(re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE))
        missing = {name for name in used
                   if re.sub(r"_(bucket|count|sum)$", "", name) not in exported
                   and (replicated or name not in REPLICA_METRICS)}
        expect(not missing, f"deploy/ uses metrics the server does not export: {sorted(missing)}")


@check("every log line is JSON; access lines carry the request id sent")
def json_logs(ctx):
    server = ctx.server
    status, headers, _ = server.call("GET", "/api/shows", headers={"X-Request-ID": "e2e-trace-1"})
    expect(status == 200 and headers.get("X-Request-ID") == "e2e-trace-1", "request id not echoed")

    def logged():
        server.log.flush()
        with open(server.log.name) as log:
            # Whole lines only: the last one may still be being written.
            lines = [line for line in log.read().split("\n")[:-1] if line.strip()]
        objects = []
        for line in lines:
            try:
                objects.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"not JSON: {line[:120]}")
        if any(o.get("msg") == "request" and o.get("request_id") == "e2e-trace-1" for o in objects):
            return objects
    objects = wait_until(logged, timeout=5, message="the access line was not written")
    expect(any(o.get("url") == server.base for o in objects), "no start-up line naming the URL")
    access = [o for o in objects if o.get("msg") == "request" and o.get("request_id") == "e2e-trace-1"]
    expect(len(access) == 1 and access[0].get("route") == "/api/shows" and access[0].get("status") == "200",
           f"access line: {access}")


@check("SIGTERM stops accepting, finishes the request in flight, exits 0")
def drain(ctx):
    """SIGTERM with a request in flight: the server stops accepting, finishes that request,
    and exits 0 within seconds."""
    server = ctx.start()
    body = json.dumps({"name": "Late", "email": f"late-{uuid.uuid4().hex[:8]}@example.com",
                       "password": "password-1"}).encode()
    slow = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    slow.sendall(b"POST /api/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body[:10])
    time.sleep(0.3)  # the request is now in flight, waiting for the rest of its body
    signalled = time.time()
    server.process.send_signal(signal.SIGTERM)

    def refuses_new_connections():
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
            return False
        except OSError:
            return True
    refused = wait_until(refuses_new_connections, timeout=5, message="a new connection was accepted after SIGTERM")
    slow.sendall(body[10:])
    answer = b""
    while True:
        chunk = slow.recv(65536)
        if not chunk:
            break
        answer += chunk
    slow.close()
    code = server.process.wait(timeout=20)
    took = time.time() - signalled
    expect(answer.startswith(b"HTTP/1.1 201"), f"the request in flight got {answer[:40]!r}")
    expect(refused, "a new connection was accepted after SIGTERM")
    expect(code == 0, f"exit code {code}")
    expect(took < 10, f"took {took:.1f}s to exit")


@check("with MARQUEE_TLS_CERTIFICATE and _KEY it serves verified HTTPS only", engines=("sqlite",))
def tls(ctx):
    workdir = ctx.workdir
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = ctx.start(ca=cert, MARQUEE_TLS_CERTIFICATE=cert, MARQUEE_TLS_KEY=key,
                       MARQUEE_DATABASE_PATH=os.path.join(workdir, "tls.sqlite"))
    status, _, body = server.call("GET", "/health/live")
    expect(status == 200 and body == {"status": "ok"}, f"https answered {status}")
    plain_refused = False
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health/live", timeout=5)
    except (OSError, http.client.HTTPException):
        plain_refused = True
    expect(plain_refused, "plain HTTP was served on the TLS port")
    server.log.flush()
    with open(server.log.name) as log:
        expect(f'"url":"{server.base}"' in log.read(), "the start-up line does not say https")


@check("an unreachable database fails the start within the timeout, saying what to check", engines=("sqlite",))
def unreachable(ctx):
    workdir = ctx.workdir
    env = {k: v for k, v in ctx.env.items() if k != "DATABASE_URL"}
    binary = ctx.binary
    env_ = dict(env, DATABASE_URL=f"postgres://marquee@127.0.0.1:{free_port()}/none?sslmode=disable",
                MARQUEE_JWT_KEYS="k:" + "x" * 40, MARQUEE_STARTUP_TIMEOUT_SECONDS="3")
    started = time.time()
    finished = subprocess.run([binary, "serve", "--port", str(free_port())], cwd=workdir, env=env_,
                              capture_output=True, text=True, timeout=60)
    took = time.time() - started
    expect(finished.returncode != 0, "the server started without its database")
    expect(took < 15, f"took {took:.1f}s to give up")
    expect("DATABASE_URL" in finished.stderr + finished.stdout, f"unclear error: {finished.stderr[-300:]}")


def raw_exchange(server, data, timeout=5):
    """Sends raw bytes on a connection of their own; the reply as bytes, and whether the server
    closed the connection (rather than leaving it open past `timeout`)."""
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    connection.sendall(data)
    reply, closed = b"", False
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                closed = True
                break
            reply += chunk
    except socket.timeout:
        pass
    connection.close()
    return reply, closed


def problem_of(reply):
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body or b"null")


@check("malformed requests get problems with X-Request-ID: 431 for big headers, 400 otherwise, 405 for CONNECT")
def malformed_requests(ctx):
    server = ctx.server
    fine, _ = raw_exchange(server, b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 15000
                           + b"\r\nConnection: close\r\n\r\n")
    expect(fine.startswith(b"HTTP/1.1 200"), f"15 KB of headers: {fine[:60]!r}")
    cases = [
        ("17 KiB of headers", b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 17000 + b"\r\n\r\n",
         431, "/problems/headers-too-large"),
        ("a request line that is not HTTP", b"GARBAGE\r\n\r\n", 400, "/problems/malformed-request"),
        ("Content-Length with Transfer-Encoding (a smuggling probe)",
         b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         400, "/problems/malformed-request"),
        ("a bad chunk size", b"POST /api/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n{\"name\":\"A\"}\r\n0\r\n\r\n", 400, "/problems/malformed-request"),
        ("an HTTP/1.1 request without Host", b"GET /health/live HTTP/1.1\r\n\r\n", 400, "/problems/malformed-request"),
        ("two Host headers", b"GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
         "/problems/malformed-request"),
        ("a Host that is no authority", b"GET /health/live HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400,
         "/problems/malformed-request"),
        ("a forged marker instead of Host",
         b"GET /health/live HTTP/1.1\r\nX-Marquee-Invalid-Host: 0\r\n\r\n", 400, "/problems/malformed-request"),
    ]
    for name, data, status, kind in cases:
        reply, closed = raw_exchange(server, data)
        code, headers, body = problem_of(reply)
        expect(code == status and (body or {}).get("type") == kind, f"{name}: {code} {body}")
        expect(headers.get("content-type", "").startswith("application/problem+json"), f"{name}: {headers}")
        expect(headers.get("x-request-id"), f"{name}: no X-Request-ID")
        expect(closed, f"{name}: the connection was left open")
    # CONNECT: a refusal, then the connection closes (HTTP gives a CONNECT answer no body).
    reply, closed = raw_exchange(server, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    expect(reply.startswith(b"HTTP/1.1 405") and closed, f"CONNECT: {reply[:60]!r} closed={closed}")
    reply, closed = raw_exchange(server, b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                                 b"CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\n")
    expect(reply.startswith(b"HTTP/1.1 200") and b"HTTP/1.1 405" in reply and closed,
           f"a CONNECT after a request waits for its answer: {reply[:80]!r}")
    # HTTP/1.0 needs no Host, and a client's own copy of the marker changes nothing.
    reply, _ = raw_exchange(server, b"GET /health/live HTTP/1.0\r\n\r\n")
    expect(reply.startswith(b"HTTP/1.0 200") or reply.startswith(b"HTTP/1.1 200"), f"HTTP/1.0: {reply[:60]!r}")
    reply, _ = raw_exchange(server, b"GET /health/live HTTP/1.1\r\nHost: x:8080\r\nX-Marquee-Invalid-Host: 1\r\n"
                                    b"Connection: close\r\n\r\n")
    expect(reply.startswith(b"HTTP/1.1 200"), f"a marker sent by the client is dropped: {reply[:60]!r}")
    expect(server.call("GET", "/health/live")[0] == 200, "the server is still healthy")


@check("a connection that sends nothing is closed after the idle timeout; an open live stream is not")
def idle_timeout(ctx):
    server = ctx.start(MARQUEE_IDLE_TIMEOUT_SECONDS="1", MARQUEE_SSE_HEARTBEAT_SECONDS="300")
    started = time.time()
    _, closed = raw_exchange(server, b"", timeout=6)
    took = time.time() - started
    expect(closed and 0.5 < took < 4, f"an idle connection: closed={closed} after {took:.1f}s")
    _, closed = raw_exchange(server, b"GET /health/live HTTP/1.1\r\nHo", timeout=6)
    expect(closed, "a request line trickled and never finished is let go too")
    show = create_show(server, 10)
    token, _ = signup(server, "Idle")
    stream = EventStream(server, show)
    stream.next()
    time.sleep(2.5)  # past the idle timeout, with nothing sent either way
    server.call("POST", "/api/bookings", {"showId": show, "seats": [3]}, token=token)
    _, kind, data = stream.next(timeout=3)
    expect(kind == "seats" and data["taken"] == [3], f"the open stream still delivers: {kind} {data}")
    stream.close()


def access_line(server, request_id):
    """The JSON access line of the request sent with `request_id`."""
    def find():
        server.log.flush()
        with open(server.log.name) as log:
            for line in log.read().split("\n")[:-1]:
                if f'"{request_id}"' in line:
                    entry = json.loads(line)
                    if entry.get("msg") == "request":
                        return entry
    return wait_until(find, timeout=5, message=f"the access line of {request_id}")


@check("X-Forwarded-For names the client only from MARQUEE_TRUSTED_PROXIES, for throttling and the log",
       engines=("sqlite",))
def trusted_proxies(ctx):
    behind = ctx.start(MARQUEE_TRUSTED_PROXIES="127.0.0.1/32", MARQUEE_LOGIN_FAILURES_PER_ADDRESS="3")

    def fail_login(server, forwarded):
        body = {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "wrong-password"}
        return server.call("POST", "/api/auth/login", body, headers={"X-Forwarded-For": forwarded})[0]

    statuses = [fail_login(behind, "203.0.113.1") for _ in range(4)]
    expect(statuses == [401, 401, 401, 429], f"one client behind the proxy is throttled: {statuses}")
    expect(fail_login(behind, "203.0.113.2") == 401, "another client behind the same proxy is not")
    expect(fail_login(behind, "203.0.113.2, 203.0.113.1") == 429,
           "the proxy's own hop decides, not what the client put first")
    behind.call("GET", "/health/live", headers={"X-Forwarded-For": "198.51.100.7", "X-Request-ID": "xff-log-1"})
    expect(access_line(behind, "xff-log-1").get("client") == "198.51.100.7", "the access line names the client")

    direct = ctx.start(MARQUEE_LOGIN_FAILURES_PER_ADDRESS="3")
    statuses = [fail_login(direct, f"203.0.113.{n}") for n in range(10, 14)]
    expect(statuses == [401, 401, 401, 429], f"without trusted proxies the header is ignored: {statuses}")
    direct.call("GET", "/health/live", headers={"X-Forwarded-For": "198.51.100.7", "X-Request-ID": "xff-log-2"})
    expect(access_line(direct, "xff-log-2").get("client") == "127.0.0.1", "the access line names the peer")


def read_all(connection, timeout):
    """What the server sends until it closes, or None when it is still open after `timeout`."""
    connection.settimeout(timeout)
    reply = b""
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return reply
            reply += chunk
    except socket.timeout:
        return None
    except OSError:
        return reply


@check("slowloris: 200 connections trickling a request line do not slow /health/live, and get 408",
       engines=("sqlite",))
def slowloris(ctx):
    server = ctx.start(MARQUEE_HEADER_TIMEOUT_SECONDS="3")
    opened = time.time()
    trickling = []
    for _ in range(200):
        connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        connection.sendall(b"GET /health/live HTTP/1.1\r\nHo")
        trickling.append(connection)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for connection in trickling:
                try:
                    connection.send(b"o")
                except OSError:
                    pass
            time.sleep(0.3)
    threading.Thread(target=trickle, daemon=True).start()
    try:
        waits = []
        while time.time() - opened < 2.5:
            started = time.time()
            expect(server.call("GET", "/health/live")[0] == 200, "/health/live beside the trickling clients")
            waits.append(time.time() - started)
            time.sleep(0.05)
        print(f"     /health/live beside 200 trickling connections: {len(waits)} calls, "
              f"slowest {max(waits) * 1000:.0f} ms", flush=True)
        expect(max(waits) < 0.5, f"/health/live slowed to {max(waits):.2f}s")
    finally:
        stop.set()
    replies = [read_all(connection, timeout=6) for connection in trickling]
    for connection in trickling:
        connection.close()
    still_open = sum(reply is None for reply in replies)
    expect(still_open == 0, f"{still_open} trickling connections were never let go")
    timed_out = sum(1 for reply in replies if reply and reply.startswith(b"HTTP/1.1 408"))
    expect(timed_out == len(replies), f"{timed_out} of {len(replies)} were answered 408 before the close")
    expect(server.call("GET", "/health/live")[0] == 200, "the server is still healthy")


@check("MARQUEE_MAX_CONNECTIONS closes connections past the limit; MARQUEE_MAX_STREAMS_PER_ADDRESS caps streams",
       engines=("sqlite",))
def connection_and_stream_caps(ctx):
    # A client that goes away is noticed at the next write to it: a heartbeat each second.
    server = ctx.start(MARQUEE_MAX_CONNECTIONS="20", MARQUEE_MAX_STREAMS_PER_ADDRESS="3",
                       MARQUEE_SSE_HEARTBEAT_SECONDS="1")
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(20)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    expect(read_all(extra, timeout=3) == b"", "a connection past the limit is closed unanswered")
    extra.close()
    for connection in held:
        connection.close()
    wait_until(lambda: server.call("GET", "/health/live")[0] == 200, timeout=5, message="room again once they closed")

    show = create_show(server, 10)
    streams = [EventStream(server, show) for _ in range(3)]
    expect(all(stream.status == 200 for stream in streams), "three streams open")
    status, headers, body = server.call("GET", f"/api/shows/{show}/events")
    expect(status == 429 and body.get("type") == "/problems/too-many-streams" and headers.get("Retry-After"),
           f"a fourth from the same address: {status} {body}")
    streams[0].close()

    def reopened():
        stream = EventStream(server, show)
        if stream.status == 200:
            return stream
        stream.close()
    streams.append(wait_until(reopened, timeout=5, message="a closed stream's place is given back"))
    for stream in streams[1:]:
        stream.close()
