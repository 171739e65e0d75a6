import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Holds, confirmation, cancellation, expiry and idempotency keys, on both engines. Time is
/// passed in, so expiry is tested by moving `now`, never by sleeping.
@Suite struct HoldConformanceTests {
    @Test(arguments: Engine.available)
    func aHoldCanBeConfirmedAndThenOutlivesItsExpiry(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let ann = try await store.makeUser("Ann")
            let now = Date()
            let hold = try await store.book([1, 2], of: show, by: ann, holdUntil: now.addingTimeInterval(120), now: now)
            #expect(hold.status == .pending)
            #expect(try await store.show(id: show.id, now: now)?.show.availableSeats == 8)
            let confirmed = try await store.settle(.confirm, bookingId: hold.id, userId: ann.id, isAdmin: false, now: now)
            #expect(confirmed.status == .confirmed)
            #expect(confirmed.expiresAt == nil)
            let stored = try #require(try await store.booking(id: hold.id))
            #expect(stored.status == .confirmed && stored.expiresAt == nil)
            // Long after the hold would have lapsed, the confirmed seats are still taken.
            let later = now.addingTimeInterval(3600)
            #expect(try await store.show(id: show.id, now: later)?.takenSeats == [1, 2])
            await #expect(throws: MarqueeError.seatsTaken([2])) {
                try await store.book([2, 3], of: show, by: try await store.makeUser("Bob"), now: later)
            }
            await #expect(throws: MarqueeError.self) {
                try await store.settle(.confirm, bookingId: hold.id, userId: ann.id, isAdmin: false, now: now)
            }
        }
    }

    @Test(arguments: Engine.available)
    func confirmingALapsedHoldIs410AndExpiresIt(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let ann = try await store.makeUser("Ann")
            let now = Date()
            let hold = try await store.book([4], of: show, by: ann, holdUntil: now.addingTimeInterval(3), now: now)
            let late = now.addingTimeInterval(4)
            await #expect(throws: MarqueeError.holdExpired) {
                try await store.settle(.confirm, bookingId: hold.id, userId: ann.id, isAdmin: false, now: late)
            }
            #expect(try await store.booking(id: hold.id)?.status == .expired)
            #expect(try await store.show(id: show.id, now: late)?.takenSeats == [])
            // Still 410 once the hold is marked EXPIRED; cancelling it is a 409.
            await #expect(throws: MarqueeError.holdExpired) {
                try await store.settle(.confirm, bookingId: hold.id, userId: ann.id, isAdmin: false, now: late)
            }
            await #expect(throws: Settlement.lapsedError(for: .cancel)) {
                try await store.settle(.cancel, bookingId: hold.id, userId: ann.id, isAdmin: false, now: late)
            }
        }
    }

    @Test(arguments: Engine.available)
    func cancellingFreesTheSeatsAtOnceAndOnlyOnce(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ann, bob) = (try await store.makeUser("Ann"), try await store.makeUser("Bob"))
            let now = Date()
            let confirmed = try await store.book([1, 2], of: show, by: ann, now: now)
            let held = try await store.book([3], of: show, by: ann, holdUntil: now.addingTimeInterval(60), now: now)
            for booking in [confirmed, held] {
                let cancelled = try await store.settle(.cancel, bookingId: booking.id, userId: ann.id, isAdmin: false, now: now)
                #expect(cancelled.status == .cancelled)
                await #expect(throws: MarqueeError.self) {
                    try await store.settle(.cancel, bookingId: booking.id, userId: ann.id, isAdmin: false, now: now)
                }
                await #expect(throws: MarqueeError.self) {
                    try await store.settle(.confirm, bookingId: booking.id, userId: ann.id, isAdmin: false, now: now)
                }
            }
            #expect(try await store.show(id: show.id, now: now)?.takenSeats == [])
            #expect(try await store.book([1, 2, 3], of: show, by: bob, now: now).status == .confirmed)
        }
    }

    @Test(arguments: Engine.available)
    func onlyTheOwnerConfirmsAndTheOwnerOrAnAdminCancels(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let (ann, eve) = (try await store.makeUser("Ann"), try await store.makeUser("Eve"))
            let now = Date()
            let hold = try await store.book([5], of: show, by: ann, holdUntil: now.addingTimeInterval(60), now: now)
            for (action, isAdmin) in [(BookingAction.confirm, false), (.cancel, false), (.confirm, true)] {
                await #expect(throws: MarqueeError.notFound("booking")) {
                    try await store.settle(action, bookingId: hold.id, userId: eve.id, isAdmin: isAdmin, now: now)
                }
            }
            let cancelled = try await store.settle(.cancel, bookingId: hold.id, userId: eve.id, isAdmin: true, now: now)
            #expect(cancelled.status == .cancelled)
            await #expect(throws: MarqueeError.notFound("booking")) {
                try await store.settle(.cancel, bookingId: Identifier.make(), userId: ann.id, isAdmin: false, now: now)
            }
        }
    }

    @Test(arguments: Engine.available)
    func theSweeperExpiresOnlyLapsedHolds(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let ann = try await store.makeUser("Ann")
            let now = Date()
            let short = try await store.book([1], of: show, by: ann, holdUntil: now.addingTimeInterval(5), now: now)
            let long = try await store.book([2], of: show, by: ann, holdUntil: now.addingTimeInterval(500), now: now)
            let sold = try await store.book([3], of: show, by: ann, now: now)
            #expect(try await store.expireHolds(now: now, limit: 100) == 0)
            #expect(try await store.expireHolds(now: now.addingTimeInterval(10), limit: 100) == 1)
            #expect(try await store.booking(id: short.id)?.status == .expired)
            #expect(try await store.booking(id: short.id)?.expiresAt == nil)
            #expect(try await store.booking(id: long.id)?.status == .pending)
            #expect(try await store.booking(id: sold.id)?.status == .confirmed)
            // Its seat is free even for a reader who ignores time.
            try await fixture.execute("DELETE FROM seat_claims WHERE expires_at IS NOT NULL")
            #expect(try await store.show(id: show.id, now: now)?.takenSeats == [3])
            #expect(try await store.expireHolds(now: now.addingTimeInterval(10), limit: 100) == 0)
        }
    }

    @Test(arguments: Engine.available)
    func aUserMayHoldOnlySoManyBookingsAtOnce(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 20)
            let ann = try await store.makeUser("Ann")
            let now = Date()
            func hold(_ seat: Int, at time: Date = now) async throws -> Booking {
                try await store.book(
                    BookingRequest(
                        showId: show.id, userId: ann.id, userName: ann.name, seats: try SeatSet([seat], maximum: 10),
                        holdUntil: time.addingTimeInterval(60), maxActiveHolds: 2), now: time)
            }
            let first = try await hold(1)
            _ = try await hold(2)
            await #expect(throws: MarqueeError.tooManyHolds(limit: 2)) { try await hold(3) }
            // Confirmed bookings do not count; a cancelled or lapsed hold frees a place.
            _ = try await store.book([10], of: show, by: ann, now: now)
            _ = try await store.settle(.cancel, bookingId: first.id, userId: ann.id, isAdmin: false, now: now)
            _ = try await hold(3)
            await #expect(throws: MarqueeError.tooManyHolds(limit: 2)) { try await hold(4) }
            #expect(try await hold(4, at: now.addingTimeInterval(61)).status == .pending)
        }
    }

    /// Confirm, cancel and the sweeper hit one hold at once, many times over. Requests that
    /// overlap have one winner and the rest get 409 (410 for a lapsed hold); a request that
    /// starts after another finished acts on its result (confirm, then cancel, is allowed).
    /// Either way the successes form one serial history that the final state matches, and
    /// the freed seat is then sold exactly once.
    @Test(arguments: Engine.available)
    func confirmCancelAndExpiryRaceToExactlyOneOutcome(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 40)
            let ann = try await store.makeUser("Ann")
            var buyers: [User] = []
            for index in 0..<4 { buyers.append(try await store.makeUser("Buyer\(index)")) }
            for seat in 1...20 {
                let now = Date()
                let hold = try await store.book([seat], of: show, by: ann, holdUntil: now.addingTimeInterval(1), now: now)
                let before = now.addingTimeInterval(0.5)
                let after = now.addingTimeInterval(2)
                async let confirm = Result(catching: {
                    try await store.settle(.confirm, bookingId: hold.id, userId: ann.id, isAdmin: false, now: before)
                })
                async let cancel = Result(catching: {
                    try await store.settle(.cancel, bookingId: hold.id, userId: ann.id, isAdmin: false, now: before)
                })
                async let swept = store.expireHolds(now: after, limit: 100)
                let (confirmed, cancelled, expired) = (await confirm, await cancel, try await swept > 0)
                let history = (confirmed.succeeded, cancelled.succeeded, expired)
                let final = try #require(try await store.booking(id: hold.id)).status
                switch history {
                case (true, false, false): #expect(final == .confirmed, "seat \(seat)")
                case (false, true, false): #expect(final == .cancelled, "seat \(seat)")
                case (false, false, true): #expect(final == .expired, "seat \(seat)")
                case (true, true, false): #expect(final == .cancelled, "seat \(seat): confirmed, then cancelled")
                default: Issue.record("seat \(seat): impossible history \(history), final \(final)")
                }
                for loser in [confirmed, cancelled] where !loser.succeeded {
                    #expect(loser.isConflictOrGone, "seat \(seat): \(loser)")
                }

                // Then the seat goes to at most one buyer, and to none if it was confirmed.
                let sales = await withTaskGroup(of: Bool.self) { group in
                    for buyer in buyers {
                        group.addTask { (try? await store.book([seat], of: show, by: buyer, now: after)) != nil }
                    }
                    return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(sales == (final == .confirmed ? 0 : 1), "seat \(seat)")
            }
        }
    }

    // MARK: Idempotency keys

    @Test(arguments: Engine.available)
    func tenConcurrentStartsWithOneKeyLetExactlyOneProceed(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let key = IdempotencyKey(userId: ann.id, key: "order-1", fingerprint: "f1")
            let starts = try await withThrowingTaskGroup(of: IdempotencyStart.self) { group in
                for _ in 0..<10 { group.addTask { try await store.beginIdempotent(key, now: Date(), staleAfter: .seconds(60)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(starts.filter { $0 == .proceed }.count == 1)
            #expect(starts.filter { $0 == .inFlight }.count == 9)
        }
    }

    @Test(arguments: Engine.available)
    func aKeyedBookingStoresItsAnswerWhichSurvivesARestart(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 10)
            let ann = try await store.makeUser("Ann")
            let key = IdempotencyKey(userId: ann.id, key: "k-1", fingerprint: "f1")
            #expect(try await store.beginIdempotent(key, now: Date(), staleAfter: .seconds(60)) == .proceed)
            let answer = StoredResponse(status: 201, body: #"{"id":"x"}"#)
            _ = try await store.book(
                BookingRequest(showId: show.id, userId: ann.id, userName: ann.name, seats: try SeatSet([1], maximum: 10),
                               idempotency: (key, answer)), now: Date())
            try await fixture.reopened { restarted in
                #expect(try await restarted.beginIdempotent(key, now: Date(), staleAfter: .seconds(60)) == .replay(answer))
                var other = key
                other.fingerprint = "f2"
                #expect(try await restarted.beginIdempotent(other, now: Date(), staleAfter: .seconds(60)) == .mismatch)
                // Keys are per user: another user's same key is new.
                let bob = try await restarted.makeUser("Bob")
                let bobs = IdempotencyKey(userId: bob.id, key: "k-1", fingerprint: "f1")
                #expect(try await restarted.beginIdempotent(bobs, now: Date(), staleAfter: .seconds(60)) == .proceed)
            }
        }
    }

    @Test(arguments: Engine.available)
    func refusalsAreStoredReleasedKeysRetryAndOldKeysArePurged(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let ann = try await store.makeUser("Ann")
            let now = Date()
            let refused = IdempotencyKey(userId: ann.id, key: "refused", fingerprint: "f")
            _ = try await store.beginIdempotent(refused, now: now, staleAfter: .seconds(60))
            let problem = StoredResponse(status: 409, body: #"{"status":409}"#)
            try await store.finishIdempotent(refused, response: problem)
            #expect(try await store.beginIdempotent(refused, now: now, staleAfter: .seconds(60)) == .replay(problem))

            let failed = IdempotencyKey(userId: ann.id, key: "failed", fingerprint: "f")
            _ = try await store.beginIdempotent(failed, now: now, staleAfter: .seconds(60))
            try await store.releaseIdempotent(failed)
            #expect(try await store.beginIdempotent(failed, now: now, staleAfter: .seconds(60)) == .proceed)
            // An in-flight record whose request died is taken over once stale.
            #expect(try await store.beginIdempotent(failed, now: now.addingTimeInterval(61), staleAfter: .seconds(60)) == .proceed)

            #expect(try await store.purgeIdempotencyKeys(createdBefore: now.addingTimeInterval(-1)) == 0)
            #expect(try await store.purgeIdempotencyKeys(createdBefore: now.addingTimeInterval(3600)) == 2)
            #expect(try await store.beginIdempotent(refused, now: now, staleAfter: .seconds(60)) == .proceed)
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }

    var succeeded: Bool { if case .success = self { true } else { false } }

    /// Lost a race the way API.md says: 409, or 410 for a hold that lapsed.
    var isConflictOrGone: Bool {
        guard case .failure(let error) = self, let error = error as? MarqueeError else { return false }
        switch error {
        case .conflict, .holdExpired: return true
        default: return false
        }
    }
}
