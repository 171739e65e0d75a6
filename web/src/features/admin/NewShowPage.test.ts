import { test } from "node:test";
import assert from "node:assert/strict";
import { showFromForm } from "./NewShowPage";

test("the new-show form needs a date, a time and a whole number of seats", () => {
  const missing = showFromForm({ name: "Hamlet", date: "", time: "", seats: "ten" });
  assert.ok("errors" in missing);
  assert.deepEqual(Object.keys(missing.errors).sort(), ["date", "seats", "time"]);
  const ok = showFromForm({ name: "Hamlet", date: "2031-03-01", time: "19:30", seats: "120" });
  assert.ok("body" in ok);
  assert.equal(ok.body.totalSeats, 120);
  assert.match(ok.body.startTime, /^2031-03-0[12]T\d\d:\d\d:00Z$/);
});
