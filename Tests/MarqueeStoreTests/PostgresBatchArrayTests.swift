import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import PostgresNIO
import Testing

/// `marquee_book_many` takes a batch as one array per field, the seats of every request in one
/// array with a count for each (functions/marquee_book_many.sql). What the requests decide is
/// BatchConformanceTests', on both engines; here, that seats which do not add up to their
/// counts write nothing, rather than give a request another's seats, and that the claims' key
/// to their booking is deferred only while the batch runs.
@Suite(.enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"))
struct PostgresBatchArrayTests {
    @Test func seatsThatDoNotAddUpToTheirCountsWriteNothing() async throws {
        try await StoreHarness.withPostgres(migrated: true) { fixture in
            let show = try await fixture.store.makeShow(seats: 10)
            let ann = try await fixture.store.makeUser("Ann")
            func batch(counts: String, seats: String) -> String {
                """
                SELECT * FROM marquee_book_many(
                    ARRAY['\(UUID())', '\(UUID())']::uuid[], ARRAY['\(show.id)', '\(show.id)']::uuid[],
                    ARRAY['\(ann.id)', '\(ann.id)']::uuid[], '{Ann,Ann}', '\(counts)', '\(seats)',
                    ARRAY[now(), now()], '{NULL,NULL}', '{NULL,NULL}', '{NULL,NULL}', '{NULL,NULL}',
                    '{NULL,NULL}', '{NULL,NULL}')
                """
            }
            for (counts, seats) in [("{1,2}", "{1,2}"), ("{1,1}", "{1,2,3}")] {
                await #expect(throws: (any Error).self, "counts \(counts), seats \(seats)") {
                    try await fixture.execute(batch(counts: counts, seats: seats))
                }
            }
            #expect(try await fixture.text("SELECT count(*)::text FROM bookings") == "0")
            #expect(try await fixture.text("SELECT count(*)::text FROM seat_claims") == "0")
            // Seats that add up are booked, each request its own.
            try await fixture.execute(batch(counts: "{1,2}", seats: "{1,2,3}"))
            #expect(try await fixture.text("SELECT string_agg(seats::text, ' ' ORDER BY seats) FROM bookings") == "{1} {2,3}")
        }
    }

    /// The batch defers every claim's key to its booking (DEFERRABLE, migration 14) and makes
    /// it immediate again before it returns: after a batch, in the same transaction, a claim
    /// without a booking is refused at once, not left for a COMMIT whose error would be lost.
    @Test func theClaimsKeyIsDeferredOnlyWhileTheBatchRuns() async throws {
        try await StoreHarness.withPostgres(migrated: true) { fixture in
            let show = try await fixture.store.makeShow(seats: 10)
            let ann = try await fixture.store.makeUser("Ann")
            let batch = """
                SELECT * FROM marquee_book_many(
                    ARRAY['\(UUID())']::uuid[], ARRAY['\(show.id)']::uuid[], ARRAY['\(ann.id)']::uuid[], '{Ann}',
                    '{2}', '{1,2}', ARRAY[now()], '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}')
                """
            try await fixture.rolledBack([batch])
            let orphan = "INSERT INTO seat_claims VALUES ('\(show.id)', 6, '\(UUID().uuidString.lowercased())', NULL)"
            let refused = await #expect(throws: PSQLError.self) { try await fixture.rolledBack([batch, orphan]) }
            #expect(refused?.serverInfo?[.sqlState] == "23503", "a foreign-key violation")
        }
    }
}
