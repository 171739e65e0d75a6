import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// A database made by earlier code opens with today's: the migrations that are missing run,
/// the definitions are applied, nothing is lost, and the result is the schema a new database
/// gets. The fixtures are dumps made by `Fixtures/make-upgrade-fixtures.py` with the build of
/// 8ad8c97, the last commit whose SQL lived in Swift strings.
@Suite struct UpgradeTests {
    /// A moment after every hold in the fixtures has lapsed and before every show starts.
    static let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01

    static func fixture(_ engine: Engine) throws -> String {
        let name = engine == .postgres ? "postgres-v6.sql" : "sqlite-v4.sql"
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        let dump = try String(contentsOf: url, encoding: .utf8)
        // SQLite's dump inserts table by table in name order, before the tables they refer to.
        return engine == .sqlite ? "PRAGMA foreign_keys = OFF;\n" + dump : dump
    }

    /// Every table, column, index, constraint, trigger and function, one line each, sorted.
    static func schema(_ engine: Engine, of fixture: StoreFixture) async throws -> String {
        let query: String
        switch engine {
        case .sqlite:
            query = """
                SELECT group_concat(line, char(10)) FROM (
                    SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS line FROM sqlite_master
                    WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name)
                """
        case .postgres:
            query = """
                SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
                    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
                           || ' ' || coalesce(column_default, '')
                    FROM information_schema.columns WHERE table_schema = 'public'
                    UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
                    UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
                    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                    UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
                    UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
                    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                ) AS s(line)
                """
        }
        return try #require(try await fixture.text(query))
    }

    @Test(arguments: Engine.available)
    func aDatabaseMadeByEarlierCodeKeepsEveryRecordAndTakesBookings(engine: Engine) async throws {
        let now = Self.now
        let upgraded = try await StoreHarness.withStore(engine, migrated: false) { fixture in
            try await fixture.runScript(try Self.fixture(engine))
            let store = fixture.store
            try await store.migrate()

            let ann = try #require(try await store.credentials(email: "ann@example.com"))
            let bob = try #require(try await store.credentials(email: "bob@example.com")).user
            #expect(ann.passwordHash.hasPrefix("$2"))
            #expect(try await store.credentials(email: "boss@example.com")?.user.role == .admin)
            let page = try await store.shows(try ShowQuery(limit: 10, cursor: nil, from: nil), now: now)
            #expect(page.items.map(\.name) == ["Hamlet", "Quartet"])
            let hamlet = try #require(page.items.first)
            let quartet = try #require(page.items.last)
            // The lapsed holds free their seats; confirmed bookings keep theirs.
            #expect(try await store.show(id: hamlet.id, now: now)?.takenSeats == [1, 2, 3, 10])
            #expect(try await store.show(id: quartet.id, now: now)?.takenSeats == [1])
            let annsBookings = try await store.bookings(userId: ann.user.id)
            #expect(annsBookings.count == 3)
            #expect(annsBookings.filter { $0.status == .confirmed }.map(\.seats).sorted { $0[0] < $1[0] } == [[1], [1, 2, 3]])
            #expect(try await store.bookings(userId: bob.id).contains { $0.status == .cancelled && $0.seats == [12] })
            // The idempotency key is still there: another body under it is refused.
            let key = IdempotencyKey(userId: bob.id, key: "bob-1", fingerprint: "another body")
            #expect(try await store.beginIdempotent(key, now: now, staleAfter: .seconds(60)) == .mismatch)

            // Bookings are decided as before, and their events and deliveries still follow.
            let before = try await store.latestEventId()
            await #expect(throws: MarqueeError.seatsTaken([2])) {
                _ = try await store.book([2, 4], of: hamlet, by: bob, now: now)
            }
            let booked = try await store.book([20, 21], of: hamlet, by: ann.user, now: now)
            #expect(booked.status == .confirmed)
            let events = try await store.events(after: before, orAmong: [], limit: 10)
            #expect(events.map(\.kind).contains(.bookingConfirmed))
            #expect(events.map(\.kind).contains(.holdExpired))
            let webhook = try #require(try await store.webhooks().first)
            #expect(try await store.deliveries(webhookId: webhook.id, limit: 50).contains { $0.eventType == .bookingConfirmed && $0.eventId > before })

            if engine == .postgres {
                #expect(try await fixture.text("SELECT count(*)::text FROM pg_proc WHERE proname = 'marquee_book_many'") == "1")
            }
            let applied = try await fixture.text("SELECT max(applied_at) || '/' || count(*) FROM schema_definitions")
            try await store.migrate()
            #expect(try await fixture.text("SELECT max(applied_at) || '/' || count(*) FROM schema_definitions") == applied)
            return try await Self.schema(engine, of: fixture)
        }
        let fresh = try await StoreHarness.withStore(engine) { fixture in
            // Like the fixture's: on PostgreSQL the deliveries' trigger is there only while a
            // webhook is (PostgresWebhookTriggerTests).
            _ = try await WebhookConformanceTests.register(fixture.store, ["booking.confirmed"])
            return try await Self.schema(engine, of: fixture)
        }
        #expect(upgraded == fresh)
    }

    @Test(arguments: Engine.available)
    func aDefinitionWhoseRecordedTextDiffersIsAppliedAgain(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            // Break the new-show event, and record a text that is not the file's.
            switch engine {
            case .sqlite:
                try await fixture.execute("DROP TRIGGER booking_events_new_show")
                try await fixture.execute(
                    "UPDATE schema_definitions SET digest = 'stale' WHERE name = 'booking_events_new_show'")
            case .postgres:
                try await fixture.execute("DROP TRIGGER show_events ON shows")
                try await fixture.execute("UPDATE schema_definitions SET digest = 'stale' WHERE name = 'marquee_show_event'")
            }
            let before = try await fixture.store.latestEventId()
            _ = try await fixture.store.makeShow(seats: 5)
            #expect(try await fixture.store.latestEventId() == before)
            try await fixture.store.migrate()
            _ = try await fixture.store.makeShow(seats: 5)
            let events = try await fixture.store.events(after: before, orAmong: [], limit: 10)
            #expect(events.map(\.kind) == [.showCreated])
        }
    }
}
