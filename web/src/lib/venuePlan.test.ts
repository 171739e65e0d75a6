import { test } from "node:test";
import assert from "node:assert/strict";
import type { Layout } from "../api/types";
import { hallOf, largestDrawnAtOnce, nextVenueSeat, partOf, seatName, seatNames } from "./venuePlan";

// Stalls: row A 1 2 | 3 (an aisle before 3), row B 4 5 6 7; Balcony: row C 8 9.
const layout: Layout = {
  version: 1,
  categories: [{ key: "stalls", label: "Stalls", color: "#2f6fdf" }],
  sections: [
    { key: "stalls", label: "Stalls", rows: [
      { label: "A", seats: [{ n: 1, label: "1", accessible: true }, { n: 2, label: "2", companion: true }, { n: 3, label: "3", aisleBefore: true }] },
      { label: "B", seats: [4, 5, 6, 7].map((n) => ({ n, label: String(n - 3) })) },
    ] },
    { key: "balcony", label: "Balcony", rows: [{ label: "C", seats: [{ n: 8, label: "1" }, { n: 9, label: "2" }] }] },
  ],
};

test("each seat is named by its section, row and label, and its state", () => {
  const hall = hallOf(layout);
  assert.equal(hall.drawAll, true);
  assert.deepEqual(hall.parts.map((part) => part.title), ["Stalls", "Balcony"]);
  assert.equal(seatName(hall.seats.get(1)!, "free"), "Stalls, Row A, Seat 1, accessible, available");
  assert.equal(seatName(hall.seats.get(2)!, "picked"), "Stalls, Row A, Seat 2, companion seat, selected");
  assert.equal(seatName(hall.seats.get(8)!, "blocked"), "Balcony, Row C, Seat 1, not for sale");
  assert.deepEqual(seatNames([9, 4], hall), ["Stalls, Row B, Seat 1", "Balcony, Row C, Seat 2"]);
  assert.equal(hall.placed, false);
});

test("arrows move within a row and between rows and sections, past seats that cannot be had", () => {
  const hall = hallOf(layout);
  const all = [0, 1];
  const free = (seat: number) => seat !== 5;
  assert.equal(nextVenueSeat(4, "ArrowRight", hall, all, free), 6, "5 is taken");
  assert.equal(nextVenueSeat(4, "ArrowLeft", hall, all, free), null);
  assert.equal(nextVenueSeat(2, "ArrowRight", hall, all, free), 3, "across the aisle, still the same row");
  assert.equal(nextVenueSeat(3, "ArrowDown", hall, all, free), 6, "the nearest seat of the row behind (rows are centred)");
  assert.equal(nextVenueSeat(1, "ArrowDown", hall, all, free), 4);
  assert.equal(nextVenueSeat(6, "ArrowDown", hall, all, free), 9, "into the next section");
  assert.equal(nextVenueSeat(9, "ArrowUp", hall, all, free), 6);
  assert.equal(nextVenueSeat(7, "Home", hall, all, free), 4);
  assert.equal(nextVenueSeat(4, "End", hall, all, free), 7);
  assert.equal(nextVenueSeat(2, "PageDown", hall, all, free), 8);
  assert.equal(nextVenueSeat(9, "PageUp", hall, all, free), 1);
  assert.equal(nextVenueSeat(9, "PageDown", hall, all, free), null);
});

test("with coordinates, up and down go to the seat nearest by x", () => {
  const placed: Layout = {
    version: 1,
    sections: [{ key: "s", label: "S", rows: [
      { label: "A", seats: [{ n: 1, label: "1", x: 0, y: 0 }, { n: 2, label: "2", x: 5, y: 0 }] },
      { label: "B", seats: [{ n: 3, label: "1", x: 4, y: 1 }, { n: 4, label: "2", x: 9, y: 1 }] },
    ] }],
  };
  const hall = hallOf(placed);
  assert.equal(hall.placed, true);
  assert.equal(nextVenueSeat(2, "ArrowDown", hall, [0], () => true), 3);
  assert.equal(nextVenueSeat(4, "ArrowUp", hall, [0], () => true), 2);
});

test("a large hall is drawn a part of whole rows at a time, and Page Down goes to the next part", () => {
  const rows = 100;
  const perRow = 200;
  const big: Layout = {
    version: 1,
    sections: [{ key: "hall", label: "Hall", rows: Array.from({ length: rows }, (_, r) => ({
      label: `R${r + 1}`,
      seats: Array.from({ length: perRow }, (_, i) => ({ n: r * perRow + i + 1, label: String(i + 1) })),
    })) }],
  };
  const hall = hallOf(big);
  assert.equal(hall.drawAll, false);
  assert.ok(hall.parts.every((part) => part.seatCount <= largestDrawnAtOnce));
  assert.equal(hall.parts.reduce((sum, part) => sum + part.seatCount, 0), 20_000);
  assert.equal(hall.parts[0].title, "Hall, rows R1–R5");
  assert.equal(partOf(hall, 1001), 1);
  assert.equal(nextVenueSeat(1, "PageDown", hall, [0], () => true), 1001);
  assert.equal(nextVenueSeat(1, "ArrowDown", hall, [0], () => true), 201);
  assert.equal(nextVenueSeat(801, "ArrowDown", hall, [0], () => true), null, "only the part drawn");
});
