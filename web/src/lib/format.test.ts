import { test } from "node:test";
import assert from "node:assert/strict";
import { bookedSeats, capitalize, countSeats, formatShowTime, listNames, listSeats, seatsLeft } from "./format";

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

test("a booking's seats read by their labels on a venue, by number otherwise", () => {
  assert.equal(listNames(["A"]), "A");
  assert.equal(listNames(["A", "B", "C"]), "A, B and C");
  assert.equal(bookedSeats({ seats: [3, 4], seatLabels: ["Stalls, Row A, Seat 3", "Stalls, Row A, Seat 4"] }),
    "Stalls, Row A, Seat 3 and Stalls, Row A, Seat 4");
  assert.equal(bookedSeats({ seats: [3, 4], seatLabels: ["Seat 3", "Seat 4"] }), "seats 3 and 4");
  assert.equal(bookedSeats({ seats: [7] }), "seat 7");
});
