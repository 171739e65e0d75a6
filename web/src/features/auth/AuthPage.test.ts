import { test } from "node:test";
import assert from "node:assert/strict";
import { nextPath } from "./AuthPage";

test("after signing in, only a path inside the app is followed", () => {
  assert.equal(nextPath("?next=%2Fshows%2F42"), "/shows/42");
  assert.equal(nextPath("?next=https%3A%2F%2Fevil.example"), "/");
  assert.equal(nextPath("?next=%2F%2Fevil.example"), "/");
  assert.equal(nextPath(""), "/");
});
