"""What the black-box checks share: the real server started on a free port, an HTTP client,
a Server-Sent Events reader, a webhook receiver, and waiting on conditions. Standard library
only."""
import http.client
import http.server
import json
import os
import queue
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Endpoint:
    """Something that answers HTTP on a local port: a server, or a proxy in front of some."""

    def __init__(self, port, context=None):
        self.port = port
        self.context = context
        self.base = f"{'https' if context else 'http'}://127.0.0.1:{port}"

    def call(self, method, path, body=None, token=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context) as response:
                return response.status, dict(response.headers), json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                parsed = json.loads(payload) if payload else None
            except ValueError:
                parsed = payload.decode(errors="replace")
            return error.code, dict(error.headers), parsed


class Server(Endpoint):
    def __init__(self, binary, env, workdir, ca=None, ready_within=60):
        super().__init__(free_port(), ssl.create_default_context(cafile=ca) if ca else None)
        self.log = open(os.path.join(workdir, f"server-{self.port}.log"), "w+")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port)], cwd=workdir, env=env,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + ready_within
        while time.time() < deadline:
            try:
                if self.call("GET", "/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.log.seek(0)
        raise RuntimeError("server did not become ready:\n" + self.log.read()[-3000:])

    def stop(self, within=20):
        """SIGTERM (SIGKILL after `within` seconds), then how long the process took to exit
        and its exit code."""
        started = time.time()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = None
        return time.time() - started, code


class Nginx(Endpoint):
    """Debian's nginx on a free port, round-robin over `servers` as deploy/nginx.conf does
    (HTTP/1.1 to the upstreams, no buffering, so live streams pass through)."""

    def __init__(self, servers, workdir):
        super().__init__(free_port())
        self.dir = os.path.join(workdir, f"nginx-{self.port}")
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o777)  # workers run as nobody when the master is root
        upstreams = "".join(f"        server 127.0.0.1:{server.port};\n" for server in servers)
        temp = " ".join(f"{kind}_temp_path {self.dir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(self.dir, "nginx.conf"), "w") as conf:
            conf.write(f"""worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    {temp}
    upstream marquee {{
{upstreams}        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            proxy_pass http://marquee;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;
            proxy_read_timeout 1h;
        }}
    }}
}}
""")
        binary = next((path for path in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.path.exists(path)), "nginx")
        subprocess.run([binary, "-c", os.path.join(self.dir, "nginx.conf"), "-p", self.dir], check=True)
        wait_until(lambda: self._answers(), timeout=10, message="nginx answering")

    def _answers(self):
        try:
            return self.call("GET", "/health/live")[0] == 200
        except OSError:
            return False

    def stop(self):
        try:
            os.kill(int(open(os.path.join(self.dir, "nginx.pid")).read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


class EventStream:
    """A Server-Sent Events client on a thread: the events arrive in a queue as
    (id, event, data) tuples, parsed as the WHATWG format says."""

    def __init__(self, server, show, last_event_id=None, path="events"):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.connection.request("GET", f"/api/shows/{show}/{path}", headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.content_type = self.response.getheader("Content-Type")
        self.events = queue.Queue()
        self.comments = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        fields = {}
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode().rstrip("\r\n")
                if line == "":
                    if "event" in fields or "data" in fields:
                        self.events.put((fields.get("id"), fields.get("event", "message"),
                                         json.loads(fields.get("data", "null"))))
                    fields = {}
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    name, _, value = line.partition(":")
                    fields[name] = value[1:] if value.startswith(" ") else value
        except Exception:  # noqa: BLE001 - close() pulls the socket from under the reader; the stream just ends
            pass
        self.events.put(None)

    def next(self, timeout=5):
        """The next event, waiting up to `timeout` seconds."""
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout}s") from None
        expect(event is not None, "the stream ended")
        return event

    def close(self):
        # Shut the socket down first: closing the response alone waits for the reader thread,
        # which holds it until the next line arrives (a heartbeat, up to 15 s later).
        if self.connection.sock is not None:
            try:
                self.connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connection.close()


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def signup(server, name):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    status, _, body = server.call("POST", "/api/auth/signup", {"name": name, "email": email, "password": "password-1"})
    expect(status == 201, f"signup {status} {body}")
    return body["token"], body["user"]["id"]


def admin_token(server):
    status, _, body = server.call("POST", "/api/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    expect(status == 200, f"admin login {status} {body}")
    return body["token"]


def create_show(server, seats):
    status, _, body = server.call(
        "POST", "/api/shows", {"name": "E2E", "startTime": "2031-01-01T20:00:00Z", "totalSeats": seats},
        token=admin_token(server))
    expect(status == 201, f"create show {status} {body}")
    return body["id"]


def wait_until(condition, timeout=10, interval=0.05, message="condition"):
    """Polls `condition` until it returns something true, and returns that; fails the check
    after `timeout` seconds."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() >= deadline:
            raise AssertionError(f"{message}: not within {timeout}s")
        time.sleep(interval)


class Receiver:
    """A webhook receiver on loopback: records every request by path; a path listed in
    `failures` answers 500 that many times first."""

    def __init__(self):
        receiver = self
        self.requests = []
        self.failures = {}
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers), body))
                    failing = receiver.failures.get(self.path, 0)
                    if failing:
                        receiver.failures[self.path] = failing - 1
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self, path):
        with self.lock:
            return [(headers, body) for p, headers, body in self.requests if p == path]

    def wait_for(self, path, count, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.received(path)) < count:
            time.sleep(0.05)
        return self.received(path)

    def close(self):
        self.server.shutdown()
