import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Session revocations on both engines: one token by digest, every token of an account by
/// its epoch, read back in order while they matter, and purged once they do not.
@Suite struct SessionConformanceTests {
    @Test(arguments: Engine.available)
    func revocationsAreReadBackInOrderUntilTheyExpire(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let now = Date()
            let ann = try await store.createUser(
                NewUser(name: "Ann", email: "ann@example.com", passwordHash: "h", createdAt: now))
            #expect(try await store.credentials(email: "ann@example.com")?.sessionEpoch == 0)

            try await store.revokeToken(digest: "d1", userId: ann.id, expiresAt: now.addingTimeInterval(60), now: now)
            #expect(try await store.revokeSessions(userId: ann.id, keepUntil: now.addingTimeInterval(3600), now: now) == 1)
            #expect(try await store.revokeSessions(userId: ann.id, keepUntil: now.addingTimeInterval(3600), now: now) == 2)
            #expect(try await store.credentials(email: "ann@example.com")?.sessionEpoch == 2, "a login gets the new epoch")
            #expect(try await store.revokeSessions(userId: Identifier.make(), keepUntil: now, now: now) == nil)

            let all = try await store.sessionRevocations(after: 0, now: now)
            #expect(all.map(\.target) == [.token(digest: "d1"), .epochsBefore(1), .epochsBefore(2)])
            #expect(all.allSatisfy { $0.userId == ann.id })
            #expect(all.map(\.id) == all.map(\.id).sorted() && Set(all.map(\.id)).count == 3)
            let afterFirst = try await store.sessionRevocations(after: all[0].id, now: now)
            #expect(afterFirst.map(\.id).contains(all[2].id))
            #expect(!afterFirst.isEmpty && afterFirst.map(\.id) == afterFirst.map(\.id).sorted())

            // The token's own revocation lapses with the token; the epochs' an hour later.
            let later = now.addingTimeInterval(120)
            #expect(try await store.sessionRevocations(after: 0, now: later).map(\.target) == [.epochsBefore(1), .epochsBefore(2)])
            #expect(try await store.purgeSessionRevocations(expiredBefore: later) == 1)
            #expect(try await store.purgeSessionRevocations(expiredBefore: later) == 0)
            #expect(try await store.sessionRevocations(after: 0, now: now).count == 2)
        }
    }
}

/// Failed logins on both engines: counted per key within a window, with the oldest, and
/// purged once past it.
@Suite struct LoginFailureConformanceTests {
    @Test(arguments: Engine.available)
    func failuresAreCountedPerKeyWithinTheWindow(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Date(timeIntervalSince1970: 2_000_000_000)
            try await store.recordLoginFailure(keys: ["email:ann", "address:1.2.3.4"], at: start)
            try await store.recordLoginFailure(keys: ["email:ann"], at: start.addingTimeInterval(10))
            try await store.recordLoginFailure(keys: ["email:bob", "address:1.2.3.4"], at: start.addingTimeInterval(20))

            let all = try await store.loginFailures(
                keys: ["email:ann", "address:1.2.3.4", "email:nobody"], since: start.addingTimeInterval(-1))
            #expect(all["email:ann"] == LoginFailures(count: 2, oldest: start))
            #expect(all["address:1.2.3.4"] == LoginFailures(count: 2, oldest: start))
            #expect(all["email:nobody"] == nil)
            let later = try await store.loginFailures(keys: ["email:ann"], since: start.addingTimeInterval(5))
            #expect(later["email:ann"] == LoginFailures(count: 1, oldest: start.addingTimeInterval(10)))

            #expect(try await store.purgeLoginFailures(before: start.addingTimeInterval(15)) == 3)
            #expect(try await store.loginFailures(keys: ["email:ann"], since: start)["email:ann"] == nil)
            #expect(try await store.loginFailures(keys: ["email:bob"], since: start)["email:bob"]?.count == 1)
        }
    }
}
