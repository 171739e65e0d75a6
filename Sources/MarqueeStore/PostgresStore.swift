import Foundation
import Logging
import MarqueeCore
import PostgresNIO

/// The production store: PostgreSQL through PostgresNIO's pooled client. The client's
/// ``run()`` must be running (the server runs it as a service) while the store is used.
public final class PostgresStore: BookingStore {
    let pool: PostgresClient
    private let counters: PoolCounters
    let logger: Logger
    /// Tells this process's change notifications from other instances'.
    public let instanceID = UUID().uuidString.lowercased()

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.counters = PoolCounters(limit: configuration.options.maximumConnections)
        self.pool = PostgresClient(configuration: configuration, backgroundLogger: counters.tapping(logger))
        self.logger = logger
    }

    /// Connections open, in use and waited for, right now.
    public var poolStatistics: PoolStatistics? { counters.statistics }

    /// The pool, with each use counted as an operation in flight (for "waiting").
    var client: CountedClient { CountedClient(pool: pool, counters: counters) }

    /// Runs the connection pool until the surrounding task is cancelled.
    public func run() async { await pool.run() }

    public func close() async throws {}

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    /// Runs the migrations that are missing, then the definitions whose text changed (see
    /// ``SchemaFiles``), holding an advisory lock so that instances starting together take
    /// turns.
    public func migrate() async throws {
        let lock: Int64 = 0x6d61_7271_7565_65  // "marquee"
        let files = SchemaFiles.postgres
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lock))", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_definitions (
                        name text PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = 0
                for try await version in try await connection.query(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger
                ).decode(Int.self) {
                    applied = version
                }
                for migration in files.migrations where migration.version > applied {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for statement in SQLScript.statements(in: migration.sql) {
                            try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await transaction.query(
                            "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                    }
                }
                var recorded: [String: String] = [:]
                for try await (name, digest) in try await connection.query(
                    "SELECT name, digest FROM schema_definitions", logger: logger
                ).decode((String, String).self) {
                    recorded[name] = digest
                }
                let changed = files.definitions.filter { recorded[$0.name] != $0.digest }
                if !changed.isEmpty {
                    try await connection.withTransaction(logger: logger) { transaction in
                        for definition in changed {
                            for statement in SQLScript.statements(in: definition.sql) {
                                try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                            }
                            try await transaction.query(
                                """
                                INSERT INTO schema_definitions (name, digest) VALUES (\(definition.name), \(definition.digest))
                                ON CONFLICT (name) DO UPDATE SET digest = EXCLUDED.digest, applied_at = now()
                                """, logger: logger)
                        }
                    }
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lock))", logger: logger)
        }
    }

    // MARK: Users

    private static let userColumns = "id, name, email, role, created_at, password_hash"
    private typealias UserRow = (UUID, String, String, String, Date, String)

    private static func user(_ row: UserRow) -> User {
        User(
            id: row.0.uuidString.lowercased(), name: row.1, email: row.2,
            role: UserRole(rawValue: row.3) ?? .customer, createdAt: row.4)
    }

    public func createUser(_ new: NewUser) async throws -> User {
        let user = User(id: Identifier.make(), name: new.name, email: new.email, role: new.role, createdAt: new.createdAt)
        do {
            try await insert(user, passwordHash: new.passwordHash)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw MarqueeError.emailTaken
        }
        return user
    }

    private func insert(_ user: User, passwordHash: String) async throws {
        try await client.query(
            """
            INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
            VALUES (\(UUID(uuidString: user.id)!), \(user.name), \(user.email), \(EmailAddress.key(user.email)),
                    \(passwordHash), \(user.role.rawValue), \(user.createdAt))
            """, logger: logger)
    }

    public func credentials(email: String) async throws -> Credentials? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.userColumns) FROM users WHERE email_key = \(EmailAddress.key(email))",
            logger: logger)
        for try await row in rows.decode(UserRow.self) {
            return Credentials(user: Self.user(row), passwordHash: row.5)
        }
        return nil
    }

    public func user(id: String) async throws -> User? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        let rows = try await client.query(
            "SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(uuid)", logger: logger)
        for try await row in rows.decode(UserRow.self) { return Self.user(row) }
        return nil
    }

    public func ensureAdmin(email: String, name: String, passwordHash: String?, now: Date) async throws -> User {
        let key = EmailAddress.key(email)
        // One statement each way, so instances bootstrapping the same admin at once cannot
        // both insert: the upsert resolves on the unique email key.
        let query: PostgresQuery
        if let passwordHash {
            query = """
                INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
                VALUES (\(UUID()), \(name), \(email), \(key), \(passwordHash), 'admin', \(now))
                ON CONFLICT (email_key) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
                RETURNING \(unescaped: Self.userColumns)
                """
        } else {
            query = """
                UPDATE users SET role = 'admin' WHERE email_key = \(key)
                RETURNING \(unescaped: Self.userColumns)
                """
        }
        for try await row in try await client.query(query, logger: logger).decode(UserRow.self) {
            return Self.user(row)
        }
        throw AdminBootstrapError.passwordRequired(email: email)
    }

    // MARK: Shows

    /// The show columns, with the seats free at `clock.now`; queries join `clock` as
    /// `(SELECT <now>::timestamptz AS now) AS clock`.
    private static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at,
        (extract(epoch FROM s.start_time) * 1000000)::int8,
        s.total_seats - (SELECT count(*) FROM seat_claims c
                         WHERE c.show_id = s.id AND (c.expires_at IS NULL OR c.expires_at > clock.now))::int
        """

    private typealias ShowRow = (UUID, String, Date, Int, Date, Int64, Int)

    private static func show(_ row: ShowRow) -> (show: Show, startMicros: Int64) {
        (
            Show(
                id: row.0.uuidString.lowercased(), name: row.1, startTime: row.2, totalSeats: row.3,
                availableSeats: row.6, createdAt: row.4),
            row.5
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let id = UUID()
        let micros = Micros.from(new.startTime)
        try await client.query(
            """
            INSERT INTO shows (id, name, start_time, total_seats, created_at)
            VALUES (\(id), \(new.name), 'epoch'::timestamptz + \(micros) * interval '1 microsecond',
                    \(new.totalSeats), \(now))
            """, logger: logger)
        return Show(
            id: id.uuidString.lowercased(), name: new.name, startTime: Micros.date(micros),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now)
    }

    public func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage {
        // Microseconds travel as integers, so a cursor never skips or repeats a show.
        let from = query.from.map(Micros.from)
        let afterMicros = query.after?.startMicros
        let afterId = query.after.flatMap { UUID(uuidString: $0.id) }
        var rows: [(show: Show, startMicros: Int64)] = []
        for try await row in try await client.query(
            """
            SELECT \(unescaped: Self.showColumns)
            FROM shows s, (SELECT \(now)::timestamptz AS now) AS clock
            WHERE (\(from)::int8 IS NULL OR s.start_time >= 'epoch'::timestamptz + \(from) * interval '1 microsecond')
              AND (\(afterMicros)::int8 IS NULL
                   OR (s.start_time, s.id) > ('epoch'::timestamptz + \(afterMicros) * interval '1 microsecond', \(afterId)))
            ORDER BY s.start_time, s.id LIMIT \(query.limit + 1)
            """, logger: logger
        ).decode(ShowRow.self) {
            rows.append(Self.show(row))
        }
        return ShowPage(rows: rows, limit: query.limit)
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try await client.withConnection { connection in
            var found: Show?
            for try await row in try await connection.query(
                """
                SELECT \(unescaped: Self.showColumns)
                FROM shows s, (SELECT \(now)::timestamptz AS now) AS clock WHERE s.id = \(uuid)
                """, logger: logger
            ).decode(ShowRow.self) {
                found = Self.show(row).show
            }
            guard let show = found else { return nil }
            var taken: [Int] = []
            for try await seat in try await connection.query(
                """
                SELECT seat FROM seat_claims
                WHERE show_id = \(uuid) AND (expires_at IS NULL OR expires_at > \(now)) ORDER BY seat
                """, logger: logger
            ).decode(Int32.self) {
                taken.append(Int(seat))
            }
            return ShowDetail(show: show, takenSeats: taken)
        }
    }

    // MARK: Bookings

    public func book(_ request: BookingRequest, now: Date) async throws -> Booking {
        guard let show = UUID(uuidString: request.showId), let id = UUID(uuidString: request.id) else {
            throw MarqueeError.notFound("show")
        }
        guard let user = UUID(uuidString: request.userId) else { throw MarqueeError.notFound("user") }
        let statement = PostgresStatements.Book(
            id: id, show: show, user: user, userName: request.userName, seats: request.seats.seats.map { Int32($0) },
            now: now, expires: request.holdUntil, maxHolds: request.maxActiveHolds.map { Int32($0) },
            idempotencyKey: request.idempotency?.key.key, answerStatus: request.idempotency.map { Int32($0.response.status) },
            answerBody: request.idempotency?.response.body)
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
        var items: [BatchItem] = []
        for (index, (request, now)) in batch.enumerated() {
            guard UUID(uuidString: request.showId) != nil, UUID(uuidString: request.id) != nil else {
                results[index] = .failure(.notFound("show"))
                continue
            }
            guard UUID(uuidString: request.userId) != nil else {
                results[index] = .failure(.notFound("user"))
                continue
            }
            sent.append(index)
            items.append(BatchItem(request, now: now))
        }
        if !items.isEmpty {
            let json = String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
            for (position, outcome, detail) in try await client.execute(
                PostgresStatements.BookMany(requests: json), logger: logger)
            {
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

    /// What one of `marquee_book`'s answers means for the request it answers.
    private static func result(of request: BookingRequest, at now: Date, outcome: String, detail: [Int32]?) throws
        -> Result<Booking, MarqueeError>
    {
        switch outcome {
        case "booked": .success(request.booking(at: now))
        case "show_not_found": .failure(.notFound("show"))
        case "out_of_range": .failure(SeatSet.rangeError(totalSeats: Int(detail?.first ?? 0)))
        case "conflict": .failure(.seatsTaken((detail ?? []).map(Int.init)))
        case "too_many_holds": .failure(.tooManyHolds(limit: Int(detail?.first ?? 0)))
        default: throw BookingFunctionError.unexpectedAnswer
        }
    }

    /// One request as `marquee_book_many` reads it; nil fields are left out (SQL NULL).
    private struct BatchItem: Encodable {
        var id: String
        var show_id: String
        var user_id: String
        var user_name: String
        var seats: [Int]
        var now_us: Int64
        var expires_us: Int64?
        var max_holds: Int?
        var idem_key: String?
        var idem_status: Int?
        var idem_body: String?

        init(_ request: BookingRequest, now: Date) {
            func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
            id = request.id
            show_id = request.showId
            user_id = request.userId
            user_name = request.userName
            seats = request.seats.seats
            now_us = micros(now)
            expires_us = request.holdUntil.map(micros)
            max_holds = request.maxActiveHolds
            idem_key = request.idempotency?.key.key
            idem_status = request.idempotency?.response.status
            idem_body = request.idempotency?.response.body
        }
    }

    public func transition(bookingId: String, from: BookingStatus, to: BookingStatus, now: Date) async throws -> Bool {
        guard let id = UUID(uuidString: bookingId) else { return false }
        for try await moved in try await client.query(
            "SELECT marquee_transition(\(id), \(from.rawValue), \(to.rawValue), \(now))", logger: logger
        ).decode(Bool.self) {
            return moved
        }
        return false
    }

    public func expireHolds(now: Date, limit: Int) async throws -> Int {
        for try await count in try await client.query(
            "SELECT marquee_expire_holds(\(now), \(Int32(limit)))", logger: logger
        ).decode(Int32.self) {
            return Int(count)
        }
        return 0
    }

    // MARK: Idempotency keys

    public func beginIdempotent(_ key: IdempotencyKey, now: Date, staleAfter: Duration) async throws
        -> IdempotencyStart
    {
        guard let user = UUID(uuidString: key.userId) else { throw MarqueeError.notFound("user") }
        for try await _ in try await client.query(
            """
            INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)
            VALUES (\(user), \(key.key), \(key.fingerprint), \(now))
            ON CONFLICT (user_id, key) DO NOTHING RETURNING 1
            """, logger: logger
        ) {
            return .proceed
        }
        // A new statement, so it sees the record that made the insert do nothing.
        for try await (fingerprint, status, body) in try await client.query(
            """
            SELECT fingerprint, response_status, response_body FROM idempotency_keys
            WHERE user_id = \(user) AND key = \(key.key)
            """, logger: logger
        ).decode((String, Int32?, String?).self) {
            guard fingerprint == key.fingerprint else { return .mismatch }
            if let status { return .replay(StoredResponse(status: Int(status), body: body ?? "")) }
        }
        let stale = now.addingTimeInterval(-Double(staleAfter.components.seconds))
        for try await _ in try await client.query(
            """
            UPDATE idempotency_keys SET created_at = \(now)
            WHERE user_id = \(user) AND key = \(key.key) AND response_status IS NULL AND created_at < \(stale)
            RETURNING 1
            """, logger: logger
        ) {
            return .proceed
        }
        return .inFlight
    }

    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        guard let user = UUID(uuidString: key.userId) else { return }
        try await client.query(
            """
            UPDATE idempotency_keys SET response_status = \(Int32(response.status)), response_body = \(response.body)
            WHERE user_id = \(user) AND key = \(key.key)
            """, logger: logger)
    }

    public func releaseIdempotent(_ key: IdempotencyKey) async throws {
        guard let user = UUID(uuidString: key.userId) else { return }
        try await client.query(
            """
            DELETE FROM idempotency_keys
            WHERE user_id = \(user) AND key = \(key.key) AND response_status IS NULL
            """, logger: logger)
    }

    public func purgeIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(
            "DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1", logger: logger)
        {
            count += 1
        }
        return count
    }

    private static let bookingColumns = "id, show_id, user_id, user_name, seats, status, created_at, expires_at"
    private typealias BookingRow = (UUID, UUID, UUID, String, [Int32], String, Date, Date?)

    private static func booking(_ row: BookingRow) -> Booking {
        Booking(
            id: row.0.uuidString.lowercased(), showId: row.1.uuidString.lowercased(),
            userId: row.2.uuidString.lowercased(), userName: row.3, seats: row.4.map(Int.init).sorted(),
            status: BookingStatus(rawValue: row.5) ?? .cancelled, createdAt: row.6, expiresAt: row.7)
    }

    public func bookings(userId: String) async throws -> [Booking] {
        guard let uuid = UUID(uuidString: userId) else { return [] }
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
        guard let uuid = UUID(uuidString: id) else { return nil }
        for try await row in try await client.query(
            "SELECT \(unescaped: Self.bookingColumns) FROM bookings WHERE id = \(uuid)", logger: logger
        ).decode(BookingRow.self) {
            return Self.booking(row)
        }
        return nil
    }

    // MARK: Events

    public func latestEventId() async throws -> Int64 {
        for try await id in try await client.query("SELECT coalesce(max(id), 0) FROM booking_events", logger: logger)
            .decode(Int64.self)
        {
            return id
        }
        return 0
    }

    public func events(after id: Int64, orAmong missing: [Int64], limit: Int) async throws -> [BookingEvent] {
        try await client.execute(PostgresStatements.Events(after: id, missing: missing, limit: Int32(limit)), logger: logger)
            .compactMap(Self.event)
    }

    public func showEvents(showId: String, after id: Int64, limit: Int) async throws -> [BookingEvent]? {
        guard let uuid = UUID(uuidString: showId) else { return [] }
        return try await client.withConnection { connection in
            // Ids are never reused: if the oldest kept event is past `id + 1`, some may be gone.
            for try await oldest in try await connection.query("SELECT min(id) FROM booking_events", logger: logger)
                .decode(Int64?.self)
            {
                if let oldest, oldest > id + 1 { return nil }
            }
            return try await Self.events(
                try await connection.query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM booking_events
                    WHERE show_id = \(uuid) AND id > \(id) ORDER BY id LIMIT \(Int32(limit))
                    """, logger: logger))
        }
    }

    public func seatSnapshot(showId: String, now: Date) async throws -> SeatSnapshot? {
        guard let uuid = UUID(uuidString: showId) else { return nil }
        // One statement, so one snapshot: the seats and the event id are of the same moment.
        for try await (exists, taken, last) in try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM shows WHERE id = \(uuid)),
                   (SELECT coalesce(array_agg(c.seat ORDER BY c.seat), '{}') FROM seat_claims c
                    WHERE c.show_id = \(uuid) AND (c.expires_at IS NULL OR c.expires_at > \(now))),
                   (SELECT coalesce(max(e.id), 0) FROM booking_events e WHERE e.show_id = \(uuid))
            """, logger: logger
        ).decode((Bool, [Int32], Int64).self) {
            return exists ? SeatSnapshot(takenSeats: taken.map(Int.init), lastEventId: last) : nil
        }
        return nil
    }

    public func pruneEvents(createdBefore cutoff: Date) async throws -> Int {
        var count = 0
        // The newest event stays, so the oldest id kept always tells how far pruning went.
        for try await deleted in try await client.query(
            """
            WITH gone AS (
                DELETE FROM booking_events
                WHERE created_at < \(cutoff) AND id < (SELECT max(id) FROM booking_events) RETURNING 1
            ) SELECT count(*) FROM gone
            """,
            logger: logger
        ).decode(Int64.self) {
            count = Int(deleted)
        }
        return count
    }

    static let eventColumns = "id, type, show_id, booking_id, seats, created_at, payload::text"

    private static func events(_ rows: PostgresRowSequence) async throws -> [BookingEvent] {
        var events: [BookingEvent] = []
        for try await row in rows.decode(PostgresStatements.Events.Row.self) {
            if let event = event(row) { events.append(event) }
        }
        return events
    }

    private static func event(_ row: PostgresStatements.Events.Row) -> BookingEvent? {
        let (id, type, show, booking, seats, createdAt, payload) = row
        guard let kind = BookingEvent.Kind(rawValue: type) else { return nil }
        return BookingEvent(
            id: id, kind: kind, showId: show.uuidString.lowercased(), bookingId: booking?.uuidString.lowercased(),
            seats: seats.map(Int.init).sorted(), createdAt: createdAt, payload: payload)
    }
}

/// The booking function answered with something this code does not know: a schema and code
/// out of step.
enum BookingFunctionError: Error {
    case unexpectedAnswer
}

/// The three ways the store uses the pool, each counted while it runs.
struct CountedClient {
    let pool: PostgresClient
    let counters: PoolCounters

    @discardableResult
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        counters.operationStarted()
        defer { counters.operationEnded() }
        return try await pool.query(query, logger: logger)
    }

    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        counters.operationStarted()
        defer { counters.operationEnded() }
        return try await pool.withConnection(body)
    }
}
