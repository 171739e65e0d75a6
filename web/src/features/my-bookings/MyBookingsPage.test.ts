import { test } from "node:test";
import assert from "node:assert/strict";
import type { Booking } from "../../api/types";
import { statusLabel } from "./MyBookingsPage";

test("a hold whose time is up reads as expired before the server sweeps it", () => {
  const hold: Booking = { id: "b", showId: "s", userId: "u", userName: "Ana", seats: [1], seatLabels: ["Seat 1"], status: "PENDING", createdAt: "", expiresAt: "2031-01-01T00:00:00Z" };
  assert.equal(statusLabel(hold, 5_000).text, "Held");
  assert.equal(statusLabel(hold, 0).text, "Expired");
  assert.equal(statusLabel({ ...hold, status: "CANCELLED" }, 0).text, "Cancelled");
});
