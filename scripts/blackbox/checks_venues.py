"""Venues (API.md, "Seating plans"): a plan may be 16 MiB, far over every other body's limit."""
import http.client
import json

from .harness import admin_token, expect
from .registry import check


def big_plan(rows, per_row):
    return {"version": 1, "sections": [{"key": "hall", "label": "Hall", "rows": [
        {"label": f"R{r}", "seats": [{"n": r * per_row + i, "label": str(i)} for i in range(1, per_row + 1)]}
        for r in range(rows)]}]}


@check("a 20,000-seat plan is taken and read back; over 16 MiB is 413, other routes keep 64 KiB")
def venue_sizes(ctx):
    server = ctx.server
    admin = admin_token(server)
    status, _, venue = server.call("POST", "/api/venues", {"name": "Arena", "layout": big_plan(100, 200)}, token=admin)
    expect(status == 201 and venue["totalSeats"] == 20_000, f"a 20,000-seat plan: {status}")
    status, _, read = server.call("GET", f"/api/venues/{venue['id']}")
    expect(status == 200 and read["layout"] == venue["layout"], f"read back: {status}")
    # Over 16 MiB: refused from the announced length, before a byte of the body is read (a
    # client that then sends all of it regardless is cut off, so this one does not).
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/api/venues")
    connection.putheader("Authorization", f"Bearer {admin}")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(16 * 1024 * 1024 + 1))
    connection.endheaders()
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    expect(response.status == 413 and body.get("type") == "/problems/content-too-large",
           f"over 16 MiB: {response.status} {body}")
    padded = {"name": "x" * 70_000, "startTime": "2031-01-01T20:00:00Z", "totalSeats": 5}
    expect(server.call("POST", "/api/shows", padded, token=admin)[0] == 413, "a show keeps the 64 KiB limit")
