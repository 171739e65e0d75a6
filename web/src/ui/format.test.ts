import { test } from "node:test";
import assert from "node:assert/strict";
import { capitalize, countSeats, formatShowTime, listSeats, seatsLeft } from "./format";
import { nextPath } from "../features/auth/AuthPage";
import { showFromForm } from "../features/admin/NewShowPage";
import { statusLabel } from "../features/bookings/MyBookingsPage";
import type { Booking } from "../api/types";

test("seats read as a sentence", () => {
  assert.equal(listSeats([4]), "seat 4");
  assert.equal(listSeats([7, 3, 4]), "seats 3, 4 and 7");
  assert.equal(capitalize(listSeats([1, 2])), "Seats 1 and 2");
  assert.equal(countSeats(1), "1 seat");
  assert.equal(seatsLeft(0), "Sold out");
  assert.equal(seatsLeft(12), "12 seats left");
});

test("show times are written in the visitor's locale", () => {
  assert.match(formatShowTime("2031-03-01T19:30:00Z", "en-GB"), /2031/);
  assert.equal(formatShowTime("garbage"), "Date to be announced");
});

test("after signing in, only a path inside the app is followed", () => {
  assert.equal(nextPath("?next=%2Fshows%2F42"), "/shows/42");
  assert.equal(nextPath("?next=https%3A%2F%2Fevil.example"), "/");
  assert.equal(nextPath("?next=%2F%2Fevil.example"), "/");
  assert.equal(nextPath(""), "/");
});

test("the new-show form needs a date, a time and a whole number of seats", () => {
  const missing = showFromForm({ name: "Hamlet", date: "", time: "", seats: "ten" });
  assert.ok("errors" in missing);
  assert.deepEqual(Object.keys(missing.errors).sort(), ["date", "seats", "time"]);
  const ok = showFromForm({ name: "Hamlet", date: "2031-03-01", time: "19:30", seats: "120" });
  assert.ok("body" in ok);
  assert.equal(ok.body.totalSeats, 120);
  assert.match(ok.body.startTime, /^2031-03-0[12]T\d\d:\d\d:00Z$/);
});

test("a hold whose time is up reads as expired before the server sweeps it", () => {
  const hold: Booking = { id: "b", showId: "s", userId: "u", userName: "Ana", seats: [1], status: "PENDING", createdAt: "", expiresAt: "2031-01-01T00:00:00Z" };
  assert.equal(statusLabel(hold, 5_000).text, "Held");
  assert.equal(statusLabel(hold, 0).text, "Expired");
  assert.equal(statusLabel({ ...hold, status: "CANCELLED" }, 0).text, "Cancelled");
});
