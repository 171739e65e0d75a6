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

test("an on-sale time and a queue go with the show; a queue needs the on-sale time", () => {
  const base = { name: "Tosca", date: "2031-03-01", time: "19:30", seats: "100", venueId: "" };
  const noTime = showFromForm({ ...base, queue: true, admitPerMinute: "60" });
  assert.ok("errors" in noTime && noTime.errors.saleDate !== undefined);
  const half = showFromForm({ ...base, saleDate: "2031-02-01" });
  assert.ok("errors" in half && half.errors.saleDate !== undefined);
  const queued = showFromForm({ ...base, saleDate: "2031-02-01", saleTime: "10:00", queue: true, admitPerMinute: "120", passMinutes: "5" });
  assert.ok("body" in queued);
  assert.deepEqual(queued.body.queue, { admitPerMinute: 120, passSeconds: 300 });
  assert.match(queued.body.onSaleAt ?? "", /^2031-0[12]-\d\dT\d\d:00:00Z$/);
  const saleOnly = showFromForm({ ...base, saleDate: "2031-02-01", saleTime: "10:00" });
  assert.ok("body" in saleOnly && saleOnly.body.queue === undefined && saleOnly.body.onSaleAt !== undefined);
  const noRate = showFromForm({ ...base, saleDate: "2031-02-01", saleTime: "10:00", queue: true, admitPerMinute: "" });
  assert.ok("errors" in noRate && noRate.errors.admitPerMinute !== undefined);
});
