// The outside comparison for scripts/bench: the booking service as originally planned,
// written the ordinary way with Express and node-postgres. Only what the benchmark calls:
//   GET  /health/live
//   GET  /api/shows?limit=N        shows with their free seats, read from the database
//   GET  /api/shows/:id            a show and its taken seats, read from the database
//   POST /api/bookings             {showId, seats}: the planned transaction (below)
// Tokens are HS256 JWTs with `sub` = user id, signed with BENCH_JWT_SECRET.
//
// The booking transaction of the original design, one statement per round trip:
//   read the user (as Marquee does); BEGIN; lock the show row FOR UPDATE; check the seat numbers; read the active bookings
//   that overlap the seats FOR SHARE (409 if any); INSERT the booking; COMMIT.
// Rows are found by their keys, as the original plan's schema allows: an id that is not a UUID
// is answered 404 before any query (it once compared id::text, which kept PostgreSQL from
// using the primary key, so every booking scanned `shows`).
//
// Run: PORT=… DATABASE_URL=… BENCH_JWT_SECRET=… WORKERS=2 node server.js
// (one worker process per core by default; each has a pool of 10 connections).
"use strict";
const cluster = require("node:cluster");
const crypto = require("node:crypto");
const os = require("node:os");

const workers = Number(process.env.WORKERS || os.cpus().length);
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on("exit", (worker, code) => { if (code !== 0) process.exit(1); });
} else {
  serve();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(text) { return typeof text === "string" && UUID.test(text); }

function serve() {
  const express = require("express");
  const { Pool } = require("pg");
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE || 10) });
  const secret = process.env.BENCH_JWT_SECRET;
  const app = express();
  app.use(express.json({ limit: "64kb" }));

  const problem = (res, status, title, extra = {}) =>
    res.status(status).type("application/problem+json").send(JSON.stringify({ type: "about:blank", title, status, ...extra }));

  function userId(req) {
    const header = req.get("authorization") || "";
    const [head, body, signature] = header.replace(/^Bearer /, "").split(".");
    if (!signature) return null;
    const expected = crypto.createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
    if (expected.length !== signature.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return null;
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    return claims.exp * 1000 > Date.now() ? claims.sub : null;
  }

  app.get("/health/live", (req, res) => res.json({ status: "ok" }));

  app.get("/api/shows", async (req, res, next) => {
    try {
      const limit = Math.min(Number(req.query.limit || 20), 100);
      const { rows } = await pool.query(
        `SELECT s.id, s.name, s.start_time, s.total_seats,
                s.total_seats - coalesce((SELECT sum(cardinality(b.seats)) FROM bookings b
                                          WHERE b.show_id = s.id AND (b.status = 'CONFIRMED'
                                             OR (b.status = 'PENDING' AND b.expires_at > now()))), 0) AS available
         FROM shows s ORDER BY s.start_time, s.id LIMIT $1`, [limit]);
      res.json({ items: rows.map((r) => ({ id: r.id, name: r.name, startTime: r.start_time, totalSeats: r.total_seats,
                                           availableSeats: Number(r.available) })) });
    } catch (error) { next(error); }
  });

  app.get("/api/shows/:id", async (req, res, next) => {
    try {
      if (!isUuid(req.params.id)) return problem(res, 404, "Not found");
      const shows = await pool.query("SELECT id, name, start_time, total_seats FROM shows WHERE id = $1", [req.params.id]);
      if (shows.rows.length === 0) return problem(res, 404, "Not found");
      const taken = await pool.query(
        `SELECT seat FROM bookings b, unnest(b.seats) AS seat
         WHERE b.show_id = $1 AND (b.status = 'CONFIRMED' OR (b.status = 'PENDING' AND b.expires_at > now()))
         ORDER BY seat`, [req.params.id]);
      const show = shows.rows[0];
      const seats = taken.rows.map((r) => r.seat);
      res.json({ id: show.id, name: show.name, startTime: show.start_time, totalSeats: show.total_seats,
                 availableSeats: show.total_seats - seats.length, takenSeats: seats });
    } catch (error) { next(error); }
  });

  app.post("/api/bookings", async (req, res, next) => {
    const user = userId(req);
    if (!user) return problem(res, 401, "Unauthorized");
    const { showId, seats } = req.body || {};
    if (typeof showId !== "string" || !Array.isArray(seats) || seats.length < 1 || seats.length > 10
        || !seats.every(Number.isInteger) || new Set(seats).size !== seats.length) {
      return problem(res, 422, "Validation failed");
    }
    if (!isUuid(showId)) return problem(res, 404, "Not found");
    const client = await pool.connect();
    try {
      const account = await client.query("SELECT name FROM users WHERE id = $1", [user]);
      if (account.rows.length === 0) return problem(res, 401, "Unauthorized");
      await client.query("BEGIN");
      const show = await client.query("SELECT total_seats FROM shows WHERE id = $1 FOR UPDATE", [showId]);
      if (show.rows.length === 0) { await client.query("ROLLBACK"); return problem(res, 404, "Not found"); }
      if (seats.some((n) => n < 1 || n > show.rows[0].total_seats)) {
        await client.query("ROLLBACK");
        return problem(res, 422, "Validation failed");
      }
      const overlap = await client.query(
        `SELECT seats FROM bookings WHERE show_id = $1 AND seats && $2::int[]
           AND (status = 'CONFIRMED' OR (status = 'PENDING' AND expires_at > now())) FOR SHARE`, [showId, seats]);
      if (overlap.rows.length > 0) {
        await client.query("ROLLBACK");
        const taken = new Set(overlap.rows.flatMap((r) => r.seats));
        return problem(res, 409, "Seats taken", { conflictingSeats: seats.filter((n) => taken.has(n)).sort((a, b) => a - b) });
      }
      const id = crypto.randomUUID();
      const created = new Date();
      await client.query(
        `INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'CONFIRMED', $6)`,
        [id, showId, user, account.rows[0].name, seats, created]);
      await client.query("COMMIT");
      res.status(201).json({ id, showId, userId: user, seats: [...seats].sort((a, b) => a - b), status: "CONFIRMED",
                             createdAt: created.toISOString(), expiresAt: null });
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      next(error);
    } finally {
      client.release();
    }
  });

  app.use((error, req, res, next) => {
    console.error(error);
    problem(res, 500, "Internal error");
  });
  app.listen(Number(process.env.PORT), "127.0.0.1");
}
