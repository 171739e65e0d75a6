import Foundation
import MarqueeCore

/// Books concurrent requests for one show together, and admits only so many at once.
///
/// Bookings of one show take turns on the show's lock, and each pays for its own commit, so a
/// hot show's rate is bounded by commits rather than by work. Here a show has a line: while
/// one transaction for the show runs, the show's next requests wait, and when it ends,
/// everything waiting (up to `maxBatch`) goes into the next transaction together, through
/// ``BookingStore/bookTogether(_:)``. Each request is still decided on its own seats alone. A
/// request that finds its show idle goes at once, so there is no added wait without a queue.
///
/// Admission is bounded. A show's line holds at most `maxWaitingPerShow` requests and all
/// lines together at most `maxWaiting`; past that, a request is refused at once with
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
        let continuation: CheckedContinuation<Booking, any Error>
    }

    private let store: any BookingStore
    private let limits: BookingLimits
    private let observer: Observer
    /// The waiting requests of each show that has a transaction running; a show with no
    /// entry is idle.
    private var lines: [String: [Waiter]] = [:]
    private var waiting = 0

    public init(store: any BookingStore, limits: BookingLimits = BookingLimits(), observer: Observer = Observer()) {
        self.store = store
        self.limits = limits
        self.observer = observer
    }

    /// Requests waiting for a transaction, across all shows.
    public var waitingCount: Int { waiting }
    /// Shows with a transaction running.
    public var busyShowCount: Int { lines.count }

    /// Books the request, alone or together with others for its show, and answers as
    /// ``BookingStore/book(_:now:)`` would.
    public func book(_ request: BookingRequest, now: Date) async throws -> Booking {
        let showId = request.showId
        guard waiting < limits.maxWaiting, (lines[showId]?.count ?? 0) < limits.maxWaitingPerShow else {
            observer.refused()
            throw MarqueeError.overloaded(retryAfterSeconds: 1)
        }
        return try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(request: request, now: now, continuation: continuation)
            waiting += 1
            if lines[showId] == nil {
                lines[showId] = [waiter]
                Task { await self.serve(showId) }
            } else {
                lines[showId]?.append(waiter)
            }
        }
    }

    /// Runs the show's waiting requests, a batch at a time, until none are left.
    private func serve(_ showId: String) async {
        while let batch = nextBatch(showId) {
            observer.batch(batch.count)
            await run(batch)
        }
    }

    /// Takes up to `maxBatch` waiting requests off the show's line; nil (and the show idle)
    /// when there are none.
    private func nextBatch(_ showId: String) -> [Waiter]? {
        guard let line = lines[showId], !line.isEmpty else {
            lines[showId] = nil
            return nil
        }
        let batch = Array(line.prefix(limits.maxBatch))
        lines[showId] = Array(line.dropFirst(batch.count))
        waiting -= batch.count
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
            } catch {
                // The transaction failed as a whole, so nothing of it took effect: decide each
                // request alone, so that whatever broke it fails only the request it belongs to.
            }
        }
        for waiter in batch {
            do {
                waiter.continuation.resume(returning: try await store.book(waiter.request, now: waiter.now))
            } catch {
                waiter.continuation.resume(throwing: error)
            }
        }
    }
}

/// How many booking requests go into one transaction, and how many may wait.
public struct BookingLimits: Sendable, Equatable {
    /// Most requests in one transaction.
    public var maxBatch = 64
    /// Most requests waiting for one show, besides those in its running transaction.
    public var maxWaitingPerShow = 64
    /// Most requests waiting for all shows together.
    public var maxWaiting = 1_024

    public init() {}
}
