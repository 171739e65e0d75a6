"""Live seat maps and cached reads: the event stream, ETags, and changes that cross from one
instance to another through the outbox and LISTEN/NOTIFY."""
import subprocess
import time
import uuid

from .harness import EventStream, create_show, expect, signup, wait_until
from .registry import check


@check("a live stream sends a snapshot, then each booking and cancel as it commits, and resumes")
def live_stream(ctx):
    server = ctx.server
    show = create_show(server, 30)
    token, _ = signup(server, "Live")
    server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
    stream = EventStream(server, show)
    expect(stream.status == 200 and (stream.content_type or "").startswith("text/event-stream"),
           f"{stream.status} {stream.content_type}")
    first, kind, data = stream.next()
    expect(kind == "snapshot" and data == {"takenSeats": [1]}, f"snapshot: {kind} {data}")
    status, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": [5, 6]}, token=token)
    expect(status == 201, f"booking {status}")
    second, kind, data = stream.next(timeout=2)
    expect(kind == "seats" and data == {"taken": [5, 6], "freed": []}, f"booking event: {kind} {data}")
    server.call("POST", f"/api/bookings/{booking['id']}/cancel", token=token)
    third, kind, data = stream.next(timeout=2)
    expect(kind == "seats" and data == {"taken": [], "freed": [5, 6]}, f"cancel event: {kind} {data}")
    expect(int(first) < int(second) < int(third), f"ids {first} {second} {third}")
    stream.close()
    resumed = EventStream(server, show, last_event_id=first)
    replay = [resumed.next() for _ in range(2)]
    expect([event[1:] for event in replay] == [("seats", {"taken": [5, 6], "freed": []}),
                                               ("seats", {"taken": [], "freed": [5, 6]})], f"replay {replay}")
    resumed.close()
    stale = EventStream(server, show, last_event_id="999999999")
    _, kind, data = stale.next()
    expect(kind == "snapshot" and data == {"takenSeats": [1]}, f"an unknown id gets a snapshot: {kind} {data}")
    stale.close()
    missing = EventStream(server, str(uuid.uuid4()))
    expect(missing.status == 404, f"unknown show: {missing.status}")
    missing.close()


@check("seat maps and lists carry ETags, repeat readers get 304, and a booking shows at once")
def cached_reads(ctx):
    server = ctx.server
    show = create_show(server, 10)
    token, _ = signup(server, "Reader")
    status, headers, _ = server.call("GET", f"/api/shows/{show}")
    etag = headers.get("ETag")
    expect(status == 200 and etag, f"{status} {headers}")
    expect("s-maxage" in headers.get("Cache-Control", ""), f"cache-control {headers.get('Cache-Control')}")
    status, _, _ = server.call("GET", f"/api/shows/{show}", headers={"If-None-Match": etag})
    expect(status == 304, f"a repeat with the ETag: {status}")
    status, _, _ = server.call("GET", "/api/shows?limit=200")
    server.call("POST", "/api/bookings", {"showId": show, "seats": [2]}, token=token)
    status, headers, body = server.call("GET", f"/api/shows/{show}", headers={"If-None-Match": etag})
    expect(status == 200 and body["takenSeats"] == [2], f"after a booking: {status} {body}")
    expect(headers.get("ETag") != etag, "the ETag changed with the seats")
    listed = [item for item in server.call("GET", "/api/shows?limit=200")[2]["items"] if item["id"] == show]
    expect(listed and listed[0]["availableSeats"] == 9, f"the list counts the booking at once: {listed}")


@check("a booking on instance A reaches a stream on B within a second, and B's seat map", engines=("postgres",))
def across(ctx):
    a, b = ctx.pair()
    show = create_show(a, 40)
    token, _ = signup(a, "Twin")
    b.call("GET", f"/api/shows/{show}")  # B's cache now holds the empty map
    stream = EventStream(b, show)
    _, kind, _ = stream.next()
    expect(kind == "snapshot", kind)
    started = time.time()
    status, _, body = a.call("POST", "/api/bookings", {"showId": show, "seats": [7, 8]}, token=token)
    expect(status == 201, f"booking on A: {status}")
    _, kind, data = stream.next(timeout=1)
    took = time.time() - started
    expect(kind == "seats" and data["taken"] == [7, 8], f"{kind} {data}")
    expect(took < 1, f"took {took:.2f}s")
    print(f"     a booking on A reached B's stream after {took * 1000:.0f} ms", flush=True)
    expect(b.call("GET", f"/api/shows/{show}")[2]["takenSeats"] == [7, 8], "B's seat map is current")
    a.call("POST", f"/api/bookings/{body['id']}/cancel", token=token)
    _, kind, data = stream.next(timeout=1)
    expect(kind == "seats" and data["freed"] == [7, 8], f"cancel on A, freed on B: {kind} {data}")
    expect(b.call("GET", f"/api/shows/{show}")[2]["takenSeats"] == [], "B's seat map is free again")
    stream.close()


@check("the change listener reconnects after its connection is killed", engines=("postgres",))
def reconnect(ctx):
    a, b = ctx.pair()
    database_url = ctx.direct_url
    show = create_show(a, 40)
    token, _ = signup(a, "Twin")

    def listeners():
        out = subprocess.run(["psql", database_url, "-Atc",
                              "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' "
                              "AND datname = current_database()"], capture_output=True, text=True, check=True)
        return int(out.stdout.strip())
    # One listener per instance on this database: the pair, and the shared server if it runs.
    instances = listeners()
    expect(instances >= 2, f"one listener per instance: {instances}")
    stream = EventStream(b, show)
    stream.next()
    subprocess.run(["psql", database_url, "-qAtc",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' "
                    "AND datname = current_database()"], capture_output=True, check=True)
    wait_until(lambda: listeners() == instances, timeout=10, interval=0.1, message="every listener came back")
    a.call("POST", "/api/bookings", {"showId": show, "seats": [20]}, token=token)
    _, kind, data = stream.next(timeout=1)
    expect(data["taken"] == [20], f"after the reconnect: {kind} {data}")
    stream.close()
