import Foundation
import MarqueeCore
import MarqueeStore

/// Joins of a queue, coalesced as bookings are: while one show's joins are being written,
/// the joins that arrive wait, and go together in the next transaction (one commit for all
/// of them). An on-sale's flood of joins is then bound by the database's work, not by its
/// flushes: one commit a join held the queue's row lock through each flush, 83 joins a second
/// on this VM. The order of a batch is the order of arrival, so ranks follow it.
actor QueueJoins {
    /// The most joins in one transaction.
    static let batchLimit = 256

    private struct Waiter {
        let userId: String
        let continuation: CheckedContinuation<QueueJoin, any Error>
    }

    private let store: any BookingStore
    private let clock: @Sendable () -> Date
    private var waiting: [String: [Waiter]] = [:]
    private var writing: Set<String> = []

    init(store: any BookingStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// Puts the account in the show's line (or finds it there), with whoever joins meanwhile.
    func join(showId: String, userId: String) async throws -> QueueJoin {
        try await withCheckedThrowingContinuation { continuation in
            waiting[showId, default: []].append(Waiter(userId: userId, continuation: continuation))
            if writing.insert(showId).inserted {
                Task { await self.drain(showId) }
            }
        }
    }

    /// Writes the show's waiting joins a batch at a time until none is left.
    private func drain(_ showId: String) async {
        while let queued = waiting[showId], !queued.isEmpty {
            let batch = Array(queued.prefix(Self.batchLimit))
            waiting[showId] = Array(queued.dropFirst(batch.count))
            do {
                // Each batch gets the budget of a request of its own, whoever started the drain.
                let joins = try await DatabaseDeadline.$current.withValue(.now + .seconds(2)) {
                    try await store.joinQueue(showId: showId, userIds: batch.map(\.userId), now: clock())
                }
                for (index, waiter) in batch.enumerated() {
                    if index < joins.count {
                        waiter.continuation.resume(returning: joins[index])
                    } else {
                        waiter.continuation.resume(throwing: MarqueeError.notFound("queue entry"))
                    }
                }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
        waiting[showId] = nil
        writing.remove(showId)
    }
}
