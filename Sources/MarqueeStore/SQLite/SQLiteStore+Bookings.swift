import Foundation
import GRDB
import MarqueeCore

/// Bookings: the booking transaction of DESIGN.md inside BEGIN IMMEDIATE, alone or many in
/// one commit, and reading bookings back.
extension SQLiteStore {
    public func book(_ request: BookingRequest, now: Date) async throws -> Booking {
        try await writeImmediately { db in try Self.book(request, now: now, in: db) }
    }

    public func bookTogether(_ batch: [(request: BookingRequest, now: Date)]) async throws
        -> [Result<Booking, MarqueeError>]
    {
        try await writeImmediately { db in
            try batch.map { request, now in
                // A savepoint per request: a refusal takes back only that request's work.
                var result: Result<Booking, MarqueeError> = .failure(.notFound("show"))
                try db.inSavepoint {
                    do {
                        result = .success(try Self.book(request, now: now, in: db))
                        return .commit
                    } catch let error as MarqueeError {
                        result = .failure(error)
                        return .rollback
                    }
                }
                return result
            }
        }
    }

    /// The booking transaction's steps, inside a transaction that holds the write lock.
    static func book(_ request: BookingRequest, now: Date, in db: Database) throws -> Booking {
        let booking = request.booking(at: now)
        let at = Micros.from(now)
        let seatsJSON = "[" + booking.seats.map(String.init).joined(separator: ",") + "]"
        // 1. The show, under the write lock this transaction already holds.
        guard
            let total = try Int.fetchOne(
                db, sql: "SELECT total_seats FROM shows WHERE id = ?", arguments: [booking.showId])
        else { throw MarqueeError.notFound("show") }
        // 2. Every seat must exist.
        guard request.seats.outOfRange(totalSeats: total).isEmpty else {
            throw SeatSet.rangeError(totalSeats: total)
        }
        if request.holdUntil != nil, let cap = request.maxActiveHolds {
            let holds = try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM bookings WHERE user_id = ? AND status = 'PENDING' AND expires_at > ?",
                arguments: [booking.userId, at]) ?? 0
            guard holds < cap else { throw MarqueeError.tooManyHolds(limit: cap) }
        }
        // A queue pass books once (the unique index on bookings.queue_entry_id backs this).
        if let entry = request.queueEntryId,
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM bookings WHERE queue_entry_id = ?)", arguments: [entry])
                == true
        {
            throw MarqueeError.queuePass(.used)
        }
        // 3. Claims on these seats: active ones refuse the booking, lapsed holds give way.
        let claims = try Row.fetchAll(
            db,
            sql: """
                SELECT seat, booking_id, expires_at FROM seat_claims
                WHERE show_id = ? AND seat IN (SELECT value FROM json_each(?))
                """,
            arguments: [booking.showId, seatsJSON]
        )
        let taken = claims.filter { row in (row["expires_at"] as Int64?).map { $0 > at } ?? true }
        guard taken.isEmpty else { throw MarqueeError.seatsTaken(taken.map { $0["seat"] as Int }.sorted()) }
        for lapsed in Set(claims.compactMap { $0["booking_id"] as String? }) {
            try Self.expire(bookingId: lapsed, in: db)
        }
        // 4. The booking and its claims; the claims' primary key refuses a second sale.
        try db.execute(
            sql: """
                INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                                      idempotency_key, queue_entry_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                booking.id, booking.showId, booking.userId, booking.userName, seatsJSON, booking.status.rawValue,
                at, booking.expiresAt.map(Micros.from), request.idempotency?.key.key, request.queueEntryId,
            ]
        )
        try db.execute(
            sql: "INSERT INTO seat_claims (show_id, seat, booking_id, expires_at) SELECT ?, value, ?, ? FROM json_each(?)",
            arguments: [booking.showId, booking.id, booking.expiresAt.map(Micros.from), seatsJSON]
        )
        // 5. The answer under its idempotency key, in the same transaction as the booking.
        if let (key, response) = request.idempotency {
            try Self.store(response, bookingId: booking.id, under: key, in: db)
        }
        return booking
    }

    static func store(_ response: StoredResponse, bookingId: String?, under key: IdempotencyKey, in db: Database)
        throws
    {
        try db.execute(
            sql: """
                UPDATE idempotency_keys SET response_status = ?, response_body = ?, booking_id = ?
                WHERE user_id = ? AND key = ?
                """,
            arguments: [response.status, response.body, bookingId, key.userId, key.key])
    }

    static let bookingColumns = "id, show_id, user_id, user_name, seats, status, created_at, expires_at"

    static func booking(_ row: Row) -> Booking {
        Booking(
            id: row["id"], showId: row["show_id"], userId: row["user_id"], userName: row["user_name"],
            seats: seats(fromJSON: row["seats"]), status: BookingStatus(rawValue: row["status"]) ?? .cancelled,
            createdAt: Micros.date(row["created_at"]), expiresAt: (row["expires_at"] as Int64?).map(Micros.date)
        )
    }

    public func bookings(userId: String) async throws -> [Booking] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.bookingColumns) FROM bookings WHERE user_id = ? ORDER BY created_at DESC, id DESC",
                arguments: [userId]
            ).map(Self.booking)
        }
    }

    public func booking(id: String) async throws -> Booking? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.bookingColumns) FROM bookings WHERE id = ?", arguments: [id])
                .map(Self.booking)
        }
    }
}
