import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import PostgresNIO
import Testing

/// What one booking costs PostgreSQL must not grow with how much of the show is sold.
struct PostgresBookingCostTests {
    /// A show put on sale after the last ANALYZE looks empty to the planner however many
    /// seats it has sold since: a big on-sale. A booking there must still look up only the
    /// claims of its own seats. (Migration 2's function read every claim of the show, twice:
    /// 9,002 index entries for the two bookings below.) On partitioned tables (16, the
    /// default) and on whole ones (MARQUEE_DB_PARTITIONS=0), whose plans PostgreSQL caches
    /// generic; the entries read are summed over every partition's indexes.
    @Test(
        .enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"),
        arguments: [16, 0])
    func aBookingReadsOnlyTheClaimsOfItsOwnSeats(partitions: Int) async throws {
        try await StoreHarness.withPostgres(partitions: partitions) { store, execute, url in
            let user = try await store.makeUser("Ann")
            /// Sells seats 1...count of the show as one booking, straight into the tables.
            @Sendable func sell(_ count: Int, of show: Show) async throws {
                let booking = Identifier.make()
                try await execute(
                    """
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at)
                    VALUES ('\(booking)', '\(show.id)', '\(user.id)', 'Ann', '{}', 'CONFIRMED', now())
                    """)
                try await execute(
                    "INSERT INTO seat_claims SELECT '\(show.id)', n, '\(booking)', NULL FROM generate_series(1, \(count)) AS n")
            }
            try await sell(1_000, of: try await store.makeShow(seats: 10_000))
            try await execute("ANALYZE seat_claims")
            let show = try await store.makeShow(seats: 10_000)
            try await sell(3_000, of: show)

            let (outcomes, entriesRead) = try await StoreHarness.withClient(url) { client in
                try await client.withConnection { connection in
                    func indexEntriesReturned() async throws -> Int64 {
                        for try await count in try await connection.query(
                            """
                            SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(i.indexrelid)), 0)::int8
                            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                            WHERE t.relname ~ '^seat_claims(_p[0-9]+)?$'
                            """,
                            logger: StoreHarness.logger
                        ).decode(Int64.self) {
                            return count
                        }
                        return 0
                    }
                    try await connection.query("BEGIN", logger: StoreHarness.logger)
                    let before = try await indexEntriesReturned()
                    var outcomes: [String] = []
                    for seats in [[5_000, 5_001], [7, 5_003]] {
                        for try await outcome in try await connection.query(
                            """
                            SELECT result_outcome FROM marquee_book(
                                gen_random_uuid(), \(UUID(uuidString: show.id)!), \(UUID(uuidString: user.id)!), 'Ann',
                                \(seats.map { Int32($0) }), now(), NULL, NULL, NULL, NULL, NULL, NULL)
                            """, logger: StoreHarness.logger
                        ).decode(String.self) {
                            outcomes.append(outcome)
                        }
                    }
                    let read = try await indexEntriesReturned() - before
                    try await connection.query("ROLLBACK", logger: StoreHarness.logger)
                    return (outcomes, read)
                }
            }
            #expect(outcomes == ["booked", "conflict"])
            #expect(entriesRead <= 4, "two 2-seat bookings read \(entriesRead) claims")
        }
    }
}
