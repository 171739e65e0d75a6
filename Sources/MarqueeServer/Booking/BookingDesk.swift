import Crypto
import Foundation
import MarqueeCore
import MarqueeStore

/// The booking desk: takes one booking order from a signed-in buyer to its answer, and owns
/// the workflow around the booking transaction. Handlers translate HTTP into an order and
/// the answer back; nothing here knows HTTP.
///
/// For one order, in this order:
/// 0. the show's sale terms (``ShowSales``): not before its `onSaleAt`, and for a show with a
///    queue only with a good `Queue-Pass` (``QueuePasses``); the pass's single use is
///    recorded in the booking's transaction;
/// 1. the order's rules: seat numbers (``SeatSet``), the hold's lifetime and the hold cap;
///    for best available, the seats are picked first (``BestAvailable``, over the show's plan
///    from ``SeatPlans`` and its seats from ``SeatOccupancy``), and picked again without the seats a
///    concurrent buyer got first, a bounded number of times; concurrent orders on one
///    instance pick apart (``PendingPicks``), so a rush does not all reach for one block;
/// 2. the Idempotency-Key, when there is one: a repeat gets the first answer, a key still in
///    flight or used with another order is refused; the answer is written in the booking's
///    own transaction, a refusal is kept as an answer too, and a failure of the database
///    releases the key so that a retry runs afresh;
/// 3. admission and coalescing (``BookingCoalescer``), then the store's booking transaction,
///    where the seats are decided (SQL/postgres/functions/marquee_book.sql on PostgreSQL,
///    SQLiteStore+Bookings.swift on SQLite);
/// 4. the booking metric, by outcome;
/// 5. telling the read cache and the ``OutboxSignal`` that the show changed.
struct BookingDesk: Sendable {
    /// What an order comes to.
    enum Answer: Sendable {
        /// The booking and how it names its seats.
        case booked(Booking, labels: [String])
        /// The same order under the same key was answered before: that answer, byte for byte.
        case replayed(StoredResponse)
    }

    /// How answers are written down for replay, in the API's own encoding. The HTTP layer
    /// gives these, so a replay is exactly what the first request was sent.
    struct Transcript: Sendable {
        var booked: @Sendable (Booking, _ labels: [String]) throws -> StoredResponse
        var refused: @Sendable (MarqueeError) -> StoredResponse
    }

    /// The limits an order must keep.
    struct Rules: Sendable {
        var maxSeatsPerBooking: Int
        var holdDuration: Duration
        var maxActiveHolds: Int
    }

    let store: any BookingStore
    let coalescer: BookingCoalescer
    let rules: Rules
    let transcript: Transcript
    let metrics: MarqueeMetrics
    let cache: ReadCache
    let changes: OutboxSignal
    let plans: SeatPlans
    /// Shows' on-sale times and queues, kept once read.
    let sales: ShowSales
    /// Checks queue passes.
    let passes: QueuePasses
    /// What this instance knows of the queues.
    let queues: QueueBoard
    /// Joins of queues, written together while others are being written.
    let queueJoins: QueueJoins
    /// Seats best available has picked on this instance for orders still in flight.
    let picks = PendingPicks()
    /// The seats best available knows to be unavailable, per show, read now and then.
    let occupancy = SeatOccupancy()
    let clock: @Sendable () -> Date

    /// How many times best available picks again after losing seats to a concurrent buyer.
    static let bestAvailableAttempts = 3

    /// Books (or holds) the order's seats for `buyer`; `pass` is the request's `Queue-Pass`.
    func book(_ order: BookingOrder, for buyer: User, idempotencyKey: String?, pass: String? = nil) async throws -> Answer {
        var order = order
        order.queueEntryId = try await admission(order.showId, for: buyer, pass: pass)
        guard let rawKey = idempotencyKey else { return try await timedBooking(order, for: buyer, key: nil) }
        let key = IdempotencyKey(userId: buyer.id, key: rawKey, fingerprint: Self.fingerprint(order))
        switch try await store.beginIdempotent(key, now: clock(), staleAfter: .seconds(60)) {
        case .replay(let stored): return .replayed(stored)
        case .inFlight: throw MarqueeError.idempotencyKeyInFlight
        case .mismatch: throw MarqueeError.idempotencyKeyReused
        case .proceed: break
        }
        do {
            return try await timedBooking(order, for: buyer, key: key)
        } catch let error as MarqueeError where !Self.isPassing(error) {
            // A refusal is an answer too: the same order under this key gets it again.
            try await store.finishIdempotent(key, response: transcript.refused(error))
            throw error
        } catch {
            // No answer worth keeping (the database failed or was too slow, or too many were
            // waiting): let a retry run afresh. The request's own budget may be spent, so
            // this gets a second of its own.
            try? await DatabaseDeadline.$current.withValue(.now + .seconds(1)) {
                try await store.releaseIdempotent(key)
            }
            throw error
        }
    }

    /// The show's sale terms for this buyer: 403 before `onSaleAt`; with a queue, the entry
    /// the buyer's pass admits (403 without a good one). Nil when no pass is needed. An
    /// unknown show passes here and is refused as usual.
    private func admission(_ showId: String, for buyer: User, pass: String?) async throws -> String? {
        guard Identifier.isWellFormed(showId), let terms = try await sales.terms(showId: showId) else { return nil }
        let now = clock()
        if let onSaleAt = terms.onSaleAt, now < onSaleAt { throw MarqueeError.notOnSale(onSaleAt: onSaleAt) }
        guard terms.hasQueue else { return nil }
        guard let pass, !pass.isEmpty else { throw MarqueeError.queuePass(.required) }
        return try passes.verify(pass, userId: buyer.id, showId: showId, now: now)
    }

    /// Refusals that say "not now" rather than "no": a retry may well succeed, so they are
    /// never kept as the key's answer.
    static func isPassing(_ error: MarqueeError) -> Bool {
        if case .overloaded = error { return true }
        return DatabaseFault.meansUnavailable(error)
    }

    /// Confirms or cancels a booking the buyer may settle (an admin may settle any).
    func settle(_ action: BookingAction, bookingId: String, by buyer: User) async throws -> Booking {
        do {
            let booking = try await store.settle(
                action, bookingId: bookingId, userId: buyer.id, isAdmin: buyer.role == .admin, now: clock())
            showChanged(booking.showId)
            return booking
        } catch {
            // A lapsed hold is marked EXPIRED on the way to this refusal: that is news too.
            changes.unseenChange()
            throw error
        }
    }

    /// After a change this instance made: its cached reads of the show go at once (so the
    /// caller's next read sees it), and the outbox reader, the webhook dispatcher and, through
    /// PostgreSQL, the other instances hear of it.
    func showChanged(_ showId: String) {
        cache.invalidate(showIds: [showId])
        changes.ownCommit()
    }

    /// The order as its key's fingerprint sees it: same show, seats (or best-available
    /// request) and hold, same order.
    static func fingerprint(_ order: BookingOrder) -> String {
        let seats =
            switch order.seats {
            case .numbers(let numbers): numbers.map(String.init).joined(separator: ",")
            case .best(let want):
                "best:\(want.quantity):\(want.section.map { "s=\($0)" } ?? ""):\(want.category.map { "c=\($0)" } ?? ""):\(want.accessible)"
            }
        let canonical = "\(order.showId)|\(seats)|\(order.hold)"
        return SHA256.hash(data: Data(canonical.utf8)).hexString
    }

    private func timedBooking(_ order: BookingOrder, for buyer: User, key: IdempotencyKey?) async throws -> Answer {
        let started = ContinuousClock.now
        let result: Result<Made, any Error> = await Result { try await booking(order, for: buyer, key: key) }
        if let outcome = MarqueeMetrics.outcome(of: result.map { $0.booking }) {
            metrics.booking(outcome, duration: started.duration(to: .now))
        }
        let made = try result.get()
        return .booked(made.booking, labels: made.labels)
    }

    /// A booking made, and how it names its seats.
    typealias Made = (booking: Booking, labels: [String])

    private func booking(_ order: BookingOrder, for buyer: User, key: IdempotencyKey?) async throws -> Made {
        guard Identifier.isWellFormed(order.showId) else { throw MarqueeError.notFound("show") }
        switch order.seats {
        case .numbers(let numbers):
            return try await booking(
                try SeatSet(numbers, maximum: rules.maxSeatsPerBooking), of: order, for: buyer, key: key)
        case .best(let want):
            return try await bestAvailable(want, of: order, for: buyer, key: key)
        }
    }

    /// Picks the seats for a best-available order and books them; seats lost to a concurrent
    /// buyer are left out of the next pick.
    private func bestAvailable(
        _ want: BestAvailable.Request, of order: BookingOrder, for buyer: User, key: IdempotencyKey?
    ) async throws -> Made {
        guard let plan = try await plans.plan(showId: order.showId) else {
            guard try await store.show(id: order.showId, now: clock()) != nil else { throw MarqueeError.notFound("show") }
            throw MarqueeError.validation([FieldError(
                field: "quantity", message: "This show has no seating plan: choose seats by number.")])
        }
        try Self.check(want, against: plan.layout, maximum: rules.maxSeatsPerBooking)
        let showId = order.showId
        let started = ContinuousClock.now
        var lost = Set<Int>()
        var seen = SeatMask(count: 0)
        // Nil: what is known will do. Set: only seats read since then will.
        var readSince: ContinuousClock.Instant?
        var tries = 0
        while tries < Self.bestAvailableAttempts {
            guard
                let known = try await occupancy.unavailable(
                    showId: showId, readSince: readSince,
                    read: { [store, clock] in try await store.show(id: showId, now: clock()) })
            else { throw MarqueeError.notFound("show") }
            seen = known
            seen.formUnion(lost)
            guard let picked = picks.pick(want, in: plan.index, showId: showId, unavailable: seen) else {
                // What is known may be behind: "nothing fits" is said only after a read made
                // since this order asked.
                if readSince != nil { break }
                readSince = started
                continue
            }
            tries += 1
            defer { picks.release(picked, showId: showId) }
            do {
                let made = try await booking(try SeatSet(picked, maximum: picked.count), of: order, for: buyer, key: key)
                occupancy.booked(picked, showId: showId)
                return made
            } catch MarqueeError.seatsTaken(let taken) {
                // After a loss, the seats as they are now: others may have booked beside it.
                lost.formUnion(taken)
                readSince = .now
            }
        }
        seen.formUnion(lost)
        throw MarqueeError.noAdjacentSeats(largestBlock: BestAvailable.largestBlock(want, in: plan.index, unavailable: seen))
    }

    /// A best-available request's rules that need the plan: a quantity a booking may have, and
    /// a section and category the plan has.
    static func check(_ want: BestAvailable.Request, against layout: Layout, maximum: Int) throws(MarqueeError) {
        var errors: [FieldError] = []
        if !(1...maximum).contains(want.quantity) {
            errors.append(FieldError(field: "quantity", message: "Ask for 1 to \(maximum) seats."))
        }
        if let section = want.section, !layout.sections.contains(where: { $0.key == section }) {
            errors.append(FieldError(field: "section", message: "This venue has no section \(section)."))
        }
        if let category = want.category, !layout.categories.contains(where: { $0.key == category }) {
            errors.append(FieldError(field: "category", message: "This venue has no category \(category)."))
        }
        guard errors.isEmpty else { throw .validation(errors) }
    }

    private func booking(_ seats: SeatSet, of order: BookingOrder, for buyer: User, key: IdempotencyKey?) async throws
        -> Made
    {
        let labels = try await plans.labels(showId: order.showId, seats: seats.seats)
        let now = clock()
        var request = BookingRequest(
            showId: order.showId, userId: buyer.id, userName: buyer.name, seats: seats,
            holdUntil: order.hold ? now.addingTimeInterval(rules.holdDuration.seconds) : nil,
            maxActiveHolds: order.hold ? rules.maxActiveHolds : nil, queueEntryId: order.queueEntryId)
        if let key {
            // The answer is known before the booking exists, so it commits with the booking.
            request.idempotency = (key, try transcript.booked(request.booking(at: now), labels))
        }
        let booking = try await coalescer.book(request, now: now)
        showChanged(booking.showId)
        if order.queueEntryId != nil { queues.forgetEntry(showId: booking.showId, userId: buyer.id) }
        return (booking, labels)
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
