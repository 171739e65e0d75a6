import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// The outbox: an event for every committed change to a show's seats, and none for a change
/// that did not commit. Run against SQLite and PostgreSQL alike.
@Suite struct EventConformanceTests {
    @Test(arguments: Engine.available)
    func everyChangeToSeatsWritesOneEventOfItsKind(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let now = Date()
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 20, now: now)
            let booked = try await store.book([1, 2], of: show, by: ann, now: now)
            let held = try await store.book([3], of: show, by: ann, holdUntil: now.addingTimeInterval(60), now: now)
            _ = try await store.settle(.confirm, bookingId: held.id, userId: ann.id, isAdmin: false, now: now)
            _ = try await store.settle(.cancel, bookingId: booked.id, userId: ann.id, isAdmin: false, now: now)
            let lapsing = try await store.book([5, 6], of: show, by: ann, holdUntil: now.addingTimeInterval(1), now: now)
            #expect(try await store.expireHolds(now: now.addingTimeInterval(2), limit: 10) == 1)

            let events = try await store.events(after: 0, orAmong: [], limit: 100)
            #expect(events.map(\.kind) == [
                .showCreated, .bookingConfirmed, .holdCreated, .holdConfirmed, .bookingCancelled, .holdCreated, .holdExpired,
            ])
            #expect(events.allSatisfy { $0.showId == show.id })
            #expect(events.map(\.bookingId) == [nil, booked.id, held.id, held.id, booked.id, lapsing.id, lapsing.id])
            #expect(events[1].taken == [1, 2] && events[4].freed == [1, 2])
            #expect(events[3].seats == [3] && !events[3].changesSeats)
            #expect(events[6].freed == [5, 6])
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id })
            // The JSON that webhooks and change-data capture read; the server's own reads leave it out.
            for event in events {
                let text = try await fixture.text("SELECT CAST(payload AS text) FROM booking_events WHERE id = \(event.id)")
                let payload = try JSONSerialization.jsonObject(with: Data((text ?? "").utf8)) as? [String: Any]
                #expect(payload?["type"] as? String == event.kind.rawValue)
                #expect(payload?["showId"] as? String == show.id)
                #expect(payload?["bookingId"] as? String == event.bookingId)
            }
            #expect(try await store.latestEventId() == events.last?.id)
        }
    }

    @Test(arguments: Engine.available)
    func aLapsedHoldThatGivesWayToABookingIsRecordedAsExpired(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let now = Date()
            let (ann, bea) = (try await store.makeUser("Ann"), try await store.makeUser("Bea"))
            let show = try await store.makeShow(seats: 10, now: now)
            let hold = try await store.book([4], of: show, by: ann, holdUntil: now.addingTimeInterval(1), now: now)
            let later = now.addingTimeInterval(5)
            let start = try await store.latestEventId()
            let booking = try await store.book([4], of: show, by: bea, now: later)
            let events = try await store.events(after: start, orAmong: [], limit: 10)
            #expect(events.map(\.kind) == [.holdExpired, .bookingConfirmed])
            #expect(events.map(\.bookingId) == [hold.id, booking.id])
        }
    }

    @Test(arguments: Engine.available)
    func aRefusedBookingWritesNoEvent(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let (ann, bea) = (try await store.makeUser("Ann"), try await store.makeUser("Bea"))
            let show = try await store.makeShow(seats: 10)
            _ = try await store.book([1, 2], of: show, by: ann)
            let before = try await store.latestEventId()
            await #expect(throws: MarqueeError.seatsTaken([2])) { try await store.book([2, 3], of: show, by: bea) }
            await #expect(throws: MarqueeError.self) { try await store.book([11], of: show, by: bea) }
            #expect(try await store.latestEventId() == before)
        }
    }

    /// The event is written by the database in the change's own transaction: a rollback
    /// takes it away with the change, and a commit keeps both.
    @Test(arguments: Engine.available)
    func anEventExistsIfAndOnlyIfItsChangeCommitted(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 10)
            let before = try await store.latestEventId()
            let insert: String
            switch engine {
            case .sqlite:
                insert = """
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at)
                    VALUES ('\(UUID().uuidString.lowercased())', '\(show.id)', '\(ann.id)', 'Ann', '[7]', 'CONFIRMED', 0)
                    """
            case .postgres:
                insert = """
                    INSERT INTO bookings (id, show_id, user_id, user_name, seats, status, created_at)
                    VALUES ('\(UUID().uuidString.lowercased())', '\(show.id)', '\(ann.id)', 'Ann', '{7}', 'CONFIRMED', now())
                    """
            }
            try await fixture.rolledBack([insert])
            #expect(try await store.events(after: before, orAmong: [], limit: 10).isEmpty)
            try await fixture.execute(insert)
            let committed = try await store.events(after: before, orAmong: [], limit: 10)
            #expect(committed.map(\.kind) == [.bookingConfirmed])
            #expect(committed.first?.seats == [7])
        }
    }

    @Test(arguments: Engine.available)
    func aSnapshotAndTheShowsLaterEventsFitTogether(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let now = Date()
            let ann = try await store.makeUser("Ann")
            let (show, other) = (try await store.makeShow(seats: 10, now: now), try await store.makeShow(seats: 10, now: now))
            _ = try await store.book([1], of: show, by: ann, now: now)
            let snapshot = try #require(try await store.seatSnapshot(showId: show.id, now: now))
            #expect(snapshot.takenSeats == [1])
            _ = try await store.book([2], of: show, by: ann, now: now)
            _ = try await store.book([9], of: other, by: ann, now: now)
            let later = try #require(try await store.showEvents(showId: show.id, after: snapshot.lastEventId, limit: 10))
            #expect(later.map(\.seats) == [[2]], "only this show's events after the snapshot")
            #expect(try await store.seatSnapshot(showId: UUID().uuidString.lowercased(), now: now) == nil)

            // Once old events are pruned, a reader that far behind is told to start again.
            #expect(try await store.pruneEvents(createdBefore: Date().addingTimeInterval(3600)) == 4, "all five but the newest")
            #expect(try await store.showEvents(showId: show.id, after: snapshot.lastEventId, limit: 10) == nil)
            _ = try await store.book([3], of: show, by: ann, now: now)
            let newest = try await store.latestEventId()
            #expect(try await store.showEvents(showId: show.id, after: newest - 1, limit: 10)?.count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func eventsPassedOverEarlierAreFoundByTheirIds(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let show = try await store.makeShow(seats: 10)
            for seat in 1...3 { _ = try await store.book([seat], of: show, by: ann) }
            let all = try await store.events(after: 0, orAmong: [], limit: 10)
            #expect(all.count == 4)
            let found = try await store.events(after: all[3].id, orAmong: [all[1].id], limit: 10)
            #expect(found.map(\.id) == [all[1].id])
            #expect(try await store.events(after: 0, orAmong: [], limit: 2).count == 2)
            #expect(try await store.pruneEvents(createdBefore: Date().addingTimeInterval(-3600)) == 0)
        }
    }
}
