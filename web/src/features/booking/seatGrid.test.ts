import { test } from "node:test";
import assert from "node:assert/strict";
import { focusableSeat, keepFree, nextSeat, rowLabel, rowWidth, rowsOf, sectionIndexOf, sectionsOf, toggleSeat } from "./seatGrid";

const hall = { first: 1, last: 40, width: 10 };
const freeExcept = (...taken: number[]) => (seat: number) => !taken.includes(seat);

test("rows are labelled like a theatre, A to Z and then AA", () => {
  assert.deepEqual([0, 1, 25, 26, 27, 52].map(rowLabel), ["A", "B", "Z", "AA", "AB", "BA"]);
});

test("a small hall is one row, a mid-size hall has rows of 10, a big one rows of 16", () => {
  assert.equal(rowWidth(8), 8);
  assert.equal(rowWidth(120), 10);
  assert.equal(rowWidth(5000), 16);
  const rows = rowsOf({ first: 1, last: 25, width: 10 });
  assert.deepEqual(rows.map((row) => row.label), ["A", "B", "C"]);
  assert.deepEqual(rows[2].seats, [21, 22, 23, 24, 25]);
});

test("a hall of 100,000 seats is split into sections that start at the start of a row", () => {
  const sections = sectionsOf(100_000);
  assert.equal(sections.length, Math.ceil(100_000 / 512));
  assert.ok(sections.every((section) => (section.first - 1) % section.width === 0));
  assert.equal(sections[sections.length - 1].last, 100_000);
  assert.equal(sectionIndexOf(100_000, 513), 1);
  assert.equal(sectionsOf(1000).length, 1);
});

test("the right and left arrows step to the next free seat, passing over taken ones", () => {
  assert.equal(nextSeat(5, "ArrowRight", hall, freeExcept(6, 7)), 8);
  assert.equal(nextSeat(8, "ArrowLeft", hall, freeExcept(6, 7)), 5);
  assert.equal(nextSeat(10, "ArrowRight", hall, freeExcept()), 11, "the end of a row continues on the next");
  assert.equal(nextSeat(40, "ArrowRight", hall, freeExcept()), null);
  assert.equal(nextSeat(1, "ArrowLeft", hall, freeExcept()), null);
});

test("up and down stay in the column and skip taken rows", () => {
  assert.equal(nextSeat(3, "ArrowDown", hall, freeExcept()), 13);
  assert.equal(nextSeat(3, "ArrowDown", hall, freeExcept(13)), 23);
  assert.equal(nextSeat(33, "ArrowUp", hall, freeExcept(23, 13)), 3);
  assert.equal(nextSeat(35, "ArrowDown", hall, freeExcept()), null);
});

test("Home and End go to the first and last free seat of the row", () => {
  assert.equal(nextSeat(15, "Home", hall, freeExcept(11)), 12);
  assert.equal(nextSeat(15, "End", hall, freeExcept(20)), 19);
  assert.equal(nextSeat(15, "Enter", hall, freeExcept()), null);
});

test("the tab stop is the last focused seat while it is free, else the first free seat", () => {
  assert.equal(focusableSeat(hall, freeExcept(), 17), 17);
  assert.equal(focusableSeat(hall, freeExcept(17, 1, 2), 17), 3);
  const allTaken = () => false;
  assert.equal(focusableSeat(hall, allTaken, null), null);
});

test("picking a seat adds it in order, picking it again removes it", () => {
  assert.deepEqual(toggleSeat([3, 9], 5), [3, 5, 9]);
  assert.deepEqual(toggleSeat([3, 5, 9], 5), [3, 9]);
  assert.deepEqual(keepFree([3, 5, 9], freeExcept(5)), [3, 9]);
});
