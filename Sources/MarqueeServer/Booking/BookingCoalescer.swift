import Foundation
import MarqueeCore
import MarqueeStore

/// Books concurrent requests together, and admits only so many at once.
///
/// Every booking pays for a commit, and bookings of one show also take turns on the show's
/// lock, so under load the rate is bounded by commits rather than by work. Here requests go
/// into lanes: each show belongs to one of `lanes` lanes (by its id), and a lane runs one
/// transaction at a time. While it runs, the lane's next requests wait, and when it ends,
/// everything waiting (up to `maxBatch`) goes into the next transaction together, through
/// ``BookingStore/bookTogether(_:)``, whichever shows the requests are for. Each request is
/// still decided on its own seats alone. A request that finds its lane idle goes at once, so
/// there is no added wait without a queue. A hot show's requests share one lane's
/// transactions; requests spread over many shows share commits too, in a few lanes.
///
/// Every wait ends by its request's database deadline (``DatabaseDeadline``): a request
/// still waiting for its turn past it is answered 503 `database-unavailable`, and a batch runs
/// under the earliest deadline of the requests in it. When the database is away, a failed
/// batch fails each of its requests at once rather than trying them one by one.
///
/// Admission is bounded. At most `maxWaitingPerShow` requests of one show wait, and at most
/// `maxWaiting` in all; past that, a request is refused at once with
/// ``MarqueeError/overloaded(retryAfterSeconds:)`` (503 with `Retry-After`) instead of
/// waiting without end.
public actor BookingCoalescer {
    /// What the coalescer reports as it works (for metrics).
    public struct Observer: Sendable {
        /// A transaction started with this many requests.
        public var batch: @Sendable (Int) -> Void
        /// A request was refused by admission.
        public var refused: @Sendable () -> Void

        public init(batch: @escaping @Sendable (Int) -> Void = { _ in }, refused: @escaping @Sendable () -> Void = {}) {
            self.batch = batch
            self.refused = refused
        }
    }

    private struct Waiter {
        let request: BookingRequest
        let now: Date
        /// The request's database deadline; nil outside a request.
        let deadline: ContinuousClock.Instant?
        let continuation: CheckedContinuation<Booking, any Error>
    }

    private let store: any BookingStore
    private let limits: BookingLimits
    private let observer: Observer
    /// The waiting requests of each lane that has a transaction running; a lane with no
    /// entry is idle.
    private var lanes: [Int: [Waiter]] = [:]
    private var waitingByShow: [String: Int] = [:]
    private var waiting = 0

    public init(store: any BookingStore, limits: BookingLimits = BookingLimits(), observer: Observer = Observer()) {
        self.store = store
        self.limits = limits
        self.observer = observer
    }

    /// Requests waiting for a transaction, across all lanes.
    public var waitingCount: Int { waiting }
    /// Lanes with a transaction running.
    public var busyLaneCount: Int { lanes.count }

    /// Books the request, alone or together with others in its lane, and answers as
    /// ``BookingStore/book(_:now:)`` would.
    public func book(_ request: BookingRequest, now: Date) async throws -> Booking {
        let showId = request.showId
        guard waiting < limits.maxWaiting, waitingByShow[showId, default: 0] < limits.maxWaitingPerShow else {
            observer.refused()
            throw MarqueeError.overloaded(retryAfterSeconds: 1)
        }
        let lane = Int(UInt(bitPattern: showId.hashValue) % UInt(limits.lanes))
        let deadline = DatabaseDeadline.current
        return try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(request: request, now: now, deadline: deadline, continuation: continuation)
            waiting += 1
            waitingByShow[showId, default: 0] += 1
            if lanes[lane] == nil {
                lanes[lane] = [waiter]
                Task { await self.serve(lane) }
            } else {
                lanes[lane]?.append(waiter)
            }
        }
    }

    /// Runs the lane's waiting requests, a batch at a time, until none are left. Each batch
    /// runs under its own requests' deadline, not that of the request that woke the lane.
    private func serve(_ lane: Int) async {
        while let waiting = nextBatch(lane) {
            let now = ContinuousClock.now
            var batch: [Waiter] = []
            for waiter in waiting {
                if let deadline = waiter.deadline, deadline <= now {
                    waiter.continuation.resume(throwing: MarqueeError.databaseUnavailable)
                } else {
                    batch.append(waiter)
                }
            }
            guard !batch.isEmpty else { continue }
            observer.batch(batch.count)
            await DatabaseDeadline.$current.withValue(batch.compactMap(\.deadline).min()) { await run(batch) }
        }
    }

    /// Takes up to `maxBatch` waiting requests off the lane; nil (and the lane idle) when
    /// there are none.
    private func nextBatch(_ lane: Int) -> [Waiter]? {
        guard let line = lanes[lane], !line.isEmpty else {
            lanes[lane] = nil
            return nil
        }
        let batch = Array(line.prefix(limits.maxBatch))
        lanes[lane] = Array(line.dropFirst(batch.count))
        waiting -= batch.count
        for waiter in batch {
            let showId = waiter.request.showId
            let left = (waitingByShow[showId] ?? 1) - 1
            waitingByShow[showId] = left > 0 ? left : nil
        }
        return batch
    }

    private func run(_ batch: [Waiter]) async {
        if batch.count > 1 {
            do {
                let results = try await store.bookTogether(batch.map { ($0.request, $0.now) })
                for (waiter, result) in zip(batch, results) {
                    waiter.continuation.resume(with: result.mapError { $0 as any Error })
                }
                return
            } catch where DatabaseFault.meansUnavailable(error) {
                // The database is away or too slow: alone, each would only wait again.
                for waiter in batch { waiter.continuation.resume(throwing: MarqueeError.databaseUnavailable) }
                return
            } catch {
                // The transaction failed as a whole, so nothing of it took effect: decide each
                // request alone, so that whatever broke it fails only the request it belongs to.
            }
        }
        for waiter in batch {
            do {
                let booking = try await DatabaseDeadline.$current.withValue(waiter.deadline) {
                    try await store.book(waiter.request, now: waiter.now)
                }
                waiter.continuation.resume(returning: booking)
            } catch {
                waiter.continuation.resume(throwing: error)
            }
        }
    }
}

/// How booking requests are grouped into transactions, and how many may wait.
public struct BookingLimits: Sendable, Equatable {
    /// Transactions that may run at once, each for the requests of its own shows.
    public var lanes = 4
    /// Most requests in one transaction.
    public var maxBatch = 64
    /// Most requests waiting for one show.
    public var maxWaitingPerShow = 64
    /// Most requests waiting for all shows together.
    public var maxWaiting = 1_024

    public init() {}
}
