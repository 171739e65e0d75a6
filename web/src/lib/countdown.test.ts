import { test } from "node:test";
import assert from "node:assert/strict";
import { describeRemaining, formatRemaining, remainingMs } from "./countdown";

const expiresAt = "2031-01-01T20:02:00Z";
const at = (iso: string) => Date.parse(iso);

test("time left counts down to the server's expiry and stops at zero", () => {
  assert.equal(remainingMs(expiresAt, at("2031-01-01T20:00:00Z")), 120_000);
  assert.equal(remainingMs(expiresAt, at("2031-01-01T20:03:00Z")), 0);
  assert.equal(remainingMs("not a time", at("2031-01-01T20:00:00Z")), 0);
});

test("a browser clock that is off is corrected by the server's offset", () => {
  // This browser is 30 s behind the server.
  assert.equal(remainingMs(expiresAt, at("2031-01-01T19:59:30Z"), 30_000), 120_000);
});

test("the countdown shows minutes and seconds, and a started second counts as whole", () => {
  assert.equal(formatRemaining(120_000), "2:00");
  assert.equal(formatRemaining(65_000), "1:05");
  assert.equal(formatRemaining(1), "0:01");
  assert.equal(formatRemaining(0), "0:00");
  assert.equal(formatRemaining(-5), "0:00");
});

test("screen readers hear the time left in words", () => {
  assert.equal(describeRemaining(65_000), "1 minute 5 seconds");
  assert.equal(describeRemaining(120_000), "2 minutes");
  assert.equal(describeRemaining(1_000), "1 second");
  assert.equal(describeRemaining(0), "0 seconds");
});
