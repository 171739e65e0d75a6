import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

@testable import MarqueeStore

/// Which database a public read goes to, from what the monitor has seen: no database needed
/// (the black-box checks in scripts/blackbox/checks_replicas.py use a real streaming replica).
@Suite struct ReplicaRoutingTests {
    static func replicas(_ count: Int, maxLag: Duration = .seconds(1)) -> ReplicaSet {
        ReplicaSet(
            replicas: (0..<count).map { index in
                (name: "replica-\(index)", configuration: PostgresClient.Configuration(
                    host: "127.0.0.1", port: 1, username: "u", password: nil, database: "d", tls: .disable))
            },
            maxLag: maxLag, observer: nil, logger: Logger(label: "test"))
    }

    @Test func positionsReadAsPostgreSQLPrintsThemAndOrderAsTheLogGrows() throws {
        let position = try #require(WALPosition("16/B374D848"))
        #expect(position.value == 0x16_B374_D848 && position.description == "16/B374D848")
        #expect(try #require(WALPosition("0/FFFFFFFF")) < (try #require(WALPosition("1/0"))))
        for bad in ["", "16", "16/", "/1", "1/2/3", "G/1", "123456789/0", " 1/2", "1/2 "] {
            #expect(WALPosition(bad) == nil, "\(bad) was read")
        }
    }

    @Test func aReplicaServesReadsWhileItIsWithinTheLagAndFarEnoughAlong() throws {
        let set = Self.replicas(1)
        let start = ContinuousClock.now
        let (early, late) = (WALPosition(100), WALPosition(200))
        set.sample(early, at: start)
        set.sample(late, at: start + .milliseconds(500))
        // It has what the primary had at `start`, not yet what it wrote half a second later.
        set.record(0, replayed: WALPosition(150), now: start + .milliseconds(600))
        let any = ReadRoute(atLeast: nil)
        #expect(set.choose(for: any, now: start + .milliseconds(900)) == .replica(0))
        // A token past what it replayed, or the lag past the limit: the primary.
        #expect(set.choose(for: ReadRoute(atLeast: late), now: start + .milliseconds(900)) == .primary)
        #expect(set.choose(for: ReadRoute(atLeast: early), now: start + .milliseconds(900)) == .replica(0))
        #expect(set.choose(for: any, now: start + .milliseconds(1_100)) == .primary)
        // Caught up: an idle primary does not make it look stale.
        set.record(0, replayed: late, now: start + .milliseconds(600))
        #expect(set.choose(for: ReadRoute(atLeast: late), now: start + .milliseconds(1_400)) == .replica(0))
    }

    @Test func aReplicaThatFailedOrIsNoStandbyIsLeftOutUntilItAnswersAgain() {
        let set = Self.replicas(2)
        let now = ContinuousClock.now
        set.sample(WALPosition(10), at: now)
        set.record(0, replayed: WALPosition(10), now: now)
        set.record(1, replayed: WALPosition(10), now: now)
        let route = ReadRoute(atLeast: nil)
        let chosen = Set((0..<4).map { _ in set.choose(for: route, now: now) })
        #expect(chosen == [.replica(0), .replica(1)], "both are used in turn")
        set.failed(0)
        #expect(Set((0..<4).map { _ in set.choose(for: route, now: now) }) == [.replica(1)])
        set.record(1, replayed: nil, now: now)
        #expect(set.choose(for: route, now: now) == .primary)
        set.record(0, replayed: WALPosition(10), now: now)
        #expect(set.choose(for: route, now: now) == .replica(0))
    }

    @Test func oneRequestStaysOnTheDatabaseItFirstRead() {
        let route = ReadRoute(atLeast: nil)
        #expect(route.target { (.replica(1), WALPosition(5)) } == .replica(1))
        #expect(route.target { (.primary, nil) } == .replica(1))
        #expect(route.seen == WALPosition(5))
        route.fallBack(seen: WALPosition(7))
        #expect(route.target { (.replica(0), nil) } == .primary && route.seen == WALPosition(7))
    }

    @Test func writesThatFinishTogetherShareOneReadOfThePosition() async throws {
        let queries = NIOLockedValueBox(0)
        let positions = CommitPositions {
            let count = queries.withLockedValue { count in
                count += 1
                return count
            }
            try await Task.sleep(for: .milliseconds(50))
            return WALPosition(UInt64(count))
        }
        let mark = ContinuousClock.now
        let read = try await withThrowingTaskGroup(of: WALPosition.self) { group in
            for _ in 0..<20 { group.addTask { try await positions.position(after: mark) } }
            return try await group.reduce(into: [WALPosition]()) { $0.append($1) }
        }
        // The first read began after every mark; or, for those that asked while it ran
        // after their mark, the next one did. Never one query each.
        #expect(queries.withLockedValue { $0 } <= 2 && read.count == 20)
        // A write that finished after the read in flight began waits for the next one.
        let late = try await positions.position(after: .now)
        #expect(late.value > read.map(\.value).max()!)
    }
}
