import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import PostgresNIO
import Testing

/// What working behind a pooler in transaction mode asks of the PostgreSQL store: migrations
/// that take turns with no session state, and every hot statement sent unnamed. (The whole
/// black-box suite also runs through a real PgBouncer: scripts/e2e.py --pgbouncer.)
@Suite(.enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"))
struct PostgresPoolingTests {
    static func store(_ url: String, preparedStatements: PreparedStatements = .auto, direct: Bool = false) throws
        -> PostgresStore
    {
        PostgresStore(
            configuration: try PostgresURL.configuration(url), logger: StoreHarness.logger,
            operationLimit: StoreHarness.patience,
            direct: direct ? try PostgresURL.connectionConfiguration(url) : nil, preparedStatements: preparedStatements)
    }

    static func running<T: Sendable>(_ stores: [PostgresStore], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { await store.run() } }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    @Test func storesMigratingAnEmptyDatabaseAtOnceApplyEachMigrationOnce() async throws {
        try await TestDatabases.withDatabase(migrated: false) { url in
            // Some on a direct connection of their own, some through the pool, as a mix of
            // instances would be.
            let stores = try (0..<4).map { try Self.store(url, direct: $0.isMultiple(of: 2)) }
            try await Self.running(stores) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for store in stores { group.addTask { try await store.migrate() } }
                    try await group.waitForAll()
                }
                let rows = try await StoreHarness.withClient(url) { client in
                    var found: [(Int, Int)] = []
                    for try await row in try await client.query(
                        "SELECT count(*)::int, count(DISTINCT version)::int FROM schema_migrations",
                        logger: StoreHarness.logger
                    ).decode((Int, Int).self) {
                        found.append(row)
                    }
                    return found
                }
                let files = try FileManager.default.contentsOfDirectory(
                    atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                        .deletingLastPathComponent().appendingPathComponent("Sources/MarqueeStore/SQL/postgres/migrations")
                        .path)
                #expect(rows.count == 1 && rows[0].0 == files.count && rows[0].1 == files.count)
                // Nothing is left held: the lock was a transaction's.
                let store = stores[1]
                let user = try await store.makeUser("Ann")
                let show = try await store.makeShow(seats: 10)
                _ = try await store.book([1], of: show, by: user)
            }
        }
    }

    @Test(arguments: [PreparedStatements.off, .on])
    func everyHotStatementWorksNamedOrUnnamed(_ mode: PreparedStatements) async throws {
        try await TestDatabases.withDatabase(migrated: true) { url in
            let store = try Self.store(url, preparedStatements: mode)
            try await Self.running([store]) {
                let user = try await store.makeUser("Bo")
                let show = try await store.makeShow(seats: 20)
                // Twice each, so that a named statement is used again on a connection that has it.
                for seat in 1...2 { _ = try await store.book([seat], of: show, by: user) }
                let request = { (seats: [Int]) in
                    BookingRequest(showId: show.id, userId: user.id, userName: user.name,
                                   seats: try SeatSet(seats, maximum: 20))
                }
                let batch = try await store.bookTogether([(try request([3, 4]), Date()), (try request([4]), Date())])
                #expect(batch.map { (try? $0.get()) != nil } == [true, false])
                try await store.notifyChanges()
                try await store.notifyChanges()
                let events = try await store.events(after: 0, orAmong: [], limit: 100)
                #expect(events.count >= 3)
                #expect(try await store.events(after: 0, orAmong: [], limit: 100).count == events.count)
                let capacity = try await store.capacity()
                #expect(capacity.connectionLimit > 0 && capacity.connectionsOpen >= 1)
            }
        }
    }
}
