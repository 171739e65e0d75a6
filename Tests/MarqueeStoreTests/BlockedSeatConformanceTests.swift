import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Shows on a venue, and blocked seats, on both engines. A block is a seat claim without a
/// booking, so the constraint that refuses a double sale keeps blocked and sold seats apart.
@Suite struct BlockedSeatConformanceTests {
    @Test(arguments: Engine.available)
    func aShowOnAVenueKeepsItsVenue(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let venue = try await store.createVenue(
                NewVenue(name: "Hall", totalSeats: 4, layoutJSON: "{}"), now: Date())
            let show = try await store.createShow(
                try NewShow(name: "On a venue", startTime: Date().addingTimeInterval(86_400), totalSeats: nil,
                            venueId: venue.id, venue: (venue.id, 4)), now: Date())
            #expect(show.venueId == venue.id && show.totalSeats == 4)
            let read = try #require(try await store.show(id: show.id, now: Date()))
            #expect(read.show.venueId == venue.id)
            let plain = try await store.makeShow(seats: 5)
            #expect(try await store.show(id: plain.id, now: Date())?.show.venueId == nil)
            let listed = try await store.shows(try ShowQuery(limit: 50, cursor: nil, from: nil), now: Date())
            #expect(listed.items.first { $0.id == show.id }?.venueId == venue.id)
        }
    }

    @Test(arguments: Engine.available)
    func blockedSeatsAreReplacedReportedApartAndCannotBeBooked(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Bea")
            _ = try await store.book([1], of: show, by: user)
            let before = try await store.latestEventId()

            #expect(try await store.setBlockedSeats(showId: show.id, seats: SeatSet([5, 3], maximum: 10), now: Date()) == [3, 5])
            var detail = try #require(try await store.show(id: show.id, now: Date()))
            #expect(detail.takenSeats == [1])
            #expect(detail.blockedSeats == [3, 5])
            #expect(detail.show.availableSeats == 7)

            // A blocked seat is refused like a sold one, and names itself.
            await #expect(throws: MarqueeError.seatsTaken([3])) { try await store.book([2, 3], of: show, by: user) }
            // A sold seat cannot be blocked, and nothing changes.
            await #expect(throws: MarqueeError.seatsTaken([1])) {
                try await store.setBlockedSeats(showId: show.id, seats: SeatSet([1, 4], maximum: 10), now: Date())
            }
            #expect(try await store.show(id: show.id, now: Date())?.blockedSeats == [3, 5])

            // Replacing: 5 is put back on sale, 7 is taken out.
            #expect(try await store.setBlockedSeats(showId: show.id, seats: SeatSet([3, 7], maximum: 10), now: Date()) == [3, 7])
            _ = try await store.book([5], of: show, by: user)
            detail = try #require(try await store.show(id: show.id, now: Date()))
            #expect(detail.takenSeats == [1, 5] && detail.blockedSeats == [3, 7])

            let events = try await store.events(after: before, orAmong: [], limit: 20).filter { $0.showId == show.id }
            let blocking = events.filter { $0.kind == .seatsBlocked || $0.kind == .seatsUnblocked }
            #expect(blocking.map(\.kind) == [.seatsBlocked, .seatsUnblocked, .seatsBlocked])
            #expect(blocking.map(\.seats) == [[3, 5], [5], [7]])
            #expect(blocking.map(\.taken) == [[3, 5], [], [7]])
            #expect(blocking.map(\.freed) == [[], [5], []])
            #expect(blocking.allSatisfy { $0.bookingId == nil })
            for event in blocking {
                let payload = try await fixture.text("SELECT CAST(payload AS text) FROM booking_events WHERE id = \(event.id)")
                #expect(payload?.contains("\"\(event.kind.rawValue)\"") == true)
            }

            // Unblocking all of them.
            #expect(try await store.setBlockedSeats(showId: show.id, seats: SeatSet([], maximum: 10, allowingEmpty: true), now: Date()).isEmpty)
            #expect(try await store.show(id: show.id, now: Date())?.show.availableSeats == 8)
        }
    }

    @Test(arguments: Engine.available)
    func aLapsedHoldGivesWayToABlockAndUnknownShowsAndSeatsAreRefused(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 6)
            let user = try await store.makeUser("Cy")
            let now = Date()
            let hold = try await store.book([2, 3], of: show, by: user, holdUntil: now.addingTimeInterval(60), now: now)
            let later = now.addingTimeInterval(120)
            #expect(try await store.setBlockedSeats(showId: show.id, seats: SeatSet([2], maximum: 6), now: later) == [2])
            #expect(try await store.booking(id: hold.id)?.status == .expired)
            let detail = try #require(try await store.show(id: show.id, now: later))
            #expect(detail.takenSeats.isEmpty && detail.blockedSeats == [2])

            await #expect(throws: MarqueeError.notFound("show")) {
                try await store.setBlockedSeats(showId: Identifier.make(), seats: SeatSet([1], maximum: 6), now: later)
            }
            await #expect(throws: MarqueeError.self) {
                try await store.setBlockedSeats(showId: show.id, seats: SeatSet([7], maximum: 10), now: later)
            }
            #expect(try await store.show(id: show.id, now: later)?.blockedSeats == [2])
        }
    }
}
