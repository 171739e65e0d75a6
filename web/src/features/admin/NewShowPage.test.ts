import { test } from "node:test";
import assert from "node:assert/strict";
import { showFromForm } from "./NewShowPage";

test("the new-show form needs a date, a time and a whole number of seats", () => {
  const missing = showFromForm({ name: "Hamlet", date: "", time: "", seats: "ten", venueId: "" });
  assert.ok("errors" in missing);
  assert.deepEqual(Object.keys(missing.errors).sort(), ["date", "seats", "time"]);
  const ok = showFromForm({ name: "Hamlet", date: "2031-03-01", time: "19:30", seats: "120", venueId: "" });
  assert.ok("body" in ok);
  assert.deepEqual({ ...ok.body, startTime: "" }, { name: "Hamlet", startTime: "", totalSeats: 120 });
  assert.match(ok.body.startTime, /^2031-03-0[12]T\d\d:\d\d:00Z$/);
});

test("a show on a venue takes its seats from the venue and sends no seat count", () => {
  const onVenue = showFromForm({ name: "Carmen", date: "2031-03-01", time: "19:30", seats: "", venueId: "v-1" });
  assert.ok("body" in onVenue);
  assert.deepEqual({ ...onVenue.body, startTime: "" }, { name: "Carmen", startTime: "", venueId: "v-1" });
});
