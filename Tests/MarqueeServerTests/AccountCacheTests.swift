import Foundation
import MarqueeCore
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeServer

struct AccountCacheTests {
    static let user = User(id: "u1", name: "Ann", email: "ann@example.com", role: .customer, createdAt: Date())

    @Test func anAccountIsReadOnceWithinItsTimeToLiveAndAgainAfter() async throws {
        let cache = AccountCache(timeToLive: .seconds(10))
        let reads = Mutex(0)
        let read: @Sendable () async throws -> User? = {
            reads.withLock { $0 += 1 }
            return Self.user
        }
        let start = ContinuousClock.now
        #expect(try await cache.user(id: "u1", now: start, read: read)?.name == "Ann")
        #expect(try await cache.user(id: "u1", now: start + .seconds(9), read: read)?.name == "Ann")
        #expect(reads.withLock { $0 } == 1)
        _ = try await cache.user(id: "u1", now: start + .seconds(11), read: read)
        #expect(reads.withLock { $0 } == 2)
    }

    @Test func aMissingAccountIsNotRemembered() async throws {
        let cache = AccountCache()
        let reads = Mutex(0)
        for _ in 0..<2 {
            let found = try await cache.user(id: "ghost") {
                reads.withLock { $0 += 1 }
                return nil
            }
            #expect(found == nil)
        }
        #expect(reads.withLock { $0 } == 2)
    }
}
