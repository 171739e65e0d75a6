import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Webhook endpoints and their delivery queue, on SQLite and PostgreSQL alike.
@Suite struct WebhookConformanceTests {
    static func register(_ store: any BookingStore, _ types: [String]) async throws -> Webhook {
        try await store.createWebhook(
            try NewWebhook(url: "http://127.0.0.1:9/hook", secret: "a-secret-of-some-length", eventTypes: types), now: Date())
    }

    @Test(arguments: Engine.available)
    func anEventQueuesOneDeliveryForEachWebhookSubscribedToItsType(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let confirmed = try await Self.register(store, ["booking.confirmed"])
            let holds = try await Self.register(store, ["hold.created", "hold.expired"])
            #expect(try await store.webhooks().map(\.id) == [confirmed.id, holds.id])
            #expect(try await store.webhooks().last?.eventTypes == [.holdCreated, .holdExpired])
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 10)
            _ = try await store.book([1], of: show, by: ann)
            _ = try await store.book([2], of: show, by: ann, holdUntil: Date().addingTimeInterval(60))

            let toConfirmed = try await store.deliveries(webhookId: confirmed.id, limit: 10)
            #expect(toConfirmed.map(\.eventType) == [.bookingConfirmed])
            #expect(toConfirmed.first?.status == .pending && toConfirmed.first?.attempts == 0)
            #expect(try await store.deliveries(webhookId: holds.id, limit: 10).map(\.eventType) == [.holdCreated])

            #expect(try await store.deleteWebhook(id: holds.id))
            #expect(try await store.deleteWebhook(id: holds.id) == false)
            #expect(try await store.deliveries(webhookId: holds.id, limit: 10).isEmpty)
            #expect(try await store.webhooks().map(\.id) == [confirmed.id])
        }
    }

    @Test(arguments: Engine.available)
    func aClaimedDeliveryIsLeasedRetriedWhenDueAndFinishedOnce(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let hook = try await Self.register(store, ["booking.confirmed"])
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 10)
            _ = try await store.book([1], of: show, by: ann)
            let now = Date().addingTimeInterval(1)

            let first = try await store.claimDeliveries(now: now, limit: 10, lease: .seconds(30))
            #expect(first.count == 1 && first.first?.attempt == 1)
            #expect(first.first?.url == "http://127.0.0.1:9/hook" && first.first?.secret == "a-secret-of-some-length")
            let payload = try JSONSerialization.jsonObject(with: Data((first.first?.payload ?? "").utf8)) as? [String: Any]
            #expect(payload?["type"] as? String == "booking.confirmed")
            #expect(try await store.claimDeliveries(now: now, limit: 10, lease: .seconds(30)).isEmpty, "leased")

            let id = try #require(first.first?.deliveryId)
            try await store.recordDelivery(
                id: id, outcome: .retry(statusCode: 500, error: "HTTP 500", next: now.addingTimeInterval(60)), now: now)
            #expect(try await store.claimDeliveries(now: now.addingTimeInterval(30), limit: 10, lease: .seconds(30)).isEmpty)
            let logged = try #require(try await store.deliveries(webhookId: hook.id, limit: 10).first)
            #expect(logged.lastStatusCode == 500 && logged.lastError == "HTTP 500" && logged.attempts == 1)

            let second = try await store.claimDeliveries(now: now.addingTimeInterval(61), limit: 10, lease: .seconds(30))
            #expect(second.map(\.attempt) == [2])
            try await store.recordDelivery(id: id, outcome: .delivered(statusCode: 204), now: now.addingTimeInterval(62))
            let done = try #require(try await store.deliveries(webhookId: hook.id, limit: 10).first)
            #expect(done.status == .delivered && done.lastStatusCode == 204 && done.deliveredAt != nil)
            #expect(try await store.claimDeliveries(now: now.addingTimeInterval(999), limit: 10, lease: .seconds(30)).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func aLeaseThatRunsOutLetsTheDeliveryBeClaimedAgain(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            _ = try await Self.register(store, ["show.created"])
            _ = try await store.makeShow(seats: 10)
            let now = Date().addingTimeInterval(1)
            #expect(try await store.claimDeliveries(now: now, limit: 10, lease: .seconds(5)).count == 1)
            // The instance that claimed it died: after the lease, another takes it over.
            let again = try await store.claimDeliveries(now: now.addingTimeInterval(6), limit: 10, lease: .seconds(5))
            #expect(again.map(\.attempt) == [2])
        }
    }

    @Test(arguments: Engine.available)
    func instancesClaimingAtOnceNeverGetTheSameDelivery(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            _ = try await Self.register(store, ["show.created"])
            for _ in 0..<40 { _ = try await store.makeShow(seats: 1) }
            let now = Date().addingTimeInterval(1)
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.claimDeliveries(now: now, limit: 10, lease: .seconds(30)).map(\.deliveryId)
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
        }
    }

    @Test func aWebhookNeedsAnHttpURLALongEnoughSecretAndKnownTypes() throws {
        #expect(throws: MarqueeError.self) { try NewWebhook(url: "ftp://example.com", secret: "x", eventTypes: []) }
        do {
            _ = try NewWebhook(url: "not a url", secret: "short", eventTypes: ["booking.confirmed", "nope"])
            Issue.record("accepted")
        } catch {
            guard case .validation(let errors) = error else { throw error }
            #expect(errors.map(\.field) == ["url", "secret", "eventTypes"])
        }
        let hook = try NewWebhook(
            url: "https://example.com/h", secret: "sixteen-bytes-ok", eventTypes: ["hold.expired", "show.created", "hold.expired"])
        #expect(hook.eventTypes == [.holdExpired, .showCreated])
    }

    @Test func retriesBackOffExponentiallyUpToACapAndStop() {
        let policy = RetryPolicy(base: .seconds(1), cap: .seconds(10), maxAttempts: 5)
        let now = Date(timeIntervalSince1970: 0)
        let delays = (1...4).map { attempt -> Double in
            guard case .retry(_, _, let next) = policy.outcome(afterFailed: attempt, statusCode: 500, error: "e", now: now)
            else { return -1 }
            return next.timeIntervalSince(now)
        }
        #expect(delays == [1, 2, 4, 8])
        #expect(policy.outcome(afterFailed: 5, statusCode: 500, error: "e", now: now) == .failed(statusCode: 500, error: "e"))
        let capped = RetryPolicy(base: .seconds(1), cap: .seconds(10), maxAttempts: 20)
        if case .retry(_, _, let next) = capped.outcome(afterFailed: 9, statusCode: nil, error: "e", now: now) {
            #expect(next.timeIntervalSince(now) == 10)
        } else {
            Issue.record("no retry")
        }
    }
}
