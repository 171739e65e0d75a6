import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient, ApiError, compareConsistency, errorFromResponse } from "./client";

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/problem+json", ...headers } });

test("a 409 keeps the conflicting seats and the server's sentence", async () => {
  const error = await errorFromResponse(problem(409, {
    type: "/problems/seats-taken", title: "Seats taken", status: 409, detail: "Some of the seats are taken: 5, 6.", conflictingSeats: [5, 6],
  }));
  assert.equal(error.status, 409);
  assert.deepEqual(error.conflictingSeats, [5, 6]);
  assert.equal(error.message, "Some of the seats are taken: 5, 6.");
});

test("a 422 gives each field its own message", async () => {
  const error = await errorFromResponse(problem(422, {
    status: 422, title: "Validation failed", errors: [{ field: "email", message: "Enter a valid email address." }, { bad: true }],
  }));
  assert.equal(error.fieldMessage("email"), "Enter a valid email address.");
  assert.equal(error.fieldMessage("password"), undefined);
  assert.equal(error.fieldErrors.length, 1, "malformed entries are dropped");
});

test("a 5xx or a body that is not JSON never reaches the screen", async () => {
  const server = await errorFromResponse(problem(500, { status: 500, detail: "stack trace here" }));
  assert.doesNotMatch(server.message, /stack trace/);
  assert.match(server.message, /our side/);
  const html = await errorFromResponse(new Response("<html>Bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }));
  assert.doesNotMatch(html.message, /html/i);
});

test("a 429 carries Retry-After", async () => {
  const error = await errorFromResponse(problem(429, { status: 429, detail: "Try again in 60 seconds." }, { "Retry-After": "60" }));
  assert.equal(error.retryAfterSeconds, 60);
});

function clientWith(answer: (url: string, init: RequestInit) => Response | Promise<Response>, token: string | null = "t0k3n") {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  let signedOut = 0;
  const client = new ApiClient({
    token: () => token,
    onUnauthorized: () => { signedOut += 1; },
    fetch: (async (url: string, init: RequestInit) => { calls.push({ url, init }); return answer(url, init); }) as unknown as typeof fetch,
  });
  return { client, calls, signedOut: () => signedOut };
}

test("calls send the bearer token, JSON and the idempotency key", async () => {
  const booking = { id: "b1", showId: "s1", userId: "u1", userName: "Ana", seats: [1], status: "CONFIRMED", createdAt: "", expiresAt: null };
  const { client, calls } = clientWith(() => new Response(JSON.stringify(booking), { status: 201, headers: { "Content-Type": "application/json" } }));
  const result = await client.createBooking({ showId: "s1", seats: [1], hold: false }, "key-1");
  assert.equal(result.id, "b1");
  const headers = calls[0].init.headers as Record<string, string>;
  assert.equal(calls[0].url, "/api/bookings");
  assert.equal(headers.Authorization, "Bearer t0k3n");
  assert.equal(headers["Idempotency-Key"], "key-1");
  assert.deepEqual(JSON.parse(String(calls[0].init.body)), { showId: "s1", seats: [1], hold: false });
});

test("a 401 to a call that sent a token signs the visitor out; a failed login does not", async () => {
  const refused = () => problem(401, { status: 401, detail: "Sign in again." });
  const signedIn = clientWith(refused);
  await assert.rejects(signedIn.client.listBookings(), (error: unknown) => error instanceof ApiError && error.status === 401);
  assert.equal(signedIn.signedOut(), 1);

  const anonymous = clientWith(refused, null);
  await assert.rejects(anonymous.client.login({ email: "a@b.c", password: "wrong-password" }));
  assert.equal(anonymous.signedOut(), 0);
});

test("no answer at all becomes status 0 with a sentence about the connection", async () => {
  const { client } = clientWith(() => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(client.getShow("s1"), (error: unknown) =>
    error instanceof ApiError && error.status === 0 && /connection/.test(error.message));
});

test("query parameters are encoded and ids are escaped", async () => {
  const { client, calls } = clientWith(() => new Response(JSON.stringify({ items: [], nextCursor: null }), { status: 200, headers: { "Content-Type": "application/json" } }));
  await client.listShows({ limit: 24, cursor: "a+b/c", from: "2031-01-01T00:00:00Z" });
  assert.equal(calls[0].url, "/api/shows?limit=24&cursor=a%2Bb%2Fc&from=2031-01-01T00%3A00%3A00Z");
  await client.confirmBooking("a/b").catch(() => undefined);
  assert.equal(calls[1].url, "/api/bookings/a%2Fb/confirm");
});

test("only a server clock that is clearly off is remembered", async () => {
  const dated = (offsetMs: number) => () => new Response("{}", {
    status: 200, headers: { "Content-Type": "application/json", Date: new Date(Date.now() + offsetMs).toUTCString() },
  });
  const far = clientWith(dated(60_000));
  await far.client.me();
  assert.ok(Math.abs(far.client.serverOffsetMs - 60_000) < 2_000);
  const near = clientWith(dated(800));
  await near.client.me();
  assert.equal(near.client.serverOffsetMs, 0);
});

test("logout sends the token it is given and takes a 204; its 401 ends no session here", async () => {
  const { client, calls, signedOut } = clientWith(() => new Response(null, { status: 204 }), null);
  assert.equal(await client.logout("old-token"), undefined);
  assert.equal(calls[0].url, "/api/auth/logout");
  assert.equal(calls[0].init.method, "POST");
  assert.equal((calls[0].init.headers as Record<string, string>).Authorization, "Bearer old-token");

  const refused = clientWith(() => problem(401, { status: 401, detail: "This session has ended." }));
  await assert.rejects(refused.client.logout("old-token"));
  assert.equal(refused.signedOut(), 0);
  await assert.rejects(refused.client.logoutAll());
  assert.equal(refused.signedOut(), 1, "logout-all with the session's own token that is refused signs out");
  assert.equal(signedOut(), 0);
});

test("the newest Marquee-Consistency a write answered with goes back with every read", async () => {
  const booking = { id: "b1", showId: "s1", userId: "u1", userName: "Ana", seats: [1], status: "CONFIRMED", createdAt: "", expiresAt: null };
  const tokens = ["0/16B3A58", "1/0", "0/FFFFFFFF"];
  let answered = 0;
  const { client, calls } = clientWith((_url, init) => init.method === "POST"
    ? new Response(JSON.stringify(booking), { status: 201, headers: { "Content-Type": "application/json", "Marquee-Consistency": tokens[answered++] } })
    : new Response(JSON.stringify({ items: [], nextCursor: null }), { status: 200, headers: { "Content-Type": "application/json" } }));
  await client.listShows();
  assert.equal((calls[0].init.headers as Record<string, string>)["Marquee-Consistency"], undefined);
  for (let i = 0; i < 3; i++) await client.createBooking({ showId: "s1", seats: [1], hold: false }, `key-${i}`);
  await client.listShows();
  const read = calls[calls.length - 1].init.headers as Record<string, string>;
  assert.equal(read["Marquee-Consistency"], "1/0", "the newest, not the last: 1/0 is past 0/FFFFFFFF");
  assert.equal((calls[1].init.headers as Record<string, string>)["Marquee-Consistency"], undefined, "writes do not send it");
  assert.ok(compareConsistency("0/A", "0/B") < 0 && compareConsistency("2/0", "1/FFFFFFFF") > 0);
  assert.ok(compareConsistency("junk", "0/0") < 0);
});
