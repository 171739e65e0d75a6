import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Synchronization
import Testing

/// Several bookings in one transaction (``BookingStore/bookTogether(_:)``), on both engines.
/// The coalescer that makes such batches is tested in MarqueeServerTests.
struct BatchConformanceTests {
    @Test(arguments: Engine.available)
    func aBatchDecidesEachRequestOnItsOwnSeatsInOrder(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            var users: [String: User] = [:]
            for name in ["Ann", "Bob", "Cal", "Dee", "Eve", "Fay", "Gil", "Hal"] { users[name] = try await store.makeUser(name) }
            let now = Date()
            _ = try await store.book([9], of: show, by: users["Dee"]!, now: now)
            let key = IdempotencyKey(userId: users["Gil"]!.id, key: "gil-1", fingerprint: "f")
            #expect(try await store.beginIdempotent(key, now: now, staleAfter: .seconds(60)) == .proceed)
            let stored = StoredResponse(status: 201, body: #"{"the":"answer"}"#)

            let pass = UUID().uuidString.lowercased()
            func request(_ name: String, _ seats: [Int], hold: Bool = false, queuePass: String? = nil) throws
                -> BookingRequest
            {
                let user = users[name]!
                return BookingRequest(
                    showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet(seats, maximum: 100),
                    holdUntil: hold ? now.addingTimeInterval(60) : nil, maxActiveHolds: hold ? 1 : nil,
                    queueEntryId: queuePass)
            }
            var gil = try request("Gil", [6])
            gil.idempotency = (key, stored)
            let batch = [
                try request("Ann", [1, 2]),
                try request("Bob", [2, 3]),  // 2 is Ann's, from earlier in this batch
                try request("Cal", [3, 4]),  // 3 is free: Bob's refusal took nothing
                try request("Dee", [9]),  // taken before the batch
                try request("Eve", [10, 11]),  // outside the show
                try request("Fay", [5], hold: true),
                try request("Fay", [7], hold: true),  // her second hold, over a cap of 1
                gil,
                try request("Hal", [8], queuePass: pass),
                try request("Hal", [10], queuePass: pass),  // the pass has booked, earlier in this batch
            ]
            let results = try await store.bookTogether(batch.map { ($0, now) })

            #expect(results.count == batch.count)
            #expect(try results[0].get().seats == [1, 2])
            #expect(results[1].failure == .seatsTaken([2]))
            #expect(try results[2].get().seats == [3, 4])
            #expect(results[3].failure == .seatsTaken([9]))
            #expect(results[4].failure == SeatSet.rangeError(totalSeats: 10))
            #expect(try results[5].get().status == .pending)
            #expect(results[6].failure == .tooManyHolds(limit: 1))
            #expect(try results[7].get().id == gil.id)
            #expect(try results[8].get().seats == [8])
            #expect(results[9].failure == .queuePass(.used))

            // What was stored is what was answered, and nothing else.
            #expect(try await store.show(id: show.id, now: now)?.takenSeats == [1, 2, 3, 4, 5, 6, 8, 9])
            for (request, result) in zip(batch, results) {
                let booking = try await store.booking(id: request.id)
                switch result {
                case .success(let answered):
                    #expect(booking?.seats == answered.seats)
                    #expect(booking?.status == answered.status)
                case .failure: #expect(booking == nil)
                }
            }
            #expect(try await store.beginIdempotent(key, now: now, staleAfter: .seconds(60)) == .replay(stored))
            // One event per booking made, in the batch's order.
            let events = try await store.events(after: 0, orAmong: [], limit: 100).filter { $0.bookingId != nil }
            #expect(events.map(\.kind) == [
                .bookingConfirmed, .bookingConfirmed, .bookingConfirmed, .holdCreated, .bookingConfirmed, .bookingConfirmed,
            ])
        }
    }

    @Test(arguments: Engine.available)
    func aBatchTakesTheSeatsOfLapsedHolds(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ivy, jon) = (try await store.makeUser("Ivy"), try await store.makeUser("Jon"))
            let now = Date()
            let hold = try await store.book([5, 6], of: show, by: ivy, holdUntil: now.addingTimeInterval(60), now: now)
            let later = now.addingTimeInterval(61)
            let requests = try [[5], [6, 7]].map { seats in
                BookingRequest(showId: show.id, userId: jon.id, userName: jon.name, seats: try SeatSet(seats, maximum: 10))
            }
            let results = try await store.bookTogether(requests.map { ($0, later) })
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            #expect(try await store.booking(id: hold.id)?.status == .expired)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [5, 6, 7])
        }
    }

    @Test(arguments: Engine.available)
    func aBatchForAnUnknownShowRefusesEveryRequest(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let user = try await store.makeUser("Kay")
            let ghost = Identifier.make()
            let requests = try (1...3).map { seat in
                BookingRequest(showId: ghost, userId: user.id, userName: user.name, seats: try SeatSet([seat], maximum: 10))
            }
            let results = try await store.bookTogether(requests.map { ($0, Date()) })
            #expect(results.map(\.failure) == Array(repeating: .notFound("show"), count: 3))
            #expect(try await store.bookTogether([]).isEmpty)
        }
    }

    /// A request the database itself rejects (a user that does not exist breaks a foreign key)
    /// fails the whole transaction, and then nothing of the batch was stored.
    @Test(arguments: Engine.available)
    func aBatchThatFailsAsAWholeStoresNothing(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let user = try await store.makeUser("Lee")
            let good = BookingRequest(showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet([1], maximum: 10))
            let orphan = BookingRequest(
                showId: show.id, userId: Identifier.make(), userName: "Nobody", seats: try SeatSet([2], maximum: 10))
            await #expect(throws: (any Error).self) {
                _ = try await store.bookTogether([(good, Date()), (orphan, Date())])
            }
            #expect(try await store.booking(id: good.id) == nil)
            #expect(try await store.show(id: show.id, now: Date())?.takenSeats == [])
        }
    }

    /// Batches for two shows at once, with holds by the same users in opposite orders: the
    /// user locks are taken in one order, so neither waits for the other forever.
    @Test(arguments: Engine.available)
    func batchesOfDifferentShowsWithTheSameUsersDoNotDeadlock(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let shows = [try await store.makeShow(seats: 400), try await store.makeShow(seats: 400)]
            var users: [User] = []
            for index in 0..<6 { users.append(try await store.makeUser("H\(index)")) }
            let now = Date()
            let outcomes = try await withThrowingTaskGroup(of: [Result<Booking, MarqueeError>].self) { group in
                for round in 0..<20 {
                    for (which, show) in shows.enumerated() {
                        let order = which == 0 ? users : users.reversed()
                        let batch = try order.enumerated().map { index, user in
                            BookingRequest(
                                showId: show.id, userId: user.id, userName: user.name,
                                seats: try SeatSet([round * 6 + index + 1], maximum: 10),
                                holdUntil: now.addingTimeInterval(600), maxActiveHolds: 1_000)
                        }
                        group.addTask { try await store.bookTogether(batch.map { ($0, now) }) }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.count == 240)
            #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
        }
    }

    /// One batch may hold requests for several shows: each is decided on its own show's
    /// seats, in order, and an unknown show refuses only its own request.
    @Test(arguments: Engine.available)
    func aBatchDecidesRequestsForSeveralShowsEachOnItsOwnShow(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let (first, second) = (try await store.makeShow(seats: 10), try await store.makeShow(seats: 5))
            let user = try await store.makeUser("Mia")
            let now = Date()
            _ = try await store.book([1], of: first, by: user, now: now)
            func request(_ showId: String, _ seats: [Int]) throws -> BookingRequest {
                BookingRequest(showId: showId, userId: user.id, userName: user.name, seats: try SeatSet(seats, maximum: 100))
            }
            let batch = [
                try request(first.id, [1]),  // taken before the batch
                try request(second.id, [1]),  // the same number in another show: free
                try request(first.id, [2, 3]),
                try request(second.id, [1, 2]),  // 1 went to this batch's second request
                try request(Identifier.make(), [1]),  // no such show
                try request(second.id, [6]),  // outside the second show, though not the first
                try request(second.id, [2]),
            ]
            let results = try await store.bookTogether(batch.map { ($0, now) })

            #expect(results[0].failure == .seatsTaken([1]))
            #expect(try results[1].get().showId == second.id)
            #expect(try results[2].get().seats == [2, 3])
            #expect(results[3].failure == .seatsTaken([1]))
            #expect(results[4].failure == .notFound("show"))
            #expect(results[5].failure == SeatSet.rangeError(totalSeats: 5))
            #expect(try results[6].get().seats == [2])
            #expect(try await store.show(id: first.id, now: now)?.takenSeats == [1, 2, 3])
            #expect(try await store.show(id: second.id, now: now)?.takenSeats == [1, 2])
        }
    }

    /// A hold locks its user's row against the user's other holds, but a plain booking for
    /// that user in another transaction must not wait for it: two batches, each holding for
    /// one user and booking for the other, would otherwise wait for each other until the
    /// database broke the deadlock by failing one of them.
    @Test(arguments: Engine.available)
    func holdsAndBookingsForTheSameUsersInTwoBatchesDoNotDeadlock(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let shows = [try await store.makeShow(seats: 100), try await store.makeShow(seats: 100)]
            let users = [try await store.makeUser("Pia"), try await store.makeUser("Rex")]
            let now = Date()
            let outcomes = try await withThrowingTaskGroup(of: [Result<Booking, MarqueeError>].self) { group in
                for round in 0..<20 {
                    for (which, show) in shows.enumerated() {
                        let (holder, booker) = which == 0 ? (users[0], users[1]) : (users[1], users[0])
                        let batch = [
                            BookingRequest(
                                showId: show.id, userId: holder.id, userName: holder.name,
                                seats: try SeatSet([round * 2 + 1], maximum: 10),
                                holdUntil: now.addingTimeInterval(600), maxActiveHolds: 1_000),
                            BookingRequest(
                                showId: show.id, userId: booker.id, userName: booker.name,
                                seats: try SeatSet([round * 2 + 2], maximum: 10)),
                        ]
                        group.addTask { try await store.bookTogether(batch.map { ($0, now) }) }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.count == 80)
            #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
        }
    }
}

extension Result where Failure == MarqueeError {
    var failure: MarqueeError? {
        if case .failure(let error) = self { error } else { nil }
    }
}
