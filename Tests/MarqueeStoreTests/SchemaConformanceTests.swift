import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Migrations and the pool on both engines: instances migrating at once, migrating again,
/// and the pool gauge's source.
@Suite struct SchemaConformanceTests {
    /// Instances starting together all migrate the same database at once.
    @Test(arguments: Engine.available)
    func concurrentMigrationsOfAFreshDatabaseAllSucceed(engine: Engine) async throws {
        try await StoreHarness.withStore(engine, migrated: false) { fixture in
            try await fixture.reopened { second in
                try await fixture.reopened { third in
                    async let a: Void = fixture.store.migrate()
                    async let b: Void = second.migrate()
                    async let c: Void = third.migrate()
                    _ = try await (a, b, c)
                }
            }
            let user = try await fixture.store.makeUser("Mo")
            #expect(same(try await fixture.store.user(id: user.id), user))
        }
    }

    @Test(arguments: Engine.available)
    func migratingTwiceChangesNothing(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let user = try await fixture.store.makeUser("Cy")
            try await fixture.store.migrate()
            #expect(same(try await fixture.store.user(id: user.id), user))
        }
    }

    /// The pool gauge's source: PostgreSQL's pool is watched; SQLite has none.
    @Test(arguments: Engine.available)
    func thePoolIsWatchedWhereThereIsOne(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            _ = try await store.makeShow(seats: 5)
            guard engine == .postgres else {
                #expect(store.poolStatistics == nil)
                return
            }
            let statistics = try #require(store.poolStatistics)
            #expect(statistics.open >= 1, "PostgresNIO's 'Creating new connection' was not counted")
            #expect(statistics.inUse == 0 && statistics.waiting == 0, "\(statistics)")
            #expect(statistics.idle == statistics.open)
            #expect(statistics.limit == 20)
        }
    }
}
