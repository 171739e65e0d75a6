import Foundation
import HTTPTypes
import Logging
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import NIOConcurrencyHelpers
import Testing

@Suite struct StartupGateTests {
    @Test func theSweeperWaitsForStartUpBeforeTouchingTheDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("s.sqlite").path)  // not migrated yet
        let lines = LogLines()
        let gate = StartupGate()
        let sweeper = HoldSweeper(
            store: store, interval: .milliseconds(20), logger: lines.logger(),
            metrics: MarqueeMetrics(factory: MetricsSetup().factory), clock: { Date() }, started: gate,
            changes: OutboxSignal(),
            retention: RetentionSweep(
                store: store, keyRetention: .seconds(86_400), eventRetention: .seconds(86_400), loginWindow: .seconds(900)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sweeper.run() }
            try await Task.sleep(for: .milliseconds(150))
            #expect(!lines.all.contains { $0.contains("Sweep failed") || $0.contains("Retention sweep failed") }, "swept before the schema existed")
            try await store.migrate()
            gate.open()
            try await Task.sleep(for: .milliseconds(150))
            #expect(!lines.all.contains { $0.contains("Sweep failed") || $0.contains("Retention sweep failed") })
            group.cancelAll()
        }
    }

    @Test func aCancelledWaiterReturnsThoughTheGateNeverOpens() async throws {
        let gate = StartupGate()
        let returned = NIOLockedValueBox(false)
        let waiter = Task {
            await gate.wait()
            returned.withLockedValue { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!returned.withLockedValue { $0 })
        waiter.cancel()
        // Polled with a deadline: a gate that ignored cancellation fails here, not hangs.
        for _ in 0..<250 where !returned.withLockedValue({ $0 }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(returned.withLockedValue { $0 })
    }

    @Test func waitersResumeWhenTheGateOpensAndLaterWaitersPassStraightThrough() async throws {
        let gate = StartupGate()
        let passed = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await gate.wait()
                    passed.withLockedValue { $0 += 1 }
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(passed.withLockedValue { $0 } == 0)
            gate.open()
            try await group.waitForAll()
        }
        #expect(passed.withLockedValue { $0 } == 3)
        await gate.wait()
    }
}
