import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// Bookings: the booking transaction (SQL/postgres/functions/marquee_book.sql), alone or
/// many in one commit, and reading bookings back.
extension PostgresStore {
    public func book(_ request: BookingRequest, now: Date) async throws -> Booking {
        guard let show = Identifier.uuid(request.showId), let id = Identifier.uuid(request.id) else {
            throw MarqueeError.notFound("show")
        }
        guard let user = Identifier.uuid(request.userId) else { throw MarqueeError.notFound("user") }
        let statement = PostgresStatements.Book(
            id: id, show: show, user: user, userName: request.userName, seats: request.seats.seats.map { Int32($0) },
            now: now, expires: request.holdUntil, maxHolds: request.maxActiveHolds.map { Int32($0) },
            idempotencyKey: request.idempotency?.key.key, answerStatus: request.idempotency.map { Int32($0.response.status) },
            answerBody: request.idempotency?.response.body, queueEntry: request.queueEntryId.flatMap(Identifier.uuid))
        for (outcome, detail) in try await client.execute(statement, logger: logger) {
            return try Self.result(of: request, at: now, outcome: outcome, detail: detail).get()
        }
        throw BookingFunctionError.unexpectedAnswer
    }

    public func bookTogether(_ batch: [(request: BookingRequest, now: Date)]) async throws
        -> [Result<Booking, MarqueeError>]
    {
        // Requests whose ids are not UUIDs are refused here, as book(_:now:) refuses them.
        var results = [Result<Booking, MarqueeError>?](repeating: nil, count: batch.count)
        var sent: [Int] = []
        var statement = PostgresStatements.BookMany()
        for (index, (request, now)) in batch.enumerated() {
            guard let show = Identifier.uuid(request.showId), let id = Identifier.uuid(request.id) else {
                results[index] = .failure(.notFound("show"))
                continue
            }
            guard let user = Identifier.uuid(request.userId) else {
                results[index] = .failure(.notFound("user"))
                continue
            }
            sent.append(index)
            statement.append(request, id: id, show: show, user: user, now: now)
        }
        if !statement.isEmpty {
            for (position, outcome, detail) in try await client.execute(statement, logger: logger) {
                guard (1...sent.count).contains(Int(position)) else { throw BookingFunctionError.unexpectedAnswer }
                let index = sent[Int(position) - 1]
                results[index] = try Self.result(of: batch[index].request, at: batch[index].now, outcome: outcome, detail: detail)
            }
        }
        return try results.map { result in
            guard let result else { throw BookingFunctionError.unexpectedAnswer }
            return result
        }
    }

    /// The outcomes `marquee_book` answers with, as its file lists them.
    enum BookingFunctionOutcome: String {
        case booked
        case showNotFound = "show_not_found"
        /// The detail is `{total_seats}`.
        case outOfRange = "out_of_range"
        /// The detail is the taken seats, in order.
        case conflict
        /// The detail is `{cap}`.
        case tooManyHolds = "too_many_holds"
        /// The queue pass has booked before.
        case passUsed = "pass_used"
    }

    /// What one of `marquee_book`'s answers means for the request it answers.
    static func result(of request: BookingRequest, at now: Date, outcome: String, detail: [Int32]?) throws
        -> Result<Booking, MarqueeError>
    {
        guard let outcome = BookingFunctionOutcome(rawValue: outcome) else { throw BookingFunctionError.unexpectedAnswer }
        return switch outcome {
        case .booked: .success(request.booking(at: now))
        case .showNotFound: .failure(.notFound("show"))
        case .outOfRange: .failure(SeatSet.rangeError(totalSeats: Int(detail?.first ?? 0)))
        case .conflict: .failure(.seatsTaken((detail ?? []).map(Int.init)))
        case .tooManyHolds: .failure(.tooManyHolds(limit: Int(detail?.first ?? 0)))
        case .passUsed: .failure(.queuePass(.used))
        }
    }

    static let bookingColumns = "id, show_id, user_id, user_name, seats, status, created_at, expires_at"
    typealias BookingRow = (UUID, UUID, UUID, String, [Int32], String, Date, Date?)

    static func booking(_ row: BookingRow) -> Booking {
        Booking(
            id: Identifier.text(row.0), showId: Identifier.text(row.1),
            userId: Identifier.text(row.2), userName: row.3, seats: row.4.map(Int.init).sorted(),
            status: BookingStatus(rawValue: row.5) ?? .cancelled, createdAt: row.6, expiresAt: row.7)
    }

    public func bookings(userId: String) async throws -> [Booking] {
        guard let uuid = Identifier.uuid(userId) else { return [] }
        var result: [Booking] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Self.bookingColumns) FROM bookings WHERE user_id = \(uuid)
            ORDER BY created_at DESC, id DESC
            """, logger: logger
        ).decode(BookingRow.self) {
            result.append(Self.booking(row))
        }
        return result
    }

    public func booking(id: String) async throws -> Booking? {
        guard let uuid = Identifier.uuid(id) else { return nil }
        for try await row in try await client.query(
            "SELECT \(unescaped: Self.bookingColumns) FROM bookings WHERE id = \(uuid)", logger: logger
        ).decode(BookingRow.self) {
            return Self.booking(row)
        }
        return nil
    }
}
