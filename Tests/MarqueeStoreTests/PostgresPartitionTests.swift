import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import PostgresNIO
import Testing

/// `bookings` and `seat_claims` are hash-partitioned by show (migration 13), and a booking
/// reads, writes and locks the partitions of its own show only, also once PL/pgSQL has cached
/// its statements' plans: a cached generic plan would lock every partition at each call
/// before pruning them at run time, which is the pitfall these tests watch for.
@Suite(.enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"))
struct PostgresPartitionTests {
    static let logger = StoreHarness.logger

    @Test func bookingsAndClaimsAreSixteenPartitionsKeyedByShow() async throws {
        try await StoreHarness.withStore(.postgres) { fixture in
            for table in ["bookings", "seat_claims"] {
                #expect(try await fixture.text("SELECT pg_get_partkeydef('\(table)'::regclass)") == "HASH (show_id)")
                #expect(
                    try await fixture.text("SELECT count(*)::text FROM pg_inherits WHERE inhparent = '\(table)'::regclass")
                        == "16")
            }
            @Sendable func constraint(_ name: String, of table: String) async throws -> String? {
                try await fixture.text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '\(name)' AND conrelid = '\(table)'::regclass")
            }
            #expect(try await constraint("bookings_pkey", of: "bookings") == "PRIMARY KEY (id, show_id)")
            #expect(try await constraint("seat_claims_pkey", of: "seat_claims") == "PRIMARY KEY (show_id, seat)")
            // Each claims partition's foreign key refers to its twin among the bookings' partitions.
            for index in [0, 7, 15] {
                #expect(
                    try await constraint("seat_claims_p\(index)_booking_id_fkey", of: "seat_claims_p\(index)")
                        == "FOREIGN KEY (booking_id, show_id) REFERENCES bookings_p\(index)(id, show_id) DEFERRABLE")
            }
            #expect(
                try await fixture.text(
                    """
                    SELECT count(*)::text FROM pg_constraint c JOIN pg_inherits i ON i.inhrelid = c.conrelid
                    WHERE i.inhparent = 'seat_claims'::regclass AND c.contype = 'f'
                      AND c.confrelid = (SELECT inhrelid FROM pg_inherits j JOIN pg_class k ON k.oid = j.inhrelid
                                         WHERE j.inhparent = 'bookings'::regclass
                                           AND k.relname = replace(c.conrelid::regclass::text, 'seat_claims', 'bookings'))
                    """) == "16")

            // A booking's row and its claims are in the partitions of its show's hash.
            let store = fixture.store
            let user = try await store.makeUser("Ann")
            var homes: Set<String> = []
            for _ in 0..<8 {
                let show = try await store.makeShow(seats: 10)
                let booking = try await store.book([1, 2], of: show, by: user)
                let home = try #require(
                    try await fixture.text(
                        """
                        SELECT (SELECT substring(tableoid::regclass::text FROM '_p[0-9]+$') FROM bookings WHERE id = '\(booking.id)')
                               || ' ' || string_agg(DISTINCT substring(tableoid::regclass::text FROM '_p[0-9]+$'), ',')
                        FROM seat_claims WHERE booking_id = '\(booking.id)'
                        """))
                let parts = home.split(separator: " ")
                #expect(parts.count == 2 && parts[0] == parts[1], "booking and claims in \(home)")
                homes.insert(String(parts[0]))
            }
            #expect(homes.count > 1, "eight shows all hashed to \(homes)")
            // A claim for a booking of another show, or of none, is refused by its partition's key.
            let other = try await store.book([1], of: try await store.makeShow(seats: 10), by: user)
            let show = try await store.makeShow(seats: 10)
            for booking in [other.id, UUID().uuidString.lowercased()] {
                await #expect(throws: (any Error).self) {
                    try await fixture.execute("INSERT INTO seat_claims VALUES ('\(show.id)', 5, '\(booking)', NULL)")
                }
            }
            // marquee_book defers that key (DEFERRABLE, migration 14) only while it runs: after
            // a booking, in the same transaction, a claim without a booking is refused at once.
            let book = """
                SELECT * FROM marquee_book(gen_random_uuid(), '\(show.id)', '\(user.id)', 'Ann', '{1,2}', now(),
                                           NULL, NULL, NULL, NULL, NULL, NULL)
                """
            try await fixture.rolledBack([book])
            let orphan = "INSERT INTO seat_claims VALUES ('\(show.id)', 6, '\(UUID().uuidString.lowercased())', NULL)"
            let refused = await #expect(throws: PSQLError.self) { try await fixture.rolledBack([book, orphan]) }
            #expect(refused?.serverInfo?[.sqlState] == "23503", "a foreign-key violation")
            // A seat named twice (SeatSet never sends one) is refused, not booked once.
            let twice = await #expect(throws: PSQLError.self) {
                try await fixture.rolledBack([book.replacingOccurrences(of: "'{1,2}'", with: "'{3,3}'")])
            }
            #expect(twice?.serverInfo?[.sqlState] == "23505", "a unique violation")
        }
    }

    /// MARQUEE_DB_PARTITIONS: 4 makes four of each; 0 keeps the tables whole, with the same keys.
    @Test(arguments: [4, 0])
    func theMigrationMakesAsManyPartitionsAsConfigured(partitions: Int) async throws {
        try await StoreHarness.withPostgres(partitions: partitions) { store, _, url in
            let show = try await store.makeShow(seats: 5)
            let user = try await store.makeUser("Ann")
            #expect(try await store.book([3], of: show, by: user).seats == [3])
            try await StoreHarness.withClient(url) { client in
                for try await (count, kinds, key) in try await client.query(
                    """
                    SELECT (SELECT count(*)::int FROM pg_inherits
                            WHERE inhparent IN ('bookings'::regclass, 'seat_claims'::regclass)),
                           (SELECT string_agg(relkind::text, ',' ORDER BY relname) FROM pg_class
                            WHERE relname IN ('bookings', 'seat_claims')),
                           (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'bookings_pkey')
                    """,
                    logger: Self.logger
                ).decode((Int, String, String).self) {
                    #expect(count == 2 * partitions)
                    #expect(kinds == (partitions > 0 ? "p,p" : "r,r"))
                    #expect(key == "PRIMARY KEY (id, show_id)")
                }
            }
        }
    }

    /// Each statement shape the booking path runs against the partitioned tables, planned for
    /// one show, reads one partition. (An INSERT routes each row to its partition as it goes;
    /// the lock test below covers those.)
    @Test func eachBookingStatementIsPlannedOnOnePartition() async throws {
        try await StoreHarness.withStore(.postgres) { fixture in
            let show = try await fixture.store.makeShow(seats: 100)
            let user = try await fixture.store.makeUser("Ann")
            let booking = try await fixture.store.book([1], of: show, by: user)
            let (s, b, u) = ("'\(show.id)'::uuid", "'\(booking.id)'::uuid", "'\(user.id)'::uuid")
            let statements = [
                """
                SELECT c.seat, c.booking_id, c.expires_at FROM seat_claims c
                WHERE c.show_id = \(s) AND c.seat = ANY ('{7,8}'::int[]) FOR SHARE
                """,
                "SELECT 1 FROM bookings b WHERE b.show_id = \(s) AND b.queue_entry_id = \(b)",
                """
                UPDATE bookings b SET status = 'EXPIRED', expires_at = NULL
                WHERE b.show_id = \(s) AND b.id = ANY (ARRAY[\(b)]) AND b.status = 'PENDING'
                """,
                "DELETE FROM seat_claims c WHERE c.show_id = \(s) AND c.booking_id = ANY (ARRAY[\(b)]) AND c.expires_at <= now()",
                "UPDATE seat_claims c SET expires_at = NULL WHERE c.show_id = \(s) AND c.booking_id = \(b)",
                "SELECT seat, booking_id IS NULL FROM seat_claims WHERE show_id = \(s) AND (expires_at IS NULL OR expires_at > now())",
                "SELECT count(*) FROM bookings WHERE show_id = \(s) AND queue_entry_id IS NOT NULL",
            ]
            let url = try #require(fixture.databaseURL)
            let plans = try await StoreHarness.withClient(url) { client in
                var plans: [String] = []
                for statement in statements {
                    var lines: [String] = []
                    for try await line in try await client.query(
                        PostgresQuery(unsafeSQL: "EXPLAIN (COSTS OFF) " + statement), logger: Self.logger
                    ).decode(String.self) {
                        lines.append(line)
                    }
                    plans.append(lines.joined(separator: "\n"))
                }
                return plans
            }
            for (statement, plan) in zip(statements, plans) {
                let partitions = Set(plan.matches(of: /(bookings|seat_claims)_p\d+/).map { String($0.output.0) })
                #expect(partitions.count == 1, "\(statement)\n\(plan)")
            }
        }
    }

    /// A plain booking, alone and in a batch, locks one partition of each table, also after
    /// more calls on one connection than PL/pgSQL plans for before it considers a cached plan.
    @Test func aBookingLocksOnePartitionOfEachTableOnceItsPlansAreCached() async throws {
        try await StoreHarness.withStore(.postgres) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 1_000)
            let user = try await store.makeUser("Ann")
            let url = try #require(fixture.databaseURL)
            let (sid, uid) = (UUID(uuidString: show.id)!, UUID(uuidString: user.id)!)
            let locked = try await StoreHarness.withClient(url) { client in
                try await client.withConnection { connection in
                    func book(_ seat: Int32) async throws -> String? {
                        for try await outcome in try await connection.query(
                            """
                            SELECT result_outcome FROM marquee_book(
                                gen_random_uuid(), \(sid), \(uid), 'Ann', \([seat]), now(), NULL, NULL, NULL, NULL, NULL, NULL)
                            """, logger: Self.logger
                        ).decode(String.self) {
                            return outcome
                        }
                        return nil
                    }
                    func bookMany(_ seat: Int32) async throws {
                        for try await outcome in try await connection.query(
                            """
                            SELECT result_outcome FROM marquee_book_many(
                                \([UUID()]), \([sid]), \([uid]), '{Ann}', '{1}', \([seat]), ARRAY[now()],
                                '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}')
                            """, logger: Self.logger
                        ).decode(String.self) {
                            #expect(outcome == "booked")
                        }
                    }
                    func partitionsLocked() async throws -> [String] {
                        var names: [String] = []
                        for try await name in try await connection.query(
                            """
                            SELECT DISTINCT substring(c.relname FROM '^(bookings_p[0-9]+|seat_claims_p[0-9]+)')
                            FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                            WHERE l.pid = pg_backend_pid() AND c.relname ~ '^(bookings|seat_claims)_p[0-9]+'
                            ORDER BY 1
                            """, logger: Self.logger
                        ).decode(String.self) {
                            names.append(name)
                        }
                        return names
                    }
                    for seat in Int32(1)...12 {
                        #expect(try await book(seat) == "booked")
                        try await bookMany(seat + 100)
                    }
                    var locked: [[String]] = []
                    let calls: [() async throws -> Void] = [{ _ = try await book(500) }, { try await bookMany(501) }]
                    for call in calls {
                        try await connection.query("BEGIN", logger: Self.logger)
                        try await call()
                        locked.append(try await partitionsLocked())
                        try await connection.query("ROLLBACK", logger: Self.logger)
                    }
                    return locked
                }
            }
            let home = try #require(
                try await fixture.text(
                    "SELECT substring(tableoid::regclass::text FROM '_p[0-9]+$') FROM seat_claims WHERE show_id = '\(show.id)' LIMIT 1"))
            for partitions in locked {
                #expect(partitions == ["bookings" + home, "seat_claims" + home])
            }
        }
    }
}
