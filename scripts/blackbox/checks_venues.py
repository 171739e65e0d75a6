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


def rows_plan(rows, per_row, aisle_after=None):
    """A one-section hall of numbered rows, with an aisle after seat `aisle_after` of each."""
    return {"version": 1, "sections": [{"key": "hall", "label": "Hall", "rows": [
        {"label": f"R{r + 1}", "seats": [
            dict({"n": r * per_row + i, "label": str(i)}, **({"aisleBefore": True} if aisle_after and i == aisle_after + 1 else {}))
            for i in range(1, per_row + 1)]}
        for r in range(rows)]}]}


def show_on_venue(server, admin, layout):
    status, _, venue = server.call("POST", "/api/venues", {"name": "Hall", "layout": layout}, token=admin)
    expect(status == 201, f"venue {status} {venue}")
    status, _, show = server.call("POST", "/api/shows", {"name": "Seated", "startTime": "2031-06-01T19:30:00Z",
                                                         "venueId": venue["id"]}, token=admin)
    expect(status == 201 and show["venueId"] == venue["id"], f"show on a venue {status} {show}")
    return show["id"]


@check("48 buyers asking for best-available pairs at once: adjacent seats, none twice, then no-adjacent-seats")
def best_available_storm(ctx):
    from concurrent.futures import ThreadPoolExecutor

    from .harness import signup
    server = ctx.server
    admin = admin_token(server)
    # 4 rows of 10 with an aisle after seat 5: 4 × 2 blocks of 5, room for 16 pairs without a
    # stranded seat, 4 × 2 more with one; 40 seats in all.
    show = show_on_venue(server, admin, rows_plan(4, 10, aisle_after=5))
    status, _, _ = server.call("PUT", f"/api/shows/{show}/blocked-seats", {"seats": [10, 20]}, token=admin)
    expect(status == 200, f"block two seats: {status}")
    users = [signup(server, f"B{i}")[0] for i in range(48)]

    def attempt(token):
        return server.call("POST", "/api/bookings", {"showId": show, "quantity": 2}, token=token)

    with ThreadPoolExecutor(max_workers=48) as pool:
        outcomes = list(pool.map(attempt, users))
    booked = [body for status, _, body in outcomes if status == 201]
    refused = [body for status, _, body in outcomes if status == 409]
    expect(len(booked) + len(refused) == len(users),
           f"only 201 or 409: {sorted({status for status, _, _ in outcomes})}")
    seats = [seat for booking in booked for seat in booking["seats"]]
    expect(len(seats) == len(set(seats)), "a seat was sold twice")
    expect(not set(seats) & {10, 20}, "a blocked seat was sold")
    for booking in booked:
        a, b = booking["seats"]
        row_a, row_b = (a - 1) // 10, (b - 1) // 10
        expect(b == a + 1 and row_a == row_b and (a - 1) % 10 != 4, f"not side by side in a row: {booking['seats']}")
        expect(booking["seatLabels"] == [f"Hall, Row R{row_a + 1}, Seat {(s - 1) % 10 + 1}" for s in (a, b)],
               f"labels {booking['seatLabels']}")
    # 38 seats open in 8 blocks (two of 4, six of 5): 2 + 2 + 6 × 2 = 16 pairs fit, so 16 get
    # one and the other 32 are told how large a block is left.
    expect(len(booked) == 16, f"{len(booked)} pairs booked, 16 fit")
    expect(all(body.get("type") == "/problems/no-adjacent-seats" and body.get("largestBlock") in (0, 1)
               for body in refused), f"refusals: {refused[:2]}")
    status, _, detail = server.call("GET", f"/api/shows/{show}")
    expect(detail["takenSeats"] == sorted(seats) and detail["blockedSeats"] == [10, 20], "seat map vs bookings")
    expect(detail["sections"] == [{"key": "hall", "label": "Hall", "totalSeats": 40,
                                   "availableSeats": 40 - len(seats) - 2}], f"sections {detail['sections']}")
    # Six single seats are left, one in each block of 5.
    status, _, body = server.call("POST", "/api/bookings", {"showId": show, "quantity": 2}, token=users[0])
    expect(status == 409 and body.get("largestBlock") == 1, f"after the storm: {status} {body}")


@check("blocking and unblocking seats reach the live stream as taken and freed")
def blocked_seats_live(ctx):
    from .harness import EventStream
    server = ctx.server
    admin = admin_token(server)
    show = show_on_venue(server, admin, rows_plan(1, 6))
    stream = EventStream(server, show)
    _, kind, data = stream.next()
    expect(kind == "snapshot" and data == {"takenSeats": []}, f"snapshot {kind} {data}")
    status, _, body = server.call("PUT", f"/api/shows/{show}/blocked-seats", {"seats": [2, 3]}, token=admin)
    expect(status == 200 and body == {"seats": [2, 3]}, f"block {status} {body}")
    _, kind, data = stream.next(timeout=3)
    expect(kind == "seats" and data == {"taken": [2, 3], "freed": []}, f"blocking: {kind} {data}")
    server.call("PUT", f"/api/shows/{show}/blocked-seats", {"seats": [3]}, token=admin)
    _, kind, data = stream.next(timeout=3)
    expect(kind == "seats" and data == {"taken": [], "freed": [2]}, f"unblocking: {kind} {data}")
    stream.close()
    status, headers, layout = server.call("GET", f"/api/shows/{show}/layout")
    expect(status == 200 and layout["sections"][0]["key"] == "hall" and headers.get("ETag"), f"layout {status}")


def two_section_plan():
    """400 seats: Stalls, 10 rows of 30 with aisles after seats 10 and 20, each row's first
    seat accessible and its second a companion; Balcony, 4 rows of 25."""
    sections, n = [], 0
    for key, label, rows, per_row, aisles in (("stalls", "Stalls", 10, 30, (10, 20)), ("balcony", "Balcony", 4, 25, ())):
        section_rows = []
        for r in range(rows):
            seats = []
            for i in range(1, per_row + 1):
                n += 1
                seat = {"n": n, "label": str(i)}
                if i - 1 in aisles:
                    seat["aisleBefore"] = True
                if key == "stalls" and i == 1:
                    seat["accessible"] = True
                if key == "stalls" and i == 2:
                    seat["companion"] = True
                seats.append(seat)
            section_rows.append({"label": chr(65 + r), "seats": seats})
        sections.append({"key": key, "label": label, "rows": section_rows})
    return {"version": 1, "sections": sections}


@check("32 best-available buyers (1 to 4 seats, some accessible) until nothing fits: blocks side by side, none twice")
def best_available_until_full(ctx):
    import random
    from concurrent.futures import ThreadPoolExecutor

    from .harness import signup
    server = ctx.server
    admin = admin_token(server)
    plan = two_section_plan()
    show = show_on_venue(server, admin, plan)
    place = {}  # seat -> (section, row, index, aisle before, accessible, companion)
    for s, section in enumerate(plan["sections"]):
        for r, row in enumerate(section["rows"]):
            for i, seat in enumerate(row["seats"]):
                place[seat["n"]] = (s, r, i, seat.get("aisleBefore", False), seat.get("accessible", False),
                                    seat.get("companion", False))
    users = [signup(server, f"F{i}")[0] for i in range(32)]

    def buyer(k):
        rng, token, got = random.Random(k), users[k], []
        exhausted = {False: False, True: False}
        while not all(exhausted.values()):
            accessible = rng.random() < 0.2 and not exhausted[True]
            if exhausted[accessible]:
                accessible = not accessible
            quantity = rng.randint(1, 4)
            while True:
                status, _, body = server.call("POST", "/api/bookings", {"showId": show, "quantity": quantity,
                                                                        "accessible": accessible}, token=token)
                if status == 201:
                    got.append((body, accessible))
                    break
                expect(status == 409 and body.get("type") == "/problems/no-adjacent-seats", f"{status} {body}")
                if body["largestBlock"] == 0:
                    exhausted[accessible] = True
                    break
                quantity = min(quantity - 1, body["largestBlock"])
                if quantity == 0:
                    break
        return got

    with ThreadPoolExecutor(max_workers=32) as pool:
        bought = [booking for result in pool.map(buyer, range(32)) for booking in result]
    seats = [seat for booking, _ in bought for seat in booking["seats"]]
    expect(len(seats) == len(set(seats)), "a seat was sold twice")
    for booking, accessible in bought:
        block = [place[seat] for seat in booking["seats"]]
        same_row = len({(p[0], p[1]) for p in block}) == 1
        indexes = sorted(p[2] for p in block)
        side_by_side = indexes == list(range(indexes[0], indexes[0] + len(indexes)))
        no_aisle = not any(p[3] for p in block if p[2] != indexes[0])
        expect(same_row and side_by_side and no_aisle, f"not one block in one row: {booking['seatLabels']}")
        if accessible:
            expect(any(p[4] for p in block), f"an accessible request without an accessible seat: {booking['seatLabels']}")
        else:
            expect(not any(p[4] or p[5] for p in block), f"accessible seats to a request without: {booking['seatLabels']}")
    status, _, detail = server.call("GET", f"/api/shows/{show}")
    expect(detail["takenSeats"] == sorted(seats), "taken seats differ from the acknowledged ones")
    free = set(range(1, 401)) - set(seats)
    # What is left no request can take: companion seats whose accessible neighbour is gone.
    expect(all(place[seat][5] for seat in free), f"seats left that a request could take: {sorted(free)[:10]}")
    print(f"       {len(bought)} bookings, {len(seats)} seats, {len(free)} companion seats left", flush=True)


@check("a show's layout: gzipped when the client takes it, the same bytes unzipped, an ETag and 304")
def layout_encoding(ctx):
    import gzip
    server = ctx.server
    admin = admin_token(server)
    show = show_on_venue(server, admin, rows_plan(40, 50, aisle_after=25))

    def get(headers):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", f"/api/shows/{show}/layout", headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    status, headers, plain = get({})
    expect(status == 200 and "content-encoding" not in headers, f"without Accept-Encoding: {status} {headers}")
    expect(json.loads(plain)["sections"][0]["key"] == "hall", "the plan")
    status, headers, zipped = get({"Accept-Encoding": "gzip, deflate, br"})
    expect(status == 200 and headers.get("content-encoding") == "gzip", f"gzip asked: {status} {headers}")
    expect(gzip.decompress(zipped) == plain, "the gzipped answer unzips to the same bytes")
    expect(len(zipped) * 5 < len(plain), f"gzip makes it much smaller: {len(zipped)} of {len(plain)} bytes")
    expect("accept-encoding" in headers.get("vary", "").lower(), f"Vary: {headers.get('vary')}")
    status, headers, body = get({"Accept-Encoding": "gzip;q=0, identity"})
    expect(status == 200 and "content-encoding" not in headers and body == plain, "gzip;q=0 refuses gzip")
    status, _, body = get({"If-None-Match": headers["etag"], "Accept-Encoding": "gzip"})
    expect(status == 304 and body == b"", f"a repeat reader: {status}")
