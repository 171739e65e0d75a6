import Foundation
import MarqueeStore
import MarqueeTestSupport
import PostgresNIO
import Synchronization
import Testing

/// The PostgreSQL listener that wakes an instance when another one changed something.
struct ChangeListenerTests {
    /// An instance reads its own changes as it makes them, so its own notifications, which
    /// come back to its listener, must not cost it another read of the outbox.
    @Test(.enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"))
    func aListenerPassesOverItsOwnInstancesNotifications() async throws {
        try await StoreHarness.withStore(.postgres) { fixture in
            let url = try #require(fixture.databaseURL)
            let calls = Mutex(0)
            let listener = InstanceListener(
                configuration: try PostgresURL.connectionConfiguration(url), logger: StoreHarness.logger,
                ignoring: "this-instance"
            ) { calls.withLock { $0 += 1 } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await listener.run() }
                defer { group.cancelAll() }
                try await waitUntil { calls.withLock { $0 } == 1 }  // the catch-up after connecting
                for sender in ["this-instance", "this-instance", "another-instance"] {
                    try await fixture.execute("SELECT pg_notify('\(InstanceListener.channel)', '\(sender)')")
                }
                // Counted as well, this instance's own two would bring the count to 4 within
                // the pause.
                try await waitUntil { calls.withLock { $0 } >= 2 }
                try await Task.sleep(for: .milliseconds(200))
                #expect(calls.withLock { $0 } == 2)
            }
        }
    }
}
