import Foundation
import MarqueeCore
import PostgresNIO

/// The statements that run for every booking, prepared once per connection. A query sent
/// as text is parsed and planned on every call, and for the outbox read and the webhook
/// claim that took PostgreSQL longer than running them (0.4 to 0.7 ms against under 0.1 ms,
/// measured from its statement log); prepared, each is parsed and planned once. Each names
/// itself: the default name is the type's name, worked out anew on every call.
enum PostgresStatements {
    /// `marquee_book`: one booking, one round trip.
    struct Book: PostgresPreparedStatement {
        static let name = "marquee_book"
        static let sql = """
            SELECT result_outcome, result_seats
            FROM marquee_book($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .uuid, .uuid, .uuid, .text, .int4Array, .timestamptz, .timestamptz, .int4, .text, .int4, .text, .uuid,
        ]
        typealias Row = (String, [Int32]?)

        var id: UUID
        var show: UUID
        var user: UUID
        var userName: String
        var seats: [Int32]
        var now: Date
        var expires: Date?
        var maxHolds: Int32?
        var idempotencyKey: String?
        var answerStatus: Int32?
        var answerBody: String?
        var queueEntry: UUID?

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 12)
            bindings.append(id)
            bindings.append(show)
            bindings.append(user)
            bindings.append(userName)
            bindings.append(seats)
            bindings.append(now)
            bindings.append(expires)
            bindings.append(maxHolds)
            bindings.append(idempotencyKey)
            bindings.append(answerStatus)
            bindings.append(answerBody)
            bindings.append(queueEntry)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// `marquee_book_many`: a batch of bookings, one array per field, one round trip.
    struct BookMany: PostgresPreparedStatement {
        static let name = "marquee_book_many"
        static let sql = """
            SELECT result_index, result_outcome, result_seats
            FROM marquee_book_many($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .uuidArray, .uuidArray, .uuidArray, .textArray, .int4Array, .int4Array, .timestamptzArray,
            .timestamptzArray, .int4Array, .textArray, .int4Array, .textArray, .uuidArray,
        ]
        typealias Row = (Int32, String, [Int32]?)

        var ids: [UUID] = []
        var shows: [UUID] = []
        var users: [UUID] = []
        var userNames: [String] = []
        /// How many of `seats` are each request's, in order.
        var seatCounts: [Int32] = []
        /// Every request's seats, one request after another.
        var seats: [Int32] = []
        var nows: [Date] = []
        var expires: [Date?] = []
        var maxHolds: [Int32?] = []
        var idempotencyKeys: [String?] = []
        var answerStatuses: [Int32?] = []
        var answerBodies: [String?] = []
        var queueEntries: [UUID?] = []

        var isEmpty: Bool { ids.isEmpty }

        mutating func append(_ request: BookingRequest, id: UUID, show: UUID, user: UUID, now: Date) {
            ids.append(id)
            shows.append(show)
            users.append(user)
            userNames.append(request.userName)
            seatCounts.append(Int32(request.seats.seats.count))
            seats += request.seats.seats.map { Int32($0) }
            nows.append(now)
            expires.append(request.holdUntil)
            maxHolds.append(request.maxActiveHolds.map { Int32($0) })
            idempotencyKeys.append(request.idempotency?.key.key)
            answerStatuses.append(request.idempotency.map { Int32($0.response.status) })
            answerBodies.append(request.idempotency?.response.body)
            queueEntries.append(request.queueEntryId.flatMap(Identifier.uuid))
        }

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 13)
            bindings.append(ids)
            bindings.append(shows)
            bindings.append(users)
            bindings.append(userNames)
            bindings.append(seatCounts)
            bindings.append(seats)
            bindings.append(nows)
            bindings.append(NullableArray(expires))
            bindings.append(NullableArray(maxHolds))
            bindings.append(NullableArray(idempotencyKeys))
            bindings.append(NullableArray(answerStatuses))
            bindings.append(NullableArray(answerBodies))
            bindings.append(NullableArray(queueEntries))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The outbox after an id, plus ids passed over earlier. Two index lookups, not
    /// `id > … OR id = ANY (…)`: PostgreSQL answers that OR by walking the whole outbox, so
    /// every read would cost more as the outbox grows.
    struct Events: PostgresPreparedStatement {
        static let name = "marquee_events_after"
        static let sql = """
            SELECT \(PostgresStore.eventColumns) FROM (
                (SELECT * FROM booking_events WHERE id > $1 ORDER BY id LIMIT $3)
                UNION ALL
                (SELECT * FROM booking_events WHERE id = ANY ($2))
            ) AS e ORDER BY id LIMIT $3
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .int8Array, .int4]
        typealias Row = (Int64, String, UUID, UUID?, [Int32], Date)

        var after: Int64
        var missing: [Int64]
        var limit: Int32

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(after)
            bindings.append(missing)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Claims due webhook deliveries for one attempt each. SKIP LOCKED: instances claiming
    /// at once each get different deliveries.
    struct ClaimDeliveries: PostgresPreparedStatement {
        static let name = "marquee_claim_deliveries"
        static let sql = """
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                  AND (d.locked_until IS NULL OR d.locked_until <= $1)
                ORDER BY d.next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, locked_until = $3
            FROM due, webhooks w WHERE d.id = due.id AND w.id = d.webhook_id
            RETURNING d.id, w.url, w.secret, d.event_id, d.event_type, d.payload::text, d.attempts
            """
        static let bindingDataTypes: [PostgresDataType] = [.timestamptz, .int4, .timestamptz]
        typealias Row = (Int64, String, String, Int64, String, String, Int32)

        var now: Date
        var limit: Int32
        var until: Date

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(now)
            bindings.append(limit)
            bindings.append(until)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Wakes every instance's listener; the payload names the instance that sent it.
    struct Notify: PostgresPreparedStatement {
        static let name = "marquee_notify"
        static let sql = "SELECT 1 FROM pg_notify($1, $2)"
        static let bindingDataTypes: [PostgresDataType] = [.text, .text]
        typealias Row = Int32

        var channel: String
        var sender: String

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(channel)
            bindings.append(sender)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}

extension CountedClient {
    /// Runs a hot statement and collects its rows, by the database deadline like every other
    /// use of the pool: prepared (first on a connection that has not seen it) while naming is
    /// on, else sent unnamed, parsed with the call (``PreparedStatements``).
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws
        -> [Statement.Row] where Statement.Row: Sendable
    {
        if naming.isNamed {
            do {
                return try await bounded { [pool] in
                    var rows: [Statement.Row] = []
                    for try await row in try await pool.execute(statement, logger: logger) { rows.append(row) }
                    return rows
                }
            } catch where naming.fallBack(after: error, logger: logger) {}
        }
        return try await bounded { [pool] in
            var rows: [Statement.Row] = []
            let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
            for try await row in try await pool.query(query, logger: logger) { try rows.append(statement.decodeRow(row)) }
            return rows
        }
    }
}
