import Foundation
import MarqueeCore
@testable import MarqueeServer
import MarqueeStore
import MarqueeTestSupport
import Synchronization
import Testing

/// The coalescer on real stores of both engines: concurrent requests share transactions,
/// never sell a seat twice, and a full line refuses at once.
struct BookingCoalescerTests {
    /// With one lane, requests for two shows that wait together go into one transaction.
    @Test(arguments: Engine.available)
    func requestsForDifferentShowsInOneLaneShareATransaction(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let (first, second) = (try await store.makeShow(seats: 50), try await store.makeShow(seats: 50))
            let user = try await store.makeUser("Ola")
            let sizes = Mutex<[Int]>([])
            var limits = BookingLimits()
            limits.lanes = 1
            let coalescer = BookingCoalescer(
                store: store, limits: limits, observer: .init(batch: { size in sizes.withLock { $0.append(size) } }))
            let requests = try [(first, 1), (second, 1), (first, 2), (second, 2)].map { show, seat in
                BookingRequest(showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet([seat], maximum: 10))
            }
            try await fixture.whileShowIsLocked(first.id) {
                // The first request's transaction waits for the lock; the others wait in its lane.
                let head = Task { try await coalescer.book(requests[0], now: Date()) }
                try await waitUntil { await coalescer.isRunningAlone() }
                let rest = requests.dropFirst().map { request in Task { try await coalescer.book(request, now: Date()) } }
                try await waitUntil { await coalescer.waitingCount == 3 }
                return [head] + rest
            } after: { tasks in
                for task in tasks { _ = try await task.value }
            }
            #expect(sizes.withLock { $0 } == [1, 3])
            #expect(try await store.show(id: first.id, now: Date())?.takenSeats == [1, 2])
            #expect(try await store.show(id: second.id, now: Date())?.takenSeats == [1, 2])
        }
    }

    /// 300 requests at once for overlapping seats of three shows in two lanes, through the
    /// coalescer: they are decided in fewer transactions than requests, and no seat is sold
    /// twice.
    @Test(arguments: Engine.available)
    func coalescedBookingsNeverSellASeatTwice(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            var shows: [Show] = []
            for _ in 0..<3 { shows.append(try await store.makeShow(seats: 40)) }
            var users: [User] = []
            for index in 0..<20 { users.append(try await store.makeUser("C\(index)")) }
            let batches = Mutex<[Int]>([])
            var limits = BookingLimits()
            limits.lanes = 2
            limits.maxWaitingPerShow = 1_000
            let coalescer = BookingCoalescer(
                store: store, limits: limits, observer: .init(batch: { size in batches.withLock { $0.append(size) } }))
            var generator = SeededGenerator(seed: 7)
            let attempts: [BookingRequest] = try (0..<300).map { index in
                let count = Int.random(in: 1...4, using: &generator)
                let seats = Set((0..<count).map { _ in Int.random(in: 1...40, using: &generator) })
                let user = users[index % users.count]
                return BookingRequest(
                    showId: shows[index % shows.count].id, userId: user.id, userName: user.name,
                    seats: try SeatSet(Array(seats), maximum: 10),
                    holdUntil: index % 3 == 0 ? Date().addingTimeInterval(600) : nil,
                    maxActiveHolds: index % 3 == 0 ? 5 : nil)
            }
            let outcomes = try await withThrowingTaskGroup(of: (BookingRequest, Result<Booking, MarqueeError>).self) { group in
                for request in attempts {
                    group.addTask {
                        do {
                            return (request, .success(try await coalescer.book(request, now: Date())))
                        } catch let error as MarqueeError {
                            return (request, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            let sizes = batches.withLock { $0 }
            #expect(sizes.reduce(0, +) == 300, "every request went through exactly one transaction")
            #expect(sizes.count < 300 && sizes.contains { $0 > 1 }, "concurrent requests must be coalesced: \(sizes)")

            let booked = outcomes.compactMap { _, result in try? result.get() }
            #expect(!booked.isEmpty)
            var stored: [Booking] = []
            for user in users { stored += try await store.bookings(userId: user.id) }
            #expect(Set(stored.map(\.id)) == Set(booked.map(\.id)))
            var taken: [String: Set<Int>] = [:]
            for show in shows {
                let seats = stored.filter { $0.showId == show.id && $0.isActive(at: Date()) }.flatMap(\.seats)
                #expect(seats.count == Set(seats).count, "a seat was sold twice")
                let map = try #require(try await store.show(id: show.id, now: Date())).takenSeats
                #expect(map == seats.sorted())
                taken[show.id] = Set(map)
            }
            for (request, result) in outcomes {
                switch result {
                case .success(let booking): #expect(booking.seats == request.seats.seats)
                case .failure(.seatsTaken(let conflicting)):
                    #expect(!conflicting.isEmpty && Set(conflicting).isSubset(of: Set(request.seats.seats)))
                    #expect(Set(conflicting).isSubset(of: taken[request.showId] ?? []))
                case .failure(.tooManyHolds): #expect(request.holdUntil != nil)
                case .failure(let other): Issue.record("unexpected refusal \(other)")
                }
            }
        }
    }

    /// While a show's transaction is held up, its line fills to the limit and the next request
    /// is refused at once, with nothing done; when the show is free again, everyone in line
    /// is served.
    @Test(arguments: Engine.available)
    func aFullLineRefusesAtOnceAndTheLineIsServedLater(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 50)
            let user = try await store.makeUser("Max")
            var limits = BookingLimits()
            limits.maxWaitingPerShow = 3
            let coalescer = BookingCoalescer(store: store, limits: limits)
            let requests = try (1...5).map { seat in
                BookingRequest(showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet([seat], maximum: 10))
            }

            try await fixture.whileShowIsLocked(show.id) {
                // The first request starts a transaction that waits for the lock; three wait behind it.
                let first = Task { try await coalescer.book(requests[0], now: Date()) }
                try await waitUntil { await coalescer.isRunningAlone() }
                let queued = requests[1...3].map { request in Task { try await coalescer.book(request, now: Date()) } }
                try await waitUntil { await coalescer.waitingCount == 3 }
                let started = ContinuousClock.now
                await #expect(throws: MarqueeError.overloaded(retryAfterSeconds: 1)) {
                    try await coalescer.book(requests[4], now: Date())
                }
                // The lock stays held until this closure returns, so a refusal that waited for
                // the line would never come; 5 s tells the two apart on a loaded machine too.
                #expect(started.duration(to: .now) < .seconds(5), "a refusal must not wait")
                return [first] + queued
            } after: { tasks in
                for task in tasks { _ = try await task.value }
            }
            #expect(try await store.show(id: show.id, now: Date())?.takenSeats == [1, 2, 3, 4])
        }
    }

    /// When a batch fails as a whole, each of its requests is decided again alone, so the
    /// request that broke it fails and the others are booked.
    @Test(arguments: Engine.available)
    func oneBadRequestDoesNotFailTheOthersInItsBatch(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 50)
            let user = try await store.makeUser("Ned")
            let coalescer = BookingCoalescer(store: store)
            let requests = try (1...4).map { seat in
                BookingRequest(
                    showId: show.id, userId: seat == 3 ? Identifier.make() : user.id, userName: user.name,
                    seats: try SeatSet([seat], maximum: 10))
            }
            let results = try await fixture.whileShowIsLocked(show.id) {
                let first = Task { try await coalescer.book(requests[0], now: Date()) }
                try await waitUntil { await coalescer.isRunningAlone() }
                let rest = requests.dropFirst().map { request in Task { try await coalescer.book(request, now: Date()) } }
                try await waitUntil { await coalescer.waitingCount == 3 }
                return [first] + rest
            } after: { tasks in
                var results: [Bool] = []
                for task in tasks { results.append((try? await task.value) != nil) }
                return results
            }
            #expect(results == [true, true, false, true])
            #expect(try await store.show(id: show.id, now: Date())?.takenSeats == [1, 2, 4])
        }
    }
}

extension BookingCoalescer {
    /// One transaction running, nobody waiting.
    func isRunningAlone() -> Bool { busyLaneCount == 1 && waitingCount == 0 }
}

extension Result where Failure == MarqueeError {
    var failure: MarqueeError? {
        if case .failure(let error) = self { error } else { nil }
    }
}
