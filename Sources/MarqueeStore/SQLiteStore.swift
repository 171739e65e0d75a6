import Foundation
import GRDB
import MarqueeCore

/// The embedded store: one SQLite file in WAL mode. Every write runs inside
/// `BEGIN IMMEDIATE`, so writers queue one at a time, across processes too.
public final class SQLiteStore: BookingStore {
    private let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path`. Call ``migrate()`` before use.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
    }

    /// Runs `body` in an immediate transaction: the write lock is taken before the first read,
    /// so what the body reads cannot change before it commits.
    private func writeImmediately<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs the migrations that are missing, then the triggers whose text changed (see
    /// ``SchemaFiles``), in one immediate transaction: a second process waits its turn.
    public func migrate() async throws {
        let files = SchemaFiles.sqlite
        try await writeImmediately { db in
            try db.execute(
                sql: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"
            )
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS schema_definitions (
                        name TEXT PRIMARY KEY, digest TEXT NOT NULL, applied_at INTEGER NOT NULL)
                    """)
            let now = Micros.from(Date())
            let applied = try Int.fetchOne(db, sql: "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0
            for migration in files.migrations where migration.version > applied {
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql: "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    arguments: [migration.version, now])
            }
            let recorded = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, digest FROM schema_definitions").map {
                    ($0["name"] as String, $0["digest"] as String)
                })
            for definition in files.definitions where recorded[definition.name] != definition.digest {
                try db.execute(sql: definition.sql)
                try db.execute(
                    sql: """
                        INSERT INTO schema_definitions (name, digest, applied_at) VALUES (?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, applied_at = excluded.applied_at
                        """,
                    arguments: [definition.name, definition.digest, now])
            }
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        try pool.close()
    }

    /// SQLite has no connection pool to watch (one writer, WAL readers).
    public var poolStatistics: PoolStatistics? { nil }

    // MARK: Users

    public func createUser(_ new: NewUser) async throws -> User {
        let user = User(id: Identifier.make(), name: new.name, email: new.email, role: new.role, createdAt: new.createdAt)
        do {
            try await writeImmediately { db in
                try Self.insert(user, passwordHash: new.passwordHash, into: db)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw MarqueeError.emailTaken
        }
        return user
    }

    private static func insert(_ user: User, passwordHash: String, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO users (id, name, email, email_key, password_hash, role, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                user.id, user.name, user.email, EmailAddress.key(user.email), passwordHash, user.role.rawValue,
                Micros.from(user.createdAt),
            ]
        )
    }

    private static let userColumns = "id, name, email, role, created_at, password_hash"

    private static func user(_ row: Row) -> User {
        User(
            id: row["id"], name: row["name"], email: row["email"],
            role: UserRole(rawValue: row["role"]) ?? .customer, createdAt: Micros.date(row["created_at"])
        )
    }

    public func credentials(email: String) async throws -> Credentials? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns) FROM users WHERE email_key = ?",
                arguments: [EmailAddress.key(email)]
            ).map { Credentials(user: Self.user($0), passwordHash: $0["password_hash"]) }
        }
    }

    public func user(id: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.userColumns) FROM users WHERE id = ?", arguments: [id])
                .map(Self.user)
        }
    }

    public func ensureAdmin(email: String, name: String, passwordHash: String?, now: Date) async throws -> User {
        try await writeImmediately { db in
            let key = EmailAddress.key(email)
            if let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.userColumns) FROM users WHERE email_key = ?", arguments: [key])
            {
                try db.execute(
                    sql: "UPDATE users SET role = 'admin', password_hash = coalesce(?, password_hash) WHERE id = ?",
                    arguments: [passwordHash, row["id"] as String]
                )
                var user = Self.user(row)
                user.role = .admin
                return user
            }
            guard let passwordHash else { throw AdminBootstrapError.passwordRequired(email: email) }
            let user = User(id: Identifier.make(), name: name, email: email, role: .admin, createdAt: now)
            try Self.insert(user, passwordHash: passwordHash, into: db)
            return user
        }
    }

    // MARK: Shows

    /// Seats held at `?` (a time in micros): confirmed, or held and unexpired.
    private static let activeClaim = "(c.expires_at IS NULL OR c.expires_at > ?)"

    private static let showColumns = """
        s.id, s.name, s.start_time, s.total_seats, s.created_at,
        s.total_seats - (SELECT count(*) FROM seat_claims c WHERE c.show_id = s.id AND \(activeClaim)) AS available
        """

    private static func show(_ row: Row) -> Show {
        Show(
            id: row["id"], name: row["name"], startTime: Micros.date(row["start_time"]),
            totalSeats: row["total_seats"], availableSeats: row["available"], createdAt: Micros.date(row["created_at"])
        )
    }

    public func createShow(_ new: NewShow, now: Date) async throws -> Show {
        let show = Show(
            id: Identifier.make(), name: new.name, startTime: Micros.date(Micros.from(new.startTime)),
            totalSeats: new.totalSeats, availableSeats: new.totalSeats, createdAt: now
        )
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO shows (id, name, start_time, total_seats, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [show.id, show.name, Micros.from(show.startTime), show.totalSeats, Micros.from(now)]
            )
        }
        return show
    }

    public func shows(_ query: ShowQuery, now: Date) async throws -> ShowPage {
        // Rows are turned into Sendable values inside the read, so the async `read` is used
        // rather than the blocking one.
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.showColumns) FROM shows s
                    WHERE s.start_time >= ? AND (s.start_time, s.id) > (?, ?)
                    ORDER BY s.start_time, s.id LIMIT ?
                    """,
                arguments: [
                    Micros.from(now),  // for the available-seats count
                    query.from.map(Micros.from) ?? Int64.min,
                    query.after?.startMicros ?? Int64.min, query.after?.id ?? "",
                    query.limit + 1,
                ]
            ).map { (show: Self.show($0), startMicros: $0["start_time"] as Int64) }
        }
        return ShowPage(rows: rows, limit: query.limit)
    }

    public func show(id: String, now: Date) async throws -> ShowDetail? {
        try await pool.read { db in
            let at = Micros.from(now)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.showColumns) FROM shows s WHERE s.id = ?", arguments: [at, id])
            else { return nil }
            let taken = try Int.fetchAll(
                db,
                sql: "SELECT c.seat FROM seat_claims c WHERE c.show_id = ? AND \(Self.activeClaim) ORDER BY c.seat",
                arguments: [id, at]
            )
            return ShowDetail(show: Self.show(row), takenSeats: taken)
        }
    }

    // MARK: Bookings

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
    private static func book(_ request: BookingRequest, now: Date, in db: Database) throws -> Booking {
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
        for lapsed in Set(claims.map { $0["booking_id"] as String }) {
            try Self.expire(bookingId: lapsed, in: db)
        }
        // 4. The booking and its claims; the claims' primary key refuses a second sale.
        try db.execute(
            sql: """
                INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at, expires_at,
                                      idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                booking.id, booking.showId, booking.userId, booking.userName, seatsJSON, booking.status.rawValue,
                at, booking.expiresAt.map(Micros.from), request.idempotency?.key.key,
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

    private static func store(_ response: StoredResponse, bookingId: String?, under key: IdempotencyKey, in db: Database)
        throws
    {
        try db.execute(
            sql: """
                UPDATE idempotency_keys SET response_status = ?, response_body = ?, booking_id = ?
                WHERE user_id = ? AND key = ?
                """,
            arguments: [response.status, response.body, bookingId, key.userId, key.key])
    }

    public func transition(bookingId: String, from: BookingStatus, to: BookingStatus, now: Date) async throws -> Bool {
        let at = Micros.from(now)
        return try await writeImmediately { db in
            // The write lock serialises this with every booking, as the show lock does on PostgreSQL.
            try db.execute(
                sql: """
                    UPDATE bookings SET status = ?, expires_at = NULL
                    WHERE id = ? AND status = ?
                      AND (status <> 'PENDING' OR (? = 'EXPIRED') = (expires_at <= ?))
                    """,
                arguments: [to.rawValue, bookingId, from.rawValue, to.rawValue, at])
            guard db.changesCount == 1 else { return false }
            if to == .confirmed {
                try db.execute(sql: "UPDATE seat_claims SET expires_at = NULL WHERE booking_id = ?", arguments: [bookingId])
            } else {
                try db.execute(sql: "DELETE FROM seat_claims WHERE booking_id = ?", arguments: [bookingId])
            }
            return true
        }
    }

    public func expireHolds(now: Date, limit: Int) async throws -> Int {
        let at = Micros.from(now)
        return try await writeImmediately { db in
            let lapsed = try String.fetchAll(
                db,
                sql: "SELECT id FROM bookings WHERE status = 'PENDING' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                arguments: [at, limit])
            for id in lapsed { try Self.expire(bookingId: id, in: db) }
            return lapsed.count
        }
    }

    // MARK: Idempotency keys

    public func beginIdempotent(_ key: IdempotencyKey, now: Date, staleAfter: Duration) async throws
        -> IdempotencyStart
    {
        let at = Micros.from(now)
        let stale = Micros.from(now.addingTimeInterval(-Double(staleAfter.components.seconds)))
        return try await writeImmediately { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT fingerprint, response_status, response_body, created_at FROM idempotency_keys
                        WHERE user_id = ? AND key = ?
                        """,
                    arguments: [key.userId, key.key])
            else {
                try db.execute(
                    sql: "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [key.userId, key.key, key.fingerprint, at])
                return .proceed
            }
            guard row["fingerprint"] as String == key.fingerprint else { return .mismatch }
            if let status = row["response_status"] as Int? {
                return .replay(StoredResponse(status: status, body: row["response_body"] ?? ""))
            }
            guard (row["created_at"] as Int64) < stale else { return .inFlight }
            try db.execute(
                sql: "UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND key = ?",
                arguments: [at, key.userId, key.key])
            return .proceed
        }
    }

    public func finishIdempotent(_ key: IdempotencyKey, response: StoredResponse) async throws {
        try await writeImmediately { db in try Self.store(response, bookingId: nil, under: key, in: db) }
    }

    public func releaseIdempotent(_ key: IdempotencyKey) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND response_status IS NULL",
                arguments: [key.userId, key.key])
        }
    }

    public func purgeIdempotencyKeys(createdBefore cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }

    /// Marks a lapsed hold `EXPIRED` and frees all of its seats.
    private static func expire(bookingId: String, in db: Database) throws {
        try db.execute(
            sql: "UPDATE bookings SET status = 'EXPIRED', expires_at = NULL WHERE id = ? AND status = 'PENDING'",
            arguments: [bookingId]
        )
        try db.execute(sql: "DELETE FROM seat_claims WHERE booking_id = ?", arguments: [bookingId])
    }

    private static let bookingColumns = "id, show_id, user_id, user_name, seats, status, created_at, expires_at"

    private static func booking(_ row: Row) -> Booking {
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

    // MARK: Events

    public func latestEventId() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM booking_events") ?? 0 }
    }

    public func events(after id: Int64, orAmong missing: [Int64], limit: Int) async throws -> [BookingEvent] {
        let missingJSON = "[" + missing.map(String.init).joined(separator: ",") + "]"
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                // Two index lookups, not `id > ? OR id IN (…)`, which SQLite answers by
                // scanning the whole outbox.
                sql: """
                    SELECT \(Self.eventColumns) FROM (
                        SELECT \(Self.eventColumns) FROM booking_events WHERE id > ? ORDER BY id LIMIT ?)
                    UNION ALL
                    SELECT \(Self.eventColumns) FROM booking_events WHERE id IN (SELECT value FROM json_each(?))
                    ORDER BY id LIMIT ?
                    """,
                arguments: [id, limit, missingJSON, limit]
            ).compactMap(Self.event)
        }
    }

    public func showEvents(showId: String, after id: Int64, limit: Int) async throws -> [BookingEvent]? {
        try await pool.read { db in
            // Ids are never reused: if the oldest kept event is past `id + 1`, some may be gone.
            let oldest = try Int64.fetchOne(db, sql: "SELECT min(id) FROM booking_events")
            if let oldest, oldest > id + 1 { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT \(Self.eventColumns) FROM booking_events WHERE show_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [showId, id, limit]
            ).compactMap(Self.event)
        }
    }

    public func seatSnapshot(showId: String, now: Date) async throws -> SeatSnapshot? {
        // One read transaction: the seats and the event id are of the same moment.
        try await pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shows WHERE id = ?)", arguments: [showId]) == true
            else { return nil }
            let taken = try Int.fetchAll(
                db,
                sql: "SELECT c.seat FROM seat_claims c WHERE c.show_id = ? AND \(Self.activeClaim) ORDER BY c.seat",
                arguments: [showId, Micros.from(now)])
            let last = try Int64.fetchOne(
                db, sql: "SELECT coalesce(max(id), 0) FROM booking_events WHERE show_id = ?", arguments: [showId])
            return SeatSnapshot(takenSeats: taken, lastEventId: last ?? 0)
        }
    }

    public func pruneEvents(createdBefore cutoff: Date) async throws -> Int {
        try await writeImmediately { db in
            // The newest event stays, so the oldest id kept always tells how far pruning went.
            try db.execute(
                sql: "DELETE FROM booking_events WHERE created_at < ? AND id < (SELECT max(id) FROM booking_events)",
                arguments: [Micros.from(cutoff)])
            return db.changesCount
        }
    }

    private static let eventColumns = "id, type, show_id, booking_id, seats, created_at, payload"

    private static func event(_ row: Row) -> BookingEvent? {
        guard let kind = BookingEvent.Kind(rawValue: row["type"]) else { return nil }
        return BookingEvent(
            id: row["id"], kind: kind, showId: row["show_id"], bookingId: row["booking_id"],
            seats: seats(fromJSON: row["seats"]), createdAt: Micros.date(row["created_at"]), payload: row["payload"])
    }

    /// Seat lists are stored as JSON arrays of integers, `[3,4]`.
    /// (Split on anything but digits: Foundation's trimming goes through NSString on Linux,
    /// and this runs for every booking and event read.)
    private static func seats(fromJSON text: String) -> [Int] {
        text.split { !$0.isASCII || !$0.isNumber }.compactMap { Int($0) }
    }

    // MARK: Webhooks

    public func createWebhook(_ new: NewWebhook, now: Date) async throws -> Webhook {
        let webhook = Webhook(id: Identifier.make(), url: new.url, eventTypes: new.eventTypes, createdAt: now)
        let types = "[" + new.eventTypes.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO webhooks (id, url, secret, event_types, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [webhook.id, new.url, new.secret, types, Micros.from(now)])
        }
        return webhook
    }

    public func webhooks() async throws -> [Webhook] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, url, event_types, created_at FROM webhooks ORDER BY created_at, id").map {
                row in
                let types = (row["event_types"] as String).split(separator: ",").compactMap {
                    BookingEvent.Kind(rawValue: $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]\" ")))
                }
                return Webhook(id: row["id"], url: row["url"], eventTypes: types, createdAt: Micros.date(row["created_at"]))
            }
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, webhook_id, event_id, event_type, status, attempts, last_status_code, last_error,
                           next_attempt_at, created_at, delivered_at
                    FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?
                    """,
                arguments: [webhookId, limit]
            ).compactMap { row in
                guard let kind = BookingEvent.Kind(rawValue: row["event_type"]),
                    let status = DeliveryStatus(rawValue: row["status"])
                else { return nil }
                return WebhookDelivery(
                    id: row["id"], webhookId: row["webhook_id"], eventId: row["event_id"], eventType: kind, status: status,
                    attempts: row["attempts"], lastStatusCode: row["last_status_code"], lastError: row["last_error"],
                    nextAttemptAt: status == .pending ? Micros.date(row["next_attempt_at"]) : nil,
                    createdAt: Micros.date(row["created_at"]), deliveredAt: (row["delivered_at"] as Int64?).map(Micros.date))
            }
        }
    }

    public func claimDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [DeliveryAttempt] {
        let at = Micros.from(now)
        let until = Micros.from(now.addingTimeInterval(lease.seconds))
        // Asked after every change: a read first, so that with nothing due no claim takes the
        // write lock that bookings queue for.
        guard try await pool.read({ db in try !Self.dueDeliveries(at: at, limit: 1, in: db).isEmpty }) else { return [] }
        return try await writeImmediately { db in
            try Self.dueDeliveries(at: at, limit: limit, in: db).map { row in
                try db.execute(
                    sql: "UPDATE webhook_deliveries SET attempts = attempts + 1, locked_until = ? WHERE id = ?",
                    arguments: [until, row["id"] as Int64])
                return DeliveryAttempt(
                    deliveryId: row["id"], url: row["url"], secret: row["secret"], eventId: row["event_id"],
                    eventType: row["event_type"], payload: row["payload"], attempt: (row["attempts"] as Int) + 1)
            }
        }
    }

    /// Deliveries whose next attempt is due and that nobody holds a lease on, oldest first.
    private static func dueDeliveries(at: Int64, limit: Int, in db: Database) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.id, w.url, w.secret, d.event_id, d.event_type, d.payload, d.attempts
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)
                ORDER BY d.next_attempt_at LIMIT ?
                """,
            arguments: [at, at, limit])
    }

    public func recordDelivery(id: Int64, outcome: DeliveryOutcome, now: Date) async throws {
        try await writeImmediately { db in
            switch outcome {
            case .delivered(let code):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET status = 'delivered', last_status_code = ?, last_error = NULL,
                               delivered_at = ?, locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, Micros.from(now), id])
            case .retry(let code, let error, let next):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET last_status_code = ?, last_error = ?, next_attempt_at = ?,
                               locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, error, Micros.from(next), id])
            case .failed(let code, let error):
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET status = 'failed', last_status_code = ?, last_error = ?,
                               locked_until = NULL WHERE id = ?
                        """,
                    arguments: [code, error, id])
            }
        }
    }
}
