import { test } from "node:test";
import assert from "node:assert/strict";
import { describeWait, formatCountdown, queuePhase } from "./queueView";
import type { QueueEntry, QueueStatus } from "../../api/types";

const now = Date.parse("2031-01-01T19:00:00Z");
const queued = { onSaleAt: "2031-01-01T19:10:00Z", queue: { state: "scheduled" as const, admitPerMinute: 60, passSeconds: 600 } };
const status = (over: Partial<QueueStatus> = {}): QueueStatus => ({
  showId: "s", state: "open", onSaleAt: "2031-01-01T19:10:00Z", admitPerMinute: 60, waiting: 90, admitted: 10, serving: 10,
  shuffleCommitment: "c", seed: null, ...over,
});
const entry = (over: Partial<QueueEntry> = {}): QueueEntry => ({
  id: "e", showId: "s", rank: 40, state: "waiting", aheadOfYou: 29, estimatedWaitSeconds: { low: 27, high: 33 },
  likelySoldOut: false, pass: null, passExpiresAt: null, joinedAt: "2031-01-01T18:00:00Z", ...over,
});

test("a show without a queue counts down to its on-sale, then is open", () => {
  assert.deepEqual(queuePhase({ onSaleAt: "2031-01-01T19:00:30Z", queue: null }, null, null, now), { kind: "not-on-sale", opensInMs: 30_000 });
  assert.deepEqual(queuePhase({ onSaleAt: null, queue: null }, null, null, now), { kind: "open" });
  assert.deepEqual(queuePhase({ onSaleAt: "2031-01-01T18:00:00Z", queue: null }, null, null, now), { kind: "open" });
});

test("before joining: a countdown and Join, or closed when sold out", () => {
  assert.deepEqual(queuePhase(queued, status({ state: "scheduled" }), null, now), { kind: "join", opensInMs: 600_000, closed: false });
  assert.equal((queuePhase(queued, status({ state: "closed" }), null, now) as { closed: boolean }).closed, true);
});

test("in line, the place follows the live status rather than the last read of the entry", () => {
  const phase = queuePhase(queued, status({ serving: 20 }), entry(), now);
  assert.equal(phase.kind, "waiting");
  if (phase.kind !== "waiting") return;
  assert.equal(phase.aheadOfYou, 19);
  assert.equal(phase.progress, 0.5);
  assert.equal(phase.estimate, "under a minute");
  assert.equal(phase.paused, false);
  const before = queuePhase(queued, status({ state: "scheduled", serving: 0 }), entry({ rank: null, aheadOfYou: 99 }), now);
  assert.ok(before.kind === "waiting" && before.rank === null && before.aheadOfYou === 99 && before.progress === null);
  assert.equal(queuePhase(queued, status({ state: "closed" }), entry(), now).kind, "closed");
  const paused = queuePhase(queued, status({ state: "paused" }), entry(), now);
  assert.ok(paused.kind === "waiting" && paused.paused);
});

test("your turn shows the pass's time left; a pass run out is expired", () => {
  const turn = queuePhase(queued, status(), entry({ state: "admitted", pass: "p", passExpiresAt: "2031-01-01T19:05:00Z" }), now);
  assert.deepEqual(turn, { kind: "admitted", pass: "p", leftMs: 300_000 });
  assert.equal(queuePhase(queued, status(), entry({ state: "admitted", pass: "p", passExpiresAt: "2031-01-01T18:59:00Z" }), now).kind, "expired");
  assert.equal(queuePhase(queued, status(), entry({ state: "done" }), now).kind, "done");
});

test("estimates read as ranges people understand", () => {
  assert.equal(describeWait(null), null);
  assert.equal(describeWait({ low: 5, high: 40 }), "under a minute");
  assert.equal(describeWait({ low: 100, high: 170 }), "about 1 to 3 minutes");
  assert.equal(describeWait({ low: 120, high: 175 }), "about 2 to 3 minutes");
  assert.equal(describeWait({ low: 3700, high: 9000 }), "about 1 to 3 hours");
  assert.equal(formatCountdown(65_000), "1:05");
  assert.equal(formatCountdown(3_720_000), "1 h 02 min");
});
