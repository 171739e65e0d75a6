import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// The trigger that queues webhook deliveries is on the outbox only while a webhook exists
/// (functions/marquee_queue_webhooks.sql), and no event after a registration goes without
/// its delivery. (What deliveries hold is WebhookConformanceTests', on both engines.)
@Suite(.enabled(if: Engine.hasPostgres, "needs PostgreSQL: set MARQUEE_TEST_DATABASE_URL, as scripts/test does"))
struct PostgresWebhookTriggerTests {
    static func triggerIsOn(_ fixture: StoreFixture) async throws -> Bool {
        try await fixture.text(
            """
            SELECT count(*)::text FROM pg_trigger
            WHERE tgrelid = 'booking_events'::regclass AND tgname = 'webhook_deliveries_queue'
            """) == "1"
    }

    @Test func theTriggerIsOnFromTheFirstWebhookToTheLast() async throws {
        try await StoreHarness.withPostgres(migrated: true) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 20)
            #expect(try await Self.triggerIsOn(fixture) == false, "no webhook, no trigger")
            _ = try await store.book([1], of: show, by: ann)

            let first = try await WebhookConformanceTests.register(store, ["booking.confirmed"])
            let second = try await WebhookConformanceTests.register(store, ["booking.confirmed"])
            #expect(try await Self.triggerIsOn(fixture))
            _ = try await store.book([2], of: show, by: ann)
            #expect(try await store.deliveries(webhookId: first.id, limit: 10).count == 1)

            #expect(try await store.deleteWebhook(id: first.id))
            #expect(try await Self.triggerIsOn(fixture), "one webhook is left")
            _ = try await store.book([3], of: show, by: ann)
            #expect(try await store.deliveries(webhookId: second.id, limit: 10).count == 2)

            #expect(try await store.deleteWebhook(id: second.id))
            #expect(try await Self.triggerIsOn(fixture) == false)
            _ = try await store.book([4], of: show, by: ann)
            #expect(try await fixture.text("SELECT count(*)::text FROM booking_events WHERE type = 'booking.confirmed'") == "4",
                    "the outbox is written all the same")
            #expect(try await fixture.text("SELECT count(*)::text FROM webhook_deliveries") == "0")
        }
    }

    /// Bookings keep coming while a webhook is registered: every event written after the
    /// registration committed has its delivery.
    @Test func noEventAfterARegistrationGoesWithoutItsDelivery() async throws {
        try await StoreHarness.withPostgres(migrated: true) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 400)
            let registration = try await withThrowingTaskGroup(of: (hookId: String, mark: Int)?.self) { group in
                for lane in 0..<4 {
                    group.addTask {
                        for seat in stride(from: lane + 1, through: 400, by: 4) {
                            _ = try await store.book([seat], of: show, by: ann)
                        }
                        return nil
                    }
                }
                group.addTask {
                    try await waitUntil {
                        let events = try? await fixture.text("SELECT count(*)::text FROM booking_events")
                        return Int(events ?? "") ?? 0 > 40
                    }
                    let hook = try await WebhookConformanceTests.register(store, ["booking.confirmed"])
                    // Every event with a greater id was written after the registration committed.
                    let mark = try await fixture.text("SELECT max(id)::text FROM booking_events")
                    return (hook.id, try #require(Int(mark ?? "")))
                }
                var registration: (hookId: String, mark: Int)?
                for try await answer in group where answer != nil { registration = answer }
                return try #require(registration)
            }
            let (hookId, mark) = registration
            let after = try #require(Int(try await fixture.text(
                "SELECT count(*)::text FROM booking_events WHERE type = 'booking.confirmed' AND id > \(mark)") ?? ""))
            let delivered = try #require(Int(try await fixture.text(
                """
                SELECT count(*)::text FROM webhook_deliveries
                WHERE webhook_id = '\(hookId)' AND event_id > \(mark)
                """) ?? ""))
            #expect(after > 100, "the registration came while bookings went on")
            #expect(delivered == after)
        }
    }
}
