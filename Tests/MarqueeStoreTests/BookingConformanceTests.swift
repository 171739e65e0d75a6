import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Bookings on both engines: seats taken all or none, refusals, lapsed holds, the database's
/// own refusal of a second claim, and no double sale under concurrent bookings.
@Suite struct BookingConformanceTests {
    @Test(arguments: Engine.available)
    func aBookingTakesItsSeatsAndIsStored(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Eve")
            let booking = try await store.book([3, 1], of: show, by: user)
            #expect(booking.status == .confirmed)
            #expect(booking.seats == [1, 3])
            #expect(booking.expiresAt == nil)
            #expect(booking.userName == "Eve")
            let stored = try #require(try await store.booking(id: booking.id))
            #expect(stored.seats == [1, 3])
            #expect(stored.status == .confirmed)
            #expect(stored.userId == user.id)
            #expect(stored.showId == show.id)
        }
    }

    @Test(arguments: Engine.available)
    func aBookingTakesAllOfItsSeatsOrNone(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ann, bob) = (try await store.makeUser("Ann"), try await store.makeUser("Bob"))
            _ = try await store.book([2, 3], of: show, by: ann)
            await #expect(throws: MarqueeError.seatsTaken([3])) {
                try await store.book([3, 4, 5], of: show, by: bob)
            }
            #expect(try await store.show(id: show.id, now: Date())?.takenSeats == [2, 3])
            #expect(try await store.bookings(userId: bob.id).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func seatsOutsideTheShowAndUnknownShowsAreRefused(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Fay")
            await #expect(throws: SeatSet.rangeError(totalSeats: 10)) { try await store.book([10, 11], of: show, by: user) }
            var ghost = show
            ghost.id = Identifier.make()
            await #expect(throws: MarqueeError.notFound("show")) { try await store.book([1], of: ghost, by: user) }
            #expect(try await store.bookings(userId: user.id).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func aUsersBookingsComeNewestFirst(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (gus, hal) = (try await store.makeUser("Gus"), try await store.makeUser("Hal"))
            let start = Date()
            let first = try await store.book([1], of: show, by: gus, now: start)
            let second = try await store.book([2], of: show, by: gus, now: start.addingTimeInterval(1))
            _ = try await store.book([3], of: show, by: hal, now: start.addingTimeInterval(2))
            #expect(try await store.bookings(userId: gus.id).map(\.id) == [second.id, first.id])
        }
    }

    @Test(arguments: Engine.available)
    func aLapsedHoldGivesItsSeatsWayAndExpires(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ivy, jon) = (try await store.makeUser("Ivy"), try await store.makeUser("Jon"))
            let now = Date()
            let hold = try await store.book([5, 6], of: show, by: ivy, holdUntil: now.addingTimeInterval(60), now: now)
            #expect(hold.status == .pending)
            await #expect(throws: MarqueeError.seatsTaken([6])) {
                try await store.book([6, 7], of: show, by: jon, now: now.addingTimeInterval(30))
            }
            // Past its expiry the hold frees its seats with no background job having run.
            let later = now.addingTimeInterval(61)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [])
            let taken = try await store.book([6, 7], of: show, by: jon, now: later)
            #expect(taken.status == .confirmed)
            #expect(try await store.booking(id: hold.id)?.status == .expired)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [6, 7])
        }
    }

    @Test(arguments: Engine.available)
    func theDatabaseItselfRefusesASecondClaimOnASeat(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            _ = try await store.book([5], of: show, by: try await store.makeUser("Kim"))
            let other = try await store.book([6], of: show, by: try await store.makeUser("Lou"))
            // Whatever the code does, a second booking cannot write a claim on seat 5.
            await #expect(throws: (any Error).self) {
                try await fixture.execute(
                    "INSERT INTO seat_claims (show_id, seat, booking_id) VALUES ('\(show.id)', 5, '\(other.id)')")
            }
            try await fixture.execute(
                "INSERT INTO seat_claims (show_id, seat, booking_id) VALUES ('\(show.id)', 7, '\(other.id)')")
        }
    }

    /// 200 attempts at once, on overlapping seats of one show.
    @Test(arguments: Engine.available)
    func concurrentBookingsNeverSellASeatTwice(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 60)
            var users: [User] = []
            for index in 0..<20 { users.append(try await store.makeUser("U\(index)")) }
            var generator = SeededGenerator(seed: 42)
            let attempts: [(User, [Int])] = (0..<200).map { index in
                let count = Int.random(in: 1...4, using: &generator)
                let seats = Set((0..<count).map { _ in Int.random(in: 1...60, using: &generator) })
                return (users[index % users.count], Array(seats))
            }

            enum Outcome: Sendable {
                case booked(Booking)
                case refused(requested: [Int], taken: [Int])
            }
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for (user, seats) in attempts {
                    group.addTask {
                        do {
                            return .booked(try await store.book(seats, of: show, by: user))
                        } catch MarqueeError.seatsTaken(let taken) {
                            return .refused(requested: seats, taken: taken)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            let booked = outcomes.compactMap { if case .booked(let b) = $0 { b } else { nil } }
            let refused = outcomes.compactMap { if case .refused(let r, let t) = $0 { (r, t) } else { nil } }
            #expect(booked.count + refused.count == 200)
            #expect(!booked.isEmpty && !refused.isEmpty, "the attempts must actually contend")

            // No seat is held by two active bookings.
            var stored: [Booking] = []
            for user in users { stored += try await store.bookings(userId: user.id) }
            let seats = stored.filter { $0.isActive(at: Date()) }.flatMap(\.seats)
            #expect(seats.count == Set(seats).count)

            // Every reported success is stored as reported, and nothing else is.
            #expect(Set(stored.map(\.id)) == Set(booked.map(\.id)))
            for booking in booked {
                #expect(stored.first { $0.id == booking.id }?.seats == booking.seats)
            }

            // Every failure names seats it asked for that really are taken.
            let taken = try #require(try await store.show(id: show.id, now: Date())).takenSeats
            #expect(taken == seats.sorted())
            for (requested, conflicting) in refused {
                #expect(!conflicting.isEmpty)
                #expect(Set(conflicting).isSubset(of: Set(requested)))
                #expect(Set(conflicting).isSubset(of: Set(taken)))
            }
        }
    }
}
