import { test } from "node:test";
import assert from "node:assert/strict";
import { applySeatChange, withTakenSeats } from "./liveSeats";
import type { ShowDetail } from "../../api/types";

const show: ShowDetail = {
  id: "s", name: "Hamlet", startTime: "2031-01-01T20:00:00Z", totalSeats: 10, availableSeats: 8,
  createdAt: "2030-01-01T00:00:00Z", takenSeats: [2, 5], venueId: null, blockedSeats: [], sections: [],
  onSaleAt: null, queue: null,
};

test("a seats event takes and frees seats and keeps the count of free seats right", () => {
  const changed = applySeatChange(show, { taken: [7, 1], freed: [5] });
  assert.deepEqual(changed.takenSeats, [1, 2, 7]);
  assert.equal(changed.availableSeats, 7);
  assert.deepEqual(show.takenSeats, [2, 5], "the old state is left as it was");
});

test("an event for seats already in that state changes nothing", () => {
  const same = applySeatChange(show, { taken: [2], freed: [9] });
  assert.deepEqual(same.takenSeats, [2, 5]);
  assert.equal(same.availableSeats, 8);
});

test("a snapshot replaces the taken seats", () => {
  const fresh = withTakenSeats(show, [10, 3]);
  assert.deepEqual(fresh.takenSeats, [3, 10]);
  assert.equal(fresh.availableSeats, 8);
});

test("blocked seats count as unavailable; the stream blocks as taken and unblocks as freed", () => {
  const withBlocks: ShowDetail = { ...show, blockedSeats: [9], availableSeats: 7 };
  const blocked = applySeatChange(withBlocks, { taken: [9, 3], freed: [] });
  assert.deepEqual(blocked.takenSeats, [2, 3, 5], "a blocked seat reported as taken stays blocked, not sold");
  assert.deepEqual(blocked.blockedSeats, [9]);
  assert.equal(blocked.availableSeats, 6);
  const unblocked = applySeatChange(withBlocks, { taken: [], freed: [9] });
  assert.deepEqual(unblocked.blockedSeats, []);
  assert.equal(unblocked.availableSeats, 8);
  const snapshot = withTakenSeats(withBlocks, [2, 9]);
  assert.deepEqual(snapshot.takenSeats, [2]);
  assert.equal(snapshot.availableSeats, 8);
});
