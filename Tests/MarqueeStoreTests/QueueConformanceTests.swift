import Foundation
import MarqueeCore
import MarqueeStore
import MarqueeTestSupport
import Testing

/// Queues on both engines (API.md, "Queues"): one entry per account, the committed draw of the
/// pre-queue, unique gap-free ranks, the keeper's lease and pace, one booking per pass, the
/// queue closing when the show sells out, and all of it surviving a restart. Time is passed
/// in, never waited for.
@Suite struct QueueConformanceTests {
    static let lease: Duration = .seconds(3)

    /// Now, to the second: the stores keep microseconds, and a time between two of them would
    /// read back a hair later than given.
    static func wholeSecond() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    /// `count` new accounts named `prefix0`, `prefix1`, …
    static func users(_ store: any BookingStore, _ count: Int, _ prefix: String) async throws -> [User] {
        var users: [User] = []
        for index in 0..<count { users.append(try await store.makeUser("\(prefix)\(index)")) }
        return users
    }

    /// A show of `seats` going on sale at `onSaleAt` with a queue admitting `perMinute`.
    static func queuedShow(_ store: any BookingStore, seats: Int, onSaleAt: Date, perMinute: Int, now: Date) async throws
        -> Show
    {
        try await store.createShow(
            try NewShow(
                name: "On sale", startTime: onSaleAt.addingTimeInterval(86_400), totalSeats: seats,
                onSaleAt: onSaleAt, queue: (perMinute, 60)),
            now: now)
    }

    @Test(arguments: Engine.available)
    func thePreQueueIsDrawnByTheCommittedSeedAndLaterJoinersFollowInOrder(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let onSale = start.addingTimeInterval(60)
            let show = try await Self.queuedShow(store, seats: 100, onSaleAt: onSale, perMinute: 60, now: start)
            #expect(show.onSaleAt != nil && show.queue == ShowQueue(state: .scheduled, admitPerMinute: 60, passSeconds: 60))
            let queue = try #require(try await store.queue(showId: show.id))
            #expect(queue.commitment == QueueShuffle.commitment(to: queue.seed) && queue.seed.count == 64)
            #expect(queue.revealedSeed(at: start) == nil)

            var early: [QueueEntryRecord] = []
            for index in 0..<12 {
                let user = try await store.makeUser("Early\(index)")
                let join = try await store.joinQueue(showId: show.id, userId: user.id, now: start.addingTimeInterval(Double(index)))
                #expect(join.created && join.entry.rank == nil)
                early.append(join.entry)
                // Joining again gives the same entry, and makes no other.
                let again = try await store.joinQueue(showId: show.id, userId: user.id, now: start.addingTimeInterval(30))
                #expect(!again.created && again.entry.id == join.entry.id)
            }
            #expect(try await store.queueOrder(showId: show.id, now: start) == nil)

            // The first join after onSaleAt draws the pre-queue before taking its own rank.
            let late = try await store.makeUser("Late")
            let lateJoin = try await store.joinQueue(showId: show.id, userId: late.id, now: onSale.addingTimeInterval(1))
            #expect(lateJoin.entry.rank == 13)
            let later = try await store.makeUser("Later")
            let laterJoin = try await store.joinQueue(showId: show.id, userId: later.id, now: onSale.addingTimeInterval(2))
            #expect(laterJoin.entry.rank == 14)
            // A request whose clock was read before it waited for the lock: its join time still
            // comes after the one let in before it, so join order and rank order agree.
            let slow = try await store.makeUser("Slow")
            let slowJoin = try await store.joinQueue(showId: show.id, userId: slow.id, now: onSale.addingTimeInterval(1.5))
            #expect(slowJoin.entry.rank == 15 && slowJoin.entry.joinedAt > laterJoin.entry.joinedAt)
            #expect(try await store.queueEntry(showId: show.id, userId: slow.id)?.joinedAt == slowJoin.entry.joinedAt)

            let order = try #require(try await store.queueOrder(showId: show.id, now: onSale.addingTimeInterval(3)))
            #expect(order == QueueShuffle.order(seed: queue.seed, entryIds: early.map(\.id)))
            #expect(Set(order) == Set(early.map(\.id)))
            for (index, id) in order.enumerated() {
                let entry = try #require(early.first { $0.id == id })
                #expect(try await store.queueEntry(showId: show.id, userId: entry.userId)?.rank == index + 1)
            }
            let drawn = try #require(try await store.queue(showId: show.id))
            #expect(drawn.ranked && drawn.entries == 15)
        }
    }

    @Test(arguments: Engine.available)
    func joinsTogetherAreRankedInTheOrderGivenAndARepeatFindsItsEntry(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let onSale = start.addingTimeInterval(30)
            let show = try await Self.queuedShow(store, seats: 50, onSaleAt: onSale, perMinute: 60, now: start)
            let users = try await Self.users(store, 7, "T")
            let early = try await store.joinQueue(showId: show.id, userIds: [users[0].id, users[1].id], now: start)
            #expect(early.map(\.created) == [true, true] && early.allSatisfy { $0.entry.rank == nil })
            // The first batch after onSaleAt draws the pre-queue, then ranks itself in its order;
            // an account named twice gets one entry.
            let batch = try await store.joinQueue(
                showId: show.id, userIds: [users[2].id, users[3].id, users[2].id, users[0].id, users[4].id],
                now: onSale.addingTimeInterval(1))
            #expect(batch.map(\.entry.rank) == [3, 4, 3, batch[3].entry.rank, 5])
            #expect(batch.map(\.created) == [true, true, false, false, true])
            #expect(batch[0].entry.id == batch[2].entry.id && batch[3].entry.id == early[0].entry.id)
            #expect([1, 2].contains(batch[3].entry.rank ?? 0))
            let next = try await store.joinQueue(showId: show.id, userIds: [users[5].id, users[6].id], now: onSale.addingTimeInterval(2))
            #expect(next.map(\.entry.rank) == [6, 7])
            #expect(next[1].entry.joinedAt > next[0].entry.joinedAt)
            #expect(try await store.joinQueue(showId: show.id, userIds: [], now: onSale).isEmpty)
            #expect(try await store.queue(showId: show.id)?.entries == 7)
        }
    }

    @Test(arguments: Engine.available)
    func aShowWithoutAQueueHasNoneToJoin(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let show = try await store.makeShow(seats: 3)
            let user = try await store.makeUser("Nia")
            await #expect(throws: MarqueeError.noQueue) { try await store.joinQueue(showId: show.id, userId: user.id, now: Date()) }
            await #expect(throws: MarqueeError.notFound("show")) {
                try await store.joinQueue(showId: Identifier.make(), userId: user.id, now: Date())
            }
            #expect(try await store.queue(showId: show.id) == nil)
            #expect(try await store.saleTerms(showId: show.id) == SaleTerms(onSaleAt: nil, hasQueue: false))
            #expect(try await store.saleTerms(showId: Identifier.make()) == nil)
        }
    }

    @Test(arguments: Engine.available)
    func theKeeperAdmitsAtItsPaceHoldsItsLeaseAndAnotherTakesOverOnceItLapses(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let onSale = start.addingTimeInterval(10)
            // 120 a minute: one every half second.
            let show = try await Self.queuedShow(store, seats: 50, onSaleAt: onSale, perMinute: 120, now: start)
            _ = try await store.joinQueue(showId: show.id, userIds: try await Self.users(store, 10, "P").map(\.id), now: start)
            func serving(_ tick: QueueTick) -> Int? { tick.queues.first { $0.showId == show.id }?.serving }

            // Before onSaleAt nothing is admitted (and no lease is taken: there is nothing to keep).
            #expect(serving(try await store.tickQueues(keeper: "a", now: start.addingTimeInterval(5), lease: Self.lease)) == 0)
            // At onSaleAt the first is admitted at once, then one per half second.
            let first = try await store.tickQueues(keeper: "a", now: onSale, lease: Self.lease)
            #expect(serving(first) == 1)
            #expect(first.waits[show.id]?.count == 1)
            #expect(serving(try await store.tickQueues(keeper: "a", now: onSale.addingTimeInterval(1.0), lease: Self.lease)) == 3)
            // Another instance sees the watermark but cannot move it while the lease holds.
            #expect(serving(try await store.tickQueues(keeper: "b", now: onSale.addingTimeInterval(2.0), lease: Self.lease)) == 3)
            // Keeper a dies; once its lease (until +1 s + 3 s) lapses, b takes over, and catches
            // up by one second's worth only, not by every admission it missed.
            let takeover = try await store.tickQueues(keeper: "b", now: onSale.addingTimeInterval(4.5), lease: Self.lease)
            #expect(serving(takeover) == 6)
            // a is back, but the lease is b's now.
            #expect(serving(try await store.tickQueues(keeper: "a", now: onSale.addingTimeInterval(5.0), lease: Self.lease)) == 6)

            let admitted = try #require(try await store.queue(showId: show.id))
            #expect(admitted.waiting == 4)

            // Paused: nothing moves; resumed: from now, without a burst for the pause.
            _ = try await store.changeQueue(showId: show.id, try QueueChange(paused: true, admitPerMinute: nil), now: onSale.addingTimeInterval(5))
            #expect(serving(try await store.tickQueues(keeper: "b", now: onSale.addingTimeInterval(8), lease: Self.lease)) == 6)
            let resumed = try await store.changeQueue(
                showId: show.id, try QueueChange(paused: false, admitPerMinute: 60), now: onSale.addingTimeInterval(20))
            #expect(resumed.admitPerMinute == 60 && !resumed.paused)
            #expect(serving(try await store.tickQueues(keeper: "b", now: onSale.addingTimeInterval(20), lease: Self.lease)) == 7)
            #expect(serving(try await store.tickQueues(keeper: "b", now: onSale.addingTimeInterval(22), lease: Self.lease)) == 9)
        }
    }

    @Test(arguments: Engine.available)
    func aQueueCannotBeChangedBeforeItOpensOrAfterItCloses(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let show = try await Self.queuedShow(store, seats: 2, onSaleAt: start.addingTimeInterval(10), perMinute: 60, now: start)
            await #expect(throws: MarqueeError.self) {
                try await store.changeQueue(showId: show.id, try QueueChange(paused: true, admitPerMinute: nil), now: start)
            }
            await #expect(throws: MarqueeError.notFound("queue")) {
                try await store.changeQueue(showId: Identifier.make(), try QueueChange(paused: true, admitPerMinute: nil), now: start)
            }
        }
    }

    @Test(arguments: Engine.available)
    func aPassBooksOnceAndTheQueueClosesWhenEverySeatIsSold(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let onSale = start.addingTimeInterval(5)
            let show = try await Self.queuedShow(store, seats: 3, onSaleAt: onSale, perMinute: 600, now: start)
            let users = try await Self.users(store, 4, "B")
            var entries: [QueueEntryRecord] = []
            for user in users { entries.append(try await store.joinQueue(showId: show.id, userId: user.id, now: start).entry) }
            _ = try await store.tickQueues(keeper: "k", now: onSale.addingTimeInterval(1), lease: Self.lease)

            func request(_ seats: [Int], _ user: User, entry: QueueEntryRecord, hold: Bool = false) throws -> BookingRequest {
                BookingRequest(
                    showId: show.id, userId: user.id, userName: user.name, seats: try SeatSet(seats, maximum: 10),
                    holdUntil: hold ? onSale.addingTimeInterval(120) : nil, queueEntryId: entry.id)
            }
            _ = try await store.book(try request([1], users[0], entry: entries[0]), now: onSale.addingTimeInterval(2))
            // The same pass again is refused, alone or in a batch, and nothing is booked.
            await #expect(throws: MarqueeError.queuePass(.used)) {
                try await store.book(try request([2], users[0], entry: entries[0]), now: onSale.addingTimeInterval(2))
            }
            let batch = try await store.bookTogether([
                (try request([2], users[1], entry: entries[1]), onSale.addingTimeInterval(3)),
                (try request([3], users[1], entry: entries[1]), onSale.addingTimeInterval(3)),
            ])
            #expect((try? batch[0].get()) != nil)
            #expect(batch[1] == .failure(.queuePass(.used)))
            #expect(try await store.queueEntry(showId: show.id, userId: users[0].id)?.used == true)
            #expect(try await store.queueEntry(showId: show.id, userId: users[2].id)?.used == false)
            // The keeper's beat counts the bookings passes made, and their seats.
            let counting = try await store.tickQueues(keeper: "k", now: onSale.addingTimeInterval(3), lease: Self.lease)
            let counted = try #require(counting.queues.first { $0.showId == show.id })
            #expect(counted.passBookings == 2 && counted.passSeats == 2)

            // A hold on the last seat keeps the queue open: it may lapse.
            _ = try await store.book(try request([3], users[2], entry: entries[2], hold: true), now: onSale.addingTimeInterval(4))
            var tick = try await store.tickQueues(keeper: "k", now: onSale.addingTimeInterval(5), lease: Self.lease)
            var seen = try #require(tick.queues.first { $0.showId == show.id })
            #expect(!seen.closed && seen.seatsLeft == 0)
            // Confirmed, the show is sold out: the queue closes, and nobody waits in it.
            let hold = try #require(try await store.bookings(userId: users[2].id).first)
            #expect(try await store.transition(bookingId: hold.id, from: .pending, to: .confirmed, now: onSale.addingTimeInterval(6)))
            tick = try await store.tickQueues(keeper: "k", now: onSale.addingTimeInterval(7), lease: Self.lease)
            seen = try #require(tick.queues.first { $0.showId == show.id })
            #expect(seen.closed && seen.waiting == 0 && seen.state(at: onSale.addingTimeInterval(7)) == .closed)
            #expect(try await store.show(id: show.id, now: onSale.addingTimeInterval(7))?.show.queue?.state == .closed)
        }
    }

    @Test(arguments: Engine.available)
    func entriesRanksAndTheWatermarkOutliveARestart(engine: Engine) async throws {
        try await StoreHarness.withStore(engine) { fixture in
            let store = fixture.store
            let start = Self.wholeSecond()
            let onSale = start.addingTimeInterval(5)
            let show = try await Self.queuedShow(store, seats: 10, onSaleAt: onSale, perMinute: 60, now: start)
            let users = try await Self.users(store, 3, "R")
            _ = try await store.joinQueue(showId: show.id, userIds: users.map(\.id), now: start)
            _ = try await store.tickQueues(keeper: "k", now: onSale, lease: Self.lease)
            let before = try #require(try await store.queue(showId: show.id))
            let order = try await store.queueOrder(showId: show.id, now: onSale)
            try await fixture.reopened { reopened in
                let after = try #require(try await reopened.queue(showId: show.id))
                #expect(after == before)
                #expect(try await reopened.queueOrder(showId: show.id, now: onSale) == order)
                let again = try await reopened.joinQueue(showId: show.id, userId: users[1].id, now: onSale)
                #expect(!again.created && again.entry.rank != nil)
                #expect(try await reopened.saleTerms(showId: show.id) == SaleTerms(onSaleAt: show.onSaleAt, hasQueue: true))
            }
        }
    }
}
