import Foundation
import GRDB
import Logging
import MarqueeCore
import MarqueeStore
import PostgresNIO
import Synchronization

/// A store on a brand-new database, migrated, with a way to run raw SQL beside it.
public struct StoreFixture: Sendable {
    public var store: any BookingStore
    /// Runs one statement directly on the engine, bypassing the store.
    public var execute: @Sendable (String) async throws -> Void
    /// Runs statements in one transaction on the engine, then rolls it back.
    public var rolledBack: @Sendable ([String]) async throws -> Void
    /// Opens a second, independent store on the same database (as after a restart) and runs
    /// `body` with it.
    public var reopened: @Sendable (@Sendable (any BookingStore) async throws -> Void) async throws -> Void
    /// Takes the lock every booking of the show needs (the show's row on PostgreSQL, the
    /// write lock on SQLite) in a transaction of its own; answers the function that rolls it
    /// back.
    public var lockShow: @Sendable (String) async throws -> @Sendable () async throws -> Void
    /// Runs a script of many statements (a dump, say) directly on the engine, outside any
    /// transaction of the harness's.
    public var runScript: @Sendable (String) async throws -> Void
    /// The first column of the first row a query answers, as text.
    public var text: @Sendable (String) async throws -> String?
    /// The test database's URL, on PostgreSQL.
    public var databaseURL: String? = nil
}

extension StoreFixture {
    /// Runs `body` while the show is locked, then `after` with what it returned, once the lock
    /// is gone.
    public func whileShowIsLocked<T: Sendable, U: Sendable>(
        _ showId: String, _ body: @Sendable () async throws -> T, after: @Sendable (T) async throws -> U
    ) async throws -> U {
        let unlock = try await lockShow(showId)
        let value: T
        do { value = try await body() } catch {
            try await unlock()
            throw error
        }
        try await unlock()
        return try await after(value)
    }
}

/// Signals between a test and the task holding a lock for it: the holder marks the lock
/// taken and awaits ``released()``; the test waits for ``isLocked`` and calls ``release()``.
private final class HeldLock: Sendable {
    private let locked = Mutex(false)
    private let (releases, releaser) = AsyncStream<Void>.makeStream()

    func markLocked() { locked.withLock { $0 = true } }
    var isLocked: Bool { locked.withLock { $0 } }
    func released() async { for await _ in releases {} }
    func release() { releaser.finish() }
}

public enum StoreHarness {
    public static let logger: Logger = {
        var logger = Logger(label: "marquee-test")
        logger.logLevel = .error
        return logger
    }()

    /// Runs `body` with a store on a new database, migrated unless `migrated` is false.
    public static func withStore<T: Sendable>(
        _ engine: Engine, migrated: Bool = true, _ body: @Sendable (StoreFixture) async throws -> T
    ) async throws -> T {
        switch engine {
        case .sqlite: return try await withSQLite(migrated: migrated, body)
        case .postgres: return try await withPostgres(migrated: migrated, body)
        }
    }

    private static func withSQLite<T: Sendable>(
        migrated: Bool, _ body: @Sendable (StoreFixture) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.sqlite").path
        let store = try SQLiteStore(path: path)
        if migrated { try await store.migrate() }
        let fixture = StoreFixture(
            store: store,
            execute: { sql in
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: sql) }
            },
            rolledBack: { statements in
                let queue = try DatabaseQueue(path: path)
                try await queue.writeWithoutTransaction { db in
                    try db.inTransaction {
                        for sql in statements { try db.execute(sql: sql) }
                        return .rollback
                    }
                }
            },
            reopened: { body in
                let second = try SQLiteStore(path: path)
                try await body(second)
                try await second.close()
            },
            lockShow: { _ in
                let queue = try DatabaseQueue(path: path)
                let lock = HeldLock()
                let release = DispatchSemaphore(value: 0)
                // GRDB runs this on its own queue, so blocking there holds no task thread.
                let holder = Task {
                    try await queue.writeWithoutTransaction { db in
                        try db.execute(sql: "BEGIN IMMEDIATE")
                        lock.markLocked()
                        release.wait()
                        try db.execute(sql: "ROLLBACK")
                    }
                }
                try await waitUntil { lock.isLocked }
                return {
                    release.signal()
                    try await holder.value
                }
            },
            runScript: { sql in
                let queue = try DatabaseQueue(path: path)
                try await queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
            },
            text: { sql in
                let queue = try DatabaseQueue(path: path)
                return try await queue.read { db in try String.fetchOne(db, sql: sql) }
            })
        let result = try await body(fixture)
        try await store.close()
        return result
    }

    /// A database of its own for one test (a clone of the migrated template, or empty), a
    /// store on it, and a raw client beside the store.
    /// How long a test store's operations may wait on the database: the whole suite runs at
    /// once on two cores, and cloning databases stalls PostgreSQL for seconds at a time, so
    /// tests that do not test the deadline itself do not run into it.
    public static let patience: Duration = .seconds(60)

    public static func withPostgres<T: Sendable>(
        migrated: Bool, _ body: @Sendable (StoreFixture) async throws -> T
    ) async throws -> T {
        try await TestDatabases.withDatabase(migrated: migrated) { testURL in
            try await withClient(testURL) { raw in
                let store = PostgresStore(
                    configuration: try PostgresURL.configuration(testURL), logger: logger, operationLimit: patience)
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await store.run() }
                    defer { group.cancelAll() }
                    let fixture = StoreFixture(
                        store: store,
                        execute: { sql in try await drained(raw.query(PostgresQuery(unsafeSQL: sql), logger: logger)) },
                        rolledBack: { statements in
                            try await raw.withConnection { connection in
                                try await connection.query("BEGIN", logger: logger)
                                do {
                                    for sql in statements {
                                        try await drained(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
                                    }
                                } catch {
                                    // Rolled back on failure too: the connection goes back to the pool.
                                    try await connection.query("ROLLBACK", logger: logger)
                                    throw error
                                }
                                try await connection.query("ROLLBACK", logger: logger)
                            }
                        },
                        reopened: { body in
                            let second = PostgresStore(
                                configuration: try PostgresURL.configuration(testURL), logger: logger,
                                operationLimit: patience)
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                group.addTask { await second.run() }
                                defer { group.cancelAll() }
                                try await body(second)
                            }
                        },
                        lockShow: { showId in
                            let lock = HeldLock()
                            let holder = Task {
                                try await raw.withConnection { connection in
                                    try await connection.query("BEGIN", logger: logger)
                                    try await connection.query(
                                        "SELECT 1 FROM shows WHERE id = \(UUID(uuidString: showId)!) FOR UPDATE",
                                        logger: logger)
                                    lock.markLocked()
                                    await lock.released()
                                    try await connection.query("ROLLBACK", logger: logger)
                                }
                            }
                            try await waitUntil { lock.isLocked }
                            return {
                                lock.release()
                                try await holder.value
                            }
                        },
                        runScript: { sql in
                            try await raw.withConnection { connection in
                                // A dump sets the search path for its session; the pool reuses it.
                                for statement in SQLScript.statements(in: sql) + ["RESET ALL"] {
                                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                                }
                            }
                        },
                        text: { sql in
                            for try await value in try await raw.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                                .decode(String?.self)
                            {
                                return value
                            }
                            return nil
                        },
                        databaseURL: testURL)
                    return try await body(fixture)
                }
            }
        }
    }

    /// A store over a new database its own migrations made with `partitions`
    /// (MARQUEE_DB_PARTITIONS), a way to run SQL there, and the database's URL.
    public static func withPostgres(
        partitions: Int,
        _ body: @Sendable (PostgresStore, @Sendable (String) async throws -> Void, String) async throws -> Void
    ) async throws {
        try await TestDatabases.withDatabase(migrated: false) { url in
            try await withClient(url) { raw in
                let store = PostgresStore(
                    configuration: try PostgresURL.configuration(url), logger: logger, partitions: partitions)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await store.run() }
                    defer { group.cancelAll() }
                    try await store.migrate()
                    try await body(store, { sql in try await drained(raw.query(PostgresQuery(unsafeSQL: sql), logger: logger)) }, url)
                }
            }
        }
    }

    public static func withClient<T: Sendable>(
        _ url: String, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: try PostgresURL.configuration(url), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension BookingStore {
    /// A customer with a throwaway password hash.
    public func makeUser(_ name: String, now: Date = Date()) async throws -> User {
        try await createUser(
            NewUser(name: name, email: "\(name.lowercased())-\(UUID().uuidString.prefix(8))@example.com",
                    passwordHash: "$2b$04$notarealhashnotarealhashnotarealhashnotarealhashnot", createdAt: now))
    }

    public func makeShow(seats: Int, startingIn days: Double = 30, now: Date = Date()) async throws -> Show {
        try await createShow(
            NewShow(name: "Show \(UUID().uuidString.prefix(4))", startTime: now.addingTimeInterval(days * 86_400),
                    totalSeats: seats), now: now)
    }

    public func book(_ seats: [Int], of show: Show, by user: User, holdUntil: Date? = nil, now: Date = Date()) async throws
        -> Booking
    {
        try await book(
            BookingRequest(showId: show.id, userId: user.id, userName: user.name,
                           seats: try SeatSet(seats, maximum: 100), holdUntil: holdUntil), now: now)
    }
}

/// Whether two users are the same account; times agree to the microsecond the stores keep.
public func same(_ a: User?, _ b: User?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.id == b.id && a.name == b.name && a.email == b.email && a.role == b.role
        && abs(a.createdAt.timeIntervalSince(b.createdAt)) < 0.000_002
}

/// Polls `condition` every 5 ms until it holds; fails after `limit` (30 s unless told).
/// The limit is reached only when something is wrong, so it is generous: CI runs every suite
/// at once on two cores beside PostgreSQL, and there a condition that waits on the database
/// (forty bookings, a lock taken, a notification heard) has taken more than 5 s.
public func waitUntil(within limit: Duration = .seconds(30), _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw HarnessError("condition not met within \(limit)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Reads a statement's rows to the end. An error that PostgreSQL raises while the rows stream
/// (a function's RAISE, say) reaches the caller only then, so a statement run for its effect
/// must be drained to see it fail.
private func drained(_ rows: PostgresRowSequence) async throws {
    for try await _ in rows {}
}
