"""Webhooks: registration rules, signed deliveries, retries with backoff, and only the event
types a webhook chose."""
import hashlib
import hmac
import json
import time
import uuid

from .harness import admin_token, create_show, expect, signup, wait_until
from .registry import check


@check("webhooks: admins only, and a bad URL, secret or type is a 422 naming the fields")
def registration(ctx):
    server, receiver, admin = ctx.server, ctx.receiver, admin_token(ctx.server)
    customer, _ = signup(server, "Hooky")
    status, _, _ = server.call("POST", "/api/webhooks", {"url": receiver.base, "secret": "x" * 20,
                                                          "eventTypes": ["show.created"]}, token=customer)
    expect(status == 403, f"customer: {status}")
    status, _, _ = server.call("GET", "/api/webhooks")
    expect(status == 401, f"anonymous: {status}")
    status, _, body = server.call("POST", "/api/webhooks", {"url": "ftp://x", "secret": "short",
                                                             "eventTypes": ["nope"]}, token=admin)
    expect(status == 422 and sorted(e["field"] for e in body["errors"]) == ["eventTypes", "secret", "url"],
           f"{status} {body}")


@check("webhooks: a booking is delivered with a signature over the timestamp and body")
def signed_delivery(ctx):
    server, receiver, admin = ctx.server, ctx.receiver, admin_token(ctx.server)
    secret = "the-signing-secret-" + uuid.uuid4().hex
    hook = ctx.register_webhook("/signed", ["booking.confirmed"], secret)
    show = create_show(server, 10)
    token, _ = signup(server, "Signed")
    _, _, booking = server.call("POST", "/api/bookings", {"showId": show, "seats": [4]}, token=token)
    got = receiver.wait_for("/signed", 1)
    expect(len(got) == 1, f"deliveries: {len(got)}")
    headers, body = got[0]
    timestamp = headers["Marquee-Timestamp"]
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    expect(hmac.compare_digest(headers["Marquee-Signature"], expected), "the signature verifies")
    expect(abs(int(timestamp) - time.time()) < 60, "a current timestamp")
    payload = json.loads(body)
    expect(payload["type"] == "booking.confirmed" and payload["bookingId"] == booking["id"]
           and payload["seats"] == [4], f"payload {payload}")
    expect(headers["Marquee-Event-Type"] == "booking.confirmed", str(headers))
    log = wait_until(lambda: delivered(server, hook, admin), timeout=5, message="the delivery was not recorded")
    expect(log[0]["lastStatusCode"] == 204, f"log {log}")


@check("webhooks: a 500 from the receiver is retried with backoff until delivered")
def retried(ctx):
    server, receiver, admin = ctx.server, ctx.receiver, admin_token(ctx.server)
    receiver.failures["/flaky"] = 2
    hook = ctx.register_webhook("/flaky", ["booking.confirmed"])
    show = create_show(server, 10)
    token, _ = signup(server, "Flaky")
    server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
    got = receiver.wait_for("/flaky", 3, timeout=15)
    expect(len(got) == 3, f"attempts: {len(got)}")
    expect(len({h["Marquee-Delivery-Id"] for h, _ in got}) == 1, "the same delivery, retried")
    log = wait_until(lambda: delivered(server, hook, admin), timeout=5, message="the delivery was not recorded")
    expect(log[0]["attempts"] == 3, f"log {log}")


@check("webhooks: nothing is sent for event types a webhook did not choose")
def unsubscribed(ctx):
    server, receiver = ctx.server, ctx.receiver
    ctx.register_webhook("/holds-only", ["hold.created"])
    show = create_show(server, 10)
    token, _ = signup(server, "Picky")
    server.call("POST", "/api/bookings", {"showId": show, "seats": [1]}, token=token)
    server.call("POST", "/api/bookings", {"showId": show, "seats": [2], "hold": True}, token=token)
    receiver.wait_for("/holds-only", 1)
    # An absence cannot be waited for: give a wrong delivery the time a right one took, and more.
    time.sleep(1.5)
    got = receiver.received("/holds-only")
    expect([json.loads(body)["type"] for _, body in got] == ["hold.created"], f"{[b for _, b in got]}")


def delivered(server, hook, admin):
    """The webhook's delivery log once its newest delivery is marked delivered, else None."""
    log = server.call("GET", f"/api/webhooks/{hook}/deliveries", token=admin)[2]["items"]
    return log if log and log[0]["status"] == "delivered" else None
